"""Claims (what another source says of a field): that the field exists, that the claim differs from the accepted value, and that a claimed weekday fits the date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum
from functools import cache
from typing import Any

from ...catalog import Catalog
from ...model import (
    ENTRY_MODELS,
    QUANTITY_FIELDS,
    BasedOn,
    Entry,
    QualifiedCount,
    Qualifier,
    Role,
    claimable_fields,
    quantity_parts,
)
from ...model.schema import resolve_ref, schema_for
from ...problems import Problem
from ..fastschema import rust_valid, rust_validator
from ..hints import example_text, suggestion
from .engine import at, rule

# --- claims -----------------------------------------------------------------------------------


@rule("claim-field-unknown")
def claims_name_real_fields(catalog: Catalog) -> Iterator[Problem]:
    """A claim names a field that the entry has.

    PASS: a parade claim with `field: personnel`
    FAIL: a parade claim with `field: personel` (hint: did you mean 'personnel'?)
    """
    for kind, entry in catalog.entries():
        fields = claimable_fields(ENTRY_MODELS[kind])
        for i, claim in enumerate(entry.claims):
            if claim.field not in fields:
                hint = suggestion(claim.field, fields) or f"fields: {', '.join(fields)}"
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/field",
                    "claim-field-unknown",
                    f"a {kind} has no field '{claim.field}'",
                    hint,
                )


# the fields that hold a count: the parade's own, and an appearance's
_COUNT_FIELDS = (*QUANTITY_FIELDS, "count")


def accepted_value(entry: Entry, field_name: str) -> tuple[Any, Qualifier | None]:
    """The accepted value of a field as (plain value, qualifier for counts)."""
    attr = "class_" if field_name == "class" else field_name
    value = getattr(entry, attr, None)
    if (
        isinstance(value, (int, QualifiedCount))
        and not isinstance(value, bool)
        and field_name in _COUNT_FIELDS
    ):
        number, qualifier, _ = quantity_parts(value)
        return number, qualifier
    if isinstance(value, Enum):
        return value.value, None
    if isinstance(value, (BasedOn, Role)):
        return value.name or getattr(value, "person", None), None  # claimed about by its name
    if isinstance(value, (str, int, float, bool)):
        return value, None
    return None, None


@rule("claim-equals-value")
def claims_differ_from_accepted(catalog: Catalog) -> Iterator[Problem]:
    """A claim differs from the accepted value; a claim that agrees is a citation, not a disagreement.

    PASS: `personnel: {value: 4000, qualifier: over}` and a claim of 4500 (about)
    FAIL: `date: 2025-05-07` and a claim on date with value 2025-05-07
    """
    for kind, entry in catalog.entries():
        for i, claim in enumerate(entry.claims):
            value, qualifier = accepted_value(entry, claim.field)
            if value is None:
                continue
            same_qualifier = (
                claim.qualifier is None or qualifier is None or claim.qualifier == qualifier
            )
            if str(value) == str(claim.value) and same_qualifier:
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/value",
                    "claim-equals-value",
                    f"the claim repeats the accepted {claim.field} ({value})",
                    "cite the source in 'sources' instead, or correct the claimed value",
                )


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


@rule("claim-weekday")
def claimed_weekdays_match_dates(catalog: Catalog) -> Iterator[Problem]:
    """A claim's quote that names a weekday agrees with the date the claim records.

    PASS: `value: 2025-05-08`, `quote: on Thursday, May 8` (8 May 2025 was a Thursday)
    FAIL: `value: 2025-05-07`, `quote: on Thursday, May 7` (7 May 2025 was a Wednesday)
    """
    for kind, entry in catalog.entries():
        for i, claim in enumerate(entry.claims):
            if not claim.quote or not isinstance(claim.value, str):
                continue
            try:
                day = dt.date.fromisoformat(claim.value)
            except ValueError:
                continue
            actual = _WEEKDAYS[day.weekday()]
            for named in _WEEKDAY_RE.findall(claim.quote):
                if named.lower() != actual:
                    yield at(
                        catalog,
                        kind,
                        entry.id,
                        f"/claims/{i}/value",
                        "claim-weekday",
                        f"the quote says {named.capitalize()}, but {claim.value} was a "
                        f"{actual.capitalize()}",
                        "record the date the source gives, and say in the note which part is wrong",
                    )


def _value_schema(kind: str, field_name: str) -> dict[str, Any] | None:
    """The schema a claimed value of field_name must meet, or None when any scalar will do."""
    root = schema_for(kind)
    prop = root.get("properties", {}).get(field_name)
    if prop is None:
        return None
    sub = resolve_ref(prop, root)
    branches = [resolve_ref(b, root) for b in sub.get("anyOf", [sub])]
    branches = [b for b in branches if b.get("type") != "null"]
    if len(branches) == 1 and branches[0].get("type") == "array":
        branches = [resolve_ref(branches[0].get("items", {}), root)]  # a claim names one item
    if any(b.get("type") == "object" for b in branches):
        return {"type": "string"}  # a person or a design is claimed about by its name
    return {"anyOf": branches, "$defs": root.get("$defs", {})} if branches else None


@cache
def _rust_value_validator(kind: str, field_name: str) -> Any:
    """jsonschema-rs on a claimed value's schema: a quick yes, never more lenient (fastschema.py)."""
    schema = _value_schema(kind, field_name)
    return None if schema is None else rust_validator(schema)


@cache
def _python_value_validator(kind: str, field_name: str) -> Any:
    """python-jsonschema on the same schema, made only when jsonschema-rs says no."""
    from jsonschema import Draft202012Validator, FormatChecker  # 25 ms to import: rarely needed

    schema = _value_schema(kind, field_name)
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


def _value_fits(kind: str, field_name: str, value: Any) -> bool:
    rust = _rust_value_validator(kind, field_name)
    if rust is None or rust_valid(rust, value):
        return True
    return bool(_python_value_validator(kind, field_name).is_valid(value))


@rule("claim-value-type")
def claim_values_fit_their_field(catalog: Catalog) -> Iterator[Problem]:
    """A claim's value has the type of the field it disputes, and only a count takes a qualifier.

    PASS: a claim on `equipment_units` with `value: 48, qualifier: nearly` ("nearly four dozen")
    PASS: a claim on `date` with `value: 2025-05-08`
    FAIL: a claim on `equipment_units` with `value: nearly four dozen`
    FAIL: a claim on `date` with `value: 2025-05-08, qualifier: about`
    """
    for kind, entry in catalog.entries():
        for i, claim in enumerate(entry.claims):
            if claim.field not in claimable_fields(ENTRY_MODELS[kind]):
                continue  # claim-field-unknown says so
            is_count = claim.field in _COUNT_FIELDS
            if is_count and (
                not isinstance(claim.value, int) or isinstance(claim.value, bool) or claim.value < 0
            ):
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/value",
                    "claim-value-type",
                    f"a claim on {claim.field} is a whole number, not '{claim.value}'",
                    "write the number and its wording apart: 'nearly four dozen' is 'value: 48' "
                    "with 'qualifier: nearly'; 'up to 50' is 'value: 50' with 'qualifier: at_most'",
                )
                continue
            if claim.qualifier is not None and not is_count:
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/qualifier",
                    "claim-value-type",
                    f"only a claim on a count takes a qualifier, not one on {claim.field}",
                    "remove 'qualifier', or say in the note how sure the source is",
                    key=True,
                )
                continue
            if is_count:
                continue
            if not _value_fits(kind, claim.field, claim.value):
                prop = schema_for(kind)["properties"][claim.field]
                example = example_text(prop) or example_text(_value_schema(kind, claim.field) or {})
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/value",
                    "claim-value-type",
                    f"'{claim.value}' is not a value {claim.field} can have",
                    f"write it as the field itself is written{f', e.g. {example}' if example else ''}",
                )
