"""Where the last build put every entry's rows, kept beside the validation cache (issue 16).

A build with the cache on keeps, for the database it wrote, every entry's file digest and its
Placed (rowset.py): how many rows it has in each table keyed by a row number, the countries it
names, the people whose names its rows take, and a person's own name. It keeps the database's
size, modification time and inode too, so that a database changed, moved or written by anything
else since is never patched. The next build asks select() which entries to read: only the ones
whose rows must be written again (patch.py), or every one, for a full build.

The layout is a small SQLite file, one row per entry, so that a patch writes only the rows of the
entries it wrote again (and the database's new identity), in one transaction: at 100,000 entries
the whole layout as JSON took 0.6 s to write after each patch. A patch saves only onto the
layout it was planned from; one that another build has saved over since is emptied instead, and
the next build is a full one. A file SQLite cannot read is removed and made anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from urllib.parse import quote

from ..check.memo import CACHE_DIR, code_version
from ..check.validate import Valid
from .rows import GATHER_ORDER, Row
from .rowset import NUMBERED, Placed

_FORMAT = "paradecat-build-layout 2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS entries (rank INTEGER, id TEXT, entry TEXT,
    PRIMARY KEY (rank, id)) WITHOUT ROWID;
"""
Key = tuple[str, str]  # (kind, id)
_ORDER = {kind: n for n, kind in enumerate(GATHER_ORDER)}


def gather_key(key: Key) -> tuple[int, str]:
    """The order a build gathers the entries' rows in: by kind, then by id."""
    return _ORDER[key[0]], key[1]


def identity(info: os.stat_result) -> list[int]:
    """What tells one database file from another: its size, modification time and inode."""
    return [info.st_size, info.st_mtime_ns, info.st_ino]


@dataclass
class Plan:
    """What a patch does: the old layout (in the order the rows go), the entries whose rows are
    written again, the ones removed, and the database's identity when planned."""

    old: list[Placed]
    digests: dict[Key, str | None]
    rewrite: set[Key]
    removed: set[Key]
    database: list[int]
    history: str | None  # history_digest of the database's entry_history

    @cached_property
    def starts(self) -> list[list[int]]:
        """For each NUMBERED table, the first row number of each old entry's rows, by its place
        in the old layout, and one past the last row (sums taken in C: a loop over 100,000
        entries in Python took 0.13 s)."""
        columns = list(zip(*(p.counts for p in self.old), strict=True)) or [()] * len(NUMBERED)
        return [list(accumulate(column, initial=1)) for column in columns]

    def index(self, key: Key) -> int:
        """Where an entry is in the old layout, or would be (bisected: it is in gather order)."""
        return bisect_left(self.old, gather_key(key), key=lambda p: gather_key((p.kind, p.id)))

    @cached_property
    def events(self) -> list[tuple[Key, int, Placed | None]]:
        """The entries written again or removed, in gather order, with their place in the old
        layout and their old Placed (None: not in it)."""
        out = []
        for key in sorted(self.rewrite | self.removed, key=gather_key):
            at = self.index(key)
            found = self.old[at] if at < len(self.old) else None
            out.append((key, at, found if found is not None and found[:2] == key else None))
        return out


class Layout:
    """The layout kept for one target database, under ROOT/.paradecat-cache/."""

    def __init__(self, root: Path, target: Path) -> None:
        self.target = target.resolve() if target.parent.exists() else target
        name = hashlib.sha256(str(self.target).encode()).hexdigest()[:16]
        self.path = root / CACHE_DIR / f"build-{name}.sqlite"
        self.plan: Plan | None = None

    def _read(self) -> tuple[list[Placed], dict[Key, str | None], list[int], str | None] | None:
        """The kept layout, when it is this code's and describes the database at the target."""
        if not self.path.is_file() or self.path.is_symlink():
            return None
        try:
            uri = f"file:{quote(str(self.path))}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as db:
                db.execute("BEGIN")  # the meta and the entries of one saved layout
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("format") != _FORMAT or meta.get("code") != code_version():
                    return None
                if meta.get("target") != str(self.target):
                    return None
                database = identity(os.stat(self.target))
                if json.loads(meta["database"]) != database:
                    return None
                rows = [row for (row,) in db.execute("SELECT entry FROM entries ORDER BY rank, id")]
            placed, digests = [], {}
            # one JSON text of every row: decoded in C at once, as the layout's JSON file was
            for kind, entry_id, digest, counts, countries, depends_on, name in json.loads(
                f"[{','.join(rows)}]"
            ):
                if kind not in _ORDER or len(counts) != len(NUMBERED):
                    return None
                placed.append(
                    Placed(kind, entry_id, tuple(counts), tuple(countries), tuple(depends_on), name)
                )
                digests[(kind, entry_id)] = digest
            return placed, digests, database, meta.get("history")
        except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
            return None

    def select(self, valid: list[Valid]) -> set[str] | None:
        """The files whose entries a patch rewrites, or None for a full build: when nothing is
        kept for the database at the target, or more than a tenth of the catalogue changed."""
        self.plan = None
        kept = self._read()
        if kept is None:
            return None
        old, old_digests, database, history = kept
        digests = {(v.kind, v.id): v.digest for v in valid}
        changed = {
            key
            for key, digest in digests.items()
            if digest is None or key not in old_digests or old_digests[key] != digest
        }
        removed = set(old_digests) - set(digests)
        people = {entry_id for kind, entry_id in changed | removed if kind == "person"}
        # a parade whose roles take a changed person's name from their entry
        rewrite = changed
        if people:
            rewrite |= {
                (p.kind, p.id)
                for p in old
                if people.intersection(p.depends_on) and (p.kind, p.id) in digests
            }
        if len(rewrite) + len(removed) > max(200, len(valid) // 10):
            return None
        self.plan = Plan(old, digests, rewrite, removed, database, history)
        return {v.rel for v in valid if (v.kind, v.id) in rewrite}

    def save(
        self,
        placed: list[Placed],
        digests: dict[Key, str | None],
        written: list[int],
        history: str,
    ) -> None:
        """Keep where every entry's rows went in the database a full build just wrote (its
        identity and history_digest given); a layout that cannot be written is only a full build
        next time."""
        rows = [_row(p, digests.get((p.kind, p.id))) for p in placed]
        self._write(self._meta(written, history), rows, None)

    def save_patch(self, placed: list[Placed], written: list[int], history: str) -> None:
        """Keep what the patch planned by select() changed: the rows of the entries it wrote
        again, the entries it removed, and the database's new identity and history."""
        plan = self.plan
        assert plan is not None, "select() planned no patch"
        rows = [_row(p, plan.digests.get((p.kind, p.id))) for p in placed if p[:2] in plan.rewrite]
        self._write(self._meta(written, history), rows, plan)

    def _write(
        self, meta: dict[str, str], rows: list[tuple[int, str, str]], plan: Plan | None
    ) -> None:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            self.path.with_suffix(".json").unlink(missing_ok=True)  # format 1 kept a JSON file
        for attempt in (1, 2):
            try:
                self._transaction(meta, rows, plan)
                return
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) or attempt == 2:
                    return  # busy, or the disk: the next build is a full one
                self.forget()  # not a database SQLite can read: made anew
            except OSError:
                return

    def _transaction(
        self, meta: dict[str, str], rows: list[tuple[int, str, str]], plan: Plan | None
    ) -> None:
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None, timeout=60)) as db:
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            kept = dict(db.execute("SELECT key, value FROM meta").fetchall())
            planned = plan is not None and kept == self._meta(plan.database, plan.history)
            if not planned:
                db.execute("DELETE FROM entries")
                db.execute("DELETE FROM meta")
            if plan is not None and not planned:
                db.execute("COMMIT")  # saved over since it was planned from: keep nothing
                return
            if plan is not None:
                db.executemany(
                    "DELETE FROM entries WHERE rank = ? AND id = ?",
                    [(_ORDER[kind], entry_id) for kind, entry_id in plan.removed],
                )
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            db.execute("COMMIT")

    def _meta(self, database: list[int], history: str | None) -> dict[str, str]:
        meta = {
            "format": _FORMAT,
            "code": code_version(),
            "target": str(self.target),
            "database": json.dumps(database),
        }
        return meta if history is None else {**meta, "history": history}

    def forget(self) -> None:
        """Keep nothing: the next build is a full one."""
        with contextlib.suppress(OSError):
            for suffix in ("", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def history_digest(rows: Sequence[Row]) -> str:
    """A hash of the rows of `entry_history` in the order a build writes them (by kind, then by
    id): what tells whether a database's history is the one a build would write, without reading
    it. Not sorted here: at 100,000 rows the sort took 0.16 s, more than reading them."""
    return hashlib.blake2b(json.dumps(rows).encode(), digest_size=16).hexdigest()


def _row(placed: Placed, digest: str | None) -> tuple[int, str, str]:
    """An entry's row in the layout: its place in the build's order, and what it is, as JSON."""
    entry = [placed.kind, placed.id, digest, *placed[2:]]
    return _ORDER[placed.kind], placed.id, json.dumps(entry, separators=(",", ":"))
