"""Reporters: text, JSON and GitHub annotations. The only code that turns problems into output."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..problems import Problem, pointer_to_path, visible

FORMATS = ("text", "json", "github")


def format_text(problem: Problem) -> str:
    """`path:line:col: severity[code] field.path: message (hint: …)`."""
    where = pointer_to_path(problem.pointer)
    subject = f"{where}: " if where else ""
    hint = f" (hint: {problem.hint})" if problem.hint else ""
    # shown, never acted on: an entry or a file name with ESC or a bidi override cannot clear a
    # reviewer's terminal or make a line read as another located error
    return visible(
        f"{problem.path}:{problem.line}:{problem.column}: "
        f"{problem.severity.value}[{problem.code}] {subject}{problem.message}{hint}"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the line in the pull request."""
    where = pointer_to_path(problem.pointer)
    title = f"{problem.code}" + (f" at {where}" if where else "")
    message = visible(problem.message + (f" (hint: {problem.hint})" if problem.hint else ""))
    level = "error" if problem.severity.value == "error" else "warning"
    return (
        f"::{level} file={_escape_property(visible(problem.path))},line={problem.line},"
        f"col={problem.column},title={_escape_property(visible(title))}::{_escape_data(message)}"
    )


def summary(problems: Sequence[Problem], files: int) -> str:
    """One closing line: how many errors and warnings in how many files."""
    errors = sum(1 for p in problems if p.severity.value == "error")
    warnings = len(problems) - errors
    if not problems:
        return f"{files} file{'s' if files != 1 else ''} checked: no problems"
    return (
        f"{files} file{'s' if files != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def render(problems: Sequence[Problem], files: int, fmt: str) -> str:
    """Every problem in the chosen format."""
    if fmt == "json":
        return json.dumps([p.to_dict() for p in problems], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(format_github(p) for p in problems)
    lines = [format_text(p) for p in problems]
    lines.append(summary(problems, files))
    return "\n".join(lines)
