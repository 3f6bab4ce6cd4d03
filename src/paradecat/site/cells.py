"""Cells: a foreign key shown as a link to the row it names, and a URL as an outside link.

Datasette 0.65 links foreign keys on table pages but not on row pages; this links them there too,
with the label of the row they point at. The database is immutable, so what the lookups find is
kept for the life of the process.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from datasette.utils import tilde_encode
from markupsafe import Markup

from . import questions
from .rows import safe_url

URL_COLUMNS = frozenset({"url", "archive_url", "claim_source_url"})
# citations and claims name their entry by kind and id, not by a declared foreign key
ENTITY_TABLES = {
    "system": "systems",
    "unit": "units",
    "parade": "parades",
    "source": "sources",
    "appearance": "appearances",
    "contingent": "contingents",
}
MAX_LABELS = 10_000

ForeignKeys = dict[str, tuple[str, str]]
_foreign_keys: dict[tuple[str, str], ForeignKeys] = {}
_labels: dict[tuple[str, str, str, str], str | None] = {}

# views have no declared foreign keys: the columns that name a row of a table
VIEW_LINKS = {
    ("parade_systems", "parade_id"): "parades",
    ("parade_systems", "system_id"): "systems",
    ("disputed_facts", "claim_source"): "sources",
}


def outside_link(url: str) -> Markup:
    """An http(s) URL as a link that passes no referrer rights and no ranking to the target."""
    return Markup('<a href="{}" rel="noopener nofollow">{}</a>').format(url, url)


async def _keys(db: Any, table: str) -> ForeignKeys:
    key = (str(db.path), table)
    if key not in _foreign_keys:
        found = await db.foreign_keys_for_table(table)
        _foreign_keys[key] = {fk["column"]: (fk["other_table"], fk["other_column"]) for fk in found}
    return _foreign_keys[key]


async def _label(db: Any, table: str, column: str, value: str) -> str | None:
    key = (str(db.path), table, column, value)
    if key not in _labels:
        if len(_labels) > MAX_LABELS:
            _labels.clear()
        label_column = await db.label_column_for_table(table)
        label = None
        if label_column and label_column != column:
            row = (
                await db.execute(
                    f"select [{label_column}] from [{table}] where [{column}] = :value",
                    {"value": value},
                )
            ).first()
            label = None if row is None or row[0] is None else str(row[0])
        _labels[key] = label
    return _labels[key]


async def _foreign_key_link(
    datasette: Any, database: str, table: str, column: str, value: Any
) -> Markup | None:
    db = datasette.get_database(database)
    target = (await _keys(db, table)).get(column)
    if target is None:
        return None
    other_table, other_column = target
    label = await _label(db, other_table, other_column, str(value))
    href = datasette.urls.row(database, other_table, tilde_encode(str(value)))
    if label and label != str(value):
        return Markup('<a href="{}">{}</a>&nbsp;<em>{}</em>').format(href, label, value)
    return Markup('<a href="{}">{}</a>').format(href, value)


def _entity_link(row: Any, value: Any, database: str, datasette: Any) -> Markup | None:
    try:
        table = ENTITY_TABLES.get(row["entity_type"])
    except (KeyError, IndexError, TypeError):
        return None
    if table is None:
        return None
    return _row_link(datasette, database, table, value)


def _row_link(datasette: Any, database: str, table: str, value: Any) -> Markup:
    """A link to the row of `table` whose key is `value`, named by the key."""
    href = datasette.urls.row(database, table, tilde_encode(str(value)))
    return Markup('<a href="{}">{}</a>').format(href, value)


def render(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | Awaitable[Markup | None] | None:
    """A cell's HTML, or None to leave it to Datasette."""
    if value is None or value == "" or isinstance(value, dict | bytes):
        return None  # a dict is a foreign key Datasette has already expanded (table pages)
    if table is None:  # a query's results
        if column == "entity_id":
            return _entity_link(row, value, database, datasette)
        named = questions.id_table(row, value, column)
        return None if named is None else _row_link(datasette, database, named, value)
    if column in URL_COLUMNS and isinstance(value, str):
        url = safe_url(value.strip())
        return outside_link(url) if url else None
    if column == "entity_id":
        return _entity_link(row, value, database, datasette)
    if (table, column) in VIEW_LINKS:
        return _row_link(datasette, database, VIEW_LINKS[table, column], value)
    known = _foreign_keys.get((str(datasette.get_database(database).path), table))
    if known is not None and column not in known:
        return None  # most cells: no lookup once the table's keys are known
    return _foreign_key_link(datasette, database, table, column, value)
