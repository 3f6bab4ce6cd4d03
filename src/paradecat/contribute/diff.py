"""`paradecat diff`: what the working catalogue changes against a git revision, field by field,
with the review summary (summary.py) of the new entries, claims and sources to check."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.files import Document, find_files, load_file, load_text
from ..model import QualifiedCount
from ..problems import pointer_to_path
from .summary import Cell, NewEntry, Summary, Table, summarise


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


def _is_entry(rel: str) -> bool:
    """Whether a path below the root is an entry file, catalog/KIND/ID.yaml (the rest are the
    validator's to report)."""
    return rel.endswith(".yaml") and rel.count("/") == 2


def _data(doc: Document | None) -> Any:
    return doc.data if doc is not None else None


def base_entries(root: Path, base: str) -> dict[str, Any]:
    """Every entry's data at a revision, by entry name."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    listing = _git(root, "ls-tree", "-r", "--name-only", base, "--", f"{prefix}catalog")
    entries: dict[str, Any] = {}
    for repo_path in listing.splitlines():
        rel = repo_path.removeprefix(prefix)
        if not _is_entry(rel):
            continue
        text = _git(root, "show", f"{base}:{repo_path}")
        entries[_entry_name(rel)] = _data(load_text(rel, text).document)
    return entries


def working_entries(root: Path) -> dict[str, Any]:
    """Every entry's data in the working tree, by entry name."""
    entries: dict[str, Any] = {}
    if (root / "catalog").is_symlink():
        raise DiffError(
            "catalog/ is a symbolic link: the diff, like validate, reads no linked folder"
        )
    # the validator's walk: no symbolic link is followed, and no folder deeper than it reads
    for file in find_files(root):
        path = file.path
        if not _is_entry(file.rel) or path.is_symlink() or not path.is_file():
            continue
        entries[_entry_name(file.rel)] = _data(load_file(path, file.rel).document)
    return entries


# the keys of a count written as a mapping, from the model, so that a new one is known here too
_COUNT_KEYS = frozenset(QualifiedCount.model_fields)


def _is_quantity(value: Any) -> bool:
    return isinstance(value, dict) and "value" in value and set(value) <= _COUNT_KEYS


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


@dataclass(frozen=True)
class Review:
    """The revision compared against, the changes field by field, and their review summary."""

    base: str
    changes: list[EntryChange]
    summary: Summary


def review(root: Path, base: str | None) -> Review:
    """Compare the working tree with a revision (default: the merge base with main)."""
    revision = base or default_base(root)
    _git(root, "rev-parse", "--verify", f"{revision}^{{commit}}")
    before, after = base_entries(root, revision), working_entries(root)
    return Review(revision, compare(before, after), summarise(before, after))


def diff_catalog(root: Path, base: str | None) -> tuple[str, list[EntryChange]]:
    """The revision compared against and the changes from it to the working tree."""
    result = review(root, base)
    return result.base, result.changes


def _moved(date: str | None) -> str:
    return date or "(not shown)"


def _elsewhere(summary: Summary, arrow: str, code: Any) -> list[str]:
    lines = []
    for m in summary.first_showings:
        where = f" ({', '.join(code(p) for p in m.parades)})" if m.parades else ""
        lines.append(
            f"system {code(m.system)}: first shown in this catalogue "
            f"{_moved(m.before)} {arrow} {_moved(m.after)}{where}"
        )
    for c in summary.contradictions:
        lines.append(
            f"system {code(c.system)}: {code(c.parade)} says it was first shown there, but it was "
            f"shown earlier, {c.earlier} ({', '.join(code(p) for p in c.earlier_parades)})"
        )
    return lines


def _text_details(entry: str, summary: Summary, new: NewEntry | None) -> Iterator[str]:
    if new is not None:
        if new.title:
            yield f"  {'title' if new.kind == 'source' else 'name'}: {new.title}"
        for fact in new.facts:
            yield f"  {fact.label}: {fact.value.text}"
        for table in new.tables:
            for row in table.rows:
                yield f"  {table.label}: {row.text}"
    for c in summary.claims:
        if c.entry == entry:
            qualifier = f" ({c.qualifier})" if c.qualifier else ""
            state = "changed claim" if c.changed else "claim"
            field, source = c.field or "(no field)", c.source or "(no source)"
            yield f"  {state}: {field} {c.value}{qualifier}, rank {c.rank}, source {source}"
    for h in summary.home_pages:
        if h.entry == entry:
            yield f"  warning: {h.field} {h.url} is a bare home page, not the document cited"


def render_text(changes: list[EntryChange], summary: Summary | None = None) -> str:
    """One line per added or removed entry and per changed field, each with its review facts."""
    summary = summary or Summary()
    new = {n.entry: n for n in summary.new}
    lines = []
    for change in changes:
        if change.status != "changed":
            lines.append(f"{change.entry}: {change.status}")
        for f in change.fields:
            lines.append(f"{change.entry}: {f.field} {show(f.before)} -> {show(f.after)}")
        if change.status != "removed":
            lines.extend(_text_details(change.entry, summary, new.get(change.entry)))
    lines.extend(_elsewhere(summary, "->", str))
    return "\n".join(lines) if lines else "no changes to the catalogue"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#~&!])")


def md(text: str) -> str:
    """Free text made safe for Markdown: its special characters escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(text: str) -> str:
    """An id or vocabulary word as a Markdown code span, whatever backticks it holds."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_cell(cell: Cell) -> str:
    if not cell.text:
        return "—"
    if cell.code:
        return code(cell.text)
    if re.fullmatch(r"https?://[^\s<>|`]+", cell.text):
        return f"<{cell.text}>"
    return md(cell.text)


def _table(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(columns), line(tuple("---" for _ in columns)), *map(line, rows), ""]


def _md_table(table: Table) -> list[str]:
    rows = [tuple(_md_cell(c) for c in row.cells) for row in table.rows]
    return [f"**{table.title}**", "", *_table(table.columns, rows)]


_HEADINGS = {"parade": "New parades", "system": "New systems", "unit": "New units"}


def _md_new(summary: Summary) -> list[str]:
    lines: list[str] = []
    for kind in ("parade", "system", "unit", "source", ""):
        entries = [n for n in summary.new if n.kind == kind]
        if not entries:
            continue
        lines += [f"### {_HEADINGS.get(kind, 'New sources' if kind else 'New entries')}", ""]
        for n in entries:
            title = f": {md(n.title)}" if n.title else ""
            facts = [f"**{f.label}:** {_md_cell(f.value)}" for f in n.facts]
            if kind != "parade":
                lines.append(f"- {code(n.entry)}{title}" + "".join(f"; {f}" for f in facts))
                continue
            lines += [f"#### {code(n.entry)}{title}", "", *(f"- {f}" for f in facts), ""]
            for table in n.tables:
                lines += _md_table(table)
        if kind != "parade":
            lines.append("")
    return lines


def render_markdown(changes: list[EntryChange], base: str, summary: Summary | None = None) -> str:
    """A pull-request comment: a summary line, then a section for each kind of change."""
    if not changes:
        return f"**paradecat diff** against `{base[:12]}`: no changes to the catalogue.\n"
    summary = summary or Summary()
    counts = {s: sum(1 for c in changes if c.status == s) for s in ("added", "removed", "changed")}
    total = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines = [f"**paradecat diff** against `{base[:12]}`: {total}.", ""]
    if summary.home_pages:
        lines += ["### Sources to check", ""]
        for h in summary.home_pages:
            lines.append(
                f"- {code(h.entry)}: `{h.field}` {_md_cell(Cell(h.url))} is a bare home page, "
                "not the document cited."
            )
        lines.append("")
    elsewhere = _elsewhere(summary, "→", code)
    if elsewhere:
        lines += ["### Elsewhere in the catalogue", "", *(f"- {e}" for e in elsewhere), ""]
    lines += _md_new(summary)
    changed = [(c.entry, f) for c in changes for f in c.fields]
    if changed:
        lines += ["### Changed entries", ""]
        fields = [
            (code(e), code(f.field), md(show(f.before)), md(show(f.after))) for e, f in changed
        ]
        lines += _table(("entry", "field", "before", "after"), fields)
    if summary.claims:
        lines += ["### New claims", ""]
        claims = [
            (
                code(c.entry) + (" (changed)" if c.changed else ""),
                code(c.field),
                md(c.value) or "—",
                code(c.qualifier) if c.qualifier else "—",
                code(c.rank),
                code(c.source),
            )
            for c in summary.claims
        ]
        lines += _table(("entry", "field", "value", "qualifier", "rank", "source"), claims)
    removed = [c.entry for c in changes if c.status == "removed"]
    if removed:
        lines += ["### Removed entries", "", *(f"- {code(e)}" for e in removed), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
