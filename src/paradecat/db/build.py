"""Catalog -> SQLite through sqlite-utils: tables, foreign keys, indexes, full-text search and views.

The database is built in a temporary file beside the target and renamed over it only when
complete, so a failed build leaves the previous database byte-for-byte untouched.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import Catalog
from ..check.validate import Valid
from ..load.history import file_history
from .derived import DERIVED
from .layout import Layout, history_digest, identity
from .rows import Row, catalog_row_batches, catalog_rows
from .rowset import Placed
from .tables import FTS, INDEXES, TABLES, VIEWS, BuildError, Table

if TYPE_CHECKING:
    import sqlite_utils

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


def _insert(db: sqlite3.Connection, table: str, columns: list[str], rows: list[Row]) -> None:
    """Insert rows whose values SQLite takes as they are (str, int, float, bool, None)."""
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)


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
            _insert(db.conn, name, list(TABLES[name].columns), rows)
    for name, indexed in INDEXES:
        db.table(name).create_index(list(indexed))
    db.index_foreign_keys()
    # the derived tables read the others through their indexes, so they come after them
    for name, derived in DERIVED.items():
        spec = derived.table
        db.table(name).create(spec.columns, pk=spec.pk, foreign_keys=list(spec.foreign_keys))
        db.execute(derived.sql(name))
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
    check_keys(db.conn)


def table_names() -> Iterator[str]:
    """The tables and views a build creates."""
    yield from TABLES
    yield from DERIVED
    yield from VIEWS


def history_rows(
    entries: Iterable[tuple[str, str, str]], history: Mapping[str, tuple[str, str]]
) -> list[Row]:
    """One `entry_history` row per (kind, id, file) of an entry: its file, and when a commit added
    and last changed it (unknown for a file no commit has touched, or with no git history)."""
    rows: list[Row] = []
    for kind, entry_id, path in entries:
        added, updated = history.get(path, (None, None))
        rows.append((kind, entry_id, path, added, updated))
    return rows


def scratch(target: Path) -> Path:
    """An empty temporary file beside target, to be renamed over it."""
    directory = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise BuildError(f"cannot write in {directory}: {exc.strerror}") from exc
    os.close(fd)
    return Path(tmp_name)


def open_scratch(tmp: Path) -> sqlite_utils.Database:
    import sqlite_utils  # here: a patch (patch.py) needs none of it, and it takes 35 ms to import

    db = sqlite_utils.Database(tmp)
    # the file is thrown away if anything fails: no journal, and one sync at the end
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    return db


def finish(tmp: Path, target: Path) -> list[int]:
    """Sync the written file and rename it over target; its identity (layout.py)."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o644)
    written = identity(os.stat(tmp))  # a rename keeps the size, the time and the inode
    os.replace(tmp, target)
    return written


def swap_in(target: Path, write: Callable[[Path], None], doing: str) -> list[int]:
    """write(tmp) a database into a temporary file beside target, then rename it over target;
    the identity of what was written. Whatever fails leaves target untouched and no file behind."""
    tmp = scratch(target)
    try:
        write(tmp)
        return finish(tmp, target)
    except BuildError:
        _remove(tmp)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        raise BuildError(f"cannot {doing} the database: {exc}") from exc
    except BaseException:
        _remove(tmp)
        raise


def check_keys(db: sqlite3.Connection) -> None:
    """Every foreign key names a row that exists (they are not enforced while rows go in)."""
    problems = list(db.execute("PRAGMA foreign_key_check").fetchall())
    if problems:
        raise BuildError(f"foreign key check failed: {problems[:5]}")


def build_database(
    catalog: Catalog,
    target: Path,
    root: Path | None = None,
    *,
    layout: Layout | None = None,
    valid: Iterable[Valid] = (),
) -> Path:
    """Write the catalogue to target atomically: a temporary file beside it, renamed over it on
    success. root: the folder holding catalog/, whose git history dates the entries. layout: where
    to keep where every entry's rows went (valid: the entries with their digests), so that the next
    build can patch this one (patch.py)."""
    target = target.resolve() if target.parent.exists() else target
    placed: list[Placed] = []
    history: list[Row] = []

    def write(tmp: Path) -> None:
        db = open_scratch(tmp)
        where = [
            (kind, entry.id, catalog.document(kind, entry.id).path)
            for kind, entry in catalog.entries()
        ]
        history.extend(history_rows(where, file_history(root) if root else {}))
        batches = catalog_row_batches(catalog, placed=placed)
        write_database(db, chain(batches, [("entry_history", history)]))
        db.conn.commit()
        # no VACUUM: the file is written in one go and has no free page (at 10,000 entries
        # VACUUM took 0.26 s, a fifteenth of the build, to make it 0.6% smaller)
        db.close()

    written = swap_in(target, write, "write")
    if layout is not None:
        digests = {(v.kind, v.id): v.digest for v in valid}
        layout.save(placed, digests, written, history_digest(history))
    return target


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
