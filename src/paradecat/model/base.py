"""What every entry is made of: the strict base model, counts, names, quotations, claims, Entry."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .fields import QUOTE_DESCRIPTION, Count, LangTag, Quote, ShortText, Slug, SourceRef, Text
from .vocabulary import Qualifier, Rank


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
        "under, at_most or nearly. 'more than 4,000' is {value: 4000, qualifier: over}, 'up to "
        "50' is at_most, 'nearly four dozen' is {value: 48, qualifier: nearly}.",
        examples=["over"],
    )
    source: SourceRef | None = Field(
        default=None,
        description="Id of the source (catalog/sources/) that gives this number.",
        examples=["moscowtimes-2025-05-08"],
    )
    quote: Quote | None = Field(
        default=None,
        description=QUOTE_DESCRIPTION,
        examples=["более 4 тысяч военнослужащих"],
    )
    note: Text | None = Field(
        default=None,
        description="Anything a reader should know about this number.",
        examples=["As announced before the parade, not observed."],
    )


Quantity = Annotated[
    Count | QualifiedCount,
    Field(
        description="A count: a bare whole number means exact; the mapping form "
        "{value, qualifier, source, quote} says how exact it is and who says so. A count that "
        "is not known is left out: never 0 or null.",
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
    if qualifier in (Qualifier.under, Qualifier.nearly):
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


class Claim(Strict):
    """A value that a source gives and the catalogue does not accept as the field's value."""

    field: ShortText = Field(
        description="The field of this entry the claim is about.", examples=["date", "personnel"]
    )
    value: str | int | float | bool = Field(
        description="The value the source gives, of the disputed field's own type: a whole "
        "number for a count (with the wording in qualifier: 'nearly four dozen' is value 48, "
        "qualifier nearly), a date for a date, an allowed value for a vocabulary.",
        examples=["2025-05-08", 4500],
    )
    qualifier: Qualifier | None = Field(
        default=None,
        description="For a count: how exact the source says the number is (exact, about, over, "
        "at_least, under, at_most, nearly).",
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
    quote: Quote | None = Field(
        default=None, description=QUOTE_DESCRIPTION, examples=["on Thursday, May 8"]
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


class Quotation(Strict):
    """A passage of one of the sources, verbatim, that supports a fact of the entry."""

    source: SourceRef = Field(
        description="Id of the source the passage is from.", examples=["defenceblog-2025-05-08"]
    )
    text: Quote = Field(
        description=QUOTE_DESCRIPTION,
        examples=["featured, for the first time, a mechanized column"],
    )


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
    quotes: list[Quotation] = Field(
        default_factory=list,
        description="Passages of the sources, verbatim, that support the entry's facts: "
        "{source, text} each.",
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Values other sources give that differ from the accepted ones. Disagreements are kept, never erased.",
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")
