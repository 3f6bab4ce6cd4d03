"""A unit: a military formation."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from .base import Entry, Name
from .fields import (
    WIKIDATA_PATTERN,
    CountryCode,
    ShortText,
)


class Unit(Entry):
    """A military formation."""

    kind_name: ClassVar[str] = "unit"
    folder: ClassVar[str] = "units"

    name: ShortText = Field(
        description="The unit's English name.", examples=["37th Air Assault Brigade"]
    )
    names: list[Name] = Field(
        default_factory=list, description="The name in other languages and scripts."
    )
    country: CountryCode = Field(
        description="The country it belongs to, ISO 3166-1 alpha-2.", examples=["KZ"]
    )
    branch: ShortText | None = Field(
        default=None, description="Service branch.", examples=["Airmobile Forces"]
    )
    honorific: ShortText | None = Field(
        default=None,
        description="Honorary name.",
        examples=["named after Major General Ivan Panfilov"],
    )
    home_base: ShortText | None = Field(
        default=None, description="Where it is based.", examples=["Taldykorgan"]
    )
    wikidata: Annotated[str, Field(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata item id."
    )
