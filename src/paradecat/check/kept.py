"""What checking one file gives, and what the validation cache keeps of it, as text.

A file is read and checked in either process (load/reading.py's map_files); turning what it
gave into the cache's text there too spreads that work over both, and what comes back to the
parent is a few strings instead of the objects they are made from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..load.document import Document
from ..model import ENTRY_MODELS, Entry
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


@dataclass
class Checked:
    """What checking one file gave: its record, for a valid entry its entry and document, and
    for a run with the cache what the cache keeps of it."""

    record: FileRecord
    entry: Entry | None
    doc: Document | None
    kept: Kept | None

    def __reduce__(self) -> tuple[Any, ...]:
        # sent from the other process without the entry, which is made again from the data as
        # checking made it (pickling a model tree costs several times validating it), and with
        # the cache, without the document: the data's text is kept anyway, and what reads a
        # valid entry's document after validation (the build) reads no positions
        valid = self.entry is not None
        if valid and self.kept is not None and self.kept.data is not None:
            return _made_again, (self.record, valid, None, self.kept)
        return _made_again, (self.record, valid, self.doc, self.kept)


def _made_again(
    record: FileRecord, valid: bool, doc: Document | None, kept: Kept | None
) -> Checked:
    if valid and doc is None and kept is not None and kept.data is not None:
        doc = Document(record.display, json.loads(kept.data), {}, {})
    entry = ENTRY_MODELS[record.kind].model_validate(doc.data) if valid and doc else None
    return Checked(record, entry, doc, kept)
