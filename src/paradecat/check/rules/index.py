"""What the catalogue-wide rules read: what each file contributes, and where its entry stands.

A FileRecord is what one file gives the catalogue, worked out from that file alone: its own
problems, the ids it defines and the references it makes, and the few facts of its entry that
rules across entries compare (a system's based_on, a parade's showings, a unit's country, the
numbers quotations support). The validation cache keeps it, so an unchanged file is not read
again; the CatalogueIndex gathers the records of every file and the catalogue-wide rules run on
it. A record is plain data (JSON in the cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...load.document import Document
from ...load.files import file_digest
from ...problems import Problem, Severity
from ..entries import file_pointer, related


def problem_to_json(p: Problem) -> list[Any]:
    return [p.path, p.line, p.column, p.code, p.message, p.pointer, p.severity.value, p.hint]


def problem_from_json(item: list[Any]) -> Problem:
    path, line, column, code, message, pointer, severity, hint = item
    return Problem(path, line, column, code, message, pointer, Severity(severity), hint)


@dataclass
class FileRecord:
    """What one accepted file contributes (see the module's docstring)."""

    kind: str
    stem: str  # the file's name without .yaml: the id it makes known even when unreadable
    loaded: bool  # it parsed as a mapping
    data_id: str | None = None  # its `id`, when a string
    entry_id: str | None = None  # the id of its valid entry
    partial_id: str | None = None  # the id of the entry built from its parts without problems
    kept: dict[str, list[int]] = field(default_factory=dict)  # a partial entry's list items kept
    left_out: list[str] = field(default_factory=list)  # a partial entry's parts left out
    problems: list[Problem] = field(default_factory=list)  # the loader's, schema's and models'
    entry_problems: list[Problem] = field(default_factory=list)  # the "entry" rules' on its entry
    raw_problems: list[Problem] = field(default_factory=list)  # the raw "entry" rules'
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (pointer, kind, id)
    facts: dict[str, Any] = field(default_factory=dict)  # its entry's facts for catalogue rules
    # set when the record is used, not kept: where the file is and how it is shown
    rel: str = ""  # catalog/FOLDER/NAME: the file's key in the cache
    display: str = ""
    path: Path | None = None
    digest: str = ""
    _doc: Document | None = None

    @property
    def view_id(self) -> str | None:
        """The id its entry has for the rules: the valid entry's, or the partial one's."""
        return self.entry_id if self.entry_id is not None else self.partial_id

    def to_json(self) -> list[Any]:
        return [
            self.kind,
            self.stem,
            self.loaded,
            self.data_id,
            self.entry_id,
            self.partial_id,
            self.kept,
            self.left_out,
            [problem_to_json(p) for p in self.problems],
            [problem_to_json(p) for p in self.entry_problems],
            [problem_to_json(p) for p in self.raw_problems],
            [list(r) for r in self.refs],
            self.facts,
        ]

    @classmethod
    def from_json(cls, item: list[Any]) -> FileRecord:
        (kind, stem, loaded, data_id, entry_id, partial_id, kept, left_out) = item[:8]
        problems, entry_problems, raw_problems, refs, facts = item[8:]
        return cls(
            kind,
            stem,
            loaded,
            data_id,
            entry_id,
            partial_id,
            kept,
            left_out,
            [problem_from_json(p) for p in problems],
            [problem_from_json(p) for p in entry_problems],
            [problem_from_json(p) for p in raw_problems],
            [(r[0], r[1], r[2]) for r in refs],
            facts,
        )

    def document(self) -> Document:
        """The file's document for locating problems, read again only when a problem needs it.

        A file that has changed since its record was made is not located (every position 1:1).
        """
        if self._doc is None:
            text = None
            if self.path is not None:
                try:
                    raw = self.path.read_bytes()
                    if file_digest(raw) == self.digest:
                        text = raw.decode("utf-8")
                except (OSError, UnicodeDecodeError):
                    text = None
            self._doc = (
                Document(self.display, None, {}, {})
                if text is None
                else Document(self.display, None, text=text)
            )
        return self._doc

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        return self.document().locate(pointer, key=key)


@dataclass
class CatalogueIndex:
    """Every file's record, and where each entry stands: what the catalogue-wide rules read.

    `valid` holds the file of each valid entry (the catalogue); `view` adds the entries built
    from the parts without problems of files with errors, which the rules that are not raw see.
    """

    known_ids: dict[str, set[str]]
    loaded: list[FileRecord]  # every parsed file, in order
    valid: dict[tuple[str, str], FileRecord]
    view: dict[tuple[str, str], FileRecord]
    memo: dict[str, Any] = field(default_factory=dict)  # what several rules work out alike

    def sorted_ids(self, kind: str) -> list[str]:
        """The known ids of one kind in order (a "did you mean" is the same whatever the order)."""
        kept = self.memo.get(f"ids/{kind}")
        if kept is None:
            kept = self.memo[f"ids/{kind}"] = sorted(self.known_ids[kind])
        return kept

    def of_kind(self, kind: str) -> Iterator[tuple[str, FileRecord]]:
        """(id, record) of the entries of one kind that rules see, in the catalogue's order."""
        for (k, entry_id), record in self.view.items():
            if k == kind:
                yield entry_id, record

    def at(
        self, kind: str, entry_id: str, pointer: str, code: str, message: str, hint: str | None
    ) -> Problem | None:
        """A problem at pointer in the entry kind/entry_id as the rules see it.

        In an entry built from part of a file, the pointer is turned into the file's own; a
        problem at or about a part left out is a consequence of that part's own problem, and
        None is returned.
        """
        record = self.view[(kind, entry_id)]
        if record.entry_id is None:
            pointer = file_pointer(record.kept, pointer)
            if pointer and any(related(pointer, out) for out in record.left_out):
                return None
        line, col = record.locate(pointer)
        return Problem(record.display, line, col, code, message, pointer=pointer, hint=hint)

    def raw_at(
        self, record: FileRecord, pointer: str, code: str, message: str, hint: str | None
    ) -> Problem:
        """A problem at pointer in the file itself (what a raw rule reports)."""
        line, col = record.locate(pointer)
        return Problem(record.display, line, col, code, message, pointer=pointer, hint=hint)
