"""Fix hints: "did you mean", examples of the expected shape, and readable type names."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def did_you_mean(value: str, choices: Iterable[str], cutoff: float | None = None) -> str | None:
    """The choice closest to value, when one is close enough to be a likely typo.

    Long values need a closer match (85: tor-m2 -> tor-m2k scores 92, while ids that share only
    their digits score 79); short ones allow one slip in a few letters (nmae -> name scores 75).
    """
    options = list(choices)
    if not options:
        return None
    from rapidfuzz import fuzz, process, utils  # here: 8 ms to import, and most runs need none

    limit = cutoff if cutoff is not None else (85.0 if len(value) > 8 else 70.0)
    match = process.extractOne(
        value, options, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=limit
    )
    return str(match[0]) if match else None


def suggestion(value: str, choices: Iterable[str]) -> str | None:
    """A hint sentence naming the closest choice, if any."""
    best = did_you_mean(value, choices)
    return f"did you mean '{best}'?" if best else None


def type_name(value: Any) -> str:
    """How a YAML value reads to a person."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a whole number ({value})"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ('{shown}')"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


SCHEMA_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def example_text(schema: dict[str, Any]) -> str | None:
    """The schema's first example, in YAML flow style."""
    examples = schema.get("examples")
    if not examples:
        return None
    return flow_yaml(examples[0])


def flow_yaml(value: Any) -> str:
    """A value written as one line of YAML."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return (
            value
            if value and value.replace("-", "").replace(" ", "").isalnum()
            else json.dumps(value)
        )
    return str(value)
