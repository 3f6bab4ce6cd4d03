"""The home page: the catalogue itself (the latest parades, the systems shown most often, a map,
browsing by country and by year, search), then the tables for analysts.

Everything on it is derived from the database with SQL once per database file and kept: the
published database is immutable, so the home page costs no query per visit.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from typing import Any

from ..db.dates import human_date
from .rows import Row, _rows

DATABASE = "paradecat"
# The tables a reader starts from, in the order the analysts' list gives them; the rest follow A-Z.
MAIN_TABLES = ("parades", "systems", "appearances", "contingents", "units", "sources", "claims")
CARDS = 6  # parades and systems shown as cards
COUNTRIES = 24  # host countries listed; the countries table has them all

_CACHE: dict[tuple[str, int, int, str], Any] = {}


async def cached(
    db: Any, name: str, compute: Callable[[sqlite3.Connection], Any], *, keep_none: bool = True
) -> Any:
    """compute(conn) for this database file, worked out once: the published file never changes.

    Counting every table on every visit made the home page the slowest page under load, and a
    view's count that ran past the time limit turned it into an error. With keep_none=False an
    answer of None is not kept, so that names that do not exist cannot fill the memory.
    """
    if db.is_mutable or not db.path:
        return await db.execute_fn(compute)
    stat = os.stat(db.path)
    key = (db.path, stat.st_mtime_ns, stat.st_size, name)  # the file itself, not an object id
    if key not in _CACHE:
        answer = await db.execute_fn(compute)
        if answer is None and not keep_none:
            return None
        _CACHE[key] = answer
    return _CACHE[key]


_LATEST_SQL = """
select p.id, p.name, p.date, p.city, p.country, c.name as country_name,
       (select count(distinct a.system_id) from appearances a where a.parade_id = p.id) as systems,
       (select count(*) from contingents ct where ct.parade_id = p.id) as contingents
from parades p join countries c on c.code = p.country
order by p.date desc, p.id limit :limit"""

_NOTABLE_SQL = """
select s.id, s.name, s.category, count(distinct a.parade_id) as parades,
       (select group_concat(name, ', ') from (
          select co.name from system_countries sc join countries co on co.code = sc.country
          where sc.system_id = s.id and sc.role = 'origin' order by co.name)) as origin
from appearances a join systems s on s.id = a.system_id
group by s.id order by parades desc, s.name limit :limit"""


def catalogue(conn: sqlite3.Connection) -> dict[str, Any]:
    """What the home page shows of the catalogue itself."""
    latest = _rows(conn, _LATEST_SQL, {"limit": CARDS})
    for parade in latest:
        parade["date_text"] = human_date(parade["date"])
    notable = _rows(conn, _NOTABLE_SQL, {"limit": CARDS})
    for system in notable:
        system["category_text"] = (system["category"] or "").replace("_", " ")
    hosts = _rows(
        conn,
        """select p.country as code, c.name, count(*) as parades from parades p
           join countries c on c.code = p.country group by p.country
           order by parades desc, c.name""",
        {},
    )
    years = _rows(
        conn, "select year, count(*) as parades from parades group by year order by year desc", {}
    )
    [(located, unlocated)] = conn.execute(
        "select count(latitude), count(*) - count(latitude) from parades"
    ).fetchall()
    return {
        "latest": latest,
        "notable": notable,
        "hosts": hosts[:COUNTRIES],
        "hosts_total": len(hosts),
        "years": years,
        "located": located,
        "unlocated": unlocated,
    }


def _tables(names: list[str], views: list[str]) -> Callable[[sqlite3.Connection], list[Row]]:
    def count(conn: sqlite3.Connection) -> list[Row]:
        return [
            {
                "name": n,
                "kind": kind,
                "count": conn.execute(f"select count(*) from [{n}]").fetchone()[0],
            }
            for kind, group in (("table", names), ("view", views))
            for n in group
        ]

    return count


async def context(datasette: Any, request: Any) -> dict[str, Any]:
    """The home page's variables: the catalogue, the map's settings, every table and view with
    its description and row count, and every canned query."""
    if DATABASE not in datasette.databases:
        return {}
    db = datasette.get_database(DATABASE)
    hidden = set(await db.hidden_table_names())
    tables = [t for t in await db.table_names() if t not in hidden]
    tables.sort(key=lambda t: (MAIN_TABLES.index(t) if t in MAIN_TABLES else len(MAIN_TABLES), t))
    views = await db.view_names()
    counted = await cached(db, "tables", _tables(tables, views))
    listed = [
        {**t, "description": datasette.table_metadata(DATABASE, t["name"]).get("description")}
        for t in counted
    ]
    actor = request.actor if request is not None else None
    queries = list((await datasette.get_canned_queries(DATABASE, actor)).values())
    return {
        "site_tables": listed,
        "site_queries": queries,
        "site_database": DATABASE,
        "site": await cached(db, "catalogue", catalogue),
        "site_map": map_settings(datasette),
    }


def map_settings(datasette: Any) -> dict[str, Any]:
    """The map's background tiles, as datasette-cluster-map is configured in metadata.yml."""
    config = datasette.plugin_config("datasette-cluster-map") or {}
    return {
        "tile_layer": config.get("tile_layer", ""),
        "tile_layer_options": config.get("tile_layer_options", {}),
    }
