"""What `paradecat serve` keeps in memory gives the answers Datasette would work out each time.

paradecat.site.published keeps the schema of the immutable database, each table's permission rules
and the anonymous visitor's permissions, and brings Datasette's schema tables up to date once.
These tests compare every kept answer with Datasette's own, show that a kept answer cannot be
changed by a caller, that a plugin that could answer differently turns the keeping off, and
that a row page asked for again reaches SQLite only for data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from datasette import hookimpl
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from paradecat.site.published import SCHEMA_METHODS, ImmutableDatabase, PublishedDatasette
from paradecat.site.serve import DATABASE_NAME, load_metadata, make_datasette

from .conftest import METADATA

NO_ARGUMENT = {
    "attached_databases",
    "table_names",
    "view_names",
    "hidden_table_names",
    "get_all_foreign_keys",
}


def _relations(db: Path) -> tuple[list[str], list[str]]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        views = [r[0] for r in conn.execute("select name from sqlite_master where type='view'")]
    finally:
        conn.close()
    return tables, views


def _calls(db: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Every schema question, with every table (and view) it can be asked about."""
    tables, views = _relations(db)
    calls: list[tuple[str, tuple[str, ...]]] = []
    for name in SCHEMA_METHODS:
        if name in NO_ARGUMENT:
            calls.append((name, ()))
        elif name == "get_view_definition":
            calls += [(name, (view,)) for view in views]
        elif name == "get_table_definition":
            calls += [(name, (table,)) for table in tables]
        else:
            calls += [(name, (relation,)) for relation in [*tables, *views, "no_such_table"]]
    return calls


@pytest.fixture
async def pair(built_db: Path) -> tuple[Any, Any]:
    """The site as served, and plain Datasette on the same file with the same metadata."""
    ours = make_datasette(built_db, METADATA)
    await ours.invoke_startup()
    plain = Datasette(metadata=load_metadata(METADATA))
    plain.add_database(Database(plain, path=str(built_db), is_mutable=False), name=DATABASE_NAME)
    await plain.invoke_startup()
    return ours, plain


async def test_every_schema_answer_is_datasettes(pair: tuple[Any, Any], built_db: Path) -> None:
    ours, plain = pair
    kept, asked = ours.get_database(DATABASE_NAME), plain.get_database(DATABASE_NAME)
    assert isinstance(kept, ImmutableDatabase)
    calls = _calls(built_db)
    assert len(calls) > 100
    for round_ in ("first", "kept"):
        for name, args in calls:
            expected = await getattr(asked, name)(*args)
            assert await getattr(kept, name)(*args) == expected, (round_, name, args)


async def test_each_schema_question_reaches_sqlite_once(built_db: Path) -> None:
    ds = make_datasette(built_db, METADATA)
    db = ds.get_database(DATABASE_NAME)
    queries: list[Any] = []
    execute_fn = db.execute_fn

    async def counted(fn: Any) -> Any:
        queries.append(fn)
        return await execute_fn(fn)

    db.execute_fn = counted
    calls = _calls(built_db)
    for name, args in calls:
        await getattr(db, name)(*args)
    first = len(queries)
    assert first >= len(calls) // 2  # the first round asked SQLite
    for name, args in calls:
        await getattr(db, name)(*args)
    assert len(queries) == first


async def test_a_caller_that_changes_an_answer_changes_nothing_kept(built_db: Path) -> None:
    db = make_datasette(built_db, METADATA).get_database(DATABASE_NAME)
    names = await db.table_names()
    names.append("invented")
    keys = await db.get_all_foreign_keys()
    keys["appearances"]["outgoing"].clear()
    columns = await db.table_columns("parades")
    columns[0] = "invented"
    assert "invented" not in await db.table_names()
    assert (await db.get_all_foreign_keys())["appearances"]["outgoing"]
    assert (await db.table_columns("parades"))[0] == "id"


ACTIONS = [
    ("view-instance", None),
    ("view-database", DATABASE_NAME),
    ("view-database", "_internal"),
    ("execute-sql", DATABASE_NAME),
    ("view-query", (DATABASE_NAME, "systems_by_parade")),
    ("permissions-debug", None),
    ("debug-menu", None),
]


def _metadata_denying(table: str) -> dict[str, Any]:
    metadata = load_metadata(METADATA)
    metadata["databases"][DATABASE_NAME]["tables"][table]["allow"] = {"id": "root"}
    return metadata


@pytest.mark.parametrize("actor", [None, {"id": "root"}, {"id": "reader"}])
async def test_permissions_are_datasettes_and_follow_the_metadata(
    built_db: Path, actor: dict[str, str] | None
) -> None:
    metadata = _metadata_denying("claims")
    ours = PublishedDatasette(metadata=metadata)
    ours.add_database(ImmutableDatabase(ours, str(built_db)), name=DATABASE_NAME)
    plain = Datasette(metadata=metadata)
    plain.add_database(Database(plain, path=str(built_db), is_mutable=False), name=DATABASE_NAME)
    tables, _ = _relations(built_db)
    checks = ACTIONS + [("view-table", (DATABASE_NAME, t)) for t in tables]
    for _ in range(2):
        for action, resource in checks:
            expected = await plain.permission_allowed(actor, action, resource, default=True)
            got = await ours.permission_allowed(actor, action, resource, default=True)
            assert got == expected, (actor, action, resource)
    if actor is None or actor["id"] != "root":
        claims = (DATABASE_NAME, "claims")
        assert await ours.permission_allowed(actor, "view-table", claims, default=True) is False


class Switch:
    """A permission plugin whose answer changes while the server runs."""

    __name__ = "test_switch"  # Datasette lists plugins by their module's name

    def __init__(self) -> None:
        self.allow = True

    @hookimpl
    def permission_allowed(self, actor: Any, action: str, resource: Any) -> bool | None:
        return self.allow if action == "view-table" else None


@pytest.fixture
def switch() -> Iterator[Switch]:
    plugin = Switch()
    pm.register(plugin, name="test-switch")
    try:
        yield plugin
    finally:
        pm.unregister(name="test-switch")


async def test_a_permission_plugin_turns_the_keeping_off(built_db: Path, switch: Switch) -> None:
    ds = make_datasette(built_db, METADATA)
    resource = (DATABASE_NAME, "systems")
    assert await ds.permission_allowed(None, "view-table", resource) is True
    switch.allow = False
    assert await ds.permission_allowed(None, "view-table", resource) is False
    response = await ds.client.get("/paradecat/systems")
    assert response.status_code == 403


async def test_a_row_page_asked_again_reaches_sqlite_only_for_data(built_db: Path) -> None:
    ds = make_datasette(built_db, METADATA)
    await ds.invoke_startup()
    sql: list[str] = []
    for db in ds.databases.values():
        execute = db.execute

        async def recorded(query: str, *args: Any, _execute: Any = execute, **kwargs: Any) -> Any:
            sql.append(query)
            return await _execute(query, *args, **kwargs)

        db.execute = recorded
    conn = sqlite3.connect(built_db)
    parades = [r[0] for r in conn.execute("select id from parades order by id")]
    conn.close()
    assert len(parades) >= 2
    first = await ds.client.get(f"/paradecat/parades/{parades[0]}")
    assert first.status_code == 200
    asked_first = list(sql)
    sql.clear()
    again = await ds.client.get(f"/paradecat/parades/{parades[1]}")
    assert again.status_code == 200
    assert 'class="pc-page pc-parade"' in again.text
    schema = [q for q in sql if "sqlite_master" in q.lower() or "pragma" in q.lower()]
    assert any("sqlite_master" in q.lower() or "pragma" in q.lower() for q in asked_first)
    assert schema == []
    assert sql  # the row itself, and the counts of rows linking to it


async def test_plugin_configuration_is_datasettes_and_cannot_be_changed_by_a_caller(
    built_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARADECAT_TEST_SECRET", "from the environment")
    metadata = load_metadata(METADATA)
    metadata["plugins"] = {
        "example": {"level": "instance", "key": {"$env": "PARADECAT_TEST_SECRET"}}
    }
    database = metadata["databases"][DATABASE_NAME]
    database["plugins"] = {"example": {"level": "database"}}
    database["tables"]["systems"]["plugins"] = {"example": {"level": "table", "list": [1, 2]}}
    ours, plain = PublishedDatasette(metadata=metadata), Datasette(metadata=metadata)
    asks = [
        (plugin, database_name, table, fallback)
        for plugin in ("example", "datasette-render-markdown")
        for database_name, table in (
            (None, None),
            (DATABASE_NAME, None),
            (DATABASE_NAME, "systems"),
        )
        for fallback in (True, False)
    ]
    for _ in range(2):
        for ask in asks:
            assert ours.plugin_config(*ask) == plain.plugin_config(*ask), ask
    assert ours.plugin_config("example")["key"] == "from the environment"
    ours.plugin_config("example", DATABASE_NAME, "systems")["list"].append(3)
    assert ours.plugin_config("example", DATABASE_NAME, "systems")["list"] == [1, 2]


async def test_datasette_serve_keeps_what_an_immutable_database_cannot_change(
    built_db: Path, tmp_path: Path
) -> None:
    """The image `datasette publish` builds runs `datasette serve -i`, not `paradecat serve`:
    the plugin's startup makes it keep the same answers; a mutable database is left alone."""
    plain = Datasette(immutables=[str(built_db)], metadata=load_metadata(METADATA))
    await plain.invoke_startup()
    assert isinstance(plain, PublishedDatasette)
    db = plain.get_database(DATABASE_NAME)
    kept = await db.table_names()
    kept.append("changed by a caller")
    assert await db.table_names() == _relations(built_db)[0]  # each caller gets its own copy
    page = await plain.client.get("/paradecat/systems/tor-m2k", follow_redirects=True)
    assert page.status_code == 200 and "Tor-M2K" in page.text
    copy = tmp_path / "mutable.db"
    copy.write_bytes(built_db.read_bytes())
    mutable = Datasette([str(copy)])
    await mutable.invoke_startup()
    assert not isinstance(mutable, PublishedDatasette)
