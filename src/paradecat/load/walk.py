"""The walk of catalog/: every folder below it with the files it lists and their lstat.

A walk is two steps: scan() reads every folder and the lstat of everything in it, in the order
the folder lists them, and folders() puts that in the catalogue's order. It imports nothing but
the standard library, so that `paradecat validate` can scan the tree and hash the scan
(check/memo.py) before it loads the validator, and hand the same scan on to it: a run with
nothing changed pays for the scan alone, and one with a change does not scan twice.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

# folders below catalog/ that are read: an entry is catalog/KIND/ID.yaml, so this leaves room for
# mistakes to be reported, and a deeper folder is reported without being entered
MAX_FOLDER_DEPTH = 8

Listing = list[tuple[str, "os.stat_result | None"]]


class Scan:
    """catalog/ as read: each folder entered, by its path below the root, with its path, its depth
    (catalog/ is 0) and its entries as the folder listed them; the folders that could not be
    listed; and catalog/'s own lstat when it is a symlink (which is never followed)."""

    # a plain class: dataclasses imports inspect, a third of a run that changes nothing
    __slots__ = ("folders", "link", "linked", "root", "unread")

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: dict[str, tuple[str, int, Listing]] = {}
        self.unread: list[str] = []
        self.link: os.stat_result | None = None
        self.linked = False


def _lstat(entry: os.DirEntry[str]) -> os.stat_result | None:
    try:
        return entry.stat(follow_symlinks=False)
    except OSError:
        return None


def scan(root: Path) -> Scan:
    """Read every folder under root/catalog/ (see the module's docstring), in plain strings:
    100,000 files cost 0.3 s so, against 2 s as pathlib objects."""
    found = Scan(root)
    catalog = root / "catalog"
    if catalog.is_symlink():
        # os.walk follows a symlink at its top: report catalog/ itself instead of reading elsewhere
        found.linked = True
        with contextlib.suppress(OSError):
            found.link = catalog.lstat()
        return found
    # Walked with a stack, not os.walk, which recurses in Python 3.11: 1,000 nested folders (which
    # git commits happily) ended in a RecursionError. A folder deeper than MAX_FOLDER_DEPTH is not
    # entered; it is listed itself, for the validator to report.
    stack = [(str(catalog), "catalog", 0)]
    while stack:
        base, rel_dir, depth = stack.pop()
        try:
            with os.scandir(base) as entries:
                listed = [(entry.name, _lstat(entry)) for entry in entries]
        except OSError:
            found.unread.append(base)
            continue
        found.folders[rel_dir] = (base, depth, listed)
        if depth < MAX_FOLDER_DEPTH:
            for name, info in listed:
                if info is not None and stat.S_ISDIR(info.st_mode):
                    stack.append((f"{base}/{name}", f"{rel_dir}/{name}", depth + 1))
    return found


_NAME = itemgetter(0)


def folders(found: Scan) -> Iterator[tuple[str, str, str, Listing]]:
    """(folder path, rel, kind folder, [(name, lstat)]) for each folder scanned, in the
    catalogue's order, with the files it lists (and the folders too deep to enter) by name. A
    catalog/ that is a symlink is listed as one file, catalog itself; a folder that could not be
    listed is left out."""
    if found.linked:
        yield str(found.root), "", "", [("catalog", found.link)]
        return
    stack = ["catalog"]
    while stack:
        rel_dir = stack.pop()
        if rel_dir not in found.folders:
            continue
        base, depth, listed = found.folders[rel_dir]
        parts = rel_dir.split("/")
        subfolders = []
        files: Listing = []
        for name, info in sorted(listed, key=_NAME):
            if depth < MAX_FOLDER_DEPTH and info is not None and stat.S_ISDIR(info.st_mode):
                subfolders.append(f"{rel_dir}/{name}")
            else:
                files.append((name, info))
        yield base, rel_dir, parts[1] if len(parts) > 1 else "", files
        stack.extend(reversed(subfolders))


def walk_folders(root: Path) -> Iterator[tuple[str, str, str, Listing]]:
    """folders() of a new scan of root/catalog/."""
    return folders(scan(root))
