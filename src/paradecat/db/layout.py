"""Where the last build put every entry's rows, kept beside the validation cache (issue 16).

A build with the cache on keeps, for the database it wrote, every entry's file digest and its
Placed (rowset.py): how many rows it has in each table keyed by a row number, the countries it
names, the people whose names its rows take, and a person's own name. It keeps the database's
size, modification time and inode too, so that a database changed, moved or written by anything
else since is never patched. The next build asks select() which entries to read: only the ones
whose rows must be written again (patch.py), or every one, for a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..check.memo import CACHE_DIR, code_version
from ..check.validate import Valid
from .rows import GATHER_ORDER
from .rowset import NUMBERED, Placed

_FORMAT = "paradecat-build-layout 1"
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
    """What a patch does: the entries in the order their rows go, the old layout, the entries
    whose rows are written again, the ones removed, and the database's identity when planned."""

    order: list[Key]
    old: list[Placed]
    digests: dict[Key, str | None]
    rewrite: set[Key]
    removed: set[Key]
    database: list[int]

    @cached_property
    def by_key(self) -> dict[Key, Placed]:
        """The old layout's entries by (kind, id)."""
        return {(p.kind, p.id): p for p in self.old}


class Layout:
    """The layout kept for one target database, under ROOT/.paradecat-cache/."""

    def __init__(self, root: Path, target: Path) -> None:
        self.target = target.resolve() if target.parent.exists() else target
        name = hashlib.sha256(str(self.target).encode()).hexdigest()[:16]
        self.path = root / CACHE_DIR / f"build-{name}.json"
        self.plan: Plan | None = None

    def _read(self) -> tuple[list[Placed], dict[Key, str | None], list[int]] | None:
        """The kept layout, when it is this code's and describes the database at the target."""
        try:
            kept: dict[str, Any] = json.loads(self.path.read_bytes())
            if kept["format"] != _FORMAT or kept["code"] != code_version():
                return None
            if kept["target"] != str(self.target):
                return None
            database = identity(os.stat(self.target))
            if kept["database"] != database:
                return None
            placed, digests = [], {}
            for kind, entry_id, digest, counts, countries, depends_on, name in kept["entries"]:
                if kind not in _ORDER or len(counts) != len(NUMBERED):
                    return None
                placed.append(
                    Placed(kind, entry_id, tuple(counts), tuple(countries), tuple(depends_on), name)
                )
                digests[(kind, entry_id)] = digest
            return placed, digests, database
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def select(self, valid: list[Valid]) -> set[str] | None:
        """The files whose entries a patch rewrites, or None for a full build: when nothing is
        kept for the database at the target, or more than a tenth of the catalogue changed."""
        self.plan = None
        kept = self._read()
        if kept is None:
            return None
        old, old_digests, database = kept
        digests = {(v.kind, v.id): v.digest for v in valid}
        changed = {
            key
            for key, digest in digests.items()
            if digest is None or key not in old_digests or old_digests[key] != digest
        }
        removed = set(old_digests) - set(digests)
        people = {entry_id for kind, entry_id in changed | removed if kind == "person"}
        # a parade whose roles take a changed person's name from their entry
        rewrite = changed | {
            (p.kind, p.id)
            for p in old
            if people.intersection(p.depends_on) and (p.kind, p.id) in digests
        }
        if len(rewrite) + len(removed) > max(200, len(valid) // 10):
            return None
        order = sorted(digests, key=gather_key)
        self.plan = Plan(order, old, digests, rewrite, removed, database)
        rels = {(v.kind, v.id): v.rel for v in valid}
        return {rels[key] for key in rewrite}

    def save(
        self, placed: list[Placed], digests: dict[Key, str | None], written: list[int]
    ) -> None:
        """Keep where every entry's rows went in the database just written (its identity given);
        a layout that cannot be written is only a full build next time."""
        kept = {
            "format": _FORMAT,
            "code": code_version(),
            "target": str(self.target),
            "database": written,
            "entries": [[p.kind, p.id, digests.get((p.kind, p.id)), *p[2:]] for p in placed],
        }
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".build-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    # dumps, not dump: dump encodes in Python, dumps in C (10 times faster)
                    handle.write(json.dumps(kept, separators=(",", ":")).encode())
                os.replace(tmp, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def forget(self) -> None:
        """Keep nothing: the next build is a full one."""
        with contextlib.suppress(OSError):
            self.path.unlink()
