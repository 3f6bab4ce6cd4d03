"""The published site, in process: every page answers, row pages show what readers need, queries
are safe, and nothing from the data is rendered unescaped or fetched from another host."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from datasette.utils import tilde_encode

from paradecat.catalog import Catalog
from paradecat.db.build import build_database
from paradecat.site.rows import count_phrase, safe_url
from paradecat.site.serve import load_metadata, make_datasette

from .conftest import METADATA

META = load_metadata(METADATA)
QUERIES: dict[str, dict[str, Any]] = META["databases"]["paradecat"]["queries"]
TABLES_META: dict[str, dict[str, Any]] = META["databases"]["paradecat"]["tables"]


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


def _relations(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "select name, type from sqlite_master where type in ('table', 'view') "
            "and name not like 'sqlite_%' and name not like '%_fts%'"
        ).fetchall()
    finally:
        conn.close()
    return [(name, kind) for name, kind in rows]


def _first_row_path(db: Path, table: str) -> str:
    """The URL path of the first row of a table, as Datasette builds it from the primary key."""
    conn = sqlite3.connect(db)
    try:
        info = conn.execute(f"pragma table_info([{table}])").fetchall()
        pks = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        columns = ", ".join(f"[{c}]" for c in pks)
        values = conn.execute(f"select {columns} from [{table}] limit 1").fetchone()
    finally:
        conn.close()
    return ",".join(tilde_encode(str(v)) for v in values)


def _parameters(sql: str) -> list[str]:
    return sorted(set(re.findall(r"(?<!:):([a-z_]+)", sql)))


async def test_every_page_returns_200(ds: Any, built_db: Path) -> None:
    """The home page, every table and view, every canned query and a row of every table."""
    paths = ["/", "/paradecat", "/-/search?q=Барыс", "/-/dashboards", "/-/dashboards/overview"]
    for name, kind in _relations(built_db):
        paths.append(f"/paradecat/{name}")
        if kind == "table":
            paths.append(f"/paradecat/{name}/{_first_row_path(built_db, name)}")
    for name, query in QUERIES.items():
        paths.append(f"/paradecat/{name}")
        params = "&".join(f"{p}=KZ" for p in _parameters(query["sql"]))
        paths.append(f"/paradecat/{name}.json?{params}")
    failures = []
    for path in paths:
        response = await ds.client.get(path)
        if response.status_code != 200:
            failures.append((path, response.status_code))
    assert failures == []
    assert len(paths) > 40


def test_at_least_eight_canned_queries_each_with_a_title_and_description() -> None:
    assert len(QUERIES) >= 8
    for name, query in QUERIES.items():
        assert query.get("title") and query.get("description"), name
        # named parameters only: no positional placeholders, no string building
        assert "?" not in query["sql"] and "{" not in query["sql"], name
    for wanted in (
        "systems_by_parade",
        "contingents_by_country",
        "disputed_facts_with_sources",
        "systems_produced_in_kazakhstan",
        "search_all_names",
        "parades_of_a_country",
    ):
        assert wanted in QUERIES, wanted


HOSTILE = ["' or '1'='1", "KZ' --", '"', "x'); drop table systems; --", "*", "NEAR(", "%"]


@pytest.mark.parametrize("value", HOSTILE)
async def test_parameterised_queries_treat_input_as_data(ds: Any, value: str) -> None:
    for name, query in QUERIES.items():
        params = _parameters(query["sql"])
        if not params:
            continue
        response = await ds.client.get(
            f"/paradecat/{name}.json", params={**dict.fromkeys(params, value), "_shape": "array"}
        )
        assert response.status_code == 200, (name, value, response.text[:300])
        rows = response.json()
        # a "'1'='1" that reached the SQL would return every row
        if name != "search_all_names":
            assert rows == [], (name, value)
    response = await ds.client.get("/paradecat/systems.json?_shape=array")
    assert len(response.json()) > 10  # and the table is still there


async def test_canned_queries_answer(ds: Any) -> None:
    async def rows(name: str, **params: str) -> list[dict[str, Any]]:
        response = await ds.client.get(
            f"/paradecat/{name}.json", params={**params, "_shape": "array"}
        )
        assert response.status_code == 200, response.text
        result: list[dict[str, Any]] = response.json()
        return result

    astana = await rows("systems_by_parade", parade="2025-05-07-astana")
    assert {"barys", "tor-m2k"} <= {r["system_id"] for r in astana}
    assert {r["parade_id"] for r in astana} == {"2025-05-07-astana"}
    kz = await rows("contingents_by_country", country="Kazakhstan")
    assert kz and {r["code"] for r in kz} == {"KZ"}
    made_in_kz = {r["system_id"] for r in await rows("systems_produced_in_kazakhstan")}
    assert {"barys", "arlan"} <= made_in_kz and "tor-m2k" not in made_in_kz
    for query in ("Барыс", "Barys", "Бар", "Террекс"):
        found = await rows("search_all_names", q=query)
        assert found and found[0]["kind"] == "system", query
    # a person is an entry now: the id is the person's, and search finds every script's name
    for query in ("Тоқаев", "Токаев", "Tokayev"):
        found = await rows("search_all_names", q=query)
        people = [(r["id"], r["name"]) for r in found if r["kind"] == "person"]
        assert people == [("kassym-jomart-tokayev", "Kassym-Jomart Tokayev")], query
    marched = await rows("parades_of_a_country", country="KZ")
    assert {"2025-05-09-moscow-red-square", "2025-05-07-astana"} <= {
        r["parade_id"] for r in marched
    }


async def test_catalogue_wide_lists_are_tables_worked_out_by_the_build(
    ds: Any, built_db: Path
) -> None:
    """first_showings and parade_counts_over_time were 1,000-row canned queries worked out on every
    view; the build works them out once, and their pages paginate. Each agrees with the tables."""
    conn = sqlite3.connect(built_db)
    conn.row_factory = sqlite3.Row
    earliest: dict[str, str] = {}
    for system, date in conn.execute(
        "select a.system_id, p.date from appearances a join parades p on p.id = a.parade_id"
    ):
        earliest[system] = min(date, earliest.get(system, date))
    firsts = {r["system_id"]: r["date"] for r in conn.execute("select * from first_showings")}
    assert firsts == earliest and len(firsts) > 100
    counts = {r["parade_id"]: r for r in conn.execute("select * from parade_counts_over_time")}
    assert set(counts) == {r[0] for r in conn.execute("select id from parades")}
    for parade, n in conn.execute("select parade_id, count(*) from contingents group by parade_id"):
        assert counts[parade]["contingents"] == n, parade
    assert {"over 4,000", "over 11,500"} <= {r["personnel_text"] for r in counts.values()}
    shown = conn.execute("select count(*) from parade_systems").fetchone()[0]
    assert shown == conn.execute("select count(*) from appearances").fetchone()[0]
    conn.close()
    for name in ("first_showings", "parade_counts_over_time", "parade_systems"):
        page = await ds.client.get(f"/paradecat/{name}.json?_size=10")
        assert page.status_code == 200, name
        body = page.json()
        assert len(body["rows"]) == 10 and body["next"], name  # paginated, not a 1,000-row page


def test_facets_and_labels_are_declared() -> None:
    facets = {f for meta in TABLES_META.values() for f in meta.get("facets", [])}
    for column in ("category", "class", "country", "segment", "identification", "year"):
        assert column in facets, column
    assert any(f == "qualifier" or f.endswith("_qualifier") for f in facets)
    for table in ("systems", "parades", "units", "sources", "countries"):
        assert TABLES_META[table].get("label_column"), table
    assert TABLES_META["parades"]["sort_desc"] == "date"


async def test_home_page_lists_every_table_and_query_and_offers_search(
    ds: Any, built_db: Path
) -> None:
    html = (await ds.client.get("/")).text
    for name, _ in _relations(built_db):
        assert f'href="/paradecat/{name}"' in html, name
        description = TABLES_META[name]["description"].split(".")[0]
        assert description.replace('"', "&#34;") in html, name
    for name in QUERIES:
        assert f'href="/paradecat/{name}"' in html, name
    assert 'action="/-/search"' in html
    for text in ("Cite as", "Contribute", "/-/dashboards/overview"):
        assert text in html


async def test_system_page_shows_names_parades_and_sources(ds: Any) -> None:
    html = (await ds.client.get("/paradecat/systems/barys")).text
    for name in ("Barys", "Барыс"):
        assert name in html
    assert 'href="/paradecat/parades/2025-05-07-astana"' in html
    assert "“Barys”" in html and "pc-reported" in html  # reported_as and identification
    assert 'href="/paradecat/countries/KZ"' in html and "Produced in" in html
    external = re.findall(r'<a class="pc-external" href="([^"]+)" rel="([^"]+)"', html)
    assert len(external) >= 4
    for url, rel in external:
        assert url.startswith(("http://", "https://")) and rel == "noopener nofollow"
    assert 'href="/paradecat/sources/orda-kpe-trial-operation"' in html


async def test_parade_page_shows_counts_contingents_appearances_and_disputes(ds: Any) -> None:
    html = (await ds.client.get("/paradecat/parades/2025-05-07-astana")).text
    assert "over 4,000" in html and "over 200" in html
    assert 'href="/paradecat/systems/tor-m2k"' in html and "“Tor”" in html
    disputes = html.split('id="disputed"', 1)[1].split('id="contingents"', 1)[0]
    # both sides: the accepted count's source and the claim's source
    assert "4,500" in disputes and "over 4,000" in disputes
    assert 'href="/paradecat/sources/baigenews-parade-preview"' in disputes
    assert 'href="/paradecat/sources/qazinform-2025-05-07-live"' in disputes
    assert "2025-05-08" in disputes and "deprecated" in disputes
    moscow = (await ds.client.get("/paradecat/parades/2025-05-09-moscow-red-square")).text
    contingents = moscow.split('id="contingents"', 1)[1].split('id="appearances"', 1)[0]
    assert contingents.count("<tr>") >= 13
    assert 'href="/paradecat/countries/KZ"' in contingents
    assert 'href="/paradecat/units/37th-air-assault-brigade"' in contingents


async def test_foreign_keys_are_links_with_labels_on_every_row_page(
    ds: Any, built_db: Path
) -> None:
    conn = sqlite3.connect(built_db)
    try:
        [(first,)] = conn.execute(
            "select min(id) from appearances where parade_id = '2025-05-07-astana'"
        ).fetchall()
    finally:
        conn.close()
    html = (await ds.client.get(f"/paradecat/appearances/{first}")).text
    assert re.search(r'<a href="/paradecat/parades/2025-05-07-astana">Astana Victory Parade', html)
    assert re.search(r'<a href="/paradecat/systems/[a-z0-9-]+">', html)
    html = (await ds.client.get("/paradecat/units/37th-air-assault-brigade")).text
    assert '<a href="/paradecat/countries/KZ">Kazakhstan</a>' in html
    # citations and claims name their entry by kind and id; that is a link too
    html = (await ds.client.get("/paradecat/claims?field=personnel")).text
    assert '<a href="/paradecat/parades/2025-05-07-astana">' in html
    html = (await ds.client.get("/paradecat/disputed_facts?entity_id=2025-05-07-astana")).text
    assert '<a href="/paradecat/sources/baigenews-parade-preview">' in html


async def test_source_urls_are_outside_links(ds: Any) -> None:
    html = (await ds.client.get("/paradecat/sources")).text
    links = re.findall(r'<td class="col-url[^"]*"><a href="([^"]+)" rel="([^"]+)"', html)
    assert len(links) >= 20
    assert all(url.startswith("http") and rel == "noopener nofollow" for url, rel in links)


async def test_assets_are_served_locally(ds: Any) -> None:
    pages = ["/", "/paradecat/parades", "/-/dashboards/overview", "/paradecat/systems/barys"]
    assets: set[str] = set()
    for page in pages:
        html = (await ds.client.get(page)).text
        assert not re.search(r'<script[^>]+src="(https?:)?//', html), page
        assert not re.search(r'<link[^>]+href="(https?:)?//[^"]+\.css', html), page
        assets |= set(re.findall(r'(?:src|href)="(/-/static[^"?]+)', html))
    for name in ("leaflet", "datasette-cluster-map", "vega-lite", "paradecat.css"):
        assert any(name in a for a in assets), name
    # Leaflet is loaded by the cluster map's script from this URL, not from a CDN
    body = (await ds.client.get("/paradecat/parades")).text
    assert "unpkg.com" not in body and "/-/static-plugins/datasette-leaflet/" in body
    for asset in assets:
        assert (await ds.client.get(asset)).status_code == 200, asset


def test_count_phrases_spell_out_qualifiers() -> None:
    assert count_phrase(4000, "over") == "over 4,000"
    assert count_phrase(66, "exact") == "66"
    assert count_phrase(11500, None) == "11,500"
    assert count_phrase("200", "at_least") == "at least 200"
    assert count_phrase(None, "about") == ""
    assert count_phrase("2025-05-08", None) == "2025-05-08"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"


async def test_data_is_escaped_and_only_http_links_are_rendered(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Text from the catalogue is never markup, and a non-http URL is never a link."""
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    systems = dict(catalog.systems)
    systems["barys"] = systems["barys"].model_copy(
        update={"description": attack, "manufacturer": attack, "notes": attack}
    )
    sources = dict(catalog.sources)
    source_id = systems["barys"].sources[0]
    sources[source_id] = sources[source_id].model_copy(
        update={"url": "javascript:alert(1)", "title": attack}
    )
    parades = dict(catalog.parades)
    parades["2025-05-07-astana"] = parades["2025-05-07-astana"].model_copy(
        update={"name": attack, "notes": attack}
    )
    db = build_database(
        dataclasses.replace(catalog, systems=systems, sources=sources, parades=parades),
        tmp_path / "hostile.db",
    )
    datasette = make_datasette(db, METADATA)
    pages = ["/paradecat/systems/barys", "/paradecat/parades/2025-05-07-astana", "/"]
    pages += [f"/paradecat/sources/{source_id}", "/paradecat/sources", "/paradecat/systems"]
    for path in pages:
        html = (await datasette.client.get(path)).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert 'href="javascript:' not in html, path
    html = (await datasette.client.get("/paradecat/systems/barys")).text
    assert "&lt;script&gt;alert(" in html
