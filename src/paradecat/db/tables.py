"""The database contract: every table with its columns, keys and foreign keys, the views, the
indexes and the full-text search a build creates (DESIGN.md's database contract; metadata.yml
describes each column, and a test holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass


class BuildError(Exception):
    """The database could not be written; the previous database is untouched."""


@dataclass(frozen=True)
class Table:
    """A table of the database contract: its columns (name -> type), primary key and foreign keys."""

    columns: dict[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    not_null: tuple[str, ...] = ()


TABLES: dict[str, Table] = {
    "countries": Table(
        {"code": str, "name": str, "official_name": str, "alpha_3": str, "withdrawn": str}, "code"
    ),
    "sources": Table(
        {
            "id": str,
            "url": str,
            "cited_in": str,
            "title": str,
            "publisher": str,
            "author": str,
            "published": str,
            "year": int,
            "language": str,
            "archive_url": str,
            "accessed": str,
            "notes": str,
        },
        "id",
        (("cited_in", "sources", "id"),),
        not_null=("publisher", "language"),
    ),
    "systems": Table(
        {
            "id": str,
            "name": str,
            "category": str,
            "class": str,
            "manufacturer": str,
            "based_on": str,
            "based_on_system_id": str,
            "wikidata": str,
            "description": str,
            "all_names": str,
            "search_names": str,
            "notes": str,
        },
        "id",
        (("based_on_system_id", "systems", "id"),),
        not_null=("name", "category", "class"),
    ),
    "system_names": Table(
        {"system_id": str, "name": str, "lang": str, "script": str, "note": str},
        ("system_id", "name", "lang"),
        (("system_id", "systems", "id"),),
    ),
    "system_countries": Table(
        {"system_id": str, "country": str, "role": str},
        ("system_id", "country", "role"),
        (("system_id", "systems", "id"), ("country", "countries", "code")),
    ),
    "units": Table(
        {
            "id": str,
            "name": str,
            "country": str,
            "branch": str,
            "honorific": str,
            "home_base": str,
            "wikidata": str,
            "notes": str,
        },
        "id",
        (("country", "countries", "code"),),
        not_null=("name", "country"),
    ),
    "unit_names": Table(
        {"unit_id": str, "name": str, "lang": str, "script": str, "note": str},
        ("unit_id", "name", "lang"),
        (("unit_id", "units", "id"),),
    ),
    "people": Table(
        {
            "id": str,
            "name": str,
            "country": str,
            "wikidata": str,
            "description": str,
            "all_names": str,
            "search_names": str,
            "notes": str,
        },
        "id",
        (("country", "countries", "code"),),
        not_null=("name",),
    ),
    "person_names": Table(
        {"person_id": str, "name": str, "lang": str, "script": str, "note": str},
        ("person_id", "name", "lang"),
        (("person_id", "people", "id"),),
    ),
    "person_posts": Table(
        {"id": int, "person_id": str, "title": str, "since": str, "until": str},
        "id",
        (("person_id", "people", "id"),),
        not_null=("person_id", "title"),
    ),
    "parades": Table(
        {
            "id": str,
            "name": str,
            "kind": str,
            "status": str,
            "date": str,
            "year": int,
            "city": str,
            "country": str,
            "venue": str,
            "latitude": float,
            "longitude": float,
            "personnel": int,
            "personnel_qualifier": str,
            "personnel_note": str,
            "equipment_units": int,
            "equipment_units_qualifier": str,
            "equipment_units_note": str,
            "aircraft": int,
            "aircraft_qualifier": str,
            "aircraft_note": str,
            "formations": int,
            "formations_qualifier": str,
            "formations_note": str,
            "reviewing_official": str,
            "reviewing_official_id": str,
            "reviewing_official_rank": str,
            "commander": str,
            "commander_id": str,
            "commander_rank": str,
            "notes": str,
            "popup": str,
        },
        "id",
        (
            ("country", "countries", "code"),
            ("reviewing_official_id", "people", "id"),
            ("commander_id", "people", "id"),
        ),
        not_null=("name", "kind", "date", "city", "country"),
    ),
    "parade_occasions": Table(
        {"parade_id": str, "occasion": str},
        ("parade_id", "occasion"),
        (("parade_id", "parades", "id"),),
    ),
    "appearances": Table(
        {
            "id": int,
            "parade_id": str,
            "position": int,
            "system_id": str,
            "reported_as": str,
            "count": int,
            "count_qualifier": str,
            "count_note": str,
            "segment": str,
            "first_showing": int,
            "identification": str,
            "note": str,
        },
        "id",
        (("parade_id", "parades", "id"), ("system_id", "systems", "id")),
        not_null=("parade_id", "system_id", "reported_as", "segment", "identification"),
    ),
    "contingents": Table(
        {
            "id": int,
            "parade_id": str,
            "position": int,
            "country": str,
            "unit_id": str,
            "name": str,
            "personnel": int,
            "personnel_qualifier": str,
            "personnel_note": str,
            "commander": str,
            "commander_id": str,
            "commander_rank": str,
            "note": str,
        },
        "id",
        (
            ("parade_id", "parades", "id"),
            ("country", "countries", "code"),
            ("unit_id", "units", "id"),
            ("commander_id", "people", "id"),
        ),
        not_null=("parade_id", "country"),
    ),
    "citations": Table(
        {
            "id": int,
            "entity_type": str,
            "entity_id": str,
            "field": str,
            "source_id": str,
            "quote": str,
        },
        "id",
        (("source_id", "sources", "id"),),
        not_null=("entity_type", "entity_id", "source_id"),
    ),
    "claims": Table(
        {
            "id": int,
            "entity_type": str,
            "entity_id": str,
            "field": str,
            "value": str,
            "qualifier": str,
            "rank": str,
            "source_id": str,
            "quote": str,
            "note": str,
            "accepted_value": str,
            "accepted_qualifier": str,
        },
        "id",
        (("source_id", "sources", "id"),),
        not_null=("entity_type", "entity_id", "field", "value", "rank", "source_id"),
    ),
    "entry_history": Table(
        {"entity_type": str, "entity_id": str, "file": str, "added": str, "updated": str},
        ("entity_type", "entity_id"),
        not_null=("entity_type", "entity_id", "file"),
    ),
}


VIEWS: dict[str, str] = {
    "disputed_facts": """
        select c.entity_type, c.entity_id, c.field,
               c.accepted_value, c.accepted_qualifier,
               coalesce(
                 (select group_concat(ci.source_id, ', ') from citations ci
                   where ci.entity_type = c.entity_type and ci.entity_id = c.entity_id
                     and ci.field = c.field),
                 (select group_concat(ci.source_id, ', ') from citations ci
                   where ci.entity_type = c.entity_type and ci.entity_id = c.entity_id
                     and ci.field is null)) as accepted_sources,
               c.value as claimed_value, c.qualifier as claimed_qualifier, c.rank,
               c.source_id as claim_source, s.title as claim_source_title, s.url as claim_source_url,
               c.quote, c.note
        from claims c join sources s on s.id = c.source_id
        order by c.entity_type, c.entity_id, c.field, c.id""",
}

# Citations and claims name their entry by kind and id, not by a foreign key: the site's row
# pages look them up that way, several times a page (a full scan each, 30 ms at 10,000 entries).
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("citations", ("entity_type", "entity_id")),
    ("claims", ("entity_type", "entity_id")),
    # the pages sort parades by date, and list a parade's appearances in order
    ("parades", ("date",)),
    ("appearances", ("parade_id", "position")),
    # the facets the site declares on its largest tables count an index, not the rows: at 20,000
    # entries the appearances' segment facet took 11.6 ms and takes 2.3 ms
    ("appearances", ("segment",)),
    ("appearances", ("identification",)),
    ("sources", ("publisher",)),
    ("sources", ("language",)),
)

FTS: dict[str, list[str]] = {
    "systems": ["name", "all_names", "search_names", "manufacturer", "description"],
    "parades": ["name", "city", "venue", "notes"],
    "people": ["name", "all_names", "search_names", "description"],
}
