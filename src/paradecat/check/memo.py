"""The last answer of `paradecat validate`, given again at once when nothing it read has changed.

The answer (the text it printed and whether the catalogue was valid) is a function of the code,
of how it was asked (the format, the problem limit, the paths, the current folder) and of the
files under ROOT/catalog/. The memo keeps the last answer beside a hash of all three, in
ROOT/.paradecat-cache/ with the validation cache (cache.py). The hash covers every folder and
file under catalog/ with its lstat (type, size, times in nanoseconds, inode), so an edit, a
`touch`, a rename, an addition or a removal anywhere changes it. A tree with a file or folder
modified less than two seconds before it was looked at is not trusted (a second change within
the file system's clock tick could leave the times as they were), and neither is one with a
folder too deep to enter or one that could not be listed: those runs are neither answered from
the memo nor kept in it. The walk that is hashed is the one the validator then lists the files
from, so a run that must work its answer out walks the tree once.

This module imports nothing heavy, so that a re-run with no change costs little more than the
walk: it is the pre-commit hook's and the editor's usual case.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..load.walk import MAX_FOLDER_DEPTH, Scan, scan

CACHE_DIR = ".paradecat-cache"
MEMO_FILE = "last-validate.json"
_TRUST_AFTER_NS = 2_000_000_000  # a file's stat is trusted once it is this old


# the libraries whose versions decide what is valid (their distributions' names)
DECIDING = (
    "pydantic",
    "pydantic-core",
    "pyyaml",
    "jsonschema-rs",
    "jsonschema",
    "pycountry",
    "rapidfuzz",
)


def default_format() -> str:
    """How a run not told a format writes its problems: GitHub's annotations under GitHub
    Actions, else text. Here, with nothing heavy, for the command line and for the answer given
    before it is loaded (paradecat/__main__.py), whose memo keys must agree."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """The versions of DECIDING as installed, from their `.dist-info` folders' names, without
    importing them (pydantic alone takes 60 ms to import: most of a run that changes nothing)."""
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return {}
    folder = os.path.dirname(os.path.dirname(spec.origin))
    found = {}
    for item in os.listdir(folder):
        if item.endswith(".dist-info"):
            name, _, version = item[: -len(".dist-info")].rpartition("-")
            if _canonical(name) in DECIDING:
                found[_canonical(name)] = version
    return found


@functools.cache
def code_version() -> str:
    """The hash of paradecat's source files, of Python's version and of the versions of the
    libraries that decide what is valid."""
    from .. import __version__

    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    versions = installed_versions()
    if set(versions) != set(DECIDING):  # not an installation laid out as pip lays it out
        from importlib.metadata import version

        versions = {name: version(name) for name in DECIDING}
    text = json.dumps([__version__, sys.version, sorted(versions.items())])
    digest.update(text.encode())
    return digest.hexdigest()


# a walk made by paradecat/__main__.py for an answer the memo did not have, handed to the
# command line that works the answer out: (folder, root, scan, hash), taken once
_handed: tuple[str, str, Scan, str | None] | None = None


def walk(root: Path, hand_on: bool = False) -> tuple[Scan, str | None]:
    """The scan of catalog/ (load/walk.py), which the validator lists the files from, and the
    hash of every folder and file in it with its lstat: None when it is not to be trusted.
    hand_on: keep it for the next walk of the same root in this process, which takes it instead
    of walking again (a run the memo could not answer at once walks the tree once)."""
    global _handed
    here = (os.getcwd(), str(root))
    handed, _handed = _handed, None
    if handed is not None and handed[:2] == here:
        return handed[2], handed[3]
    found = scan(root)
    tree = _tree_hash(root, found)
    if hand_on:
        _handed = (*here, found, tree)
    return found, tree


def forget_walk() -> None:
    """Let go of a walk kept by walk(hand_on=True) that nothing will take."""
    global _handed
    _handed = None


def _tree_hash(root: Path, found: Scan) -> str | None:
    digest = hashlib.blake2b(digest_size=16)
    newest = time.time_ns() - _TRUST_AFTER_NS
    try:
        top = (root / "catalog").lstat()
    except OSError:
        digest.update(b"no catalog")
        return digest.hexdigest()
    digest.update(f"{top.st_mode} {top.st_mtime_ns} {top.st_ctime_ns} {top.st_ino}\n".encode())
    if found.linked or not stat.S_ISDIR(top.st_mode):  # the validator reports catalog itself
        return digest.hexdigest()
    if found.unread:
        return None
    # each folder in the order it was scanned, its entries in the order it listed them (a folder
    # that lists them in another order gives another hash, which only costs a run worked out)
    for rel_dir, (_, depth, listed) in found.folders.items():
        lines = []
        for name, info in listed:
            if info is None or info.st_mtime_ns > newest:
                return None  # gone while listed, or too new to be trusted
            if depth >= MAX_FOLDER_DEPTH and stat.S_ISDIR(info.st_mode):
                return None  # a folder too deep for the walk to enter
            lines.append(
                f"{rel_dir}/{name}\0{info.st_mode} {info.st_size} {info.st_mtime_ns} "
                f"{info.st_ctime_ns} {info.st_ino}\n"
            )
        digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def memo_key(root: Path, asked: Sequence[object], tree: str | None) -> str | None:
    """The key of this run's answer, from the tree's hash (walk), or None when it must be worked
    out (and not kept)."""
    if tree is None:
        return None
    text = json.dumps([code_version(), os.getcwd(), str(root), [str(a) for a in asked], tree])
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def recall(root: Path, key: str | None) -> tuple[str, bool] | None:
    """The answer kept under key: (the text printed, valid or not); None if there is none."""
    if key is None:
        return None
    path = root / CACHE_DIR / MEMO_FILE
    try:
        if path.is_symlink():
            return None
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] == key and isinstance(kept["output"], str):
            return kept["output"], bool(kept["ok"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def remember(root: Path, key: str | None, output: str, ok: bool) -> None:
    """Keep this run's answer under key, atomically; never raises."""
    folder = root / CACHE_DIR
    if key is None or not folder.is_dir() or folder.is_symlink():
        return  # the validation cache made the folder; without it, nothing is kept
    import tempfile

    with contextlib.suppress(OSError, ValueError):
        fd, tmp = tempfile.mkstemp(prefix=".memo-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "ok": ok, "output": output}, out, ensure_ascii=False)
            os.replace(tmp, folder / MEMO_FILE)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
