"""A source: the document a fact is cited from."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Entry
from .fields import (
    HttpUrl,
    IsoDate,
    LangTag,
    PartialDate,
    ShortText,
)


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
