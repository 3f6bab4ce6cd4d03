"""Countries by ISO 3166 code: the current ones (ISO 3166-1) and the former ones (ISO 3166-3).

A Soviet design has the Soviet Union as its origin: `SU` is the alpha-2 code that ISO 3166-3
keeps for the USSR (withdrawn 1992), as pycountry's historic_countries has it. A former code is
accepted only where it names one country: `CS` was both Czechoslovakia and Serbia and Montenegro.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True)
class Country:
    """What the catalogue shows of a country."""

    code: str
    name: str
    official_name: str | None
    alpha_3: str
    withdrawn: str | None = None  # when ISO withdrew the code of a country that no longer exists


@cache
def _former() -> dict[str, Country]:
    found: dict[str, list[Country]] = {}
    for item in pycountry.historic_countries:
        code = getattr(item, "alpha_2", None)
        if code and pycountry.countries.get(alpha_2=code) is None:
            short = item.name.split(", ", 1)[0]  # 'USSR, Union of Soviet Socialist Republics'
            found.setdefault(code, []).append(
                Country(
                    code, short, item.name, item.alpha_3, getattr(item, "withdrawal_date", None)
                )
            )
    return {code: items[0] for code, items in found.items() if len(items) == 1}


@cache
def country(code: str) -> Country | None:
    """The country an alpha-2 code names, current or former; None when it names none (or two)."""
    current = pycountry.countries.get(alpha_2=code)
    if current is not None:
        return Country(
            code,
            getattr(current, "common_name", None) or current.name,
            getattr(current, "official_name", None),
            current.alpha_3,
        )
    return _former().get(code)
