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


DEFAULT_MAX_PROBLEMS = 200


def _cut(problems: Sequence[Problem], limit: int | None) -> tuple[Sequence[Problem], int]:
    if not limit or len(problems) <= limit:
        return problems, 0
    return problems[:limit], len(problems) - limit


def more_line(hidden: int) -> str:
    """What a reader is told of the problems not shown."""
    return (
        f"… and {hidden:,} more problem{'s' if hidden != 1 else ''} not shown "
        "('paradecat validate --max-problems 0' shows them all)"
    )


def render(
    problems: Sequence[Problem], files: int, fmt: str, limit: int | None = DEFAULT_MAX_PROBLEMS
) -> str:
    """The problems in the chosen format: text and github show the first `limit` and say how
    many more there are (20,000 files of mistakes made 24 MB of text); json gives them all."""
    if fmt == "json":
        return json.dumps([p.to_dict() for p in problems], indent=2, ensure_ascii=False)
    shown, hidden = _cut(problems, limit)
    if fmt == "github":
        lines = [format_github(p) for p in shown]
        if hidden:
            lines.append(f"::notice::{more_line(hidden)}")
        return "\n".join(lines)
    lines = [format_text(p) for p in shown]
    if hidden:
        lines.append(more_line(hidden))
    lines.append(summary(problems, files))
    return "\n".join(lines)
