"""The model: what an entry is. The single source of truth for the catalogue and its schema.

Takes nothing from the other stages. Gives the pydantic models of the entry kinds (base.py,
source.py, system.py, unit.py, parade.py, registered in kinds.py), their field types
(fields.py) and controlled vocabularies (vocabulary.py), and the JSON Schema generated from
them (schema.py, written to schema/*.json). Every later stage builds on these names.
"""

from __future__ import annotations

from .base import (
    Claim,
    Entry,
    Name,
    QualifiedCount,
    Quantity,
    Quotation,
    Strict,
    quantity_parts,
    quantity_upper_bound,
)
from .fields import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    LANG_PATTERN,
    MAX_COUNT,
    PARTIAL_DATE_PATTERN,
    QUOTE_DESCRIPTION,
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
    PersonRef,
    Quote,
    ShortText,
    Slug,
    SourceRef,
    SystemRef,
    Text,
    UnitRef,
)
from .kinds import ENTRY_MODELS, FOLDER_KINDS, QUANTITY_FIELDS, claimable_fields
from .parade import Appearance, Contingent, Coordinates, Parade, Role
from .person import Person, Post
from .source import Source
from .system import BasedOn, System
from .unit import Unit
from .vocabulary import (
    CLASS_CATEGORY,
    Category,
    EventKind,
    EventStatus,
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
    "ENTRY_MODELS",
    "FOLDER_KINDS",
    "LANG_PATTERN",
    "MAX_COUNT",
    "PARTIAL_DATE_PATTERN",
    "QUANTITY_FIELDS",
    "QUOTE_DESCRIPTION",
    "REF_KEYWORD",
    "SLUG_PATTERN",
    "URL_PATTERN",
    "WIKIDATA_PATTERN",
    "Appearance",
    "BasedOn",
    "Category",
    "Claim",
    "Contingent",
    "Coordinates",
    "Count",
    "CountryCode",
    "Entry",
    "EventKind",
    "EventStatus",
    "HttpUrl",
    "Identification",
    "IsoDate",
    "LangTag",
    "Name",
    "Parade",
    "PartialDate",
    "Person",
    "PersonRef",
    "Post",
    "QualifiedCount",
    "Qualifier",
    "Quantity",
    "Quotation",
    "Quote",
    "Rank",
    "Role",
    "Segment",
    "ShortText",
    "Slug",
    "Source",
    "SourceRef",
    "Strict",
    "System",
    "SystemClass",
    "SystemRef",
    "Text",
    "Unit",
    "UnitRef",
    "claimable_fields",
    "quantity_parts",
    "quantity_upper_bound",
]
