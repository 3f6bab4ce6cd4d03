"""Every entity a link points at has a page of its own: source, unit, country and person, in the
style of the parade and system pages, with links that resolve, and where to improve the entry."""

from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from paradecat.db.dates import human_date
from paradecat.site.entities import COUNTRY_LIMIT
from paradecat.site.pages import language_name
from paradecat.site.serve import load_metadata, make_datasette

from .conftest import METADATA


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


def one(db: Path, sql: str) -> Any:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v or "" for k, v in attrs if k == "href"]
        if tag in ("h1", "h2"):
            self._in = tag
            self.headings.append(f"{tag}:")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.headings[-1] += data


async def page(ds: Any, path: str) -> tuple[str, Links]:
    response = await ds.client.get(path)
    assert response.status_code == 200, path
    links = Links()
    links.feed(response.text)
    return response.text, links


async def links_resolve(ds: Any, links: Links) -> None:
    """Every link on the page within the catalogue answers 200."""
    inside = {h.split("#")[0] for h in links.hrefs if h.startswith("/paradecat/") and "?" not in h}
    for href in sorted(inside):
        assert (await ds.client.get(href)).status_code == 200, href


async def test_a_country_page_lists_its_parades_contingents_systems_and_people(
    ds: Any, built_db: Path
) -> None:
    html, links = await page(ds, "/paradecat/countries/KZ")
    assert "<title>Kazakhstan: paradecat</title>" in html  # not "countries: KZ"
    assert any(h.startswith("h1:") and "Kazakhstan" in h for h in links.headings)
    parades = one(built_db, "select count(*) from parades where country = 'KZ'")[0]
    sent = one(
        built_db,
        "select count(*) from contingents c join parades p on p.id = c.parade_id "
        "where c.country = 'KZ' and p.country != 'KZ'",
    )[0]
    assert f"h2:Parades held here {parades}" in [h.strip() for h in links.headings]
    assert f"h2:Contingents sent to parades abroad {sent}" in [h.strip() for h in links.headings]
    assert "/paradecat/parades/2025-05-07-astana" in links.hrefs
    assert "/paradecat/systems/barys" in links.hrefs
    assert "/paradecat/people/kassym-jomart-tokayev" in links.hrefs
    # a country is not an entry of the catalogue: no file to improve
    assert "Improve this entry" not in html and "Report a correction" in html
    await links_resolve(ds, links)


async def test_a_former_country_says_so(ds: Any, built_db: Path) -> None:
    html, links = await page(ds, "/paradecat/countries/SU")
    assert "a former country" in html
    conn = sqlite3.connect(built_db)
    made = [
        r[0]
        for r in conn.execute(
            "select distinct s.id from system_countries sc join systems s on s.id = sc.system_id"
            " where sc.country = 'SU' order by s.name"
        )
    ]
    conn.close()
    # the first COUNTRY_LIMIT by name, and a link to the table for all of them
    assert len(made) > COUNTRY_LIMIT
    for system in made[:COUNTRY_LIMIT]:
        assert f"/paradecat/systems/{system}" in links.hrefs, system
    assert f"/paradecat/systems/{made[COUNTRY_LIMIT]}" not in links.hrefs
    assert "/paradecat/system_countries?country=SU" in links.hrefs


async def test_a_source_page_lists_every_fact_it_supports_with_its_quotation(
    ds: Any, built_db: Path
) -> None:
    source = "kommersant-2019-05-09"
    html, links = await page(ds, f"/paradecat/sources/{source}")
    cited = one(built_db, f"select count(*) from citations where source_id = '{source}'")[0]
    assert f"h2:Facts it supports {cited}" in [h.strip() for h in links.headings]
    with sqlite3.connect(built_db) as conn:
        quotes = [
            q
            for (q,) in conn.execute(
                "select quote from citations where source_id = ? and quote is not null", (source,)
            )
        ]
    assert quotes and all(
        f"“{q}”".replace('"', "&#34;") in html or f"“{q}”" in html for q in quotes
    )
    assert "/paradecat/parades/2019-05-09-moscow-red-square" in links.hrefs
    # a claim it reports is shown in words, not with the rank's code
    assert "Other values it reports" in html and "rejected" in html
    assert "in Russian" in html
    url = one(built_db, f"select url from sources where id = '{source}'")[0]
    assert f'href="{url}" rel="noopener nofollow"' in html
    edit = f"/edit/main/catalog/sources/{source}.yaml"
    assert re.search(rf'href="https://github\.com/[^"]+{re.escape(edit)}"', html)
    await links_resolve(ds, links)


async def test_an_appearance_cited_by_a_source_links_its_parade_and_its_system(
    ds: Any, built_db: Path
) -> None:
    source, parade, system = one(
        built_db,
        "select ci.source_id, a.parade_id, a.system_id from citations ci "
        "join appearances a on a.id = ci.entity_id where ci.entity_type = 'appearance' limit 1",
    )
    _, links = await page(ds, f"/paradecat/sources/{source}")
    assert f"/paradecat/parades/{parade}" in links.hrefs
    assert f"/paradecat/systems/{system}" in links.hrefs


async def test_a_person_page_lists_the_parades_they_reviewed_or_commanded(
    ds: Any, built_db: Path
) -> None:
    person = "sergey-shoigu"
    html, links = await page(ds, f"/paradecat/people/{person}")
    reviewed = one(
        built_db, f"select count(*) from parades where reviewing_official_id = '{person}'"
    )[0]
    assert reviewed > 3 and html.count("<strong>Reviewing official</strong>") == reviewed
    assert "Сергей Шойгу" in html or "Шойгу" in html  # the names in other scripts
    assert "/paradecat/parades/2019-05-09-moscow-red-square" in links.hrefs
    assert f"/edit/main/catalog/people/{person}.yaml" in html
    await links_resolve(ds, links)


async def test_a_unit_page_lists_its_contingents(ds: Any) -> None:
    html, links = await page(ds, "/paradecat/units/37th-air-assault-brigade")
    assert "<title>37th Air Assault Brigade: paradecat</title>" in html
    assert "/paradecat/parades/2025-05-09-moscow-red-square" in links.hrefs
    assert "/paradecat/countries/KZ" in links.hrefs
    await links_resolve(ds, links)


async def test_a_missing_entry_is_a_404(ds: Any) -> None:
    for table in ("sources", "units", "people", "countries"):
        assert (await ds.client.get(f"/paradecat/{table}/no-such-entry")).status_code == 404


def test_dates_and_languages_read_as_words() -> None:
    assert human_date("2025-05-07") == "Wednesday 7 May 2025"
    assert human_date("2025-05") == "May 2025"
    assert human_date("2025") == "2025"
    assert human_date(None) == ""
    assert language_name("ru") == "Russian" and language_name("kk") == "Kazakh"
    assert language_name("cnr") == "Montenegrin" and language_name("xx") == "xx"


def test_the_repository_comes_from_one_setting() -> None:
    assert load_metadata(METADATA)["source_url"].startswith("https://github.com/")


async def test_a_country_page_worked_out_once_is_the_same_page(ds: Any, built_db: Path) -> None:
    """A country's page is worked out once per database file: asked again it is the same page,
    and one for a country that does not exist is not kept (nothing can fill the memory)."""
    from paradecat.site import home

    first, _ = await page(ds, "/paradecat/countries/KZ")
    again, _ = await page(ds, "/paradecat/countries/KZ")

    def untimed(html: str) -> str:
        return re.sub(r"took [0-9.]+ms", "took N ms", html)

    assert untimed(first) == untimed(again) and "Kazakhstan" in first
    kept = [k for k in home._CACHE if k[0] == str(built_db) or str(k[0]).endswith(built_db.name)]
    assert any(k[-1] == "countries/KZ" for k in kept)
    for _ in range(2):
        assert (await ds.client.get("/paradecat/countries/QQ")).status_code == 404
    assert not any(k[-1] == "countries/QQ" for k in home._CACHE)
