"""The rule engine: a rule is a function registered with @rule(code, severity, scope=...).

A rule's scope says what its answer for a file depends on, which is what the validation cache
may keep (check/cache.py):

- "entry": the one entry (or, raw, the one parsed file) alone. It takes a Catalog holding just
  that entry, runs once per file when the file is checked, and is not run again while the file
  is unchanged.
- "catalogue": other entries too (uniqueness, references, first showings). It takes the
  CatalogueIndex (index.py), made of what each file contributes, and runs on every validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ...catalog import Catalog
from ...model import (
    SLUG_PATTERN,
)
from ...problems import Problem, Severity

Check = Callable[[Any], Iterator[Problem | None]]
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
    code: str, severity: Severity = Severity.error, *, raw: bool = False, scope: Scope = "entry"
) -> Callable[[Check], Check]:
    """Register a rule function under a code (raw: it reads the parsed documents, not the entries;
    scope: "entry" when its answer for a file depends on that file alone, else "catalogue")."""

    def register(check: Check) -> Check:
        RULES.append(Rule(code, severity, check, raw, scope))
        return check

    return register


def run_rules(subject: Any, raw: bool, scope: Scope) -> list[Problem]:
    """The problems of the rules of one scope that are or are not raw.

    subject is a Catalog of one entry for the "entry" scope, the CatalogueIndex for "catalogue".
    """
    out: list[Problem] = []
    for item in RULES:
        if item.raw is not raw or item.scope != scope:
            continue
        for problem in item.check(subject):
            if problem is None:
                continue  # at a part of a file left out for its own problem
            out.append(
                problem
                if problem.severity == item.severity
                else _with_severity(problem, item.severity)
            )
    return out


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
