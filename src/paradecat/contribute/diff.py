"""`paradecat diff`: what the working catalogue changes against a git revision, field by field."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.files import Document, load_file, load_text
from ..problems import pointer_to_path


class DiffError(Exception):
    """The revision or the repository cannot be read."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry: its value before and after (None when absent)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EntryChange:
    """An entry added, removed or changed, named by its path below catalog/ without .yaml."""

    entry: str
    status: str  # added, removed, changed
    fields: tuple[FieldChange, ...] = ()


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DiffError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def default_base(root: Path) -> str:
    """The merge base with main (or master), which is what a pull request is compared against."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        try:
            return _git(root, "merge-base", "HEAD", branch).strip()
        except DiffError:
            continue
    raise DiffError("no main branch to compare with; name a revision: paradecat diff REV")


def _entry_name(path: str) -> str:
    return path.removeprefix("catalog/").removesuffix(".yaml")


def _data(doc: Document | None) -> Any:
    return doc.data if doc is not None else None


def base_entries(root: Path, base: str) -> dict[str, Any]:
    """Every entry's data at a revision, by entry name."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    listing = _git(root, "ls-tree", "-r", "--name-only", base, "--", f"{prefix}catalog")
    entries: dict[str, Any] = {}
    for repo_path in listing.splitlines():
        rel = repo_path.removeprefix(prefix)
        if not rel.endswith(".yaml"):
            continue
        text = _git(root, "show", f"{base}:{repo_path}")
        entries[_entry_name(rel)] = _data(load_text(rel, text).document)
    return entries


def working_entries(root: Path) -> dict[str, Any]:
    """Every entry's data in the working tree, by entry name."""
    entries: dict[str, Any] = {}
    for path in sorted((root / "catalog").rglob("*.yaml")):
        if path.is_symlink():
            continue
        rel = path.relative_to(root).as_posix()
        entries[_entry_name(rel)] = _data(load_file(path, rel).document)
    return entries


def _is_quantity(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "value" in value
        and set(value) <= {"value", "qualifier", "source", "note"}
    )


def _flatten(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(field path, leaf value) pairs; a count stays whole so it reads '4000 (over)'."""
    if isinstance(value, dict) and not _is_quantity(value):
        for key, item in value.items():
            yield from _flatten(item, f"{pointer}/{key}")
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, item in enumerate(value):
            yield from _flatten(item, f"{pointer}/{i}")
    else:
        yield pointer_to_path(pointer), value


def show(value: Any) -> str:
    """A value as a maintainer reads it: counts as '4000 (over)', lists comma-separated."""
    if value is None:
        return "(none)"
    if _is_quantity(value):
        return f"{value['value']} ({value.get('qualifier', 'exact')})"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value} (exact)"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[EntryChange]:
    """Entries added, removed and changed between two catalogues, each change field by field."""
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in before:
            changes.append(EntryChange(name, "added"))
        elif name not in after:
            changes.append(EntryChange(name, "removed"))
        elif before[name] != after[name]:
            old = dict(_flatten(before[name]))
            new = dict(_flatten(after[name]))
            fields = tuple(
                FieldChange(key, old.get(key), new.get(key))
                for key in sorted(set(old) | set(new), key=lambda k: (k not in old, k))
                if old.get(key) != new.get(key)
            )
            changes.append(EntryChange(name, "changed", fields))
    return changes


def diff_catalog(root: Path, base: str | None) -> tuple[str, list[EntryChange]]:
    """The revision compared against and the changes from it to the working tree."""
    revision = base or default_base(root)
    _git(root, "rev-parse", "--verify", f"{revision}^{{commit}}")
    return revision, compare(base_entries(root, revision), working_entries(root))


def render_text(changes: list[EntryChange]) -> str:
    """One line per added or removed entry and per changed field."""
    lines = []
    for change in changes:
        if change.status != "changed":
            lines.append(f"{change.entry}: {change.status}")
        for f in change.fields:
            lines.append(f"{change.entry}: {f.field} {show(f.before)} -> {show(f.after)}")
    return "\n".join(lines) if lines else "no changes to the catalogue"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: list[EntryChange], base: str) -> str:
    """A pull-request comment: a summary line, then a table of every change."""
    if not changes:
        return f"**paradecat diff** against `{base[:12]}`: no changes to the catalogue.\n"
    counts = {s: sum(1 for c in changes if c.status == s) for s in ("added", "removed", "changed")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines = [
        f"**paradecat diff** against `{base[:12]}`: {summary}.",
        "",
        "| entry | field | before | after |",
        "| --- | --- | --- | --- |",
    ]
    for change in changes:
        if change.status != "changed":
            lines.append(f"| `{change.entry}` | *{change.status}* | | |")
        for f in change.fields:
            lines.append(
                f"| `{change.entry}` | `{f.field}` | {_cell(show(f.before))} | {_cell(show(f.after))} |"
            )
    return "\n".join(lines) + "\n"
