"""A system: an equipment type, and the design it is based on."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .base import Entry, Name, Strict
from .fields import (
    QUOTE_DESCRIPTION,
    WIKIDATA_PATTERN,
    CountryCode,
    Quote,
    ShortText,
    SourceRef,
    SystemRef,
    Text,
)
from .vocabulary import (
    CLASS_CATEGORY,
    Category,
    SystemClass,
)


class BasedOn(Strict):
    """The design a system is derived from."""

    name: ShortText = Field(
        description="The parent design's name.", examples=["Paramount Mbombe 6"]
    )
    system: SystemRef | None = Field(
        default=None,
        description="Id of the parent design, when it has its own entry in catalog/systems/.",
    )
    source: SourceRef | None = Field(default=None, description="Id of the source that says so.")
    quote: Quote | None = Field(default=None, description=QUOTE_DESCRIPTION)


class System(Entry):
    """An equipment type: a vehicle, aircraft, weapon or robot."""

    kind_name: ClassVar[str] = "system"
    folder: ClassVar[str] = "systems"

    name: ShortText = Field(description="The usual English name.", examples=["Tor-M2K"])
    names: list[Name] = Field(
        default_factory=list,
        description="The name in other languages and scripts (Kazakh, Russian, Latin and Cyrillic).",
        examples=[[{"name": "Тор-М2К", "lang": "ru"}]],
    )
    category: Category = Field(
        description="SIPRI weapon category.", examples=["air_defence_systems"]
    )
    class_: SystemClass = Field(
        alias="class",
        description="A finer class within the category.",
        examples=["short_range_sam_system"],
    )
    manufacturer: ShortText | None = Field(
        default=None, description="Who makes it.", examples=["Almaz-Antey"]
    )
    origin: list[CountryCode] = Field(
        default_factory=list,
        description="Countries of origin of the design, ISO 3166-1 alpha-2.",
        examples=[["RU"]],
    )
    produced_in: list[CountryCode] = Field(
        default_factory=list,
        description="Countries where it is produced or assembled, ISO 3166-1 alpha-2.",
        examples=[["KZ"]],
    )
    based_on: BasedOn | None = Field(default=None, description="The design it is derived from.")
    wikidata: Annotated[str, Field(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata item id.", examples=["Q1063997"]
    )
    description: Text | None = Field(default=None, description="A short description for readers.")

    @model_validator(mode="after")
    def _class_in_category(self) -> System:
        expected = CLASS_CATEGORY[self.class_]
        if expected is not self.category:
            raise PydanticCustomError(
                "class-category",
                "class '{cls}' belongs to category '{expected}', not '{category}'",
                {
                    "field": "class",
                    "cls": self.class_.value,
                    "expected": expected.value,
                    "category": self.category.value,
                    "hint": f"set 'category: {expected.value}', or choose a class of "
                    f"'{self.category.value}'",
                },
            )
        return self
