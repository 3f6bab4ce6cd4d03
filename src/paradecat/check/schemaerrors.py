"""JSON Schema errors as located problems, in plain words and with a hint.

jsonschema-rs decides whether a file is valid (fastschema.py); only for a file it rejects does
python-jsonschema list the errors, and _SchemaDescriber turns each one into sentences.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import pycountry

from ..load.document import Document
from ..model import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    LANG_PATTERN,
    MAX_COUNT,
    PARTIAL_DATE_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
    WIKIDATA_PATTERN,
)
from ..model.schema import resolve_ref, schema_for
from ..problems import Problem, pointer_join
from .fastschema import fast_valid
from .hints import SCHEMA_TYPE_WORDS, example_text, flow_yaml, suggestion, type_name

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError


@cache
def _validator(kind: str) -> Draft202012Validator:
    # imported here: only files that jsonschema-rs rejects need it (30 ms of every start)
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema_for(kind), format_checker=FormatChecker(formats=["date"]))


def json_pointer(parts: Sequence[Any]) -> str:
    """The JSON pointer of a path of keys and indexes."""
    pointer = ""
    for part in parts:
        pointer = pointer_join(pointer, part)
    return pointer


_PATTERN_WORDS: dict[str, tuple[str, str]] = {
    SLUG_PATTERN: (
        "is not a valid id",
        "use lower-case letters, digits and hyphens, e.g. 'tor-m2k'",
    ),
    PARTIAL_DATE_PATTERN: (
        "is not a date in YYYY-MM-DD, YYYY-MM or YYYY form",
        "write the date as YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known",
    ),
    DATE_PATTERN: (
        "is not a date in YYYY-MM-DD form",
        "write the date as YYYY-MM-DD, e.g. 2025-05-07",
    ),
    COUNTRY_PATTERN: (
        "is not an ISO 3166-1 alpha-2 country code",
        "use two capital letters, e.g. KZ",
    ),
    LANG_PATTERN: ("is not a BCP 47 language tag", "use a tag such as en, ru, kk or kk-Latn"),
    URL_PATTERN: (
        "is not an http(s) URL",
        "sources must be web addresses starting with https:// or http://",
    ),
    WIKIDATA_PATTERN: ("is not a Wikidata item id", "use the Q-number, e.g. Q1063997"),
}


def _slugify(value: str) -> str:
    # accents are dropped, not turned into hyphens: 'café', in NFC or NFD, suggests 'cafe'
    plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in plain)
    return "-".join(part for part in out.split("-") if part)


@lru_cache(maxsize=256)
def _country_hint(value: str) -> str | None:
    try:
        country = pycountry.countries.lookup(value)
    except LookupError:
        try:
            country = pycountry.countries.search_fuzzy(value)[0]
        except LookupError:
            return None
    return f"did you mean '{country.alpha_2}' ({country.name})?"


_BLANK_ITEM = "write a value, or remove the empty item"


def _plain_example(value: Any) -> str:
    """An example value as one line of YAML, a plain word left unquoted (military_parade)."""
    if isinstance(value, str) and value.replace("_", "").replace("-", "").isalnum():
        return value
    return flow_yaml(value)


def _is_count(schema: dict[str, Any]) -> bool:
    """Whether a (resolved) subschema is a count: a whole number up to MAX_COUNT, bare or qualified."""
    branches = [schema, *schema.get("anyOf", [])]
    return any(
        isinstance(b, dict) and b.get("type") == "integer" and b.get("maximum") == MAX_COUNT
        for b in branches
    )


def _branch_type(schema: dict[str, Any], root: dict[str, Any]) -> str:
    return str(resolve_ref(schema, root).get("type", "object"))


class _SchemaDescriber:
    """Turns one jsonschema error into located problems with a plain message and a hint."""

    def __init__(self, doc: Document, kind: str) -> None:
        self.doc = doc
        self.root = schema_for(kind)
        # a fuzzy country search takes about 7 ms: 30,000 bad codes in one file took 210 s
        self.country_searches = 20
        # a blank field fails every check of its schema (type, enum, anyOf); it is reported once
        self.blank: set[str] = set()

    def problem(
        self, pointer: str, code: str, message: str, hint: str | None, *, key: bool = False
    ) -> Problem:
        line, col = self.doc.locate(pointer, key=key)
        return Problem(self.doc.path, line, col, code, message, pointer=pointer, hint=hint)

    def step(self, schema: dict[str, Any], part: Any) -> dict[str, Any]:
        """The subschema for one key or index below schema ({} when the schema does not say)."""
        resolved = resolve_ref(schema, self.root)
        if isinstance(part, int):
            items = resolved.get("items")
            return items if isinstance(items, dict) else {}
        for branch in [resolved, *(resolve_ref(b, self.root) for b in resolved.get("anyOf", []))]:
            props = branch.get("properties", {})
            if part in props:
                sub = props[part]
                return sub if isinstance(sub, dict) else {}
        return {}

    def describe_blank(self, parts: Sequence[Any], pointer: str) -> Problem:
        """A field with nothing after its colon (YAML null), said once with what to do."""
        if not parts or isinstance(parts[-1], int):
            return self.problem(pointer, "empty-value", "the item is empty", _BLANK_ITEM)
        name = str(parts[-1])
        parent: dict[str, Any] = self.root
        for part in parts[:-1]:
            parent = self.step(parent, part)
        parent = resolve_ref(parent, self.root)
        field = self.step(parent, name)
        message = f"'{name}' is empty"
        resolved = resolve_ref(field, self.root)
        allowed = resolved.get("enum")
        if name in parent.get("required", []):
            examples = field.get("examples") or resolved.get("examples") or allowed or []
            example = _plain_example(examples[0]) if examples else None
            hint = (
                f"write a value, e.g. '{name}: {example}'"
                if example
                else "write a value: the field is required"
            )
            if allowed:
                hint += f"; allowed: {', '.join(str(v) for v in allowed)}"
        elif _is_count(resolved):
            hint = "write a number, or remove the line: a count that is left out means not known"
        elif resolved.get("type") == "boolean":
            hint = "write true or false, or remove the line"
        else:
            hint = "write a value, or remove the line"
        return self.problem(pointer, "empty-value", message, hint)

    def describe(self, error: SchemaError) -> Iterator[Problem]:
        pointer = json_pointer(error.absolute_path)
        kind = error.validator
        value = error.instance
        if value is None:
            if pointer not in self.blank:
                self.blank.add(pointer)
                yield self.describe_blank(list(error.absolute_path), pointer)
            return
        schema = error.schema if isinstance(error.schema, dict) else {}
        if kind == "required" and isinstance(value, dict):
            props = schema.get("properties", {})
            for name in error.validator_value:
                if name not in value:
                    sub = resolve_ref(props.get(name, {}), self.root)
                    example = example_text(sub) or "…"
                    hint = f"add '{name}: {example}'"
                    if sub.get("description"):
                        hint += f" ({sub['description']})"
                    yield self.problem(
                        pointer_join(pointer, name) if pointer else f"/{name}",
                        "missing-field",
                        f"missing required field '{name}'",
                        hint,
                    )
                    # locate the missing field at its parent mapping
            return
        if kind == "additionalProperties" and isinstance(value, dict):
            allowed = list(schema.get("properties", {}))
            for name in value:
                if name not in allowed:
                    hint = suggestion(name, allowed) or f"allowed fields: {', '.join(allowed)}"
                    if name == "names" and "person" in allowed:
                        # a person's names moved to their entry (catalog/people/)
                        hint = (
                            "a person's names in other scripts go in their entry, "
                            "catalog/people/ID.yaml ('paradecat new person ID'); "
                            "here write 'person: ID'"
                        )
                    yield self.problem(
                        pointer_join(pointer, name),
                        "unknown-field",
                        f"unknown field '{name}'",
                        hint,
                        key=True,
                    )
            return
        if kind == "anyOf":
            yield from self.describe_any_of(error, pointer)
            return
        if kind == "type":
            expected = error.validator_value
            names = expected if isinstance(expected, list) else [expected]
            words = " or ".join(SCHEMA_TYPE_WORDS.get(str(t), str(t)) for t in names)
            shape = example_text(schema)
            type_hint = f"for example: {shape}" if shape else None
            if "boolean" in names and isinstance(value, str):
                type_hint = f"YAML 1.2 reads '{value}' as text: write true or false"
            elif schema.get("pattern") == PARTIAL_DATE_PATTERN and isinstance(value, int):
                type_hint = f'YAML reads a year alone as a number: write it in quotes, "{value}"'
            yield self.problem(
                pointer,
                "wrong-type",
                f"expected {words}, found {type_name(value)}",
                type_hint,
            )
            return
        if kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            close = suggestion(str(value), allowed)
            hint = (
                f"{close} Allowed: {', '.join(allowed)}"
                if close
                else f"allowed: {', '.join(allowed)}"
            )
            yield self.problem(pointer, "invalid-value", f"'{value}' is not an allowed value", hint)
            return
        if kind == "pattern":
            words, hint = _PATTERN_WORDS.get(
                error.validator_value, ("does not match the required form", "")
            )
            if error.validator_value == SLUG_PATTERN and isinstance(value, str) and _slugify(value):
                hint = f"did you mean '{_slugify(value)}'?"
            searchable = isinstance(value, str) and len(value) <= 100
            if error.validator_value == COUNTRY_PATTERN and searchable and self.country_searches:
                self.country_searches -= 1
                hint = _country_hint(value) or hint
            yield self.problem(pointer, "invalid-format", f"'{value}' {words}", hint or None)
            return
        if kind == "format":
            yield self.problem(
                pointer,
                "invalid-date",
                f"'{value}' is not a real calendar date",
                "check the day and month (YYYY-MM-DD)",
            )
            return
        if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = error.validator_value
            side = "below the minimum" if "inimum" in kind else "above the maximum"
            low, high = schema.get("minimum"), schema.get("maximum")
            range_hint: str | None = None
            if schema.get("type") == "integer" and high == MAX_COUNT:
                range_hint = f"counts are whole numbers from 0 to {MAX_COUNT:,}"
            elif None not in (low, high):
                range_hint = f"the allowed range is {low:,} to {high:,}"
            yield self.problem(
                pointer, "out-of-range", f"{value:,} is {side} {bound:,}", range_hint
            )
            return
        if kind == "minLength":
            yield self.problem(
                pointer, "empty-value", "the value is empty", "write the value, or remove the field"
            )
            return
        if kind == "maxLength":
            yield self.problem(
                pointer,
                "too-long",
                f"the text is {len(value):,} characters long; the limit is {error.validator_value:,}",
                "shorten it; put long commentary in the source, not the catalogue",
            )
            return
        yield self.problem(pointer, "schema", error.message, None)

    def describe_any_of(self, error: SchemaError, pointer: str) -> Iterator[Problem]:
        value = error.instance
        branches = error.validator_value
        value_type = "object" if isinstance(value, dict) else None
        if value_type:
            for index, branch in enumerate(branches):
                if _branch_type(branch, self.root) == value_type:
                    sub = [e for e in error.context or () if e.relative_schema_path[0] == index]
                    for inner in sub:
                        yield from self.describe(inner)
                    return
        words = " or ".join(
            "a mapping {" + ", ".join(resolve_ref(b, self.root).get("properties", {})) + "}"
            if _branch_type(b, self.root) == "object"
            else SCHEMA_TYPE_WORDS.get(_branch_type(b, self.root), "?")
            for b in branches
        )
        schema = error.schema if isinstance(error.schema, dict) else {}
        example = example_text(schema)
        number_branch = next((b for b in branches if b.get("type") == "integer"), None)
        if number_branch and isinstance(value, int) and not isinstance(value, bool):
            sub = [e for e in error.context or () if e.validator in ("minimum", "maximum")]
            if sub:
                yield from self.describe(sub[0])
                return
        yield self.problem(
            pointer,
            "wrong-type",
            f"expected {words}, found {type_name(value)}",
            f"for example: {example}" if example else None,
        )


def schema_problems(doc: Document, kind: str, limit: int | None = None) -> list[Problem]:
    """The JSON Schema problems in one document, located: at most `limit`, then one that says
    there are more (9,500 wrongly typed counts in one file took 11.5 s and 213 MB to describe)."""
    if fast_valid(doc.data, kind):
        return []
    problems: list[Problem] = []
    describer: _SchemaDescriber | None = None
    for error in _validator(kind).iter_errors(doc.data):
        if limit and len(problems) >= limit:
            problems.append(truncated(doc.path, limit))
            break
        describer = describer or _SchemaDescriber(doc, kind)
        problems.extend(describer.describe(error))
    return problems


def truncated(path: str, limit: int) -> Problem:
    """The problem that stands for the rest of a file's problems, past the limit."""
    return Problem(
        path,
        1,
        1,
        "problems-truncated",
        f"the file has more problems than the {limit:,} shown",
        hint="fix these and validate again, or run 'paradecat validate --max-problems 0' to see "
        "every one",
    )
