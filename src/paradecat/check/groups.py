"""Where each file's problems come from, as groups that can be worked out one at a time.

Every problem validate reports belongs to one group, named by an origin and a key:

- ("file", REL): a file's own problems (the loader's, the schema's, the models', raw rules').
- ("id", KIND/ID): the files whose entry has that id. The first valid one in the catalogue's order
  holds the id (a file named for the id wins over one that is not), the others are duplicates;
  without a valid one, the first entry built from the parts without problems of a file with
  errors stands for it. The group's problems are the duplicates' and the "entry" rules' on the
  entry that holds the id.
- (RULE, KEY): a catalogue rule's problems for one key of its space (rules/engine.py).

full_pass works every group out from every file's record; incremental.py works out again only
the groups a change touches. Both give the same groups, which the cache equivalence test checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import ENTRY_MODELS
from ..problems import Problem
from .rules import RULES, SPACES, CatalogueIndex, FileRecord, run_catalogue

Origin = tuple[str, str]  # (origin, key): "file", "id" or a catalogue rule's code


def file_order(rel: str) -> tuple[str, ...]:
    """The order in which load/files.py lists a file (by folder, then name), from its rel path."""
    return tuple(rel.split("/"))


def id_key(record: FileRecord) -> str | None:
    """The key of the id group a file is in: its valid entry's id, else its partial entry's."""
    entry_id = record.view_id
    return None if entry_id is None else f"{record.kind}/{entry_id}"


def known_keys(record: FileRecord) -> set[str]:
    """The ids a file makes known: its name even when unreadable, and its `id` when it parsed."""
    keys = {f"{record.kind}/{record.stem}"}
    if record.loaded and record.data_id is not None:
        keys.add(f"{record.kind}/{record.data_id}")
    return keys


def record_keys(record: FileRecord) -> dict[str, set[str]]:
    """Every group a file is in, by space: "id", "known", "refto" (the ids it refers to) and the
    spaces of the catalogue rules."""
    out = {space: keys(record) for space, (keys, _) in SPACES.items()}
    key = id_key(record)
    out["id"] = set() if key is None else {key}
    out["known"] = known_keys(record)
    out["refto"] = {f"{target}/{ref}" for _, target, ref in record.refs}
    return out


def own_problems(record: FileRecord) -> list[Problem]:
    """A file's own problems: what it says whatever the other files say."""
    return record.problems + record.raw_problems if record.loaded else list(record.problems)


@dataclass
class Holder:
    """Who holds one id: the file the rules see (view), whether its entry is valid, and the first
    file with a valid entry of that id (the catalogue's order of entries)."""

    view: FileRecord
    valid: bool
    first: str  # rel of the first file with a valid entry of the id, or the view's rel
    problems: list[Problem] = field(default_factory=list)


def resolve(members: Sequence[FileRecord]) -> Holder | None:
    """Who holds an id, from the files whose entry has it, in the catalogue's order."""
    holder: FileRecord | None = None
    first = ""
    problems: list[Problem] = []
    for record in members:
        if record.entry_id is None:
            continue
        if holder is None:
            holder, first = record, record.rel
            continue
        other = record
        if holder.stem != record.entry_id and record.stem == record.entry_id:
            # the file named for the id keeps it; the other one is the duplicate
            holder, other = record, holder
        line, col = other.locate("/id")
        problems.append(
            Problem(
                other.display,
                line,
                col,
                "id-duplicate",
                f"{other.kind} id '{other.entry_id}' is already used by {holder.display}",
                pointer="/id",
                hint="choose another id and rename the file to match",
            )
        )
    if holder is not None:
        return Holder(holder, True, first, problems + holder.entry_problems)
    partial = next((r for r in members if r.partial_id is not None), None)
    if partial is None:
        return None
    # a valid entry holds the id; the file with errors is not a second one
    return Holder(partial, False, partial.rel, list(partial.entry_problems))


@dataclass
class Outcome:
    """Every group's problems, and who holds each id."""

    groups: dict[Origin, list[Problem]]
    holders: dict[str, Holder]  # by id key
    index: CatalogueIndex
    whole: set[str]  # the codes of the rules reported only when every file was read

    def problems(self, complete: bool) -> list[Problem]:
        """Every group's problems (a whole rule's only when every file was read)."""
        out: list[Problem] = []
        for (origin, _), found in self.groups.items():
            if complete or origin not in self.whole:
                out.extend(found)
        return out


def whole_rules() -> set[str]:
    """The codes of the rules reported only when every file could be read."""
    return {r.code for r in RULES if r.whole}


def full_pass(records: Sequence[FileRecord]) -> Outcome:
    """Every group, from the records of every accepted file in the catalogue's order."""
    groups: dict[Origin, list[Problem]] = {}
    by_id: dict[str, list[FileRecord]] = {}
    known: dict[str, set[str]] = {kind: set() for kind in ENTRY_MODELS}
    loaded = []
    for record in records:
        groups[("file", record.rel)] = own_problems(record)
        known[record.kind].add(record.stem)
        if not record.loaded:
            continue
        loaded.append(record)
        if record.data_id is not None:
            known[record.kind].add(record.data_id)
        key = id_key(record)
        if key is not None:
            by_id.setdefault(key, []).append(record)
    holders: dict[str, Holder] = {}
    for key, members in by_id.items():
        holder = resolve(members)
        if holder is not None:
            holders[key] = holder
            groups[("id", key)] = holder.problems
    index = holders_index(holders, known, loaded)
    for rule, key, problem in run_catalogue(index, None):
        groups.setdefault((rule.code, key), []).append(problem)
    return Outcome(groups, holders, index, whole_rules())


def holders_index(
    holders: dict[str, Holder], known: dict[str, set[str]] | object, loaded: list[FileRecord]
) -> CatalogueIndex:
    """The index the catalogue rules read: valid entries in the catalogue's order, then the rest."""
    ordered = sorted(holders.values(), key=lambda h: (not h.valid, file_order(h.first)))
    valid = {(h.view.kind, h.view.view_id or ""): h.view for h in ordered if h.valid}
    view = {(h.view.kind, h.view.view_id or ""): h.view for h in ordered}
    return CatalogueIndex(known, loaded, valid, view)  # type: ignore[arg-type]
