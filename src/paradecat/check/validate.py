"""Validate the catalogue: JSON Schema per file, then the models, then cross-entry rules."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..catalog import Catalog
from ..load.files import MAX_FOLDER_DEPTH, CatalogFile, Document, LoadResult, find_files
from ..load.reading import load_files
from ..model import (
    ENTRY_MODELS,
    FOLDER_KINDS,
)
from ..model.fieldsets import share_field_sets
from ..problems import Problem, Problems
from .entries import Partial, best_effort, model_problems
from .hints import suggestion
from .rules import run_rules
from .schemaerrors import schema_problems


@dataclass
class ValidationResult:
    """What validation found: the catalogue it could read and every problem."""

    catalog: Catalog
    problems: list[Problem]
    files: int

    @property
    def ok(self) -> bool:
        """True when nothing fails validation."""
        return not any(p.severity == "error" for p in self.problems)


def _display(path: Path) -> str:
    """The path as the user can open it: relative to the current folder when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path.absolute()) if rel.startswith("..") else rel


def _file_problem(file: CatalogFile) -> Problem | None:
    """Files the catalogue does not accept, whatever they hold."""
    if file.path.is_symlink():
        return Problem(
            file.display,
            1,
            1,
            "file-symlink",
            "symbolic links are not allowed in catalog/",
            hint="replace the link with the file itself",
        )
    if file.path.is_dir():
        return Problem(
            file.display,
            1,
            1,
            "file-location",
            f"'{file.display}' is nested more than {MAX_FOLDER_DEPTH} folders deep in catalog/, "
            "and is not read",
            hint=f"entries are catalog/<{'|'.join(FOLDER_KINDS)}>/ID.yaml",
        )
    if file.folder not in FOLDER_KINDS:
        hint = suggestion(file.folder, FOLDER_KINDS) if file.folder else None
        return Problem(
            file.display,
            1,
            1,
            "file-location",
            f"'{file.display}' is not in a kind folder",
            hint=hint or f"put entries in catalog/<{'|'.join(FOLDER_KINDS)}>/ID.yaml",
        )
    if file.path.suffix != ".yaml" or len(Path(file.rel).parts) != 3:
        return Problem(
            file.display,
            1,
            1,
            "file-location",
            f"'{file.display}' is not an entry file",
            hint=f"entries are catalog/{file.folder}/ID.yaml, with the .yaml extension",
        )
    return None


def _in_folder(folder: str, name: str) -> str:
    """What _display gives for a file, from what it gave for the file's folder."""
    return name if folder == "." else f"{folder}/{name}"


def _check_file(
    file: CatalogFile,
    rejected: Problem | None,
    loads: Iterator[LoadResult],
    catalog: Catalog,
    problems: Problems,
    partials: dict[tuple[str, str], tuple[Document, Partial]],
    max_problems: int | None = None,
) -> None:
    """Check and index one file of the catalogue (loads yields the next accepted file read).

    An entry with problems goes into partials, built from its parts without problems, so that
    the cross-entry rules check those parts too.
    """
    if rejected:
        problems.add(rejected)
        catalog.complete = False
        return
    kind = FOLDER_KINDS[file.folder]
    loaded = next(loads)
    problems.extend(loaded.problems)
    doc = loaded.document
    # the file exists even when it cannot be read, so references to it are not reported too
    catalog.known_ids[kind].add(Path(file.rel).stem)
    if doc is None:
        catalog.complete = False
        return
    catalog.loaded.append((kind, doc))
    entry_id = doc.data.get("id")
    if isinstance(entry_id, str):
        catalog.known_ids[kind].add(entry_id)
    found = schema_problems(doc, kind, max_problems)
    entry = None
    if not found:
        entry, found = model_problems(doc, kind)
    problems.extend(found)
    if entry is None:
        partial = best_effort(doc, kind, found)
        if partial is not None:
            problems.extend(partial.problems)
            partials.setdefault((kind, partial.entry.id), (doc, partial))
        return
    share_field_sets(entry)
    if (kind, entry.id) in catalog.documents:
        first = catalog.documents[(kind, entry.id)]
        if Path(first.path).stem != entry.id and Path(doc.path).stem == entry.id:
            # the file named for the id keeps it; the other one is the duplicate
            first, doc = doc, first
            catalog.documents[(kind, entry.id)] = first
            catalog.table(kind)[entry.id] = entry
        line, col = doc.locate("/id")
        problems.add(
            Problem(
                doc.path,
                line,
                col,
                "id-duplicate",
                f"{kind} id '{entry.id}' is already used by {first.path}",
                pointer="/id",
                hint="choose another id and rename the file to match",
            )
        )
        return
    catalog.table(kind)[entry.id] = entry
    catalog.documents[(kind, entry.id)] = doc


def _rule_problems(
    catalog: Catalog, partials: dict[tuple[str, str], tuple[Document, Partial]]
) -> list[Problem]:
    """The cross-entry rules' problems, for the valid entries and the valid parts of the others."""
    if not partials:
        return run_rules(catalog)
    view = Catalog(
        documents=dict(catalog.documents),
        known_ids=catalog.known_ids,
        loaded=catalog.loaded,
        complete=catalog.complete,
    )
    for kind in ENTRY_MODELS:
        view.table(kind).update(catalog.table(kind))
    by_path: dict[str, tuple[Document, Partial]] = {}
    for (kind, entry_id), (doc, partial) in partials.items():
        if (kind, entry_id) in view.documents:
            continue  # a valid entry holds the id; the file with errors is not a second one
        view.table(kind)[entry_id] = partial.entry
        view.documents[(kind, entry_id)] = doc
        by_path[doc.path] = (doc, partial)
    # the rules that read the files themselves locate in them already, and run once
    out = run_rules(catalog, raw=True)
    for problem in run_rules(view, raw=False):
        if problem.path in by_path:
            doc, partial = by_path[problem.path]
            pointer = partial.file_pointer(problem.pointer)
            if partial.touches_left_out(pointer):
                continue  # a consequence of the part left out, not a problem of its own
            if pointer != problem.pointer:
                line, column = doc.locate(pointer)
                problem = replace(problem, line=line, column=column, pointer=pointer)
        out.append(problem)
    return out


def validate_catalog(
    root: Path, only: Sequence[Path] | None = None, max_problems: int | None = None
) -> ValidationResult:
    """Validate every file under root/catalog/; with only, report just the problems in those files.

    With max_problems, a file's schema problems are described up to that many (the rest are one
    `problems-truncated` problem), so a file of thousands of mistakes stays quick to check.
    """
    problems = Problems()
    catalog = Catalog(known_ids={kind: set() for kind in ENTRY_MODELS})
    folders: dict[Path, str] = {}
    partials: dict[tuple[str, str], tuple[Document, Partial]] = {}
    # Collections while the catalogue grows cost about a third of the loading time: each one
    # traverses every document kept so far, and nothing loaded here forms reference cycles.
    # Frozen afterwards, the catalogue is never traversed again (refcounting still frees it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found: list[tuple[CatalogFile, Problem | None]] = []
        for file in find_files(root):
            if file.path.name.startswith("."):
                continue
            if file.path.parent not in folders:
                folders[file.path.parent] = _display(file.path.parent)
            display = _in_folder(folders[file.path.parent], file.path.name)
            file = CatalogFile(file.path, display, file.folder, file.rel)
            found.append((file, _file_problem(file)))
        files = len(found)
        loads = load_files([(f.path, f.display) for f, rejected in found if rejected is None])
        found.reverse()
        while found:  # each file's paths are let go once it is checked (100,000 took 60 MB)
            file, rejected = found.pop()
            _check_file(file, rejected, loads, catalog, problems, partials, max_problems)
        assert next(loads, None) is None  # every file read was checked; the reader has finished
        problems.extend(_rule_problems(catalog, partials))
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    found_problems = problems.sorted()
    if only is not None:
        wanted = {_display(p) for p in only}
        found_problems = [
            p
            for p in found_problems
            if p.path in wanted or any(p.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    return ValidationResult(catalog, found_problems, files)
