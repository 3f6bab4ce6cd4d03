"""A validation that works out again only what a change touches (issue 16).

Every problem belongs to a group (groups.py). When some files have changed, been added or been
removed since the cache was written, the groups they were in or are now in are the only ones
whose problems can differ, together with:

- the groups of a file that now holds an id it did not hold (or the other way round): it counts
  for the catalogue rules only while it holds the id;
- the references to an id that has become known or unknown, and every unresolved reference when
  any id has (its "did you mean" is the closest known id).

Those groups are worked out again from the files in them alone, read from the cache's rows; the
others keep their problems. A change to more than a tenth of the catalogue (a checkout of
another branch) is worked out from every file's record instead, as a cold run is.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.document import Document
from ..load.files import file_digest
from ..load.reading import load_files
from ..model import Entry
from ..problems import Problem
from .cache import Store, StoreError, signature
from .groups import (
    Holder,
    file_order,
    full_pass,
    id_key,
    own_problems,
    record_keys,
    resolve,
    whole_rules,
)
from .kept import Checked, Kept
from .rules import RULES, SPACES, CatalogueIndex, FileRecord, run_catalogue


@dataclass(slots=True)
class Listed:
    """An accepted file of this run: where it is, how it is shown, its lstat before reading."""

    rel: str
    path: str
    display: str
    info: os.stat_result | None


# what checks some files: their Checked in the order given, each record placed (its rel, display
# and path set from its Listed, as _place does)
Checker = Callable[[list[Listed]], Iterator[Checked]]


@dataclass
class Answer:
    """What a run found: every group's problems but the refused files', whether every file was
    read, and the valid entries in the catalogue's order (kind, id, rel) when asked for."""

    problems: list[Problem]
    complete: bool
    valid: list[tuple[str, str, str]]
    checked: dict[str, Checked]
    known: dict[str, set[str]] | None = None


def _place(record: FileRecord, listed: Listed) -> FileRecord:
    record.rel, record.display, record.path = listed.rel, listed.display, Path(listed.path)
    return record


def _unchanged(listed: Listed, head: tuple[Any, str | None] | None) -> bool | str:
    """True when a file is as kept; its digest when only its stat differs; False when changed."""
    if head is None or listed.info is None or not stat.S_ISREG(listed.info.st_mode):
        return False
    kept, digest = head
    if kept is not None and signature(listed.info) == kept:
        return True
    try:
        raw = Path(listed.path).read_bytes()
    except OSError:
        return False
    return digest if digest and file_digest(raw) == digest else False


class _Known(dict):  # type: ignore[type-arg]
    """The ids made known, by kind, read from the cache as the rules ask (rules/references.py)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, kind: str) -> _KnownOfKind:
        found = self[kind] = _KnownOfKind(self.store, kind)
        return found


class _KnownOfKind:
    def __init__(self, store: Store, kind: str) -> None:
        self.store, self.kind = store, kind
        self.seen: dict[str, bool] = {}

    def __contains__(self, entry_id: object) -> bool:
        if not isinstance(entry_id, str):
            return False
        if entry_id not in self.seen:
            key = f"{self.kind}/{entry_id}"
            self.seen[entry_id] = bool(self.store.present("known", [key]))
        return self.seen[entry_id]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.store.ids_of(self.kind)))


def run(
    store: Store | None,
    listed: list[Listed],
    checker: Checker,
    rejected: bool,
    keep_entries: bool,
) -> Answer:
    """Validate with the cache (see the module's docstring), or without one (store None), from
    every file; rejected: some file was refused."""
    if store is None:
        return _whole(None, listed, listed, [], checker, rejected, keep_entries)
    heads = {} if store.fresh else store.heads()
    changed: list[Listed] = []
    for item in listed:
        same = _unchanged(item, heads.get(item.rel))
        if same is False:
            changed.append(item)
        elif same is not True:
            assert item.info is not None
            store.restat(item.rel, item.info, same)
    on_disk = {item.rel for item in listed}
    removed = [rel for rel in heads if rel not in on_disk]
    if store.fresh or len(changed) + len(removed) > max(200, len(listed) // 10):
        return _whole(store, listed, changed, removed, checker, rejected, keep_entries)
    return _Change(store, listed, changed, removed, checker).answer(rejected, keep_entries)


def _whole(
    store: Store | None,
    listed: list[Listed],
    changed: list[Listed],
    removed: list[str],
    checker: Checker,
    rejected: bool,
    keep_entries: bool,
) -> Answer:
    """Every group from every file's record: the unchanged ones' from the cache."""
    fresh = {item.rel for item in changed}
    kept = {}
    if store is not None and not store.fresh:
        kept = store.records(i.rel for i in listed if i.rel not in fresh)
        store.forget([*fresh, *removed])
    where = {item.rel: item for item in changed}
    checked: dict[str, Checked] = {}
    batch: list[Checked] = []
    for found in checker(changed):
        checked[found.record.rel] = found
        if store is not None:
            # kept as they come, a few hundred at a time, while the other process reads on
            batch.append(found)
            if len(batch) == _KEEP_BATCH:
                _keep(store, batch, where)
                batch = []
    if store is not None:
        _keep(store, batch, where)
    # a file checked in this run was placed by the checker; one from the cache is placed here
    records = [
        checked[item.rel].record if item.rel in checked else _place(kept[item.rel], item)
        for item in listed
    ]
    # every file's keys rows, from their groups, by SQLite on another thread while the rules
    # run here (it lets the GIL go while it works)
    indexed = _aside(store.reindex) if store is not None else None
    try:
        outcome = full_pass(records)
    finally:
        if indexed is not None:
            indexed()
    if store is not None:
        store.clear_groups()
        store.set_groups(outcome.groups, [])
        store.set_holders(dict(outcome.holders))
    complete = not rejected and all(r.loaded for r in records)
    return Answer(
        outcome.problems(complete),
        complete,
        _valid_order((key, h.view.rel, h.first) for key, h in outcome.holders.items() if h.valid),
        checked,
        outcome.index.known_ids,
    )


_KEEP_BATCH = 500


def _aside(work: Callable[[], None]) -> Callable[[], None]:
    """Start work on another thread; the function returned waits for it and raises what it
    raised. Nothing else may use what work uses until then."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # raised again by wait(), on the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="paradecat-reindex")
    thread.start()

    def wait() -> None:
        thread.join()
        if failed:
            raise failed[0]

    return wait


def _keep(store: Store, batch: list[Checked], where: dict[str, Listed]) -> None:
    store.keep(
        ((c.record, where[c.record.rel].info, _kept(c)) for c in batch),
        index=False,  # every file's keys rows at the end, in the B-tree's order
    )


def _kept(checked: Checked) -> Kept:
    if checked.kept is None:
        raise StoreError("a file checked for a run without the cache")
    return checked.kept


def _valid_order(held: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(kind, id, rel) of the ids held by a valid entry, from (id key, rel, first), in the
    catalogue's order: by the first file with a valid entry of the id."""
    ordered = sorted((file_order(first), key, rel) for key, rel, first in held)
    return [(*key.split("/", 1), rel) for _, key, rel in ordered]  # type: ignore[misc]


class _Change:
    """The groups a few changed files touch, worked out again (see the module's docstring)."""

    def __init__(
        self,
        store: Store,
        listed: list[Listed],
        changed: list[Listed],
        removed: list[str],
        checker: Checker,
    ) -> None:
        self.store = store
        self.where = {item.rel: item for item in listed}
        self.checked = {c.record.rel: c for c in checker(changed)}
        gone = [item.rel for item in changed] + removed
        self.old = store.records(gone)
        self.records: dict[str, FileRecord] = {
            rel: _place(c.record, self.where[rel]) for rel, c in self.checked.items()
        }
        old_keys = {rel: record_keys(record) for rel, record in self.old.items()}
        new_keys = {rel: record_keys(c.record) for rel, c in self.checked.items()}
        self.touched: dict[str, set[str]] = {space: set() for space in (*SPACES, "id", "known")}
        for groups in [*old_keys.values(), *new_keys.values()]:
            for space, keys in groups.items():
                if space in self.touched:
                    self.touched[space] |= keys
        known_before = store.present("known", self.touched["known"])
        for rel, groups in old_keys.items():
            store.drop_keys(rel, groups)
        store.forget(gone)
        store.keep((c.record, self.where[rel].info, _kept(c)) for rel, c in self.checked.items())
        own = {("file", rel): own_problems(found.record) for rel, found in self.checked.items()}
        store.set_groups(own, [])
        self.known_changed = known_before ^ store.present("known", self.touched["known"])
        self.holders: dict[str, Holder | None] = {}

    def _records(self, rels: Iterable[str]) -> dict[str, FileRecord]:
        wanted = [rel for rel in rels if rel not in self.records and rel in self.where]
        for rel, record in self.store.records(wanted).items():
            self.records[rel] = _place(record, self.where[rel])
        return {rel: self.records[rel] for rel in rels if rel in self.records}

    def _ids(self) -> set[str]:
        """Who holds each id touched; the files that began or stopped holding one."""
        keys = self.touched["id"]
        before = self.store.holders(keys)
        members: dict[str, list[FileRecord]] = {key: [] for key in keys}
        for record in self._records(self.store.members("id", keys)).values():
            members[id_key(record) or ""].append(record)
        moved: set[str] = set()
        found: dict[tuple[str, str], list[Problem]] = {}
        for key in keys:
            holder = resolve(sorted(members[key], key=lambda r: file_order(r.rel)))
            self.holders[key] = holder
            if holder is not None:
                found[("id", key)] = holder.problems
            now = None if holder is None else (holder.view.rel, holder.valid)
            was = before.get(key)
            if now != (None if was is None else was[:2]):
                moved.update(rel for rel in (now and now[0], was and was[0]) if rel)
        self.store.set_holders(self.holders)
        self.store.set_groups(found, [("id", key) for key in keys])
        return moved

    def _affected(self, moved: set[str]) -> dict[str, set[str]]:
        affected = {space: set(self.touched[space]) for space in SPACES}
        for record in self._records(moved).values():
            for space, keys in record_keys(record).items():
                if space in affected:
                    affected[space] |= keys
        if self.known_changed:
            affected["refs"] |= self.store.members("refto", self.known_changed)
            affected["refs"] |= self.store.groups_of("ref-unresolved")
        return affected

    def _index(self, affected: dict[str, set[str]]) -> CatalogueIndex:
        """The catalogue rules' index of just the files in the groups affected."""
        rels: set[str] = set()
        for space, keys in affected.items():
            rels |= self.store.members(space, keys)
        records = self._records(rels)
        ids = {key for r in records.values() if (key := id_key(r)) is not None}
        held = {key: (h.view.rel, h.valid) for key, h in self.holders.items() if h is not None}
        for key, (rel, is_valid, _) in self.store.holders(ids - set(self.holders)).items():
            held[key] = (rel, is_valid)
        loaded: list[FileRecord] = []
        valid: dict[tuple[str, str], FileRecord] = {}
        view: dict[tuple[str, str], FileRecord] = {}
        for rel in sorted(records, key=file_order):
            record = records[rel]
            if record.loaded:
                loaded.append(record)
            holder = held.get(id_key(record) or "")
            if holder is not None and holder[0] == rel:
                view[(record.kind, record.view_id or "")] = record
                if holder[1]:
                    valid[(record.kind, record.view_id or "")] = record
        return CatalogueIndex(_Known(self.store), loaded, valid, view)

    def answer(self, rejected: bool, keep_entries: bool) -> Answer:
        affected = self._affected(self._ids())
        found: dict[tuple[str, str], list[Problem]] = {}
        for rule, key, problem in run_catalogue(self._index(affected), affected):
            found.setdefault((rule.code, key), []).append(problem)
        done = [(r.code, key) for r in RULES if r.space is not None for key in affected[r.space]]
        self.store.set_groups(found, done)
        complete = not rejected and self.store.unloaded() == 0
        whole = whole_rules()
        problems = [p for origin, p in self.store.all_problems() if complete or origin not in whole]
        valid = _valid_order(self.store.valid_holders()) if keep_entries else []
        return Answer(problems, complete, valid, self.checked)


def entries_of(
    store: Store | None, answer: Answer, where: dict[str, Listed], wanted: set[str] | None = None
) -> Iterator[tuple[str, str, Entry, Document]]:
    """(kind, id, entry, document) of every valid entry (those of the files wanted, when given),
    in the catalogue's order."""
    from ..model import ENTRY_MODELS

    valid = [v for v in answer.valid if wanted is None or v[2] in wanted]
    cached = {}
    if store is not None:
        cached = store.data(rel for _, _, rel in valid if rel not in answer.checked)
    unkept = [rel for _, _, rel in valid if rel not in answer.checked and rel not in cached]
    read = _read_again(store, unkept, where) if unkept else {}
    for kind, entry_id, rel in valid:
        found = answer.checked.get(rel)
        if found is not None and found.entry is not None and found.doc is not None:
            yield kind, entry_id, found.entry, found.doc
            continue
        if rel in read:
            doc = read[rel]
            yield kind, entry_id, ENTRY_MODELS[kind].model_validate(doc.data), doc
            continue
        data = json.loads(cached[rel])
        entry = ENTRY_MODELS[kind].model_validate(data)
        # the build reads no positions: a document from the cache locates nothing
        yield kind, entry_id, entry, Document(where[rel].display, data, {}, {})


def _read_again(
    store: Store | None, rels: list[str], where: dict[str, Listed]
) -> dict[str, Document]:
    """The documents of valid files whose data a validate did not keep (only a build keeps it),
    read again; each must still be the file the cache checked."""
    if store is None:
        raise StoreError("no data kept")
    digests = store.digests(rels)
    items = [(Path(where[rel].path), where[rel].display) for rel in rels]
    sizes = [info.st_size if (info := where[rel].info) is not None else 0 for rel in rels]
    out = {}
    for rel, loaded in zip(rels, load_files(items, sizes), strict=True):
        if loaded.document is None or not loaded.digest or loaded.digest != digests.get(rel):
            raise StoreError(f"{rel} changed while it was being read")
        out[rel] = loaded.document
    return out
