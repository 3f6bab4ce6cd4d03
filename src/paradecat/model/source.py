"""A source: the document a fact is cited from."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .base import Entry
from .fields import (
    HttpUrl,
    IsoDate,
    LangTag,
    PartialDate,
    ShortText,
    SourceRef,
)


class Source(Entry):
    """A cited document (an article, a report, an official statement), or an outlet known only
    because another source cites it ("BelTA reported ..."), with what is really known of it."""

    kind_name: ClassVar[str] = "source"
    folder: ClassVar[str] = "sources"

    url: HttpUrl | None = Field(
        default=None,
        description="Where the document is published (http or https only): the article's own "
        "address, not the outlet's home page. Left out for a source known only at second hand.",
        examples=["https://www.themoscowtimes.com/2025/05/08/..."],
    )
    cited_in: SourceRef | None = Field(
        default=None,
        description="For a source known only at second hand: id of the source that cites it "
        "(a report that says 'BelTA reported ...' is the cited_in of the BelTA entry).",
        examples=["sputnikglobe-2025-05-09"],
    )
    title: ShortText | None = Field(
        default=None,
        description="The document's title, as published. Left out when no title is known; the "
        "site shows it as untitled.",
        examples=["In Kazakhstan, Russia Looms Large Over World War II Commemorations"],
    )
    publisher: ShortText = Field(description="Who published it.", examples=["The Moscow Times"])
    author: ShortText | None = Field(default=None, description="Who wrote it, when signed.")
    published: PartialDate | None = Field(
        default=None,
        description="Publication date: YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known; "
        "left out when the date is not known.",
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

    @model_validator(mode="after")
    def _located(self) -> Source:
        if self.url is None and self.cited_in is None:
            raise PydanticCustomError(
                "source-unlocated",
                "a source needs a url, or cited_in naming the source that cites it",
                {
                    "field": "url",
                    "hint": "add 'url: https://…' (the article itself), or, for an outlet "
                    "known only from another report, 'cited_in: SOURCE-ID'",
                },
            )
        return self
