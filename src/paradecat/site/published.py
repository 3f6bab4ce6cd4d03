"""Datasette for a published catalogue: while it runs, neither its database nor its metadata change.

Datasette 0.65 asks SQLite for the table names, the hidden tables and each table's columns,
keys, label column and full-text table on every page, each a query on a thread of its own: a
row page asks about twenty times, and a search-all menu link (on every HTML page) asked
about ten times more. And each check of a table's permissions copies the whole metadata
(`copy.deepcopy`, 0.65.5's fix for table-name aliases), three to five times a page; with the
descriptions of every column in metadata.yml that was a quarter of a row page's time.

`paradecat serve` opens the database immutable and reads metadata.yml once, so the answers
cannot change while it runs: each is kept after it is first worked out. Callers get a copy of
what is kept, so a caller that changes what it got changes nothing here.
"""

from __future__ import annotations

import pickle
from collections.abc import Awaitable, Callable
from typing import Any

from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

# Database's methods that answer from the schema (and from the metadata) alone.
SCHEMA_METHODS = (
    "attached_databases",
    "table_exists",
    "table_names",
    "view_names",
    "hidden_table_names",
    "table_columns",
    "table_column_details",
    "primary_keys",
    "fts_table",
    "label_column_for_table",
    "foreign_keys_for_table",
    "get_all_foreign_keys",
    "get_table_definition",
    "get_view_definition",
)


def _copy(value: Any) -> Any:
    """A deep copy of lists and dicts of plain values (pickle: four times faster than deepcopy)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _kept(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """`method`, answering each set of arguments from memory after its first answer."""
    answers: dict[tuple[Any, ...], Any] = {}

    async def answer(*args: Any) -> Any:
        if args not in answers:
            answers[args] = await method(*args)
        return _copy(answers[args])

    answer.__doc__ = method.__doc__
    return answer


def keep_schema_answers(db: Database) -> None:
    """Make `db` answer each schema question from memory after it is first asked."""
    if not getattr(db, "_paradecat_keeps_schema", False):
        for name in SCHEMA_METHODS:
            setattr(db, name, _kept(getattr(db, name)))
        db._paradecat_keeps_schema = True


class ImmutableDatabase(Database):  # type: ignore[misc]
    """An immutable database whose schema questions are each asked of SQLite once."""

    def __init__(self, ds: Datasette, path: str) -> None:
        super().__init__(ds, path=path, is_mutable=False)
        keep_schema_answers(self)


# Plugins whose permission_allowed answers from the actor, the action, the resource, the
# settings and the metadata alone (Datasette's own); with any other, no answer is kept.
STATIC_PERMISSION_PLUGINS = frozenset({"datasette.default_permissions"})


class PublishedDatasette(Datasette):  # type: ignore[misc]
    """Datasette whose databases are immutable and whose metadata is the one it started with.

    It keeps what it works out from those alone: each table's permission rules and each
    plugin's configuration from the metadata, the anonymous visitor's permissions, and the
    schemas of its databases. A plugin with the `get_metadata` hook could change the metadata
    from one request to the next, one with `permission_allowed` could answer from anything:
    with one installed, nothing is kept of that kind. Permission checks answered from memory
    are not added to /-/permissions.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._start_keeping()

    def _start_keeping(self) -> None:
        """Nothing kept yet (also for a plain Datasette made into this class by adopt())."""
        self._kept_from_metadata: dict[tuple[Any, ...], Any] = {}
        self._kept_permissions: dict[tuple[Any, ...], Any] = {}
        self._schemas_kept_for: tuple[str, ...] | None = None

    async def permission_allowed(
        self, actor: Any, action: str, resource: Any = None, default: Any = False
    ) -> Any:
        plugins = {impl.plugin_name for impl in pm.hook.permission_allowed.get_hookimpls()}
        if actor is not None or not plugins <= STATIC_PERMISSION_PLUGINS:
            return await super().permission_allowed(actor, action, resource, default)
        key = (action, resource, default)
        if key not in self._kept_permissions:
            self._kept_permissions[key] = await super().permission_allowed(
                actor, action, resource, default
            )
        return self._kept_permissions[key]

    async def _refresh_schemas(self) -> None:
        """Datasette's schema tables, brought up to date once for an unchanged set of files."""
        names = tuple(self.databases)
        if names == self._schemas_kept_for:
            return
        await super()._refresh_schemas()
        if all(
            db.is_mutable is False for name, db in self.databases.items() if name != "_internal"
        ):
            self._schemas_kept_for = names
            # Datasette's own database of schemas is now complete, and stays as it is: its tables
            # are asked about on every page too
            keep_schema_answers(self.databases["_internal"])

    def _from_metadata(self, key: tuple[Any, ...], work_out: Callable[[], Any]) -> Any:
        """A copy of work_out()'s answer, kept under key unless a plugin can change the metadata."""
        if pm.hook.get_metadata.get_hookimpls():
            return work_out()
        if key not in self._kept_from_metadata:
            self._kept_from_metadata[key] = work_out()
        return _copy(self._kept_from_metadata[key])

    def _table_permission_allows(self, database: str, table: str) -> Any:
        return self._from_metadata(
            ("allows", database, table),
            lambda: super(PublishedDatasette, self)._table_permission_allows(database, table),
        )

    def plugin_config(
        self,
        plugin_name: str,
        database: str | None = None,
        table: str | None = None,
        fallback: bool = True,
    ) -> Any:
        """A plugin's configuration from the metadata (its `$env` and `$file` values read once).

        datasette-render-markdown asks for its configuration for every cell of every table page:
        a thousand times for a page of 50 parades, each a walk through the metadata.
        """
        return self._from_metadata(
            ("plugin_config", plugin_name, database, table, fallback),
            lambda: super(PublishedDatasette, self).plugin_config(
                plugin_name, database, table, fallback
            ),
        )


def adopt(datasette: Datasette) -> None:
    """Make a Datasette started by `datasette serve` (the image that `datasette publish` builds
    for Fly and Cloud Run) keep what it works out, as `paradecat serve`'s does, once every
    database it serves is immutable (`-i`). With a mutable one it is left as it is."""
    served = [db for name, db in datasette.databases.items() if name != "_internal"]
    if isinstance(datasette, PublishedDatasette) or any(db.is_mutable for db in served):
        return
    datasette.__class__ = PublishedDatasette
    datasette._start_keeping()
    for db in served:
        keep_schema_answers(db)
