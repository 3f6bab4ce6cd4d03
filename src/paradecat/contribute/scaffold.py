"""`paradecat new`: a commented template for a new entry, written from the models' schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..check.hints import suggestion
from ..load.files import load_text
from ..model import ENTRY_MODELS, SLUG_PATTERN
from ..model.fields import MAX_ID_LENGTH
from ..model.schema import resolve_ref, schema_for

# Every entry but a source must cite one, so the template asks for it as if it were required.
_ALSO_REQUIRED = {"system": ["sources"], "unit": ["sources"], "parade": ["sources"]}


class ScaffoldError(Exception):
    """The entry cannot be created as asked."""


@dataclass(frozen=True)
class FieldDoc:
    """What the template says about one field."""

    name: str
    required: bool
    description: str
    allowed: list[str]
    example: Any
    kind: str  # string, integer, boolean, array, object or quantity


def _field_kind(prop: dict[str, Any], root: dict[str, Any]) -> str:
    if "anyOf" in prop:
        return "quantity"
    return str(resolve_ref(prop, root).get("type", "object"))


def field_docs(kind: str) -> list[FieldDoc]:
    """The fields of an entry in schema order, with their descriptions and allowed values."""
    root = schema_for(kind)
    required = set(root.get("required", [])) | set(_ALSO_REQUIRED.get(kind, []))
    docs = []
    for name, prop in root["properties"].items():
        resolved = resolve_ref(prop, root)
        allowed = [str(v) for v in resolved.get("enum", [])]
        examples = prop.get("examples") or resolved.get("examples") or [None]
        docs.append(
            FieldDoc(
                name=name,
                required=name in required,
                description=str(prop.get("description", "")),
                allowed=allowed,
                example=examples[0],
                kind=_field_kind(prop, root),
            )
        )
    return docs


def _scalar(value: Any) -> str:
    """A value as one line of YAML 1.2: plain where our loader reads it back unchanged, else quoted."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        first = [k for k in ("name", "value") if k in value]
        keys = first + [k for k in value if k not in first]
        return "{" + ", ".join(f"{k}: {_scalar(value[k])}" for k in keys) + "}"
    text = str(value)
    read = load_text("", f"v: {text}\n").document
    plain = read is not None and read.data == {"v": text} and "," not in text and "#" not in text
    return text if plain else json.dumps(text, ensure_ascii=False)


def _nested_example(prop: dict[str, Any], root: dict[str, Any], indent: str) -> Iterator[str]:
    """Commented YAML for an object or a list of objects, one line per sub-field, ready to uncomment."""
    is_list = resolve_ref(prop, root).get("type") == "array"
    item = resolve_ref(resolve_ref(prop, root).get("items", prop) if is_list else prop, root)
    required = set(item.get("required", []))
    for i, (name, sub) in enumerate(item.get("properties", {}).items()):
        resolved = resolve_ref(sub, root)
        examples = sub.get("examples") or resolved.get("examples") or [None]
        if "enum" in resolved:
            note = "allowed: " + ", ".join(str(v) for v in resolved["enum"])
        else:
            note = str(sub.get("description", ""))
        need = "required" if name in required else "optional"
        lead = ("- " if i == 0 else "  ") if is_list else ""
        value = _scalar(examples[0]) if examples[0] is not None else ""
        yield f"#{indent}{lead}{name}: {value}  # {need}. {note}".replace(":   #", ":  #")


def _parse_option(doc: FieldDoc, raw: str) -> Any:
    if doc.kind == "array":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if doc.kind in ("integer", "quantity") and re.fullmatch(r"[0-9]+", raw):
        return int(raw)
    if doc.kind == "boolean" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw


def _comment(doc: FieldDoc) -> Iterator[str]:
    need = "required" if doc.required else "optional"
    yield f"# {doc.name} ({need}): {doc.description}"
    if doc.allowed:
        yield f"#   allowed: {', '.join(doc.allowed)}"


def _has_fields(prop: dict[str, Any], root: dict[str, Any]) -> bool:
    resolved = resolve_ref(prop, root)
    item = resolve_ref(resolved.get("items", resolved), root)
    return bool(item.get("properties"))


def render_template(kind: str, entry_id: str, values: Mapping[str, Any]) -> str:
    """The text of a new entry: modeline, then every field with its comment."""
    lines = [f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"]
    model = ENTRY_MODELS[kind]
    lines.append(f"# A new {kind} for catalog/{model.folder}/. Lines starting with '#' are notes:")
    lines.append("# fill in the required fields, uncomment the optional ones you know, and run")
    lines.append("# 'paradecat validate' to check the file.")
    docs = field_docs(kind)
    root = schema_for(kind)
    for doc in sorted(docs, key=lambda d: (not d.required, 0)):
        lines.append("")
        lines.extend(_comment(doc))
        if doc.name == "id":
            lines.append(f"id: {entry_id}")
        elif doc.name in values:
            lines.append(f"{doc.name}: {_scalar(values[doc.name])}")
        elif doc.required:
            example = f"  # e.g. {_scalar(doc.example)}" if doc.example is not None else ""
            lines.append(f"{doc.name}:{example}")
        elif (doc.example is not None and doc.kind != "array") or doc.kind == "quantity":
            lines.append(f"# {doc.name}: {_scalar(doc.example)}")
        elif doc.kind in ("array", "object") and _has_fields(root["properties"][doc.name], root):
            lines.append(f"# {doc.name}:")
            lines.extend(_nested_example(root["properties"][doc.name], root, "   "))
        elif doc.example is not None:
            lines.append(f"# {doc.name}: {_scalar(doc.example)}")
        else:
            lines.append(f"# {doc.name}:")
    return "\n".join(lines) + "\n"


def parse_field_options(kind: str, args: list[str]) -> dict[str, Any]:
    """`--field value` pairs from the command line, checked against the kind's fields."""
    docs = {d.name: d for d in field_docs(kind)}
    values: dict[str, Any] = {}
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if not flag.startswith("--"):
            raise ScaffoldError(f"expected --FIELD VALUE, found '{flag}'")
        name, _, inline = flag[2:].partition("=")
        name = name.replace("-", "_")
        if name not in docs or name == "id":
            hint = suggestion(name, [n for n in docs if n != "id"])
            raise ScaffoldError(f"a {kind} has no field '{name}'" + (f" ({hint})" if hint else ""))
        if not inline and not rest:
            raise ScaffoldError(f"--{name} needs a value")
        raw = inline or rest.pop(0)
        values[name] = _parse_option(docs[name], raw)
    return values


def new_entry(root: Path, kind: str, entry_id: str, values: Mapping[str, Any]) -> Path:
    """Write the template for a new entry and return its path; refuse bad or taken ids."""
    if kind not in ENTRY_MODELS:
        raise ScaffoldError(f"unknown kind '{kind}' (kinds: {', '.join(ENTRY_MODELS)})")
    if len(entry_id) > MAX_ID_LENGTH:
        raise ScaffoldError(
            f"the id is {len(entry_id):,} characters long; the limit is {MAX_ID_LENGTH}"
        )
    if not re.fullmatch(SLUG_PATTERN, entry_id):
        slug = "-".join(p for p in re.split(r"[^a-z0-9]+", entry_id.lower()) if p)
        raise ScaffoldError(
            f"'{entry_id}' is not a valid id: use lower-case letters, digits and hyphens"
            + (f" (did you mean '{slug}'?)" if slug else "")
        )
    folder = root / "catalog" / ENTRY_MODELS[kind].folder
    path = folder / f"{entry_id}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or choose another id")
    taken = {p.stem.lower() for p in folder.glob("*.yaml")}
    if entry_id.lower() in taken:
        raise ScaffoldError(f"a {kind} with the id '{entry_id}' already exists in {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(render_template(kind, entry_id, values), encoding="utf-8")
    return path
