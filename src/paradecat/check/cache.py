"""The validation cache: what each file contributes and every group's problems, kept between runs.

One SQLite database in ROOT/.paradecat-cache/ for each way of asking (the current folder, the
root and the problem limit, which decide how problems are written), in WAL mode. A run holds
its write lock from start to end (BEGIN IMMEDIATE), so two runs at once take turns and neither
works from rows the other is changing. Its tables:

- files: per accepted file, its stat, the hash of its bytes and its FileRecord (rules/index.py);
- data: a valid entry's parsed data (what `build` needs);
- keys: the groups each file is in (groups.record_keys, kept as JSON in its files row too), one
  B-tree by group: a file's rows are dropped by the keys its kept record gives, so no second
  index is kept up;
- holders: who holds each id (groups.Holder);
- problems: every group's problems (groups.py), by origin and key;
- meta: the format, the code's version, and the entry schemas the models made (so that a run
  with one file changed does not ask pydantic for them again).

The whole cache belongs to one version of the code (memo.code_version). Another version's
cache, or a file that is not a cache at all, is emptied and filled again; a file that SQLite
cannot read is removed and made anew. A file's bytes are hashed again only when its size, times
or inode differ from those recorded, and the recorded ones are trusted only when the file was
already two seconds old when they were taken.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model.schema import adopt_schemas, made_schemas
from ..problems import Problem
from .groups import Holder, Origin
from .kept import Kept
from .kept import dumps as _dumps
from .memo import CACHE_DIR, code_version
from .rules.index import FileRecord, problem_from_json, problem_to_json

_FORMAT = "paradecat-validation-cache 4"
_TRUST_AFTER_NS = 2_000_000_000  # a file's stat is trusted once it is this old
WAIT_S = 60  # how long a run waits for another run's lock before going on without the cache
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,
    ctime INTEGER, ino INTEGER, digest TEXT, loaded INTEGER, record TEXT, groups TEXT);
CREATE TABLE IF NOT EXISTS data (rel TEXT PRIMARY KEY, data TEXT);
CREATE TABLE IF NOT EXISTS keys (space TEXT, key TEXT, rel TEXT,
    PRIMARY KEY (space, key, rel)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS holders (key TEXT PRIMARY KEY, rel TEXT, valid INTEGER, first TEXT);
CREATE TABLE IF NOT EXISTS problems (origin TEXT, key TEXT, problem TEXT);
CREATE INDEX IF NOT EXISTS problems_by_group ON problems (origin, key);
CREATE INDEX IF NOT EXISTS files_unloaded ON files (rel) WHERE loaded = 0;
"""
Signature = tuple[int, int, int, int]


class StoreError(Exception):
    """The cache cannot be used: the run goes on without it."""


def clear_cache(root: Path) -> bool:
    """Remove ROOT/.paradecat-cache/; True when there was one."""
    folder = root / CACHE_DIR
    if not folder.exists() and not folder.is_symlink():
        return False
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
    else:
        folder.unlink(missing_ok=True)
    return True


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def trusted(info: os.stat_result) -> Signature | None:
    """The stat to keep for a file: None when the file is too new for its times to be trusted."""
    old = info.st_mtime_ns < time.time_ns() - _TRUST_AFTER_NS
    return signature(info) if old else None


def _schemas_digest(text: str) -> str:
    """What tells kept schemas from a damaged row: a hash of them with the code's version."""
    return hashlib.blake2b(f"{code_version()}\n{text}".encode(), digest_size=16).hexdigest()


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another run's lock (the cache itself is fine)."""
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """The cache of one way of asking, opened and locked for one run (see the module's docstring)."""

    def __init__(self, root: Path, context: list[Any]) -> None:
        self.folder = root / CACHE_DIR
        name = hashlib.sha256(_dumps(context).encode()).hexdigest()[:12]
        self.path = self.folder / f"validate-{name}.sqlite"
        self.db: sqlite3.Connection | None = None
        self.fresh = True  # no rows of this version: the run fills it from nothing
        self.schemas: set[str] = set()  # the kinds whose entry schema the cache keeps
        try:
            self._open()
        except sqlite3.OperationalError as exc:
            self.close()
            if not _busy(exc):  # a run that waited a minute for another goes on without it
                self._renew()
        except (sqlite3.Error, OSError, ValueError):
            self.close()
            self._renew()

    def _renew(self) -> None:
        """Replace a cache SQLite cannot read with an empty one."""
        self._remove()
        try:
            self._open()
        except (sqlite3.Error, OSError, ValueError):
            self.close()

    @property
    def usable(self) -> bool:
        return self.db is not None

    def _open(self) -> None:
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise OSError("not a cache folder")
        self.folder.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):  # the single cache file of format 1, replaced by these
            (self.folder / f"validate.sqlite{suffix}").unlink(missing_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# paradecat's validation cache; remove it freely\n*\n")
        # check_same_thread off: incremental.py reindexes on another thread, the run waiting
        db = sqlite3.connect(
            self.path, timeout=WAIT_S, isolation_level=None, check_same_thread=False
        )
        self.db = db
        db.execute(f"PRAGMA busy_timeout = {int(WAIT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA)
        db.execute("BEGIN IMMEDIATE")  # the run's lock, held until save() or close()
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") == _FORMAT and meta.get("code") == code_version():
            self.fresh = False
            self._adopt(meta.get("schemas"), meta.get("schemas-digest"))
            return
        self.empty()

    def _adopt(self, text: str | None, digest: str | None) -> None:
        """Take the entry schemas this code made in an earlier run (model.schema.adopt_schemas)."""
        if text is None or digest != _schemas_digest(text):
            return
        try:
            kept = json.loads(text)
        except ValueError:
            return
        if isinstance(kept, dict):
            adopt_schemas(kept)
            self.schemas = set(kept)

    def empty(self) -> None:
        """Forget every row, and another format's tables: the run fills the cache from nothing."""
        db = self._db()
        for table in ("files", "data", "keys", "holders", "problems", "meta"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA.split(";"):  # not executescript: it would end the transaction
            if statement.strip():
                db.execute(statement)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("format", _FORMAT), ("code", code_version())]
        )
        self.fresh = True

    def remove(self) -> None:
        """Close the cache and remove its file (it is made anew by the next run)."""
        self.close()
        self._remove()

    def _remove(self) -> None:
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            raise StoreError("the cache is not open")
        return self.db

    def close(self) -> None:
        """Give the lock up without keeping anything of this run."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def save(self) -> None:
        """Keep this run's rows (one transaction) and give the lock up."""
        db = self._db()
        try:
            if not set(made := made_schemas()) <= self.schemas:  # a kind's schema made anew
                text = _dumps(made)
                kept = [("schemas", text), ("schemas-digest", _schemas_digest(text))]
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", kept)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
        finally:
            self.close()

    # --- reading ----------------------------------------------------------------------------

    def heads(self) -> dict[str, tuple[Signature | None, str | None]]:
        """Each kept file's stat (None: not to be trusted) and digest, by rel."""
        out = {}
        for rel, size, mtime, ctime, ino, digest in self._db().execute(
            "SELECT rel, size, mtime, ctime, ino, digest FROM files"
        ):
            out[rel] = (None if size is None else (size, mtime, ctime, ino), digest)
        return out

    def _where_in(self, query: str, items: Iterable[str], *before: str) -> Iterator[Any]:
        """The rows of query (its "IN ()" filled) for items, a few hundred at a time."""
        db = self._db()
        for chunk in _chunks(sorted(set(items))):
            filled = query.replace("IN ()", f"IN ({','.join('?' * len(chunk))})")
            yield from db.execute(filled, [*before, *chunk])

    def records(self, rels: Iterable[str]) -> dict[str, FileRecord]:
        """The kept records of some files (without where they are: the caller sets that)."""
        out = {}
        query = "SELECT rel, digest, record FROM files WHERE rel IN ()"
        for rel, digest, record in self._where_in(query, rels):
            try:
                found = FileRecord.from_json(json.loads(record))
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                raise StoreError(f"a damaged row: {rel}") from exc
            found.rel, found.digest = rel, digest or ""
            out[rel] = found
        return out

    def members(self, space: str, keys: Iterable[str]) -> set[str]:
        """The files in the groups of some keys of one space."""
        query = "SELECT rel FROM keys WHERE space = ? AND key IN ()"
        return {rel for (rel,) in self._where_in(query, keys, space)}

    def present(self, space: str, keys: Iterable[str]) -> set[str]:
        """Which of some keys of one space have a group (a file in it)."""
        query = "SELECT DISTINCT key FROM keys WHERE space = ? AND key IN ()"
        return {key for (key,) in self._where_in(query, keys, space)}

    def ids_of(self, kind: str) -> set[str]:
        """Every id of one kind made known (groups.known_keys)."""
        prefix = f"{kind}/"
        rows = self._db().execute(
            "SELECT DISTINCT key FROM keys WHERE space = 'known' AND key >= ? AND key < ?",
            (prefix, f"{kind}0"),  # "0" follows "/": every key that starts with the prefix
        )
        return {key[len(prefix) :] for (key,) in rows}

    def holders(self, keys: Iterable[str]) -> dict[str, tuple[str, bool, str]]:
        """(rel, valid, first) of who held each of some ids, by id key."""
        query = "SELECT key, rel, valid, first FROM holders WHERE key IN ()"
        return {
            key: (rel, bool(valid), first) for key, rel, valid, first in self._where_in(query, keys)
        }

    def valid_holders(self) -> list[tuple[str, str, str]]:
        """(id key, rel, first) of every id held by a valid entry."""
        return list(self._db().execute("SELECT key, rel, first FROM holders WHERE valid = 1"))

    def digests(self, rels: Iterable[str]) -> dict[str, str | None]:
        """The digest of some kept files, by rel."""
        return dict(self._where_in("SELECT rel, digest FROM files WHERE rel IN ()", rels))

    def valid_digests(self) -> dict[str, str | None]:
        """The digest of every file that holds an id with a valid entry, by rel."""
        query = (
            "SELECT h.rel, f.digest FROM holders h JOIN files f ON f.rel = h.rel WHERE h.valid = 1"
        )
        return dict(self._db().execute(query))

    def unloaded(self) -> int:
        """How many kept files did not parse."""
        return int(self._db().execute("SELECT count(*) FROM files WHERE loaded = 0").fetchone()[0])

    def groups_of(self, origin: str) -> set[str]:
        """The keys of one origin's groups that have problems."""
        rows = self._db().execute("SELECT DISTINCT key FROM problems WHERE origin = ?", (origin,))
        return {key for (key,) in rows}

    def all_problems(self) -> Iterator[tuple[str, Problem]]:
        """(origin, problem) of every group."""
        for origin, problem in self._db().execute("SELECT origin, problem FROM problems"):
            try:
                yield origin, problem_from_json(json.loads(problem))
            except (ValueError, TypeError) as exc:
                raise StoreError("a damaged problem row") from exc

    def data(self, rels: Iterable[str]) -> dict[str, str]:
        """The parsed data (JSON) of some valid entries."""
        return dict(self._where_in("SELECT rel, data FROM data WHERE rel IN ()", rels))

    # --- writing ----------------------------------------------------------------------------

    def forget(self, rels: Iterable[str]) -> None:
        """Drop what some files gave: their rows and their own problems (not their groups')."""
        rels = list(rels)
        for statement in (
            "DELETE FROM files WHERE rel IN ()",
            "DELETE FROM data WHERE rel IN ()",
            "DELETE FROM problems WHERE origin = 'file' AND key IN ()",
        ):
            for _ in self._where_in(statement, rels):
                pass

    def keep(
        self, found: Iterable[tuple[FileRecord, os.stat_result | None, Kept]], index: bool = True
    ) -> None:
        """Keep what some files give: (record, stat taken before reading, its text: kept.py);
        index: add their keys rows too (or leave them to reindex())."""
        files: list[tuple[Any, ...]] = []
        data: list[tuple[str, str]] = []
        for record, info, text in found:
            size, mtime, ctime, ino = (trusted(info) if info else None) or (None,) * 4
            rel = record.rel
            head = (rel, size, mtime, ctime, ino, record.digest or None, int(record.loaded))
            files.append((*head, text.record, text.groups))
            if text.data is not None:
                data.append((rel, text.data))
        db = self._db()
        db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", files)
        db.executemany("INSERT OR REPLACE INTO data VALUES (?, ?)", data)
        if index:
            self._index_groups([row[0] for row in files])

    def _index_groups(self, rels: list[str] | None) -> None:
        """Add the keys rows of some files (None: every file) from their groups column, by SQLite
        itself and in the B-tree's order: 1.5 million rows one by one from Python, in any order,
        took 12 s at 100,000 entries."""
        select = (
            "SELECT s.key, k.value, f.rel FROM files f, json_each(f.groups) s, json_each(s.value) k"
        )
        if rels is None:
            self._db().execute(f"INSERT OR IGNORE INTO keys {select} ORDER BY 1, 2, 3")
            return
        query = f"INSERT OR IGNORE INTO keys {select} WHERE f.rel IN () ORDER BY 1, 2, 3"
        for _ in self._where_in(query, rels):
            pass

    def drop_keys(self, rel: str, groups: dict[str, set[str]]) -> None:
        """Forget that a file is in some groups (those its kept record gives)."""
        rows = [(space, key, rel) for space, found in groups.items() for key in found]
        self._db().executemany("DELETE FROM keys WHERE space = ? AND key = ? AND rel = ?", rows)

    def reindex(self) -> None:
        """Every file's keys rows anew, from their groups columns (a whole run)."""
        self._db().execute("DELETE FROM keys")
        self._index_groups(None)

    def restat(self, rel: str, info: os.stat_result, digest: str) -> None:
        """The same bytes under a new stat: keep the stat it has now."""
        size, mtime, ctime, ino = trusted(info) or (None,) * 4
        self._db().execute(
            "UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ? WHERE rel = ? AND digest = ?",
            (size, mtime, ctime, ino, rel, digest),
        )

    def set_groups(self, found: dict[Origin, list[Problem]], done: Iterable[Origin]) -> None:
        """Replace the problems of the groups worked out (done), with what was found for them."""
        db = self._db()
        db.executemany(
            "DELETE FROM problems WHERE origin = ? AND key = ?", [tuple(o) for o in done]
        )
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?)",
            [
                (origin, key, _dumps(problem_to_json(problem)))
                for (origin, key), problems in found.items()
                for problem in problems
            ],
        )

    def clear_groups(self) -> None:
        """Forget every group's problems and every id's holder (a whole run writes them all)."""
        self._db().execute("DELETE FROM problems")
        self._db().execute("DELETE FROM holders")

    def set_holders(self, holders: dict[str, Holder | None]) -> None:
        """Record who holds each of some ids now (None: nobody)."""
        db = self._db()
        db.executemany("DELETE FROM holders WHERE key = ?", [(key,) for key in holders])
        db.executemany(
            "INSERT INTO holders VALUES (?, ?, ?, ?)",
            [
                (key, h.view.rel, int(h.valid), h.first)
                for key, h in holders.items()
                if h is not None
            ],
        )
