"""References between entries: where the schema says they can be, that each resolves, and that no system is based on itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...load.files import Document
from ...model import (
    ENTRY_MODELS,
    REF_KEYWORD,
)
from ...model.schema import resolve_ref, schema_for
from ...problems import pointer_join
from ..hints import suggestion
from .engine import Keyed, Keys, rule
from .index import CatalogueIndex

# --- references -------------------------------------------------------------------------------


@dataclass
class _RefPlan:
    """The parts of one subschema below which a reference can occur, for raw_references."""

    target: Any = None  # the kind a string here refers to
    properties: dict[str, _RefPlan] = field(default_factory=dict)
    objects: list[_RefPlan] = field(default_factory=list)  # anyOf branches of type object
    items: _RefPlan | None = None

    def holds_refs(self) -> bool:
        return bool(self.target or self.properties or self.objects or self.items)


# id(subschema), id(root) -> (subschema, root, its plan): schemas never change, and resolving
# a $ref copies the definition, so each subschema is planned once
_PLANS: dict[tuple[int, int], tuple[Any, Any, _RefPlan]] = {}


def _plan(schema: dict[str, Any], root: dict[str, Any]) -> _RefPlan:
    key = (id(schema), id(root))
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is schema and cached[1] is root:
        return cached[2]
    plan = _RefPlan()
    _PLANS[key] = (schema, root, plan)  # a recursive schema meets this plan while it is filled
    resolved = resolve_ref(schema, root)
    plan.target = resolved.get(REF_KEYWORD)
    for name, sub in resolved.get("properties", {}).items():
        if (sub_plan := _plan(sub, root)).holds_refs():
            plan.properties[name] = sub_plan
    for branch in resolved.get("anyOf", []):
        if (
            resolve_ref(branch, root).get("type") == "object"
            and (branch_plan := _plan(branch, root)).holds_refs()
        ):
            plan.objects.append(branch_plan)
    items = resolved.get("items")
    if isinstance(items, dict) and (items_plan := _plan(items, root)).holds_refs():
        plan.items = items_plan
    return plan


def _collect(data: Any, plan: _RefPlan, pointer: str, out: list[tuple[str, str, str]]) -> None:
    if plan.target and isinstance(data, str):
        out.append((pointer, plan.target, data))
    elif isinstance(data, dict):
        properties = plan.properties
        for key, value in data.items():
            sub = properties.get(key)
            if sub is not None:
                child = (
                    f"{pointer}/{key}"
                    if "~" not in key and "/" not in key
                    else pointer_join(pointer, key)
                )
                _collect(value, sub, child, out)
        for branch in plan.objects:
            _collect(data, branch, pointer, out)
    elif isinstance(data, list) and plan.items is not None:
        for i, item in enumerate(data):
            _collect(item, plan.items, f"{pointer}/{i}", out)


def raw_references(
    data: Any, schema: dict[str, Any], root: dict[str, Any], pointer: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(pointer, target kind, id) for every reference in raw data, found from the schema's ref marks.

    It walks the parsed YAML rather than the models, so references are checked even in files
    that have other errors. Only the parts of the schema that can hold a reference are
    walked (not names, notes or coordinates), from a plan made once per schema.
    """
    found: list[tuple[str, str, str]] = []
    _collect(data, _plan(schema, root), pointer, found)
    yield from found


def document_references(kind: str, doc: Document) -> Iterator[tuple[str, str, str]]:
    """Every reference one document makes."""
    root = schema_for(kind)
    return raw_references(doc.data, root, root)


@rule("ref-unresolved", raw=True, scope="catalogue", space="refs")
def references_resolve(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """Every reference names an entry that exists: systems, units and sources.

    PASS: `system: tor-m2k` with catalog/systems/tor-m2k.yaml present
    FAIL: `system: tor-m2` when no such system exists (hint: did you mean 'tor-m2k'?)
    """
    for record in index.loaded:
        if keys is not None and record.rel not in keys:
            continue
        # a search is linear in the ids: 50,000 bad references against 3,000 sources took 75 s
        searches = 50
        for pointer, target, ref in record.refs:
            if ref not in index.known_ids[target]:
                folder = ENTRY_MODELS[target].folder
                searches -= 1
                close = suggestion(ref, index.sorted_ids(target)) if searches >= 0 else None
                hint = close or f"add catalog/{folder}/{ref}.yaml, or correct the id"
                yield (
                    record.rel,
                    index.raw_at(
                        record, pointer, "ref-unresolved", f"unknown {target} '{ref}'", hint
                    ),
                )


def based_on_facts(system: Any) -> dict[str, Any]:
    """What based-on-cycle reads of a system."""
    return {"b": system.based_on.system} if system.based_on and system.based_on.system else {}


def based_on_keys(record: Any) -> set[str]:
    """based-on-cycle works out every system with a based_on at once: one group, "*"."""
    return {"*"} if record.kind == "system" and "b" in record.facts else set()


@rule("based-on-cycle", scope="catalogue", space="based")
def based_on_has_no_cycle(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """A system is not based on itself, directly or through other systems.

    PASS: barys based_on {name: Paramount Mbombe 6}
    FAIL: a based_on b, and b based_on a
    """
    systems = list(index.of_kind("system"))
    parent = {sid: rec.facts["b"] for sid, rec in systems if "b" in rec.facts}
    done: set[str] = set()
    # every system is walked once, so a ring of thousands of systems costs linear time
    for start, _ in systems:
        path: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in done and current not in path:
            path[current] = len(path)
            current = parent.get(current)
        done.update(path)
        if current is None or current not in path:
            continue
        ring = list(path)[path[current] :]
        for i, member in enumerate(ring):
            chain = [*ring[i:], *ring[:i], member]
            if len(chain) > 10:
                chain = [*chain[:4], f"… {len(chain) - 6} more …", *chain[-2:]]
            yield (
                "*",
                index.at(
                    "system",
                    member,
                    "/based_on/system",
                    "based-on-cycle",
                    f"'based_on' goes round in a circle: {' -> '.join(chain)}",
                    "based_on names the design this one derives from; remove one link",
                ),
            )
