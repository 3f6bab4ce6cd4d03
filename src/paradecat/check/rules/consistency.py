"""Consistency between entries: a contingent's country is its unit's."""

from __future__ import annotations

from collections.abc import Iterator

from ...catalog import Catalog
from ...problems import Problem
from .engine import at, rule

# --- cross-entry consistency ------------------------------------------------------------------


@rule("contingent-unit-country")
def contingent_country_matches_unit(catalog: Catalog) -> Iterator[Problem]:
    """A contingent's country is the country of the unit it came from.

    PASS: `country: KZ` with `unit: 37th-air-assault-brigade` (a KZ unit)
    FAIL: `country: RU` with `unit: 37th-air-assault-brigade`
    """
    for parade in catalog.parades.values():
        for i, con in enumerate(parade.contingents):
            unit = catalog.units.get(con.unit or "")
            if unit and unit.country != con.country:
                yield at(
                    catalog,
                    "parade",
                    parade.id,
                    f"/contingents/{i}/country",
                    "contingent-unit-country",
                    f"the contingent is {con.country} but unit '{unit.id}' belongs to {unit.country}",
                    f"set 'country: {unit.country}', or name the right unit",
                )
