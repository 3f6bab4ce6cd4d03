"""The Catalog: every valid entry, indexed by kind and id. The one value that passes from check to db.

check/ builds it while it validates; the cross-entry rules read it, and db/ writes it to SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .load.document import Document
from .model import ENTRY_MODELS, Entry, Parade, Person, Source, System, Unit

_TABLES = {
    "source": "sources",
    "system": "systems",
    "unit": "units",
    "person": "people",
    "parade": "parades",
}


@dataclass
class Catalog:
    """Every valid entry, indexed by kind and id, with the parsed documents for locating problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    parades: dict[str, Parade] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    # every parsed document, valid or not, so that references are checked even in files with errors
    loaded: list[tuple[str, Document]] = field(default_factory=list)
    # false when some file could not be parsed at all, so catalogue-wide conclusions are unsafe
    complete: bool = True
    # what the rules work out of a catalogue that changes no more (one entry's, while its rules
    # run), shared between them: "entries", the list entries() gives, then "facts"
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self, kind: str) -> dict[str, Any]:
        """The entries of one kind, by id."""
        table: dict[str, Any] = getattr(self, _TABLES[kind])
        return table

    def entries(self) -> Iterator[tuple[str, Entry]]:
        """Every entry with its kind, in a stable order."""
        if "entries" in self.memo:
            yield from self.memo["entries"]
            return
        for kind in ENTRY_MODELS:
            table = self.table(kind)
            for entry_id in sorted(table) if len(table) > 1 else table:
                yield kind, table[entry_id]

    def document(self, kind: str, entry_id: str) -> Document:
        """The parsed file an entry came from."""
        return self.documents[(kind, entry_id)]
