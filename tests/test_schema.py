"""The generated JSON Schemas: draft 2020-12, $id, titles, descriptions and examples for editors."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from paradecat.model import ENTRY_MODELS
from paradecat.model.schema import schema_for


def properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = list(schema.get("properties", {}).items())
    for name, definition in schema.get("$defs", {}).items():
        found += [
            (f"{name}.{key}", value) for key, value in definition.get("properties", {}).items()
        ]
    return found


@pytest.mark.parametrize("kind", list(ENTRY_MODELS))
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.schema.json")
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("kind", list(ENTRY_MODELS))
def test_every_property_has_a_description(kind: str) -> None:
    missing = [name for name, prop in properties(schema_for(kind)) if not prop.get("description")]
    assert missing == []


@pytest.mark.parametrize("kind", list(ENTRY_MODELS))
def test_required_fields_have_examples(kind: str) -> None:
    schema = schema_for(kind)
    for name in schema["required"]:
        prop = schema["properties"][name]
        assert prop.get("examples") or "$ref" in prop, name


def test_enums_list_their_values_in_the_description() -> None:
    segment = schema_for("parade")["$defs"]["Segment"]
    assert "mechanized_column" in segment["description"]
