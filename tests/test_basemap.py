"""The parades map's background tiles, served locally from the installed basemap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paradecat.site import basemap
from paradecat.site.serve import make_datasette

from .conftest import METADATA

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


@pytest.mark.parametrize("path", ["/-/basemap/0/0/0.png", "/-/basemap/6/44/20.png"])
async def test_tiles_are_served_as_png(ds: Any, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG)


@pytest.mark.parametrize(
    "path", ["/-/basemap/7/0/0.png", "/-/basemap/2/4/0.png", "/-/basemap/1/0/2.png"]
)
async def test_tiles_outside_the_basemap_are_404(ds: Any, path: str) -> None:
    assert (await ds.client.get(path)).status_code == 404


def test_rows_are_flipped_from_tms_to_xyz() -> None:
    # at zoom 1 the northern tiles (y=0) and the southern ones (y=1) differ
    north, south = basemap.tile(1, 0, 0), basemap.tile(1, 0, 1)
    assert north and south and north != south


async def test_the_basemap_file_is_not_published_as_a_database(ds: Any) -> None:
    names = [db["name"] for db in (await ds.client.get("/-/databases.json")).json()]
    assert names == ["paradecat"]
    assert (await ds.client.get("/basemap.json")).status_code == 404


async def test_the_map_uses_the_local_tiles(ds: Any) -> None:
    html = (await ds.client.get("/paradecat/parades")).text
    assert '"/-/basemap/{z}/{x}/{y}.png"' in html
    assert "tile.openstreetmap.org" not in html


async def test_a_404_prints_nothing(ds: Any, capfd: pytest.CaptureFixture[str]) -> None:
    assert (await ds.client.get("/paradecat/no_such_table")).status_code == 404
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
