"""The contributor's truth on the site: what the sources say, with their words, and what is not known.

Built from tests/cases/valid/every-field/ (every field set) plus one parade with no count, by the
real build, and read through the real Datasette.
"""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from paradecat.check.validate import validate_catalog
from paradecat.db.build import build_database
from paradecat.site.serve import make_datasette

from .conftest import METADATA

CASE = Path(__file__).parent / "cases" / "valid" / "every-field"

NO_COUNTS = """\
# yaml-language-server: $schema=../../schema/parade.schema.json
id: 2020-05-09-astana
name: A parade no source counts
kind: military_parade
date: 2020-05-09
city: Astana
country: KZ
reviewing_official: {person: kassym-jomart-tokayev, rank: President, source: mt-2025-05-08, quote: President Tokayev took the salute}
sources: [mt-2025-05-08]
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("truth")
    shutil.copytree(CASE / "catalog", root / "catalog")
    (root / "catalog" / "parades" / "2020-05-09-astana.yaml").write_text(
        NO_COUNTS, encoding="utf-8"
    )
    result = validate_catalog(root)
    assert result.ok, [p.message for p in result.problems if p.severity == "error"]
    return build_database(result.catalog, root / "paradecat.db")


async def _page(db: Path, path: str) -> str:
    ds: Any = make_datasette(db, METADATA)
    await ds.invoke_startup()
    response = await ds.client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.text)


def test_one_person_is_one_row_across_parades(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        people = conn.execute(
            "select id from people where name = 'Kassym-Jomart Tokayev'"
        ).fetchall()
        reviewed = conn.execute(
            "select id from parades where reviewing_official_id = 'kassym-jomart-tokayev' order by id"
        ).fetchall()
        names = conn.execute(
            "select name from person_names where person_id = 'kassym-jomart-tokayev' order by name"
        ).fetchall()
    finally:
        conn.close()
    assert people == [("kassym-jomart-tokayev",)]
    assert reviewed == [("2020-05-09-astana",), ("astana-victory-parade-2025",)]
    assert ("Қасым-Жомарт Тоқаев",) in names


def test_every_citation_keeps_its_quotation(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        quotes = dict(
            conn.execute(
                "select field, quote from citations where entity_type = 'parade' "
                "and entity_id = 'astana-victory-parade-2025' and quote is not null"
            ).fetchall()
        )
        commander = conn.execute(
            "select c.quote from citations c join contingents ct on c.entity_id = ct.id "
            "where c.entity_type = 'contingent' and c.field = 'commander'"
        ).fetchall()
    finally:
        conn.close()
    assert quotes["aircraft"] == "almost 66 aircraft"
    assert quotes["commander"] == "парадом командовал генерал-лейтенант Руслан Шайкенов"
    assert quotes[None] == "a military parade in the capital, Astana"
    assert commander == [("полковник Алмас Төлегенов",)]


async def test_a_parade_without_counts_says_they_are_not_known(db: Path) -> None:
    page = await _page(db, "/paradecat/parades/2020-05-09-astana")
    counts = page.split('id="counts"', 1)[1].split("<h2", 1)[0]
    assert (
        "Not known:</strong> no source in the catalogue gives a count for this event"
        " (people on parade, ground equipment" in counts
    )
    full = await _page(db, "/paradecat/parades/astana-victory-parade-2025")
    assert "Not known" not in full.split('id="counts"', 1)[1].split("<h2", 1)[0]


async def test_counts_show_their_note_and_quotation(db: Path) -> None:
    page = await _page(db, "/paradecat/parades/astana-victory-parade-2025")
    counts = page.split('id="counts"', 1)[1].split("<h2", 1)[0]
    assert "nearly 66" in counts and "As announced, not observed." in counts
    # the passage on hover (title) and on a tap (details), beside its source's link
    assert re.search(r'<summary title="almost 66 aircraft">quote</summary>', counts)
    assert "<blockquote>“almost 66 aircraft”</blockquote>" in counts
    shown = page.split('id="appearances"', 1)[1]
    assert "Counted in the photographs." in shown and "“a new 8x8”" in shown


async def test_a_source_known_at_second_hand_and_an_untitled_one(db: Path) -> None:
    page = await _page(db, "/paradecat/parades/astana-victory-parade-2025")
    sources = page.split('id="sources"', 1)[1]
    # an untitled source is named by its publisher
    assert re.search(
        r'>Khabar</a> <span class="pc-muted">\(<time datetime="2025">2025</time>\)</span>', sources
    )
    assert re.search(
        r'\(cited in <a href="/paradecat/sources/mt-2025-05-08">The Moscow Times</a>\)', sources
    )
