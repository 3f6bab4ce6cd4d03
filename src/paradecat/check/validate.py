"""Validate the catalogue: JSON Schema per file, then the models, then cross-entry rules."""

from __future__ import annotations

import gc
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..load.files import MAX_FOLDER_DEPTH, CatalogFile, Document, LoadResult, load_file
from ..load.reading import map_files
from ..load.walk import Scan, folders, scan
from ..model import ENTRY_MODELS, FOLDER_KINDS, Entry
from ..model.fieldsets import share_field_sets
from ..problems import Problem, Problems
from . import incremental
from .cache import Store, StoreError
from .entries import Partial, best_effort, model_problems
from .hints import suggestion
from .incremental import Checker, Listed
from .kept import Checked, kept
from .rules import FileRecord, document_references, entry_facts, run_rules
from .schemaerrors import schema_problems


@dataclass(frozen=True, slots=True)
class Valid:
    """A valid entry: its kind and id, the file that holds it (rel, as shown) and its digest."""

    kind: str
    id: str
    rel: str
    display: str
    digest: str | None


# given every valid entry, the files whose entries the catalogue is to hold (None: every one)
Select = Callable[[list[Valid]], "set[str] | None"]


@dataclass
class ValidationResult:
    """What validation found: the catalogue it could read and every problem.

    valid: every valid entry in the catalogue's order (when entries are kept); partial: the
    catalogue holds only the entries a select asked for.
    """

    catalog: Catalog
    problems: list[Problem]
    files: int
    valid: list[Valid] = field(default_factory=list)
    partial: bool = False

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


def _file_problem(
    display: str, rel: str, folder: str, info: os.stat_result | None
) -> Problem | None:
    """Files the catalogue does not accept, whatever they hold (info: the file's lstat)."""
    if info is not None and stat.S_ISLNK(info.st_mode):
        return Problem(
            display,
            1,
            1,
            "file-symlink",
            "symbolic links are not allowed in catalog/",
            hint="replace the link with the file itself",
        )
    if info is not None and stat.S_ISDIR(info.st_mode):
        return Problem(
            display,
            1,
            1,
            "file-location",
            f"'{display}' is nested more than {MAX_FOLDER_DEPTH} folders deep in catalog/, "
            "and is not read",
            hint=f"entries are catalog/<{'|'.join(FOLDER_KINDS)}>/ID.yaml",
        )
    if folder not in FOLDER_KINDS:
        hint = suggestion(folder, FOLDER_KINDS) if folder else None
        return Problem(
            display,
            1,
            1,
            "file-location",
            f"'{display}' is not in a kind folder",
            hint=hint or f"put entries in catalog/<{'|'.join(FOLDER_KINDS)}>/ID.yaml",
        )
    name = rel.rsplit("/", 1)[-1]
    if not name.endswith(".yaml") or name == ".yaml" or rel.count("/") != 2:
        return Problem(
            display,
            1,
            1,
            "file-location",
            f"'{display}' is not an entry file",
            hint=f"entries are catalog/{folder}/ID.yaml, with the .yaml extension",
        )
    return None


def _in_folder(folder: str, name: str) -> str:
    """What _display gives for a file, from what it gave for the file's folder."""
    return name if folder == "." else f"{folder}/{name}"


def _entry_catalog(kind: str, entry: Entry, doc: Document) -> Catalog:
    one = Catalog()
    one.table(kind)[entry.id] = entry
    one.documents[(kind, entry.id)] = doc
    one.memo["entries"] = [(kind, entry)]  # it changes no more: each rule asks for its entries
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


Progress = Callable[[int, int], None]


def _listing(root: Path, walked: Scan | None) -> tuple[list[Problem], list[Listed]]:
    """The files refused, and the files accepted, in the catalogue's order (from the scan
    given, or a new one)."""
    refused: list[Problem] = []
    listed: list[Listed] = []
    for base, rel_dir, folder, items in folders(scan(root) if walked is None else walked):
        shown = _display(Path(base))
        # catalog/KIND/: a regular file named *.yaml is an entry file, with nothing more to ask
        entries = folder in FOLDER_KINDS and rel_dir.count("/") == 1
        for name, info in items:
            if name.startswith("."):
                continue
            display = _in_folder(shown, name)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not (entries and name.endswith(".yaml") and info and stat.S_ISREG(info.st_mode)):
                problem = _file_problem(display, rel, folder, info)
                if problem is not None:
                    refused.append(problem)
                    continue
            listed.append(Listed(rel, f"{base}/{name}", display, info))
    return refused, listed


def _check_one(
    max_problems: int | None, keep_entries: bool, keep_data: bool, cached: bool, file: CatalogFile
) -> Checked:
    """Read one file and check it, and make what the cache keeps of it (in either process:
    map_files)."""
    loaded = load_file(file.path, file.display)
    doc = loaded.document
    record, entry, data = check_file(file, loaded, max_problems)
    del loaded
    record.rel, record.display, record.path = file.rel, file.display, file.path
    text = kept(record, data if keep_data else None) if cached else None
    if not keep_entries:
        entry = None
    return Checked(record, entry, doc if entry is not None else None, text)


def _checker(
    max_problems: int | None,
    keep_entries: bool,
    keep_data: bool,
    cached: bool,
    progress: Progress | None,
) -> Checker:
    """Check files as they are read: each is read and checked in one process, the parent or the
    other one (map_files), and only what checking it gave comes back. cached: make what the cache
    keeps of each file there too (kept.py); keep_data: with each valid entry's parsed data."""

    def check(items: list[Listed]) -> Iterator[Checked]:
        files = [CatalogFile(Path(i.path), i.display, i.rel.split("/")[1], i.rel) for i in items]
        sizes = [i.info.st_size if i.info is not None else 0 for i in items]
        work = partial(_check_one, max_problems, keep_entries, keep_data, cached)
        total = len(files)
        for n, found in enumerate(map_files(work, files, sizes)):
            yield found
            if progress is not None and (n % 256 == 0 or n + 1 == total):
                progress(n + 1, total)

    return check


def validate_catalog(
    root: Path,
    only: Sequence[Path] | None = None,
    max_problems: int | None = None,
    *,
    cache: bool = False,
    keep_entries: bool = True,
    progress: Progress | None = None,
    select: Select | None = None,
    walked: Scan | None = None,
) -> ValidationResult:
    """Validate every file under root/catalog/; with only, report just the problems in those files.

    With max_problems, a file's schema problems are described up to that many (the rest are one
    `problems-truncated` problem), so a file of thousands of mistakes stays quick to check.
    With cache, only what has changed since the last run is checked and worked out again
    (incremental.py), from ROOT/.paradecat-cache/ (cache.py); the answer is the same.
    keep_entries=False leaves the result's catalog empty (validate needs no entries).
    progress(done, total) is called as files are checked. With the cache, select may narrow the
    entries the catalog holds (the build's patch needs only the changed ones). walked: the
    scan of catalog/ made just before (memo.walk), so that the tree is not read twice.
    """
    problems = Problems()
    catalog = Catalog(known_ids={kind: set() for kind in ENTRY_MODELS})
    # Collections while the catalogue grows cost about a third of the loading time: each one
    # traverses every document kept so far, and nothing loaded here forms reference cycles.
    # Frozen afterwards, the catalogue is never traversed again (refcounting still frees it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        refused, listed = _listing(root, walked)
        problems.extend(refused)
        # a build keeps each valid entry's parsed data (for a full build from the cache) only when
        # the cache is warm: a cold one would pay for it in every file, and a build after a
        # validate, or after a cold build, reads the files whose data was not kept again
        store = _open_store(root, max_problems) if cache else None
        caching = store is not None
        keep_data = store is not None and keep_entries and not store.fresh
        checker = _checker(max_problems, keep_entries, keep_data, caching, progress)
        where = {i.rel: i for i in listed}
        valid: list[Valid] = []
        wanted: set[str] | None = None
        try:
            answer = incremental.run(store, listed, checker, bool(refused), keep_entries)
            if keep_entries:
                valid = _valid(store, answer, where)
                wanted = select(valid) if select is not None and store is not None else None
            entries = (
                list(incremental.entries_of(store, answer, where, wanted)) if keep_entries else []
            )
            if store is not None:
                store.save()
        except (StoreError, sqlite3.Error):
            if store is not None:
                store.remove()  # made anew by the next run
            store, wanted = None, None
            checker = _checker(max_problems, keep_entries, False, False, progress)
            answer = incremental.run(None, listed, checker, bool(refused), keep_entries)
            valid = _valid(None, answer, where) if keep_entries else []
            entries = list(incremental.entries_of(None, answer, {})) if keep_entries else []
        problems.extend(answer.problems)
        files = len(refused) + len(listed)
        catalog.complete = answer.complete
        if answer.known is not None:
            catalog.known_ids = answer.known
        for kind, entry_id, entry, doc in entries:
            share_field_sets(entry)
            catalog.table(kind)[entry_id] = entry
            catalog.documents[(kind, entry_id)] = doc
        del entries, answer, listed, where
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
    return ValidationResult(catalog, found_problems, files, valid, wanted is not None)


def _valid(
    store: Store | None, answer: incremental.Answer, where: dict[str, Listed]
) -> list[Valid]:
    digests = store.valid_digests() if store is not None else {}
    for rel, found in answer.checked.items():
        digests[rel] = found.record.digest or None
    return [
        Valid(kind, entry_id, rel, where[rel].display, digests.get(rel))
        for kind, entry_id, rel in answer.valid
    ]


def _open_store(root: Path, max_problems: int | None) -> Store | None:
    """The cache for this way of asking: how problems are written depends on the folder, the
    root and the limit. validate and build ask alike, so a build after a validate is warm."""
    store = Store(root, [os.getcwd(), str(root.resolve()), max_problems or 0])
    return store if store.usable else None
