"""Consistency between entries: a contingent's country is its unit's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...problems import Problem
from .engine import rule
from .index import CatalogueIndex

# --- cross-entry consistency ------------------------------------------------------------------


def contingent_facts(parade: Any) -> dict[str, Any]:
    """What contingent-unit-country reads of a parade: each contingent's unit and country."""
    return {"k": [[i, c.unit, c.country] for i, c in enumerate(parade.contingents) if c.unit]}


def unit_facts(unit: Any) -> dict[str, Any]:
    """What contingent-unit-country reads of a unit."""
    return {"c": unit.country}


@rule("contingent-unit-country", scope="catalogue")
def contingent_country_matches_unit(index: CatalogueIndex) -> Iterator[Problem | None]:
    """A contingent's country is the country of the unit it came from.

    PASS: `country: KZ` with `unit: 37th-air-assault-brigade` (a KZ unit)
    FAIL: `country: RU` with `unit: 37th-air-assault-brigade`
    """
    for parade_id, record in index.of_kind("parade"):
        for i, unit_id, country in record.facts["k"]:
            unit = index.view.get(("unit", unit_id))
            if unit is None:
                continue
            unit_country = unit.facts["c"]
            if unit_country != country:
                yield index.at(
                    "parade",
                    parade_id,
                    f"/contingents/{i}/country",
                    "contingent-unit-country",
                    f"the contingent is {country} but unit '{unit_id}' belongs to {unit_country}",
                    f"set 'country: {unit_country}', or name the right unit",
                )
