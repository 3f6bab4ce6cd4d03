"""The rule engine: a rule is a function registered with @rule(code, severity, scope=...).

A rule's scope says what its answer for a file depends on, which is what the validation cache
may keep (check/cache.py):

- "entry": the one entry (or, raw, the one parsed file) alone. It takes a Catalog holding just
  that entry, runs once per file when the file is checked, and is not run again while the file
  is unchanged.
- "catalogue": other entries too (references, first showings, quotations used twice). It takes
  the CatalogueIndex (index.py), made of what each file contributes, and the keys to work out
  (None: every key), and yields (key, problem) pairs. A key names a group of files in the rule's
  `space` (a system for first showings, a quotation for quote-reused): the problems of a key
  depend only on the files in its group (rules/__init__.py SPACES says which files those are).
  So when one file changes, only the groups it was or is in are worked out again (incremental.py),
  from the files in those groups alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ...catalog import Catalog
from ...model import (
    SLUG_PATTERN,
)
from ...problems import Problem, Severity

Check = Callable[..., Iterator[Any]]
Keys = Collection[str] | None  # the keys a catalogue rule works out; None: every key
Keyed = tuple[str, Problem | None]  # what a catalogue rule yields: the key and its problem
Scope = Literal["entry", "catalogue"]
SLUG_RE = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Rule:
    """A cross-entry check: its code, severity, documentation and function."""

    code: str
    severity: Severity
    check: Check
    # reads the parsed documents (catalog.loaded), whose pointers are the files' own, rather
    # than the entries: such a rule runs once, on the valid catalogue
    raw: bool = False
    scope: Scope = "entry"
    space: str | None = None  # a catalogue rule's groups (see the module's docstring)
    whole: bool = False  # reported only when every file could be read

    @property
    def doc(self) -> str:
        """The rule's documentation, PASS and FAIL examples included."""
        return (self.check.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.splitlines()[0] if self.doc else ""


RULES: list[Rule] = []


def rule(
    code: str,
    severity: Severity = Severity.error,
    *,
    raw: bool = False,
    scope: Scope = "entry",
    space: str | None = None,
    whole: bool = False,
) -> Callable[[Check], Check]:
    """Register a rule function under a code (raw: it reads the parsed documents, not the entries;
    scope: "entry" when its answer for a file depends on that file alone, else "catalogue", with
    the space of its groups; whole: reported only when every file was read)."""
    if (scope == "catalogue") != (space is not None):
        raise ValueError(f"rule {code}: a catalogue rule, and only one, names its space")

    def register(check: Check) -> Check:
        RULES.append(Rule(code, severity, check, raw, scope, space, whole))
        return check

    return register


def run_rules(subject: Any, raw: bool, scope: Scope) -> list[Problem]:
    """The problems of the rules of one scope that are or are not raw.

    subject is a Catalog of one entry (the "entry" scope; the catalogue rules run through
    run_catalogue).
    """
    out: list[Problem] = []
    for item in RULES:
        if item.raw is not raw or item.scope != scope:
            continue
        for problem in item.check(subject):
            if problem is None:
                continue  # at a part of a file left out for its own problem
            out.append(_severe(problem, item))
    return out


def run_catalogue(
    index: Any, keys: dict[str, set[str]] | None
) -> Iterator[tuple[Rule, str, Problem]]:
    """(rule, key, problem) of the catalogue rules, for the keys of each space (None: all keys)."""
    for item in RULES:
        if item.scope != "catalogue":
            continue
        wanted = None if keys is None else keys.get(item.space or "")
        if keys is not None and not wanted:
            continue
        for key, problem in item.check(index, wanted):
            if problem is None:
                continue  # at a part of a file left out for its own problem
            yield item, key, _severe(problem, item)


def _severe(problem: Problem, item: Rule) -> Problem:
    return problem if problem.severity == item.severity else _with_severity(problem, item.severity)


def _with_severity(problem: Problem, severity: Severity) -> Problem:
    return Problem(
        problem.path,
        problem.line,
        problem.column,
        problem.code,
        problem.message,
        problem.pointer,
        severity,
        problem.hint,
    )


def at(
    catalog: Catalog,
    kind: str,
    entry_id: str,
    pointer: str,
    code: str,
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
) -> Problem:
    """A problem located at pointer (or at its key) in the file of the entry kind/entry_id."""
    doc = catalog.document(kind, entry_id)
    line, col = doc.locate(pointer, key=key)
    return Problem(doc.path, line, col, code, message, pointer=pointer, hint=hint)
