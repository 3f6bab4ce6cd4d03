"""Generate schema/<kind>.schema.json from the models, and check the committed files for drift."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Entry
from .kinds import ENTRY_MODELS

SCHEMA_BASE = "https://paradecat.github.io/paradecat/schema/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _unwrap_optional(prop: dict[str, Any]) -> dict[str, Any]:
    """Turn pydantic's anyOf [X, null] for an optional field into X: absent, not null, means unknown."""
    branches = prop.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return prop
    rest = [b for b in branches if b != {"type": "null"}]
    out = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    if len(rest) == 1:
        inner = dict(rest[0])
        # a nested anyOf (a Quantity) keeps its own branches; its own description yields to the field's
        for key in ("description", "examples"):
            if key in out:
                inner.pop(key, None)
        out = {**inner, **out}
    else:
        out["anyOf"] = rest
    return out


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _clean(v) for k, v in node.items()}
        if isinstance(node.get("properties"), dict):
            node["properties"] = {k: _unwrap_optional(v) for k, v in node["properties"].items()}
            for prop in node["properties"].values():
                prop.pop("title", None) if "$ref" in prop else None
        return node
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def _enum_descriptions(schema: dict[str, Any]) -> None:
    """List the allowed values in each enum's description, so editors show them on hover."""
    for definition in schema.get("$defs", {}).values():
        if "enum" in definition:
            values = ", ".join(definition["enum"])
            definition["description"] = (
                f"{definition.get('description', '').strip()} One of: {values}."
            )


_SCHEMAS: dict[str, dict[str, Any]] = {}  # made (or adopted) in this process, by kind


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for one kind of entry, made once in a process (pydantic
    takes 4-13 ms a kind to make one) or adopted from an earlier run of the same code."""
    found = _SCHEMAS.get(kind)
    if found is None:
        found = _SCHEMAS[kind] = _make_schema(kind)
    return found


def made_schemas() -> dict[str, dict[str, Any]]:
    """The schemas made or adopted in this process so far, by kind."""
    return dict(_SCHEMAS)


def adopt_schemas(schemas: Mapping[str, dict[str, Any]]) -> None:
    """Take the schemas an earlier run of this same code made (the validation cache keeps them,
    under the code's version), instead of making them from the models again."""
    for kind, schema in schemas.items():
        if kind in ENTRY_MODELS and isinstance(schema, dict):
            _SCHEMAS.setdefault(kind, schema)


def _make_schema(kind: str) -> dict[str, Any]:
    model: type[Entry] = ENTRY_MODELS[kind]
    raw = model.model_json_schema(by_alias=True, mode="validation")
    body = _clean(raw)
    _enum_descriptions(body)
    body.pop("title", None)
    doc = (model.__doc__ or "").strip()
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_BASE}{kind}.schema.json",
        "title": f"paradecat {kind}",
        "description": f"{doc} One file per {kind} in catalog/{model.folder}/; the file name is the id.",
        **{k: v for k, v in body.items() if k != "description"},
    }
    return schema


def resolve_ref(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """A subschema with a local $ref replaced by the definition it points to (siblings kept)."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = root["$defs"][ref.removeprefix("#/$defs/")]
        return {**resolved, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def render(kind: str) -> str:
    """The schema file's exact text."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@dataclass(frozen=True)
class SchemaDrift:
    """A committed schema file that differs from what the models generate."""

    path: Path
    reason: str


def write_schemas(directory: Path) -> list[Path]:
    """Write every kind's schema into directory and return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ENTRY_MODELS:
        path = directory / f"{kind}.schema.json"
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(directory: Path) -> list[SchemaDrift]:
    """Committed schema files that are missing or differ from the models."""
    drift = []
    for kind in ENTRY_MODELS:
        path = directory / f"{kind}.schema.json"
        if not path.exists():
            drift.append(SchemaDrift(path, "missing"))
        elif path.read_text(encoding="utf-8") != render(kind):
            drift.append(SchemaDrift(path, "differs from the models"))
    return drift
