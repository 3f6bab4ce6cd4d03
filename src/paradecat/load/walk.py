"""The walk of catalog/: every folder below it with the files it lists and their lstat.

It imports nothing but the standard library, so that `paradecat validate` can walk the tree and
hash it (check/memo.py) before it loads the validator, and hand the same walk on to it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

# folders below catalog/ that are read: an entry is catalog/KIND/ID.yaml, so this leaves room for
# mistakes to be reported, and a deeper folder is reported without being entered
MAX_FOLDER_DEPTH = 8

Listing = list[tuple[str, "os.stat_result | None"]]


def walk_folders(
    root: Path, unread: list[str] | None = None
) -> Iterator[tuple[str, str, str, Listing]]:
    """(folder path, rel, kind folder, [(name, lstat)]) for each folder under root/catalog/, with
    the files it lists (and the folders too deep to enter) in order, in plain strings: 100,000
    files cost 0.3 s so, against 2 s as pathlib objects. A catalog/ that is a symlink is listed
    as one file, catalog itself. A folder that cannot be listed is left out (and added to unread)."""
    catalog = root / "catalog"
    if catalog.is_symlink():
        # os.walk follows a symlink at its top: report catalog/ itself instead of reading elsewhere
        try:
            info: os.stat_result | None = catalog.lstat()
        except OSError:
            info = None
        yield str(root), "", "", [("catalog", info)]
        return
    # Walked with a stack, not os.walk, which recurses in Python 3.11: 1,000 nested folders (which
    # git commits happily) ended in a RecursionError. A folder deeper than MAX_FOLDER_DEPTH is not
    # entered; it is listed itself, for the validator to report.
    stack = [(str(catalog), "catalog", 0)]
    while stack:
        base, rel_dir, depth = stack.pop()
        try:
            with os.scandir(base) as scan:
                items = sorted((e.name, e) for e in scan)
        except OSError:
            if unread is not None:
                unread.append(base)
            continue
        parts = rel_dir.split("/")
        folder = parts[1] if len(parts) > 1 else ""
        subfolders = []
        files: Listing = []
        for name, entry in items:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                info = None
            if info is not None and stat.S_ISDIR(info.st_mode) and depth + 1 <= MAX_FOLDER_DEPTH:
                subfolders.append((entry.path, f"{rel_dir}/{name}", depth + 1))
            else:
                files.append((name, info))
        yield base, rel_dir, folder, files
        stack.extend(reversed(subfolders))
