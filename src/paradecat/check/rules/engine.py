"""The rule engine: a rule is a function registered with @rule(code, severity); run_rules runs
them all in the order they were registered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ...catalog import Catalog
from ...model import (
    SLUG_PATTERN,
)
from ...problems import Problem, Severity

Check = Callable[[Catalog], Iterator[Problem]]
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
    code: str, severity: Severity = Severity.error, *, raw: bool = False
) -> Callable[[Check], Check]:
    """Register a rule function under a code (raw: it reads the parsed documents, not the entries)."""

    def register(check: Check) -> Check:
        RULES.append(Rule(code, severity, check, raw))
        return check

    return register


def run_rules(catalog: Catalog, raw: bool | None = None) -> list[Problem]:
    """Every rule's problems for the catalogue (with raw, only the rules that are or are not raw)."""
    out: list[Problem] = []
    for item in RULES:
        if raw is not None and item.raw is not raw:
            continue
        for problem in item.check(catalog):
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
