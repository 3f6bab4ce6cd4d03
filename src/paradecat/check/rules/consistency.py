"""Consistency between entries: a contingent's country is its unit's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .engine import Keyed, Keys, rule
from .index import CatalogueIndex

# --- cross-entry consistency ------------------------------------------------------------------


def contingent_facts(parade: Any) -> dict[str, Any]:
    """What contingent-unit-country reads of a parade: each contingent's unit and country."""
    return {"k": [[i, c.unit, c.country] for i, c in enumerate(parade.contingents) if c.unit]}


def unit_keys(record: Any) -> set[str]:
    """The units whose group a record is in: the units a parade's contingents name, or the unit's own id."""
    if record.kind == "parade":
        return {unit for _, unit, _ in record.facts.get("k", ())}
    return {record.view_id} if record.kind == "unit" and record.view_id is not None else set()


def unit_facts(unit: Any) -> dict[str, Any]:
    """What contingent-unit-country reads of a unit."""
    return {"c": unit.country}


@rule("contingent-unit-country", scope="catalogue", space="unit")
def contingent_country_matches_unit(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """A contingent's country is the country of the unit it came from.

    PASS: `country: KZ` with `unit: 37th-air-assault-brigade` (a KZ unit)
    FAIL: `country: RU` with `unit: 37th-air-assault-brigade`
    """
    for parade_id, record in index.of_kind("parade"):
        for i, unit_id, country in record.facts["k"]:
            if keys is not None and unit_id not in keys:
                continue
            unit = index.view.get(("unit", unit_id))
            if unit is None:
                continue
            unit_country = unit.facts["c"]
            if unit_country != country:
                yield (
                    unit_id,
                    index.at(
                        "parade",
                        parade_id,
                        f"/contingents/{i}/country",
                        "contingent-unit-country",
                        f"the contingent is {country} but unit '{unit_id}' belongs to {unit_country}",
                        f"set 'country: {unit_country}', or name the right unit",
                    ),
                )
