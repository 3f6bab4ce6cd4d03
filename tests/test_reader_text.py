"""Every entry's page, in the catalogue's words, carries no raw id, no field name and no
contributors' word: what a reader sees outside the "Sources and notes" disclosures and the
sources' own quoted words. In-process (ds.client), over every entry in the catalogue."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from paradecat.site.serve import make_datasette

from .conftest import METADATA

# an id as a note writes it: lower-case letters and digits joined by hyphens or underscores, not
# part of a web address or a file name
ID_TOKEN = re.compile(r"(?<![\w./-])[a-z0-9]+(?:[-_][a-z0-9]+)*(?![\w/]|\.\w)")
_DATED = re.compile(r"^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*?)-(?:19|20)\d\d\b")
ENTRIES = {
    "parades": "id",
    "systems": "id",
    "units": "id",
    "people": "id",
    "countries": "code",
    "sources": "id",
}


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


def ids_a_note_could_use(db: Path) -> set[str]:
    """Every id a note could use: sources (and their short forms, 'worldnewsam'), parades, and
    the systems, units and people whose ids are not also plain words ('buk')."""
    conn = sqlite3.connect(db)
    try:
        ids = {r[0] for r in conn.execute("select id from sources")}
        ids |= {m.group(1) for i in list(ids) if (m := _DATED.match(i))}
        ids |= {r[0] for r in conn.execute("select id from parades")}
        for table in ("systems", "units", "people"):
            ids |= {
                r[0] for r in conn.execute(f"select id from {table}") if re.search(r"[-\d]", r[0])
            }
        return ids
    finally:
        conn.close()


def _reader_text(page: str) -> str:
    """The article's text, without what is folded away, quoted, or a web address."""
    article = page[page.index("<article") : page.index("</article>")]
    article = re.sub(r"<details.*?</details>", " ", article, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", article))
    return re.sub(r"“[^”]*”|https?://\S+", " ", text)


@pytest.mark.parametrize("table", list(ENTRIES))
async def test_no_entry_page_shows_ids_or_contributors_words(
    ds: Any, built_db: Path, table: str
) -> None:
    ids = ids_a_note_could_use(built_db)
    conn = sqlite3.connect(built_db)
    keys = [r[0] for r in conn.execute(f"select {ENTRIES[table]} from {table} order by 1")]
    conn.close()
    assert keys
    found: dict[str, list[str]] = {}
    for key in keys:
        response = await ds.client.get(f"/paradecat/{table}/{quote(key, safe='')}")
        assert response.status_code == 200, key
        text = _reader_text(response.text)
        words = {t for t in ID_TOKEN.findall(text) if t in ids}
        words |= set(re.findall(r"\b[a-z]+_[a-z_]+\b|\bseed \d+|\b[\w-]+\.ya?ml\b", text))
        if words:
            found[key] = sorted(words)
    assert found == {}
