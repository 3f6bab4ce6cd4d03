"""The rows of every table, gathered from a validated catalogue in the order of each table's
columns, and handed out in batches for the build to write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

from ..catalog import Catalog
from ..model import QUANTITY_FIELDS, Entry, Name, Parade, Person, Role, Source, System, Unit
from ..model.countries import country
from .dates import human_date
from .rowset import (
    Placed,
    Row,
    RowSet,
    add_claims,
    add_names,
    cite_count,
    cite_entry,
    quantity_columns,
)
from .translit import search_forms

__all__ = ["GATHER_ORDER", "ROWS_OF", "Row", "catalog_row_batches", "catalog_rows", "country_rows"]


def _person_rows(rows: RowSet, person: Person) -> None:
    names = [Name(name=person.name, lang="en"), *person.names]
    if person.country:
        rows.country(person.country)
    rows.add(
        "people",
        id=person.id,
        name=person.name,
        country=person.country,
        wikidata=person.wikidata,
        description=person.description,
        all_names="\n".join(dict.fromkeys(n.name for n in names)),
        search_names="\n".join(search_forms(n.name for n in names)) or None,
        notes=person.notes,
    )
    add_names(rows, "person_names", "person_id", person.id, names)
    for post in person.posts:
        rows.add(
            "person_posts",
            id=rows.next_id("person_posts"),
            person_id=person.id,
            title=post.title,
            since=post.since,
            until=post.until,
        )
        if post.source:
            rows.cite("person", person.id, "posts", post.source, post.quote)
    cite_entry(rows, "person", person)
    add_claims(rows, "person", person)


def _role(rows: RowSet, prefix: str, role: Role | None) -> dict[str, Any]:
    """The columns of a person in a role: name (from the person's entry when it has one), id, rank."""
    if role is None:
        return {prefix: None, f"{prefix}_id": None, f"{prefix}_rank": None}
    name = role.name
    if name is None and role.person:
        rows.depends_on.add(role.person)  # the name comes from the person's entry
        entry = rows.people.get(role.person)
        name = entry.name if entry else None
    return {prefix: name, f"{prefix}_id": role.person, f"{prefix}_rank": role.rank}


def _source_rows(rows: RowSet, source: Source) -> None:
    rows.add(
        "sources",
        id=source.id,
        url=source.url,
        cited_in=source.cited_in,
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        published=source.published,
        year=int(source.published[:4]) if source.published else None,
        language=source.language,
        archive_url=source.archive_url,
        accessed=source.accessed,
        notes=source.notes,
    )
    cite_entry(rows, "source", source)
    add_claims(rows, "source", source)


def _system_rows(rows: RowSet, system: System) -> None:
    names = [Name(name=system.name, lang="en"), *system.names]
    rows.add(
        "systems",
        id=system.id,
        name=system.name,
        category=system.category.value,
        **{"class": system.class_.value},
        manufacturer=system.manufacturer,
        based_on=system.based_on.name if system.based_on else None,
        based_on_system_id=system.based_on.system if system.based_on else None,
        wikidata=system.wikidata,
        description=system.description,
        all_names="\n".join(dict.fromkeys(n.name for n in names)),
        search_names="\n".join(search_forms(n.name for n in names)) or None,
        notes=system.notes,
    )
    add_names(rows, "system_names", "system_id", system.id, names)
    for role, codes in (("origin", system.origin), ("production", system.produced_in)):
        for code in dict.fromkeys(codes):
            rows.country(code)
            rows.add("system_countries", system_id=system.id, country=code, role=role)
    cite_entry(rows, "system", system)
    if system.based_on and system.based_on.source:
        rows.cite("system", system.id, "based_on", system.based_on.source, system.based_on.quote)
    add_claims(rows, "system", system)


def _unit_rows(rows: RowSet, unit: Unit) -> None:
    rows.country(unit.country)
    rows.add(
        "units",
        id=unit.id,
        name=unit.name,
        country=unit.country,
        branch=unit.branch,
        honorific=unit.honorific,
        home_base=unit.home_base,
        wikidata=unit.wikidata,
        notes=unit.notes,
    )
    add_names(
        rows, "unit_names", "unit_id", unit.id, [Name(name=unit.name, lang="en"), *unit.names]
    )
    cite_entry(rows, "unit", unit)
    add_claims(rows, "unit", unit)


# where the site shows a parade: the database is always published as "paradecat" (site/serve.py)
PARADE_PAGE = "/paradecat/parades/"


def _popup(parade: Parade) -> str | None:
    """What the map's marker for a located parade shows (datasette-cluster-map's popup column):
    its name, when and where, and a link to its page. None for a parade with no coordinates."""
    if parade.coordinates is None:
        return None
    found = country(parade.country)
    place = ", ".join(x for x in (parade.venue, parade.city, found.name if found else None) if x)
    popup = {
        "title": parade.name,
        "description": f"{human_date(parade.date)} · {place}",
        "link": PARADE_PAGE + quote(parade.id, safe=""),
    }
    return json.dumps(popup, ensure_ascii=False)


def _parade_rows(rows: RowSet, parade: Parade) -> None:
    rows.country(parade.country)
    counts: dict[str, Any] = {}
    for name in QUANTITY_FIELDS:
        counts.update(quantity_columns(name, getattr(parade, name)))
        cite_count(rows, ("parade", parade.id), name, getattr(parade, name), parade.sources)
    official, commander = parade.reviewing_official, parade.commander
    rows.add(
        "parades",
        id=parade.id,
        name=parade.name,
        kind=parade.kind.value,
        status=parade.status.value,
        date=parade.date,
        year=int(parade.date[:4]),
        city=parade.city,
        country=parade.country,
        venue=parade.venue,
        latitude=parade.coordinates.latitude if parade.coordinates else None,
        longitude=parade.coordinates.longitude if parade.coordinates else None,
        **counts,
        **_role(rows, "reviewing_official", official),
        **_role(rows, "commander", commander),
        notes=parade.notes,
        popup=_popup(parade),
    )
    for person in (official, commander):
        if person and person.source:
            rows.cite(
                "parade",
                parade.id,
                "commander" if person is commander else "reviewing_official",
                person.source,
                person.quote,
            )
    for occasion in dict.fromkeys(parade.occasions):
        rows.add("parade_occasions", parade_id=parade.id, occasion=occasion)
    for position, app in enumerate(parade.appearances, 1):
        app_id = rows.next_id("appearances")
        rows.add(
            "appearances",
            id=app_id,
            parade_id=parade.id,
            position=position,
            system_id=app.system,
            reported_as=app.reported_as,
            **quantity_columns("count", app.count),
            segment=app.segment.value,
            first_showing=None if app.first_showing is None else int(app.first_showing),
            identification=app.identification.value,
            note=app.note,
        )
        rows.cite_all("appearance", str(app_id), app.sources, app.quotes)
        cite_count(
            rows, ("appearance", str(app_id)), "count", app.count, app.sources or parade.sources
        )
    for position, con in enumerate(parade.contingents, 1):
        con_id = rows.next_id("contingents")
        rows.country(con.country)
        rows.add(
            "contingents",
            id=con_id,
            parade_id=parade.id,
            position=position,
            country=con.country,
            unit_id=con.unit,
            name=con.name,
            **quantity_columns("personnel", con.personnel),
            **_role(rows, "commander", con.commander),
            note=con.note,
        )
        if con.commander and con.commander.source:
            rows.cite(
                "contingent",
                str(con_id),
                "commander",
                con.commander.source,
                con.commander.quote,
            )
        rows.cite_all("contingent", str(con_id), con.sources, con.quotes)
        cite_count(
            rows,
            ("contingent", str(con_id)),
            "personnel",
            con.personnel,
            con.sources or parade.sources,
        )
    cite_entry(rows, "parade", parade)
    add_claims(rows, "parade", parade)


# the kinds in the order their rows are gathered: a table keyed by row numbers numbers them so
GATHER_ORDER = ("source", "system", "unit", "person", "parade")
ROWS_OF: dict[str, Callable[[RowSet, Any], None]] = {
    "source": _source_rows,
    "system": _system_rows,
    "unit": _unit_rows,
    "person": _person_rows,
    "parade": _parade_rows,
}


def country_rows(codes: Iterable[str]) -> list[Row]:
    """The `countries` rows of these codes, sorted (each one known: country-unknown has passed)."""
    out = []
    for code in sorted(codes):
        found = country(code)
        assert found is not None, code
        out.append((code, found.name, found.official_name, found.alpha_3, found.withdrawn))
    return out


def _gather(catalog: Catalog, rows: RowSet) -> Iterator[tuple[str, Entry]]:
    """Add every entry's rows, in a stable order, pausing after each entry."""
    rows.people = catalog.people
    for kind in GATHER_ORDER:
        for entry in sorted(catalog.table(kind).values(), key=lambda e: e.id):
            rows.begin()
            ROWS_OF[kind](rows, entry)
            yield kind, entry
    rows.tables["countries"].extend(country_rows(rows.countries))


def catalog_rows(catalog: Catalog) -> dict[str, list[Row]]:
    """Every row of every table (values in the order of TABLES' columns), in a stable order."""
    rows = RowSet()
    for _ in _gather(catalog, rows):
        pass
    return rows.tables


def catalog_row_batches(
    catalog: Catalog, size: int = 20_000, placed: list[Placed] | None = None
) -> Iterator[tuple[str, list[Row]]]:
    """The rows of catalog_rows as (table, rows) batches of about size rows in all; placed, when
    given, gets each entry's Placed in the order the rows are written.

    Written as they come, 100,000 entries' rows need not all be held at once (180 MB).
    """
    rows = RowSet()
    for kind, entry in _gather(catalog, rows):
        if placed is not None:
            placed.append(rows.placed(kind, entry))
        if rows.pending() >= size:
            yield from rows.take()
    yield from rows.take()
