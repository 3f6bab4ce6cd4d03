"""Country codes and language tags: ISO 3166 and BCP 47 (ISO 639) as pycountry knows them."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pycountry

from ...catalog import Catalog
from ...model import (
    Entry,
    Parade,
    Person,
    System,
    Unit,
)
from ...model.countries import country
from ...problems import Problem
from .engine import at, rule

# --- countries and languages ------------------------------------------------------------------

_NOT_ISO = {"UK": "GB", "EL": "GR", "KO": "XK"}


def _country_codes(entry: Entry) -> Iterator[tuple[str, str]]:
    if isinstance(entry, (Parade, Unit)):
        yield "/country", entry.country
    if isinstance(entry, Person) and entry.country:
        yield "/country", entry.country
    if isinstance(entry, System):
        for i, code in enumerate(entry.origin):
            yield f"/origin/{i}", code
        for i, code in enumerate(entry.produced_in):
            yield f"/produced_in/{i}", code
    if isinstance(entry, Parade):
        for i, con in enumerate(entry.contingents):
            yield f"/contingents/{i}/country", con.country


@rule("country-unknown")
def countries_are_iso_codes(catalog: Catalog) -> Iterator[Problem]:
    """Every country is a real ISO 3166 alpha-2 code, current or former (checked with pycountry).

    A former country is given by the code ISO 3166-3 keeps for it: SU for the Soviet Union.

    PASS: `country: KZ`
    FAIL: `country: UK` (hint: the United Kingdom is GB)
    """
    for kind, entry in catalog.entries():
        for pointer, code in _country_codes(entry):
            if country(code) is None:
                if code in _NOT_ISO:
                    hint = f"the ISO code is '{_NOT_ISO[code]}'"
                else:
                    hint = "use the ISO 3166-1 alpha-2 code; see https://www.iso.org/obp/ui/#search"
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    pointer,
                    "country-unknown",
                    f"'{code}' is not an ISO 3166-1 alpha-2 country code",
                    hint,
                )


@cache
def _is_language(code: str) -> bool:
    """Whether code is an ISO 639 language code (pycountry's lookups are slow: asked once each)."""
    field = "alpha_2" if len(code) == 2 else "alpha_3"
    return pycountry.languages.get(**{field: code}) is not None


def _language_tags(entry: Entry) -> Iterator[tuple[str, str]]:
    if hasattr(entry, "language"):
        yield "/language", entry.language
    for i, name in enumerate(getattr(entry, "names", [])):
        yield f"/names/{i}/lang", name.lang


@rule("lang-unknown")
def languages_are_iso_codes(catalog: Catalog) -> Iterator[Problem]:
    """Every language tag starts with a real ISO 639 language code.

    PASS: `lang: kk`, `lang: kk-Latn`
    FAIL: `lang: kz` (Kazakh is 'kk')
    """
    for kind, entry in catalog.entries():
        for pointer, tag in _language_tags(entry):
            primary = tag.split("-", 1)[0]
            if not _is_language(primary):
                hint = (
                    "Kazakh is 'kk'"
                    if primary == "kz"
                    else "use an ISO 639-1 code such as en, ru or kk"
                )
                yield at(
                    catalog,
                    kind,
                    entry.id,
                    pointer,
                    "lang-unknown",
                    f"'{tag}' does not start with an ISO 639 language code",
                    hint,
                )
