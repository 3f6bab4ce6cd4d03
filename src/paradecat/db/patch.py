"""A build that writes only what changed since the last one (issue 16).

When the database at the target is the one the last build wrote (layout.py), the build copies it
beside the target and patches the copy:

- the rows of every entry removed or changed (its file's digest differs), and of every parade
  whose roles take a changed person's name, are deleted, their full-text rows first;
- the rows numbered after them (in the tables keyed by a row number) move by as many rows as came
  or went before them, and the citations of an appearance or a contingent that moved follow it;
- the rewritten entries' rows are inserted, numbered where a full build numbers them;
- the countries, the entries' history, and the derived tables' rows of the parades and systems
  rewritten are worked out again (the history is read from the database only when its digest,
  kept in the layout, differs from the one worked out: a commit since, or an entry added or
  removed);

then checks the foreign keys of the rows it wrote, deleted or moved (SQLite's deferred check, at
its commit: the rest were checked by the build that wrote the database), works out the planner's
statistics, and renames the copy over the target. It is the database a full build writes, row
for row (tests/test_patch.py holds every table, the schema, the statistics and the full-text
index to one after each of a series of changes). With nothing changed since the last build, and
the same history (by its digest), the database is left as it is (up_to_date).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..check.validate import Valid
from ..load.history import file_history
from ..model import ENTRY_MODELS, Person
from .build import _insert, history_rows, swap_in
from .derived import DERIVED
from .layout import Layout, Plan, history_digest, identity
from .rows import ROWS_OF, country_rows
from .rowset import NUMBERED, Placed, Row, RowSet
from .tables import FTS, TABLES, BuildError

# the tables keyed by their entry, and the column that names it, for each kind; the NUMBERED
# tables are kept by row numbers, countries and entry_history are worked out whole
OWNED: dict[str, tuple[tuple[str, str], ...]] = {
    "source": (("sources", "id"),),
    "system": (("systems", "id"), ("system_names", "system_id"), ("system_countries", "system_id")),
    "unit": (("units", "id"), ("unit_names", "unit_id")),
    "person": (("people", "id"), ("person_names", "person_id")),
    "parade": (("parades", "id"), ("parade_occasions", "parade_id")),
}
WHOLE = ("countries", "entry_history")
# a citation names an appearance or a contingent by its row number
CITED_BY_NUMBER = {"appearances": "appearance", "contingents": "contingent"}
_TABLE_OF = {kind: owned[0][0] for kind, owned in OWNED.items()}


class _Names(Mapping[str, Any]):
    """The people for the names in parades' roles: the entries read, else the names kept."""

    def __init__(self, read: dict[str, Person], kept: dict[str, str | None]) -> None:
        self.read, self.kept = read, kept

    def __getitem__(self, person_id: str) -> Any:
        if person_id in self.read:
            return self.read[person_id]
        name = self.kept[person_id]
        return Person.model_construct(id=person_id, name=name or "")

    def __iter__(self) -> Iterator[str]:
        return iter({**self.kept, **self.read})

    def __len__(self) -> int:
        return len({**self.kept, **self.read})


def _keys(db: sqlite3.Connection, table: str, rows: Iterable[tuple[str, str]]) -> None:
    db.execute(f"CREATE TEMP TABLE {table} (kind TEXT, id TEXT)")
    db.executemany(f"INSERT INTO temp.{table} VALUES (?, ?)", list(rows))


def _shown(db: sqlite3.Connection) -> set[str]:
    """The systems the rewritten (or removed) parades show, as the appearances stand now."""
    query = (
        "SELECT DISTINCT system_id FROM appearances WHERE parade_id IN "
        "(select id from temp.patched where kind = 'parade')"
    )
    return {system_id for (system_id,) in db.execute(query)}


def _drop_rows(db: sqlite3.Connection, plan: Plan) -> None:
    """Delete the rows of every entry rewritten or removed (their full-text rows first)."""
    for kind, owned in OWNED.items():
        picked = f"(select id from temp.gone where kind = '{kind}')"
        for table, column in owned:
            if table in FTS:
                names = ", ".join(f"[{c}]" for c in FTS[table])
                db.execute(
                    f"INSERT INTO [{table}_fts] ([{table}_fts], rowid, {names}) "
                    f"SELECT 'delete', rowid, {names} FROM [{table}] WHERE [{column}] IN {picked}"
                )
            db.execute(f"DELETE FROM [{table}] WHERE [{column}] IN {picked}")
    starts = plan.starts
    gone = [at for _, at, found in plan.events if found is not None]
    for n, table in enumerate(NUMBERED):
        ranges = [(starts[n][at], starts[n][at + 1] - 1) for at in gone]
        db.executemany(
            f"DELETE FROM [{table}] WHERE id BETWEEN ? AND ?", [r for r in ranges if r[0] <= r[1]]
        )


def _moves(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(first, last, by) of consecutive row numbers that move by as many, merged."""
    merged: list[tuple[int, int, int]] = []
    for first, last, by in runs:
        if merged and merged[-1][2] == by and merged[-1][1] + 1 == first:
            merged[-1] = (merged[-1][0], last, by)
        else:
            merged.append((first, last, by))
    return merged


def _move(
    db: sqlite3.Connection, table: str, column: str, moves: list[tuple[int, int, int]]
) -> None:
    """Move rows' numbers; through negatives, so that no number is held twice on the way."""
    if not moves:
        return
    db.executemany(
        f"UPDATE [{table}] SET [{column}] = -([{column}] + ?) WHERE [{column}] BETWEEN ? AND ?",
        [(by, first, last) for first, last, by in moves],
    )
    db.execute(f"UPDATE [{table}] SET [{column}] = -[{column}] WHERE [{column}] < 0")


def _move_citations(db: sqlite3.Connection, kind: str, moves: list[tuple[int, int, int]]) -> None:
    """The citations of the appearances (or contingents) that moved name their new numbers."""
    if not moves:
        return
    number = "CAST(entity_id AS INTEGER)"
    db.executemany(
        f"UPDATE citations SET entity_id = '-' || ({number} + ?) "
        f"WHERE entity_type = ? AND {number} BETWEEN ? AND ?",
        [(by, kind, first, last) for first, last, by in moves],
    )
    db.execute(
        "UPDATE citations SET entity_id = substr(entity_id, 2) "
        "WHERE entity_type = ? AND entity_id LIKE '-%'",
        [kind],
    )


def _rewrite(
    catalog: Catalog, plan: Plan
) -> tuple[list[Placed], dict[str, list[Row]], dict[str, list[tuple[int, int, int]]]]:
    """Every entry's place in the new database, the rewritten entries' rows, and how the kept
    entries' numbered rows move. The kept entries between two entries written again or removed
    all move by as many rows in a table (as many as the rows written before them, less the rows
    deleted before them), so they move as one run: only the changed entries are looked at."""
    old, starts = plan.old, plan.starts
    people = _Names(catalog.people, {p.id: p.name for p in old if p.kind == "person"})
    placed: list[Placed] = []
    rows: dict[str, list[Row]] = {table: [] for table in TABLES}
    runs: dict[str, list[tuple[int, int, int]]] = {table: [] for table in NUMBERED}
    by = [0] * len(NUMBERED)  # how far the kept rows from here on move, in each table
    done = 0  # the old entries up to here are placed

    def kept(upto: int) -> None:
        """The kept entries from done up to (not including) upto, moved by `by`."""
        placed.extend(old[done:upto])
        for n, table in enumerate(NUMBERED):
            first, last = starts[n][done], starts[n][upto] - 1
            if by[n] and first <= last:
                runs[table].append((first, last, by[n]))

    for key, at, before in plan.events:
        kept(at)
        if key in plan.rewrite:
            # numbered from where a full build numbers them: after every row placed so far
            taken = dict.fromkeys(TABLES, 0) | {
                table: starts[n][at] + by[n] - 1 for n, table in enumerate(NUMBERED)
            }
            one = RowSet(taken=taken)
            one.people = people
            one.begin()
            entry = catalog.table(key[0])[key[1]]
            ROWS_OF[key[0]](one, entry)
            found = one.placed(key[0], entry)
            for table, made in one.tables.items():
                rows[table].extend(made)
            placed.append(found)
            by = [b + c for b, c in zip(by, found.counts, strict=True)]
        if before is not None:
            by = [b - c for b, c in zip(by, before.counts, strict=True)]
        done = at + 1 if before is not None else at
    kept(len(old))
    return placed, rows, {table: _moves(found) for table, found in runs.items()}


def _derived(db: sqlite3.Connection, plan: Plan, shown_before: set[str]) -> None:
    """Work out again the derived tables' rows of the parades and systems rewritten."""
    shown = shown_before | _shown(db)
    shown |= {entry_id for kind, entry_id in plan.rewrite | plan.removed if kind == "system"}
    db.executemany("INSERT INTO temp.patched VALUES ('shown', ?)", [(s,) for s in shown])
    for name, derived in DERIVED.items():
        if name != "parade_systems":  # its rows went before the appearances moved
            db.execute(f"DELETE FROM [{name}] WHERE {derived.patched[0]}")
        db.execute(derived.sql(name, derived.patched[1]))


def _history_rows(valid: list[Valid], root: Path | None) -> list[Row]:
    """The entries' history as a full build writes it, in its order."""
    where = sorted(
        ((v.kind, v.id, v.display) for v in valid), key=lambda w: (_KIND_ORDER[w[0]], w[1])
    )
    return history_rows(where, file_history(root) if root else {})


def _history(db: sqlite3.Connection, history: list[Row], digest: str, kept: str | None) -> None:
    """The entries' history as a full build writes it: only the rows that differ change. The
    database's is read only when its digest (kept) differs from this history's."""
    if kept == digest:
        return
    rows = set(history)
    before = set(db.execute("SELECT * FROM entry_history"))
    db.executemany(
        "DELETE FROM entry_history WHERE entity_type = ? AND entity_id = ?",
        [row[:2] for row in before - rows],
    )
    _insert(db, "entry_history", list(TABLES["entry_history"].columns), sorted(rows - before))


def _apply(
    db: sqlite3.Connection, catalog: Catalog, plan: Plan, history: list[Row], digest: str
) -> list[Placed]:
    _keys(db, "gone", plan.rewrite | plan.removed)
    _keys(db, "patched", (k for k in plan.rewrite | plan.removed if k[0] in ("parade", "system")))
    shown_before = _shown(db)
    db.execute(f"DELETE FROM parade_systems WHERE {DERIVED['parade_systems'].patched[0]}")
    _drop_rows(db, plan)
    placed, rows, moves = _rewrite(catalog, plan)
    for table, found in moves.items():
        _move(db, table, "id", found)
        if table in CITED_BY_NUMBER:
            _move_citations(db, CITED_BY_NUMBER[table], found)
    _move(db, "parade_systems", "appearance_id", moves["appearances"])
    for table, made in rows.items():
        if made:
            _insert(db, table, list(TABLES[table].columns), made)
    for table, names in FTS.items():
        kind = next(k for k, t in _TABLE_OF.items() if t == table)
        columns = ", ".join(f"[{c}]" for c in names)
        db.execute(
            f"INSERT INTO [{table}_fts] (rowid, {columns}) SELECT rowid, {columns} FROM [{table}] "
            f"WHERE id IN (select id from temp.gone where kind = ?)",
            [kind],
        )
    codes = {code for p in placed for code in p.countries}
    before = {code for (code,) in db.execute("SELECT code FROM countries")}
    db.executemany("DELETE FROM countries WHERE code = ?", [(c,) for c in before - codes])
    _insert(db, "countries", list(TABLES["countries"].columns), country_rows(codes - before))
    _history(db, history, digest, plan.history)
    _derived(db, plan, shown_before)
    return placed


_KIND_ORDER = {kind: n for n, kind in enumerate(ENTRY_MODELS)}  # Catalog.entries()' order


def up_to_date(valid: list[Valid], layout: Layout, root: Path | None) -> bool:
    """Whether the database at the target holds this catalogue already: the last build wrote it,
    no entry was changed, added or removed since, and the history is the same (a commit that
    changes no file can still change when one was last changed). It is then left as it is."""
    plan = layout.plan
    if plan is None or plan.rewrite or plan.removed or plan.history is None:
        return False
    try:
        same = identity(layout.target.stat()) == plan.database
    except OSError:
        return False
    return same and plan.history == history_digest(_history_rows(valid, root))


def patch_database(
    catalog: Catalog, valid: list[Valid], layout: Layout, target: Path, root: Path | None = None
) -> Path:
    """Patch a copy of the database at target (see the module's docstring) and rename it over
    target; raises BuildError, with the database at target untouched, when it cannot."""
    plan = layout.plan
    assert plan is not None, "select() planned no patch"
    target = layout.target
    placed: list[Placed] = []
    history = _history_rows(valid, root)
    digest = history_digest(history)

    def write(tmp: Path) -> None:
        shutil.copyfile(target, tmp)
        if identity(target.stat()) != plan.database:
            raise BuildError("the database changed while it was being copied")
        with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as db:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = ON"):
                db.execute(f"PRAGMA {pragma}")  # the copy is thrown away if anything fails
            db.execute("BEGIN")
            # the foreign keys of the rows written, deleted or moved, checked at COMMIT; the rest
            # were checked by the build that wrote the database (a whole check: 1 s at 100,000)
            db.execute("PRAGMA defer_foreign_keys = ON")
            placed.extend(_apply(db, catalog, plan, history, digest))
            try:
                db.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                raise BuildError(f"foreign key check failed: {exc}") from exc
            db.execute("ANALYZE")

    written = swap_in(target, write, "patch")
    layout.save_patch(placed, written, digest)
    return target
