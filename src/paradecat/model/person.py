"""A person: a reviewing official, a commander or a guest, one entry across every parade."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from .base import Entry, Name, Strict
from .fields import (
    QUOTE_DESCRIPTION,
    WIKIDATA_PATTERN,
    CountryCode,
    PartialDate,
    Quote,
    ShortText,
    SourceRef,
    Text,
)


class Post(Strict):
    """A rank or an office a person held, and when, as a source gives it."""

    title: ShortText = Field(
        description="The rank or office.",
        examples=["President of Kazakhstan", "Major General"],
    )
    since: PartialDate | None = Field(
        default=None,
        description="When it began: YYYY-MM-DD, YYYY-MM or YYYY; left out if not known.",
    )
    until: PartialDate | None = Field(
        default=None, description="When it ended; left out while it lasts or when not known."
    )
    source: SourceRef | None = Field(default=None, description="Id of the source that says so.")
    quote: Quote | None = Field(default=None, description=QUOTE_DESCRIPTION)


class Person(Entry):
    """A named person who reviewed, commanded or led a contingent at a parade."""

    kind_name: ClassVar[str] = "person"
    folder: ClassVar[str] = "people"

    name: ShortText = Field(
        description="The name in Latin script, as English-language reporting writes it.",
        examples=["Kassym-Jomart Tokayev"],
    )
    names: list[Name] = Field(
        default_factory=list,
        description="The name in other languages, scripts or spellings (Kazakh and Russian "
        "Cyrillic, the Kazakh Latin alphabet, other romanisations).",
        examples=[[{"name": "Қасым-Жомарт Тоқаев", "lang": "kk"}]],
    )
    country: CountryCode | None = Field(
        default=None,
        description="The country the person serves, ISO 3166-1 alpha-2.",
        examples=["KZ"],
    )
    posts: list[Post] = Field(
        default_factory=list, description="Ranks and offices held, with their dates where known."
    )
    wikidata: Annotated[str, Field(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata item id.", examples=["Q319185"]
    )
    description: Text | None = Field(default=None, description="A short description for readers.")
