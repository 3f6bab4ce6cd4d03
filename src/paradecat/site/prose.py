"""Reader text: the notes contributors write, with the ids they use replaced by names.

Notes in the catalogue name sources and entries by their ids ("(see 2025-05-07-astana)",
"(aviationweek-kazakhstan-l-410-delivery)"), by a short form of a source's id ("worldnewsam" for
worldnewsam-2025-05-07) or by a field's name ("first_showing"). A reader knows none of these: the
pages show the source's publisher, the entry's name and the field in words instead.
"""

from __future__ import annotations

import os
import re
import sqlite3
from typing import Any

# an id-like word: lower-case letters and digits, joined by hyphens or underscores
_TOKEN = re.compile(r"(?<![\w./-])[a-z0-9]+(?:[-_][a-z0-9]+)*(?![\w/]|\.\w)")
# the date and what follows it in a source's id: worldnewsam-2025-05-07 -> worldnewsam
_DATED = re.compile(r"^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*?)-(?:19|20)\d\d\b")
# the keys of a page's data whose text contributors wrote
NOTE_KEYS = frozenset(
    {
        "description",
        "note",
        "notes",
        "count_note",
        "personnel_note",
        "equipment_units_note",
        "aircraft_note",
        "formations_note",
    }
)

_cache: dict[tuple[str, int, int], dict[str, str]] = {}


def _database_file(conn: sqlite3.Connection) -> str:
    return str(conn.execute("pragma database_list").fetchone()[2])


def id_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Each id a note may use, and what a reader calls it (kept while the file is unchanged)."""
    path = _database_file(conn)
    key = (path, *_stamp(path))
    if key not in _cache:
        _cache.clear()
        _cache[key] = _gather(conn)
    return _cache[key]


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _gather(conn: sqlite3.Connection) -> dict[str, str]:
    names: dict[str, str] = {}
    publishers: dict[str, set[str]] = {}
    for source_id, publisher, title in conn.execute("select id, publisher, title from sources"):
        name = publisher or title
        if not name:
            continue
        names[source_id] = name
        dated = _DATED.match(source_id)
        if dated:
            publishers.setdefault(dated.group(1), set()).add(name)
    # a short form names a publisher only where every source it could stand for shares one
    for short, found in publishers.items():
        if len(found) == 1 and short not in names:
            names[short] = next(iter(found))
    for table in ("parades", "systems", "units", "people"):
        for entry_id, name in conn.execute(f"select id, name from {table}"):
            # a one-word id ("buk") is also an ordinary word: only ids with a hyphen or digit
            if name and re.search(r"[-\d]", entry_id):
                names.setdefault(entry_id, name)
    return names


def plain(text: str, names: dict[str, str]) -> str:
    """The note with every id replaced by its name, and field names in words."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in names:
            return names[token]
        if "_" in token and not token[0].isdigit():
            return token.replace("_", " ")
        return token

    return _TOKEN.sub(word, text)


def plain_notes(data: Any, names: dict[str, str]) -> Any:
    """The page's data with every contributor's note made plain (see `plain`), in place."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in NOTE_KEYS and isinstance(value, str):
                data[key] = plain(value, names)
            else:
                plain_notes(value, names)
    elif isinstance(data, list | tuple):
        for item in data:
            plain_notes(item, names)
    return data
