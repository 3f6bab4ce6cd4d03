"""Typed entries from documents: the models' problems, and a best-effort entry for a file with errors.

A file with a schema or model error still holds facts that the cross-entry rules can check, so
every mistake is reported at once. best_effort leaves out each part of the file that has a
problem (a whole top-level field, or one item of a top-level list such as one appearance) and
builds the entry from the rest. It gives up when a problem is in a required field, or in a field
that rules read for other fields (the entry's own sources), because no honest entry can be built
without it. Rules run on such an entry report only what its kept parts show; what they say at a
left-out part (or about it) would be a cascade of the first error, and validate drops it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as ModelError

from ..load.document import Document
from ..model import ENTRY_MODELS, Entry
from ..model.schema import schema_for
from ..problems import Problem
from .schemaerrors import json_pointer

# fields that rules read for other fields: an entry without them would report cascades
_SHARED_FIELDS = frozenset({"id", "sources"})
_ROUNDS = 4  # each round leaves out what the models still reject; real files settle in one


def _same(pointer: str) -> str:
    return pointer


def _entry_or_problems(
    doc: Document, kind: str, data: Any, to_doc: Callable[[str], str]
) -> tuple[Entry | None, list[Problem]]:
    try:
        return ENTRY_MODELS[kind].model_validate(data), []
    except ModelError as exc:
        problems = []
        for err in exc.errors():
            parts = [p for p in err["loc"] if isinstance(p, int) or not p[:1].isupper()]
            ctx = err.get("ctx") or {}
            # a check on a whole record names the field it is about, so the problem points there
            pointer = to_doc(json_pointer([*parts, ctx["field"]] if "field" in ctx else parts))
            line, col = doc.locate(pointer)
            code = err["type"] if "-" in err["type"] else "model"
            message = err["msg"].removeprefix("Value error, ")
            hint = ctx.get("hint")
            problems.append(Problem(doc.path, line, col, code, message, pointer=pointer, hint=hint))
        return None, problems


def model_problems(doc: Document, kind: str) -> tuple[Entry | None, list[Problem]]:
    """Build the typed entry; rules the schema cannot express come back as located problems."""
    return _entry_or_problems(doc, kind, doc.data, _same)


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def related(pointer: str, other: str) -> bool:
    """Whether one pointer is the other or lies below it."""
    return pointer == other or pointer.startswith(other + "/") or other.startswith(pointer + "/")


def file_pointer(kept: dict[str, list[int]], pointer: str) -> str:
    """The pointer into the file for a pointer into an entry built with list items left out."""
    parts = pointer.split("/")
    if len(parts) > 2 and parts[1] in kept and parts[2].isdigit():
        index = int(parts[2])
        if index < len(kept[parts[1]]):
            parts[2] = str(kept[parts[1]][index])
    return "/".join(parts)


@dataclass
class Partial:
    """An entry built from the parts of a file without problems, and what was left out."""

    entry: Entry
    # for each top-level list with items left out: the file's index of each item kept, in order
    kept: dict[str, list[int]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # pointers into the file
    problems: list[Problem] = field(default_factory=list)  # the models' problems in what was kept

    def file_pointer(self, pointer: str) -> str:
        """The pointer into the file for a pointer into the entry (list items left out shift the rest)."""
        return file_pointer(self.kept, pointer)

    def touches_left_out(self, pointer: str) -> bool:
        """Whether a problem at this file pointer is at, in or around a part that was left out."""
        return bool(pointer) and any(related(pointer, out) for out in self.left_out)


class _Pruner:
    """What to leave out of one document's data: whole top-level fields, or items of top-level lists."""

    def __init__(self, doc: Document, kind: str) -> None:
        self.data = doc.data
        self.required = frozenset(schema_for(kind).get("required", ())) | _SHARED_FIELDS
        self.fields: set[str] = set()
        self.items: dict[str, set[int]] = {}

    def leave_out(self, pointer: str) -> bool:
        """Leave out the part holding pointer; False when it cannot be left out."""
        parts = _parts(pointer)
        if not parts or parts[0] in self.required:
            return False
        top = parts[0]
        value = self.data.get(top)
        if isinstance(value, list) and len(parts) > 1 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(value) and top not in self.fields:
                self.items.setdefault(top, set()).add(index)
                return True
        self.fields.add(top)
        self.items.pop(top, None)
        return True

    def kept_data(self) -> tuple[dict[str, Any], dict[str, list[int]]]:
        data: dict[str, Any] = {}
        kept: dict[str, list[int]] = {}
        for key, value in self.data.items():
            if key in self.fields:
                continue
            out = self.items.get(key)
            if out and isinstance(value, list):
                kept[key] = [i for i in range(len(value)) if i not in out]
                value = [value[i] for i in kept[key]]
            data[key] = value
        return data, kept

    def left_out(self) -> list[str]:
        pointers = [json_pointer([name]) for name in sorted(self.fields)]
        for name in sorted(self.items):
            pointers += [json_pointer([name, i]) for i in sorted(self.items[name])]
        return pointers


def best_effort(doc: Document, kind: str, problems: Iterable[Problem]) -> Partial | None:
    """The entry made of the parts of doc that have none of problems, or None when there is none."""
    if not isinstance(doc.data, dict):
        return None
    pruner = _Pruner(doc, kind)
    for problem in problems:
        if problem.path == doc.path and not pruner.leave_out(problem.pointer):
            return None
    found: list[Problem] = []
    for _ in range(_ROUNDS):
        data, kept = pruner.kept_data()
        entry, more = _entry_or_problems(doc, kind, data, functools.partial(file_pointer, kept))
        if entry is not None:
            return Partial(entry, kept, pruner.left_out(), found)
        left_out = pruner.left_out()
        new = [p for p in more if not any(related(p.pointer, out) for out in left_out)]
        if not new:
            return None
        for problem in new:
            if not pruner.leave_out(problem.pointer):
                return None
        found += new
    return None
