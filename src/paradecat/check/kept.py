"""What the validation cache keeps of one file, as text, made where the file is checked.

A file is read and checked in either process (load/reading.py's map_files); turning what it
gave into the cache's text there too spreads that work over both, and what comes back to the
parent is a few strings instead of the objects they are made from.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from .groups import record_keys
from .rules.index import FileRecord


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Kept(NamedTuple):
    """A file's row of the cache, but its place and stat: its record, its groups by space, and
    a valid entry's parsed data when a build keeps it (JSON each)."""

    record: str
    groups: str
    data: str | None


def kept(record: FileRecord, data: Any) -> Kept:
    listed = {space: sorted(keys) for space, keys in record_keys(record).items() if keys}
    return Kept(dumps(record.to_json()), dumps(listed), None if data is None else dumps(data))
