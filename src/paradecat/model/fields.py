"""Field types shared by the models: ids, references, dates, codes, text and counts.

Each is a constrained string or number whose pattern and bounds go into the JSON Schema, so the
editor, the schema check and the models agree on what a valid value is.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
LANG_PATTERN = r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
MAX_COUNT = 10_000_000


def _check_date(value: str) -> str:
    dt.date.fromisoformat(value)
    return value


MAX_ID_LENGTH = 100  # one limit for every id, in the schema and before a file is written
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=MAX_ID_LENGTH)]
REF_KEYWORD = (
    "x-paradecat-ref"  # marks a field whose value is the id of another entry, and of which kind
)
SourceRef = Annotated[Slug, Field(json_schema_extra={REF_KEYWORD: "source"})]
SystemRef = Annotated[Slug, Field(json_schema_extra={REF_KEYWORD: "system"})]
UnitRef = Annotated[Slug, Field(json_schema_extra={REF_KEYWORD: "unit"})]
PersonRef = Annotated[Slug, Field(json_schema_extra={REF_KEYWORD: "person"})]
IsoDate = Annotated[
    str,
    Field(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}),
    AfterValidator(_check_date),
]
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"


def _check_partial_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise PydanticCustomError(
            "invalid-date",
            "'{value}' is not a real calendar date",
            {"value": value, "hint": "check the day and month (YYYY-MM-DD, or YYYY-MM, or YYYY)"},
        ) from None
    return value


# ISO 8601 reduced precision: a source whose day (or month) is not known says so, not a made-up day
PartialDate = Annotated[
    str, Field(pattern=PARTIAL_DATE_PATTERN), AfterValidator(_check_partial_date)
]
CountryCode = Annotated[str, Field(pattern=COUNTRY_PATTERN)]
LangTag = Annotated[str, Field(pattern=LANG_PATTERN)]
HttpUrl = Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]
# a verbatim passage: short enough to read beside a link (about 300 characters; 500 at most)
Quote = Annotated[str, Field(min_length=1, max_length=500)]
QUOTE_DESCRIPTION = (
    "The source's own words that support this fact, verbatim and in the source's language: a "
    "short passage, under about 300 characters."
)
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def bare_home_page(url: str) -> bool:
    """Whether a URL names a whole site (https://www.belta.by/), not a document on it."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: not a home page, just a bad address
        return False
    return parts.path.strip("/") == "" and not parts.query and not parts.fragment
