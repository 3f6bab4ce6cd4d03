"""The catalogue served by a real in-process Datasette, configured as `paradecat serve` runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from paradecat.site.serve import SETTINGS, make_datasette

from .conftest import METADATA

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


async def test_home_page_lists_the_tables(ds: Any) -> None:
    response = await ds.client.get("/")
    assert response.status_code == 200
    assert "paradecat" in response.text
    response = await ds.client.get("/paradecat")
    for table in ("parades", "systems", "appearances", "contingents", "sources", "claims"):
        assert f'href="/paradecat/{table}"' in response.text


async def test_every_table_and_view_returns_200(ds: Any, built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    for name in [*db.table_names(), *db.view_names()]:
        response = await ds.client.get(f"/paradecat/{name}.json")
        assert response.status_code == 200, name


async def test_settings_are_applied(ds: Any) -> None:
    response = await ds.client.get("/-/settings.json")
    settings = response.json()
    assert settings["suggest_facets"] is False
    assert settings["sql_time_limit_ms"] == SETTINGS["sql_time_limit_ms"]


async def test_database_is_immutable(ds: Any) -> None:
    response = await ds.client.get("/-/databases.json")
    [database] = response.json()  # the catalogue, and nothing else
    assert database["name"] == "paradecat"
    assert database["is_mutable"] is False


async def test_full_text_search_through_datasette(ds: Any) -> None:
    for query, expected in (("Барыс", "barys"), ("Barys", "barys"), ("Тор", "tor-m2k")):
        response = await ds.client.get(f"/paradecat/systems.json?_search={query}&_shape=array")
        assert expected in [row["id"] for row in response.json()], query


async def test_declared_facets_and_labels(ds: Any) -> None:
    response = await ds.client.get("/paradecat/systems.json?_extra=facet_results")
    assert response.status_code == 200
    facets = response.json()["facet_results"]
    assert {"category", "class"} <= set(facets)
    response = await ds.client.get("/paradecat/appearances?parade_id=2025-05-07-astana&_size=5")
    # foreign keys are shown with the label column of the table they point at
    assert "Tor-M2K" in response.text or "Barys" in response.text


async def test_arbitrary_read_only_sql_is_allowed(ds: Any) -> None:
    response = await ds.client.get(
        "/paradecat.json?sql=select+count(*)+as+n+from+systems&_shape=array"
    )
    assert response.status_code == 200
    assert response.json()[0]["n"] > 0


async def test_writes_are_refused(ds: Any) -> None:
    response = await ds.client.get("/paradecat.json?sql=delete+from+systems")
    assert response.status_code == 400


async def test_parades_are_newest_first(ds: Any) -> None:
    response = await ds.client.get("/paradecat/parades.json?_shape=array")
    dates = [row["date"] for row in response.json()]
    assert dates == sorted(dates, reverse=True)


async def test_row_pages(ds: Any) -> None:
    for path in (
        "/paradecat/systems/tor-m2k",
        "/paradecat/parades/2025-05-07-astana",
        "/paradecat/units/37th-air-assault-brigade",
    ):
        response = await ds.client.get(path)
        assert response.status_code == 200, path
