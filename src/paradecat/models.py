"""Pydantic models of the entries: the single source of truth for the catalogue and its schema.

The field types live in fields.py and the controlled vocabularies in vocabulary.py; both are
re-exported here, so `from paradecat.models import Category` keeps working.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .fields import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    LANG_PATTERN,
    MAX_COUNT,
    PARTIAL_DATE_PATTERN,
    REF_KEYWORD,
    SLUG_PATTERN,
    URL_PATTERN,
    WIKIDATA_PATTERN,
    Count,
    CountryCode,
    HttpUrl,
    IsoDate,
    LangTag,
    PartialDate,
    ShortText,
    Slug,
    SourceRef,
    SystemRef,
    Text,
    UnitRef,
)
from .vocabulary import (
    CLASS_CATEGORY,
    Category,
    EventKind,
    Identification,
    Qualifier,
    Rank,
    Segment,
    SystemClass,
)

__all__ = [
    "CLASS_CATEGORY",
    "COUNTRY_PATTERN",
    "DATE_PATTERN",
    "LANG_PATTERN",
    "MAX_COUNT",
    "PARTIAL_DATE_PATTERN",
    "REF_KEYWORD",
    "SLUG_PATTERN",
    "URL_PATTERN",
    "WIKIDATA_PATTERN",
    "Category",
    "Count",
    "CountryCode",
    "EventKind",
    "HttpUrl",
    "Identification",
    "IsoDate",
    "LangTag",
    "PartialDate",
    "Qualifier",
    "Rank",
    "Segment",
    "ShortText",
    "Slug",
    "SourceRef",
    "SystemClass",
    "SystemRef",
    "Text",
    "UnitRef",
]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, and the YAML key names are the field names."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class QualifiedCount(Strict):
    """A number with how exact it is and who says so."""

    value: Count = Field(
        description="The number itself, a whole number of 0 or more.", examples=[4000]
    )
    qualifier: Qualifier = Field(
        default=Qualifier.exact,
        description="How the number relates to the true figure: exact, about, over, at_least, "
        "under or at_most. 'more than 4,000' is {value: 4000, qualifier: over}.",
        examples=["over"],
    )
    source: SourceRef | None = Field(
        default=None,
        description="Id of the source (catalog/sources/) that gives this number.",
        examples=["moscowtimes-2025-05-08"],
    )
    note: Text | None = Field(
        default=None, description="Anything a reader should know about this number."
    )


Quantity = Annotated[
    Count | QualifiedCount,
    Field(
        description="A count: a bare whole number means exact; the mapping form "
        "{value, qualifier, source} says how exact it is and who says so.",
        examples=[80, {"value": 4000, "qualifier": "over", "source": "moscowtimes-2025-05-08"}],
    ),
]


def quantity_parts(
    q: int | QualifiedCount | None,
) -> tuple[int | None, Qualifier | None, str | None]:
    """Split a quantity into (value, qualifier, source)."""
    if q is None:
        return None, None, None
    if isinstance(q, int):
        return q, Qualifier.exact, None
    return q.value, q.qualifier, q.source


def quantity_upper_bound(q: int | QualifiedCount | None) -> int | None:
    """The largest value a quantity allows, or None when it sets no upper bound."""
    value, qualifier, _ = quantity_parts(q)
    if value is None:
        return None
    if qualifier in (Qualifier.exact, Qualifier.at_most):
        return value
    if qualifier is Qualifier.under:
        return value - 1
    return None


class Name(Strict):
    """A name in one language and script."""

    name: ShortText = Field(description="The name as written.", examples=["Барыс"])
    lang: LangTag = Field(
        description="BCP 47 language tag: ISO 639 language, optionally with an ISO 15924 script "
        "(kk-Cyrl, kk-Latn) or a region.",
        examples=["kk", "ru", "en", "kk-Latn"],
    )
    note: Text | None = Field(
        default=None, description="Where this form is used, or why it is listed."
    )


class Person(Strict):
    """A named person: a commander or a reviewing official."""

    name: ShortText = Field(
        description="The person's name in Latin script.", examples=["Almas Tulegenov"]
    )
    rank: ShortText | None = Field(
        default=None, description="Military rank or office.", examples=["Colonel", "President"]
    )
    names: list[Name] = Field(
        default_factory=list,
        description="The name in other languages, scripts or spellings.",
        examples=[[{"name": "Алмас Төлегенов", "lang": "kk"}]],
    )
    source: SourceRef | None = Field(
        default=None, description="Id of the source that names this person."
    )


class Claim(Strict):
    """A value that a source gives and the catalogue does not accept as the field's value."""

    field: ShortText = Field(
        description="The field of this entry the claim is about.", examples=["date", "personnel"]
    )
    value: str | int | float | bool = Field(
        description="The value the source gives.", examples=["2025-05-08", 4500]
    )
    qualifier: Qualifier | None = Field(
        default=None,
        description="For a number: how exact the source says it is.",
        examples=["about"],
    )
    rank: Rank = Field(
        default=Rank.normal,
        description="preferred, normal or deprecated (known to be wrong; say why in note).",
        examples=["deprecated"],
    )
    source: SourceRef = Field(
        description="Id of the source that makes the claim.", examples=["defenceblog-2025-05-08"]
    )
    quote: Text | None = Field(
        default=None, description="The source's own words.", examples=["on Thursday, May 8"]
    )
    note: Text | None = Field(
        default=None,
        description="Why the claim is ranked as it is.",
        examples=["7 May 2025 was a Wednesday; the parade commander said 'today, on May 7'."],
    )

    @model_validator(mode="after")
    def _deprecated_needs_reason(self) -> Claim:
        if self.rank is Rank.deprecated and not self.note:
            raise PydanticCustomError(
                "claim-reason",
                "a deprecated claim needs a note that says why it is deprecated",
                {"hint": "add 'note: …' saying why the source is wrong", "field": "rank"},
            )
        return self


class Entry(Strict):
    """What every entry has: an id, its sources, claims and notes."""

    kind_name: ClassVar[str] = ""
    folder: ClassVar[str] = ""

    id: Slug = Field(
        description="Unique id: lower-case letters, digits and hyphens. The file name is the id.",
        examples=["tor-m2k"],
    )
    sources: list[SourceRef] = Field(
        default_factory=list,
        description="Ids of the sources (catalog/sources/) for this entry. Every entry cites at least one.",
        examples=[["moscowtimes-2025-05-08"]],
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Values other sources give that differ from the accepted ones. Disagreements are kept, never erased.",
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")


class Source(Entry):
    """A cited document: an article, a report or an official statement."""

    kind_name: ClassVar[str] = "source"
    folder: ClassVar[str] = "sources"

    url: HttpUrl = Field(
        description="Where the document is published (http or https only).",
        examples=["https://www.themoscowtimes.com/2025/05/08/..."],
    )
    title: ShortText = Field(
        description="The document's title, as published.",
        examples=["In Kazakhstan, Russia Looms Large Over World War II Commemorations"],
    )
    publisher: ShortText = Field(description="Who published it.", examples=["The Moscow Times"])
    author: ShortText | None = Field(default=None, description="Who wrote it, when signed.")
    published: PartialDate = Field(
        description="Publication date: YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known.",
        examples=["2025-05-08", "2014-08"],
    )
    language: LangTag = Field(
        description="Language of the document (BCP 47).", examples=["en", "ru", "kk"]
    )
    archive_url: HttpUrl | None = Field(
        default=None, description="An archived copy (e.g. the Wayback Machine)."
    )
    accessed: IsoDate | None = Field(
        default=None, description="When the document was last read, YYYY-MM-DD."
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


class Appearance(Strict):
    """A system shown at a parade, as the source reported it."""

    system: SystemRef = Field(
        description="Id of the system (catalog/systems/).", examples=["tor-m2k"]
    )
    reported_as: ShortText = Field(
        description="What the source called it, verbatim.", examples=["Tor", "Alan", "B-300"]
    )
    segment: Segment = Field(
        description="The part of the parade it appeared in.", examples=["mechanized_column"]
    )
    identification: Identification = Field(
        description="How sure we are that it is this system: confirmed, probable, reported or disputed.",
        examples=["probable"],
    )
    count: Quantity | None = Field(
        default=None, description="How many were shown: a number, or {value, qualifier, source}."
    )
    first_showing: bool | None = Field(
        default=None, description="true when a source says this was its first showing at a parade."
    )
    note: Text | None = Field(
        default=None, description="Why the identification is what it is; required when disputed."
    )
    sources: list[SourceRef] = Field(
        default_factory=list, description="Ids of the sources that report it."
    )

    @model_validator(mode="after")
    def _disputed_needs_reason(self) -> Appearance:
        if self.identification is Identification.disputed and not self.note:
            raise PydanticCustomError(
                "appearance-reason",
                "a disputed identification needs a note that says why",
                {
                    "hint": "add 'note: …' with what the sources disagree on",
                    "field": "identification",
                },
            )
        return self


class Contingent(Strict):
    """A body of troops that marched, with its country."""

    country: CountryCode = Field(
        description="The contingent's country, ISO 3166-1 alpha-2.", examples=["KZ"]
    )
    unit: UnitRef | None = Field(
        default=None,
        description="Id of the unit (catalog/units/) it came from.",
        examples=["37th-air-assault-brigade"],
    )
    name: ShortText | None = Field(
        default=None, description="What the source calls the contingent."
    )
    personnel: Quantity | None = Field(
        default=None, description="How many marched: a number, or {value, qualifier, source}."
    )
    commander: Person | None = Field(default=None, description="Who led it.")
    note: Text | None = Field(default=None, description="Anything else about the contingent.")
    sources: list[SourceRef] = Field(
        default_factory=list, description="Ids of the sources that report it."
    )


class Coordinates(Strict):
    """A point in WGS 84 degrees."""

    latitude: float = Field(ge=-90, le=90, description="Degrees north.", examples=[51.1227])
    longitude: float = Field(ge=-180, le=180, description="Degrees east.", examples=[71.4733])


class Parade(Entry):
    """An event: a parade, a march or a flypast, with what was shown and who marched."""

    kind_name: ClassVar[str] = "parade"
    folder: ClassVar[str] = "parades"

    name: ShortText = Field(
        description="The event's English name.", examples=["Astana Victory Parade 2025"]
    )
    kind: EventKind = Field(description="What kind of event.", examples=["military_parade"])
    date: IsoDate = Field(description="The day it took place, YYYY-MM-DD.", examples=["2025-05-07"])
    city: ShortText = Field(description="The city.", examples=["Astana"])
    country: CountryCode = Field(description="Host country, ISO 3166-1 alpha-2.", examples=["KZ"])
    venue: ShortText | None = Field(default=None, description="Square, street or airfield.")
    coordinates: Coordinates | None = Field(default=None, description="Where the venue is.")
    occasions: list[ShortText] = Field(
        default_factory=list,
        description="What the event marked.",
        examples=[["Defender of the Fatherland Day"]],
    )
    reviewing_official: Person | None = Field(default=None, description="Who took the salute.")
    commander: Person | None = Field(default=None, description="Who commanded the parade.")
    personnel: Quantity | None = Field(
        default=None,
        description="People on parade: a number, or {value, qualifier, source}.",
        examples=[{"value": 4000, "qualifier": "over", "source": "moscowtimes-2025-05-08"}],
    )
    equipment_units: Quantity | None = Field(
        default=None,
        description="Units of ground equipment shown: a number, or {value, qualifier, source}.",
        examples=[{"value": 200, "qualifier": "over", "source": "defenceblog-2025-05-08"}],
    )
    aircraft: Quantity | None = Field(
        default=None,
        description="Aircraft and helicopters in the flypast: a number, or {value, qualifier, source}.",
        examples=[66],
    )
    formations: Quantity | None = Field(
        default=None,
        description="Parade formations (crews, boxes): a number, or {value, qualifier, source}.",
        examples=[24],
    )
    appearances: list[Appearance] = Field(default_factory=list, description="The systems shown.")
    contingents: list[Contingent] = Field(
        default_factory=list, description="The contingents that marched."
    )


ENTRY_MODELS: dict[str, type[Entry]] = {m.kind_name: m for m in (Source, System, Unit, Parade)}
FOLDER_KINDS: dict[str, str] = {m.folder: m.kind_name for m in ENTRY_MODELS.values()}
QUANTITY_FIELDS = ("personnel", "equipment_units", "aircraft", "formations")


def claimable_fields(model: type[Entry]) -> list[str]:
    """Fields of an entry a claim may name: every field, by its YAML key, except bookkeeping."""
    skip = {"id", "sources", "claims", "notes"}
    return [f.alias or name for name, f in model.model_fields.items() if name not in skip]
