"""Catalog -> SQLite through sqlite-utils: tables, foreign keys, indexes, full-text search and views.

The database is built in a temporary file beside the target and renamed over it only when
complete, so a failed build leaves the previous database byte-for-byte untouched.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path

import sqlite_utils

from ..catalog import Catalog
from ..load.history import file_history
from .rows import Row, catalog_row_batches, catalog_rows
from .tables import DERIVED, FTS, INDEXES, TABLES, VIEWS, BuildError, Table, table_names

__all__ = [
    "DERIVED",
    "FTS",
    "INDEXES",
    "TABLES",
    "VIEWS",
    "BuildError",
    "Table",
    "build_database",
    "catalog_row_batches",
    "catalog_rows",
    "table_names",
    "write_database",
]


def _insert(db: sqlite_utils.Database, table: str, columns: list[str], rows: list[Row]) -> None:
    """Insert rows whose values SQLite takes as they are (str, int, float, bool, None)."""
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)


def write_database(db: sqlite_utils.Database, batches: Iterable[tuple[str, list[Row]]]) -> None:
    """Create every table, insert the rows in one transaction, then add indexes, the derived tables,
    FTS and views.

    batches are (table, rows): catalog_row_batches(catalog), or catalog_rows(catalog).items().
    """
    # Foreign keys are checked once, when every row is in (foreign_key_check below). Enforced
    # row by row, a system based on one whose id sorts after its own is a violation until that
    # row arrives, and while one is outstanding every insert into systems scans the table.
    db.execute("PRAGMA foreign_keys = OFF")
    with db.atomic():
        for name, spec in TABLES.items():
            db.table(name).create(
                spec.columns,
                pk=spec.pk,
                foreign_keys=list(spec.foreign_keys),
                not_null=list(spec.not_null),
            )
        # executemany is about 10 times faster than insert_all's batches for the same rows
        for name, rows in batches:
            _insert(db, name, list(TABLES[name].columns), rows)
    for name, indexed in INDEXES:
        db.table(name).create_index(list(indexed))
    db.index_foreign_keys()
    # the derived tables read the others through their indexes, so they come after them
    for name, derived in DERIVED.items():
        spec = derived.table
        db.table(name).create(spec.columns, pk=spec.pk, foreign_keys=list(spec.foreign_keys))
        names = ", ".join(f"[{c}]" for c in spec.columns)
        db.execute(f"INSERT INTO [{name}] ({names}) {derived.select.strip()}")
        # its foreign keys (but its primary key, which is the rowid) and the columns it is sorted
        # and faceted by
        keys = [(column,) for column, _, _ in spec.foreign_keys if column != spec.pk]
        for indexed in dict.fromkeys([*keys, *derived.indexes]):
            db.table(name).create_index(list(indexed))
    for name, columns in FTS.items():
        db.table(name).enable_fts(
            columns, fts_version="FTS5", tokenize="unicode61 remove_diacritics 2"
        )
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
    # statistics for the query planner (sqlite_stat1): at 20,000 entries, parade_systems sorted by
    # date took 74 ms without them (a scan and a sort) and under 1 ms with them (the date index)
    db.execute("ANALYZE")
    problems = list(db.execute("PRAGMA foreign_key_check").fetchall())
    if problems:
        raise BuildError(f"foreign key check failed: {problems[:5]}")


def history_rows(catalog: Catalog, history: Mapping[str, tuple[str, str]]) -> list[Row]:
    """One `entry_history` row per entry: its file, and when a commit added and last changed it
    (unknown for a file no commit has touched, or with no git history at all)."""
    rows: list[Row] = []
    for kind, entry in catalog.entries():
        path = catalog.document(kind, entry.id).path
        added, updated = history.get(path, (None, None))
        rows.append((kind, entry.id, path, added, updated))
    return rows


def build_database(catalog: Catalog, target: Path, root: Path | None = None) -> Path:
    """Write the catalogue to target atomically: a temporary file beside it, renamed over it on
    success. root: the folder holding catalog/, whose git history dates the entries."""
    target = target.resolve() if target.parent.exists() else target
    directory = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise BuildError(f"cannot write in {directory}: {exc.strerror}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        history = history_rows(catalog, file_history(root) if root else {})
        write_database(db, chain(catalog_row_batches(catalog), [("entry_history", history)]))
        db.conn.commit()
        db.execute("VACUUM")
        db.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BuildError:
        _remove(tmp)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        raise BuildError(f"cannot write the database: {exc}") from exc
    except BaseException:
        _remove(tmp)
        raise
    return target


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
