"""The validation cache: what each file contributes, kept between runs in ROOT/.paradecat-cache/.

One SQLite database (WAL, one transaction a run), so two runs at once cannot corrupt it. A row
per file holds its FileRecord (check/rules/index.py) and, for a valid entry, its parsed data
(what `build` needs), keyed by the file's path, how it is shown, the problem limit and the hash
of its bytes. The whole cache belongs to one version of the code: the hash of paradecat's own
source files and of the versions of the libraries that decide what is valid. Another version's
cache, or a file that is not a cache at all, is emptied and filled again; a file that SQLite
cannot read is removed and made anew. Nothing here ever raises: without a usable cache, a run
is simply a cold one.

A file's bytes are hashed again only when its size, times or inode differ from those recorded
with its row, and the recorded ones are trusted only when the file was already two seconds
old when they were taken (a change within the file system's clock tick could keep them).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.files import file_digest
from .memo import CACHE_DIR, code_version
from .rules.index import FileRecord

_DB = "validate.sqlite"
_FORMAT = "paradecat-validation-cache 1"
_TRUST_AFTER_NS = 2_000_000_000  # a file's stat is trusted once it is this old


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


def _signature(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@dataclass
class _Row:
    display: str
    limit: int
    signature: tuple[int, int, int, int] | None  # None: not to be trusted, hash the bytes
    digest: str
    record: str


class ValidationCache:
    """The rows of the last runs, and what this run will write back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / CACHE_DIR
        self.rows: dict[str, _Row] = {}
        self.writes: dict[str, tuple[Any, ...]] = {}
        self.seen: set[str] = set()
        self.usable = False
        self.hits = 0
        try:
            self._read()
            self.usable = True
        except (sqlite3.Error, OSError, ValueError, TypeError):
            self.rows = {}
            self._reset()

    # --- reading ----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise OSError("not a cache folder")
        self.folder.mkdir(exist_ok=True)
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# paradecat's validation cache; remove it freely\n*\n")
        db = sqlite3.connect(self.folder / _DB, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def _read(self) -> None:
        db = self._connect()
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, display TEXT, "
                "lim INTEGER, size INTEGER, mtime INTEGER, ctime INTEGER, ino INTEGER, "
                "digest TEXT, record TEXT, data TEXT)"
            )
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != _FORMAT or meta.get("code") != code_version():
                return  # another version's rows: none is read, and this run replaces them
            for rel, display, limit, size, mtime, ctime, ino, digest, record in db.execute(
                "SELECT rel, display, lim, size, mtime, ctime, ino, digest, record FROM files"
            ):
                signature = None if size is None else (size, mtime, ctime, ino)
                self.rows[rel] = _Row(display, limit, signature, digest, record)
        finally:
            db.close()

    def _reset(self) -> None:
        """Make a cache that SQLite cannot read anew (it is rebuilt at the end of the run)."""
        with contextlib.suppress(OSError):
            for name in (_DB, _DB + "-wal", _DB + "-shm"):
                (self.folder / name).unlink(missing_ok=True)
        with contextlib.suppress(sqlite3.Error, OSError, ValueError):
            self._read()
            self.usable = True

    def lookup(
        self, rel: str, path: Path, display: str, limit: int, info: os.stat_result | None
    ) -> FileRecord | None:
        """The record kept for the file, when the file and the way it is shown are unchanged."""
        self.seen.add(rel)
        row = self.rows.get(rel)
        if row is None or row.display != display or row.limit != limit:
            return None
        if info is None or not stat.S_ISREG(info.st_mode):
            return None
        signature = _signature(info)
        if row.signature is None or signature != row.signature:
            try:
                raw = path.read_bytes()
            except OSError:
                return None
            if file_digest(raw) != row.digest:
                return None
            # the same bytes: keep the record, with the stat it has now
            self._note_stat(rel, info, row.digest)
        try:
            record = FileRecord.from_json(json.loads(row.record))
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        record.digest = row.digest
        self.hits += 1
        return record

    def _note_stat(self, rel: str, info: os.stat_result, digest: str) -> None:
        if rel not in self.writes:
            self.writes[rel] = ("stat", self._trusted(info), digest)

    @staticmethod
    def _trusted(info: os.stat_result) -> tuple[int, int, int, int] | None:
        old = info.st_mtime_ns < time.time_ns() - _TRUST_AFTER_NS
        return _signature(info) if old else None

    # --- writing ----------------------------------------------------------------------------

    def store(
        self,
        rel: str,
        path: Path,
        display: str,
        limit: int,
        info: os.stat_result | None,
        record: FileRecord,
        data: Any,
    ) -> None:
        """Keep what a file just checked gives (its stat was taken before it was read)."""
        if not record.digest or info is None or not stat.S_ISREG(info.st_mode):
            return
        self.seen.add(rel)
        self.writes[rel] = (
            "row",
            display,
            limit,
            self._trusted(info),
            record.digest,
            json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":")),
            None if data is None else json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        )

    def save(self) -> None:
        """Write this run's rows in one transaction, and drop those of files no longer there."""
        if not self.usable:
            return
        gone = [rel for rel in self.rows if rel not in self.seen]
        stale = not self.rows and not self.writes
        if not self.writes and not gone and not stale:
            return
        try:
            db = self._connect()
        except (sqlite3.Error, OSError):
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != _FORMAT or meta.get("code") != code_version():
                db.execute("DELETE FROM files")
                db.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [("format", _FORMAT), ("code", code_version())],
                )
            rows = []
            stats = []
            for rel, item in self.writes.items():
                if item[0] == "row":
                    _, display, limit, signature, digest, record, data = item
                    size, mtime, ctime, ino = signature or (None, None, None, None)
                    rows.append(
                        (rel, display, limit, size, mtime, ctime, ino, digest, record, data)
                    )
                else:
                    _, signature, digest = item
                    size, mtime, ctime, ino = signature or (None, None, None, None)
                    stats.append((size, mtime, ctime, ino, rel, digest))
            db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            db.executemany(
                "UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ? "
                "WHERE rel = ? AND digest = ?",
                stats,
            )
            db.executemany("DELETE FROM files WHERE rel = ?", [(rel,) for rel in gone])
            db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        finally:
            db.close()

    def entry_data(self) -> dict[str, Any]:
        """The parsed data of every valid entry kept, by the file's path below the root."""
        out: dict[str, Any] = {}
        try:
            db = self._connect()
        except (sqlite3.Error, OSError):
            return out
        try:
            for rel, digest, data in db.execute(
                "SELECT rel, digest, data FROM files WHERE data IS NOT NULL"
            ):
                out[rel] = (digest, data)
        except sqlite3.Error:
            return {}
        finally:
            db.close()
        return out
