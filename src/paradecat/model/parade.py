"""A parade: the event, the systems it showed and the contingents that marched."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .base import Entry, Quantity, Quotation, Strict
from .fields import (
    QUOTE_DESCRIPTION,
    CountryCode,
    IsoDate,
    PersonRef,
    Quote,
    ShortText,
    SourceRef,
    SystemRef,
    Text,
    UnitRef,
)
from .vocabulary import (
    EventKind,
    EventStatus,
    Identification,
    Segment,
)


class Role(Strict):
    """A person in a role at a parade (reviewing official, commander), as a source names them."""

    person: PersonRef | None = Field(
        default=None,
        description="Id of the person (catalog/people/), so that one person is one row across "
        "parades. Give it whenever the person has an entry.",
        examples=["kassym-jomart-tokayev"],
    )
    name: ShortText | None = Field(
        default=None,
        description="The name in Latin script; needed only for a person without an entry.",
        examples=["Almas Tulegenov"],
    )
    rank: ShortText | None = Field(
        default=None,
        description="Rank or office at the time of this parade.",
        examples=["Colonel", "President"],
    )
    source: SourceRef | None = Field(
        default=None, description="Id of the source that names this person in this role."
    )
    quote: Quote | None = Field(default=None, description=QUOTE_DESCRIPTION)

    @model_validator(mode="after")
    def _named(self) -> Role:
        if self.person is None and self.name is None:
            raise PydanticCustomError(
                "role-unnamed",
                "a person in a role needs 'person' (an id in catalog/people/) or 'name'",
                {
                    "field": "person",
                    "hint": "add 'person: PERSON-ID', or 'name: …' for someone without an entry",
                },
            )
        return self


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
        description="How sure we are that it is this system. confirmed: the reported name "
        "designates it and two independent reports list it; probable: the type or variant is "
        "inferred from what the sources say; reported: one report only (or its rewrites) lists "
        "it; disputed: there is reason to doubt it (say why in note).",
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
    quotes: list[Quotation] = Field(
        default_factory=list,
        description="Passages of those sources, verbatim, that report it: {source, text} each.",
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
    commander: Role | None = Field(default=None, description="Who led it.")
    note: Text | None = Field(default=None, description="Anything else about the contingent.")
    sources: list[SourceRef] = Field(
        default_factory=list, description="Ids of the sources that report it."
    )
    quotes: list[Quotation] = Field(
        default_factory=list,
        description="Passages of those sources, verbatim, that report it: {source, text} each.",
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
    status: EventStatus = Field(
        default=EventStatus.held,
        description=(
            "Whether it took place: held (the sources report it; the default), planned (announced,"
            " but no cited source reports that it took place) or cancelled."
        ),
        examples=["planned"],
    )
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
    reviewing_official: Role | None = Field(default=None, description="Who took the salute.")
    commander: Role | None = Field(default=None, description="Who commanded the parade.")
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
