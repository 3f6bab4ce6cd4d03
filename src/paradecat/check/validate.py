"""Validate the catalogue: JSON Schema per file, then the models, then cross-entry rules."""

from __future__ import annotations

import gc
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..load.files import MAX_FOLDER_DEPTH, CatalogFile, Document, LoadResult, find_files
from ..load.reading import load_files
from ..model import ENTRY_MODELS, FOLDER_KINDS, Entry
from ..model.fieldsets import share_field_sets
from ..problems import Problem, Problems
from .cache import ValidationCache
from .entries import Partial, best_effort, model_problems
from .hints import suggestion
from .rules import CatalogueIndex, FileRecord, document_references, entry_facts, run_rules
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


def _file_problem(file: CatalogFile, info: os.stat_result | None) -> Problem | None:
    """Files the catalogue does not accept, whatever they hold (info: the file's lstat)."""
    if info is not None and stat.S_ISLNK(info.st_mode):
        return Problem(
            file.display,
            1,
            1,
            "file-symlink",
            "symbolic links are not allowed in catalog/",
            hint="replace the link with the file itself",
        )
    if info is not None and stat.S_ISDIR(info.st_mode):
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


def _entry_catalog(kind: str, entry: Entry, doc: Document) -> Catalog:
    one = Catalog()
    one.table(kind)[entry.id] = entry
    one.documents[(kind, entry.id)] = doc
    return one


def _partial_problems(doc: Document, kind: str, partial: Partial) -> list[Problem]:
    """The "entry" rules' problems on an entry built from part of a file, in the file's terms."""
    out = []
    for problem in run_rules(_entry_catalog(kind, partial.entry, doc), raw=False, scope="entry"):
        pointer = partial.file_pointer(problem.pointer)
        if partial.touches_left_out(pointer):
            continue  # a consequence of the part left out, not a problem of its own
        if pointer != problem.pointer:
            line, column = doc.locate(pointer)
            problem = replace(problem, line=line, column=column, pointer=pointer)
        out.append(problem)
    return out


def check_file(
    file: CatalogFile, loaded: LoadResult, max_problems: int | None
) -> tuple[FileRecord, Entry | None, Any]:
    """What one file gives the catalogue, from that file alone: (record, valid entry, its data).

    A file with problems may still give an entry built from its parts without problems
    (entries.best_effort), so that the rules check those parts too.
    """
    kind = FOLDER_KINDS[file.folder]
    doc = loaded.document
    record = FileRecord(kind, Path(file.rel).stem, doc is not None, problems=list(loaded.problems))
    record.digest = loaded.digest
    if doc is None:
        return record, None, None
    entry_id = doc.data.get("id")
    if isinstance(entry_id, str):
        record.data_id = entry_id
    record.refs = list(document_references(kind, doc))
    record.raw_problems = run_rules(Catalog(loaded=[(kind, doc)]), raw=True, scope="entry")
    found = schema_problems(doc, kind, max_problems)
    entry = None
    if not found:
        entry, found = model_problems(doc, kind)
    record.problems.extend(found)
    if entry is None:
        partial = best_effort(doc, kind, found)
        if partial is not None:
            record.problems.extend(partial.problems)
            record.partial_id = partial.entry.id
            record.kept, record.left_out = partial.kept, partial.left_out
            record.entry_problems = _partial_problems(doc, kind, partial)
            record.facts = entry_facts(kind, partial.entry)
        return record, None, None
    record.entry_id = entry.id
    record.entry_problems = run_rules(_entry_catalog(kind, entry, doc), raw=False, scope="entry")
    record.facts = entry_facts(kind, entry)
    return record, entry, doc.data


def _index(
    found: list[tuple[CatalogFile, Problem | None, FileRecord | None]], problems: Problems
) -> CatalogueIndex:
    """Where each entry stands, from every file's record in order; problems gets what they say."""
    index = CatalogueIndex({kind: set() for kind in ENTRY_MODELS}, [], {}, {})
    partials: dict[tuple[str, str], FileRecord] = {}
    for _, rejected, record in found:
        if rejected is not None or record is None:
            if rejected is not None:
                problems.add(rejected)
            index.complete = False
            continue
        kind = record.kind
        problems.extend(record.problems)
        # the file exists even when it cannot be read, so references to it are not reported too
        index.known_ids[kind].add(record.stem)
        if not record.loaded:
            index.complete = False
            continue
        index.loaded.append(record)
        problems.extend(record.raw_problems)
        if record.data_id is not None:
            index.known_ids[kind].add(record.data_id)
        if record.entry_id is None:
            if record.partial_id is not None:
                partials.setdefault((kind, record.partial_id), record)
            continue
        key = (kind, record.entry_id)
        if key in index.valid:
            first = index.valid[key]
            if first.stem != record.entry_id and record.stem == record.entry_id:
                # the file named for the id keeps it; the other one is the duplicate
                first, record = record, first
                index.valid[key] = first
            line, col = record.locate("/id")
            problems.add(
                Problem(
                    record.display,
                    line,
                    col,
                    "id-duplicate",
                    f"{kind} id '{record.entry_id}' is already used by {first.display}",
                    pointer="/id",
                    hint="choose another id and rename the file to match",
                )
            )
            continue
        index.valid[key] = record
    index.view = dict(index.valid)
    for key, record in partials.items():
        # a valid entry holds the id; the file with errors is not a second one
        index.view.setdefault(key, record)
    for record in index.view.values():
        problems.extend(record.entry_problems)
    return index


Progress = Callable[[int, int], None]


def validate_catalog(
    root: Path,
    only: Sequence[Path] | None = None,
    max_problems: int | None = None,
    *,
    cache: bool = False,
    keep_entries: bool = True,
    progress: Progress | None = None,
) -> ValidationResult:
    """Validate every file under root/catalog/; with only, report just the problems in those files.

    With max_problems, a file's schema problems are described up to that many (the rest are one
    `problems-truncated` problem), so a file of thousands of mistakes stays quick to check.
    With cache, what each unchanged file gives is taken from ROOT/.paradecat-cache/ (cache.py)
    rather than read and checked again, and what the others give is kept there; the answer is
    the same. keep_entries=False leaves the result's catalog empty (validate needs no entries).
    progress(done, total) is called as files are checked.
    """
    problems = Problems()
    catalog = Catalog(known_ids={kind: set() for kind in ENTRY_MODELS})
    folders: dict[Path, str] = {}
    store = ValidationCache(root) if cache else None
    limit = max_problems or 0
    kept = store.entry_data() if store is not None and keep_entries else {}
    # Collections while the catalogue grows cost about a third of the loading time: each one
    # traverses every document kept so far, and nothing loaded here forms reference cycles.
    # Frozen afterwards, the catalogue is never traversed again (refcounting still frees it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found: list[tuple[CatalogFile, Problem | None, FileRecord | None]] = []
        entries: dict[str, Entry] = {}
        docs: dict[str, Document] = {}
        to_read: list[CatalogFile] = []
        stats: dict[str, os.stat_result | None] = {}
        for file in find_files(root):
            if file.path.name.startswith("."):
                continue
            if file.path.parent not in folders:
                folders[file.path.parent] = _display(file.path.parent)
            display = _in_folder(folders[file.path.parent], file.path.name)
            file = CatalogFile(file.path, display, file.folder, file.rel)
            try:
                info: os.stat_result | None = file.path.lstat()
            except OSError:
                info = None
            rejected = _file_problem(file, info)
            record = None
            if rejected is None and store is not None:
                record = store.lookup(file.rel, file.path, display, limit, info)
                if record is not None and keep_entries and record.entry_id is not None:
                    digest, data = kept.get(file.rel, ("", None))
                    if digest != record.digest or data is None:
                        record = None
                    else:
                        data = json.loads(data)
                        entries[file.rel] = ENTRY_MODELS[record.kind].model_validate(data)
                        # the build reads no positions: a document from the cache locates nothing
                        docs[file.rel] = Document(display, data, {}, {})
                if record is None:
                    stats[file.rel] = info
            if rejected is None and record is None:
                to_read.append(file)
            found.append((file, rejected, record))
        del kept
        total = len(found)
        loads = load_files([(f.path, f.display) for f in to_read])
        del to_read
        for i, (file, rejected, record) in enumerate(found):
            if rejected is None and record is None:
                result = next(loads)
                loaded_doc = result.document
                record, entry, data = check_file(file, result, max_problems)
                del result
                if entry is not None and keep_entries:
                    assert loaded_doc is not None  # an entry comes from a document
                    entries[file.rel] = entry
                    docs[file.rel] = loaded_doc
                if store is not None:
                    store.store(
                        file.rel, file.path, file.display, limit, stats.get(file.rel), record, data
                    )
                found[i] = (file, rejected, record)
            if record is not None:
                record.display, record.path = file.display, file.path
            if progress is not None and (i % 256 == 0 or i + 1 == total):
                progress(i + 1, total)
        assert next(loads, None) is None  # every file read was checked; the reader has finished
        index = _index(found, problems)
        problems.extend(run_rules(index, raw=True, scope="catalogue"))
        problems.extend(run_rules(index, raw=False, scope="catalogue"))
        files = len(found)
        catalog.known_ids = index.known_ids
        catalog.complete = index.complete
        if keep_entries:
            rel_of = {id(record): file.rel for file, _, record in found if record is not None}
            for (kind, entry_id), record in index.valid.items():
                entry = entries[rel_of[id(record)]]
                share_field_sets(entry)
                catalog.table(kind)[entry_id] = entry
                catalog.documents[(kind, entry_id)] = docs[rel_of[id(record)]]
        del found, entries, docs
        if store is not None:
            store.save()
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
