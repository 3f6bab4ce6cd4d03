"""The rows of every table, gathered from a validated catalogue in the order of each table's
columns, and handed out in batches for the build to write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import pycountry

from ..catalog import Catalog
from ..check.rules import accepted_value
from ..model import (
    QUANTITY_FIELDS,
    Entry,
    Name,
    Parade,
    Person,
    QualifiedCount,
    Source,
    System,
    Unit,
    quantity_parts,
)
from .tables import TABLES, BuildError
from .translit import search_forms


def script_of(text: str) -> str:
    """The ISO 15924 code of the script a name is written in (Cyrl, Latn, or Zyyy for neither)."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if (c.isascii() and c.isalpha()) or "\u00c0" <= c <= "\u024f")
    if cyrillic > latin:
        return "Cyrl"
    return "Latn" if latin else "Zyyy"


Row = tuple[Any, ...]  # the values of one row, in the order of its table's columns


def _row_maker(table: str) -> Callable[[dict[str, Any]], Row]:
    columns = tuple(TABLES[table].columns)
    getter = itemgetter(*columns)

    def make(row: dict[str, Any]) -> Row:
        if len(row) == len(columns):
            try:
                return tuple(getter(row))
            except KeyError:
                pass
        unknown = set(row) - set(columns)
        if unknown:
            raise BuildError(f"table {table} has no column {', '.join(sorted(unknown))}")
        return tuple(row.get(c) for c in columns)

    return make


_ROW_MAKERS = {table: _row_maker(table) for table in TABLES}


@dataclass
class _Rows:
    """Rows for every table, gathered before one transaction writes them.

    A row is kept as a tuple: at 100,000 entries, dicts took 300 MB more.
    """

    tables: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    countries: set[str] = field(default_factory=set)
    # (table, owner, name, lang) already written: one person can appear in many parades
    names: set[tuple[str, str, str, str]] = field(default_factory=set)
    taken: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))

    def add(self, table: str, **row: Any) -> None:
        self.tables[table].append(_ROW_MAKERS[table](row))

    def next_id(self, table: str) -> int:
        """The id of the next row of a table whose key is a row number."""
        return self.taken[table] + len(self.tables[table]) + 1

    def pending(self) -> int:
        """How many rows are gathered and not yet taken."""
        return sum(len(rows) for rows in self.tables.values())

    def take(self) -> Iterator[tuple[str, list[Row]]]:
        """The rows gathered so far, table by table, and forget them."""
        for table, rows in self.tables.items():
            if rows:
                self.taken[table] += len(rows)
                self.tables[table] = []
                yield table, rows

    def cite(self, entity_type: str, entity_id: str, field_name: str | None, source: str) -> None:
        rows = self.tables["citations"]
        # the order of the citations table's columns: id, entity_type, entity_id, field, source_id
        rows.append((self.next_id("citations"), entity_type, entity_id, field_name, source))


def _names(rows: _Rows, table: str, key: str, owner: str, names: list[Name]) -> None:
    for name in names:
        if (table, owner, name.name, name.lang) in rows.names:
            continue
        rows.names.add((table, owner, name.name, name.lang))
        rows.add(
            table,
            **{key: owner},
            name=name.name,
            lang=name.lang,
            script=script_of(name.name),
            note=name.note,
        )


def _person(rows: _Rows, person: Person | None) -> None:
    if person is None:
        return
    _names(rows, "person_names", "person", person.name, person.names)


def _claims(rows: _Rows, entity_type: str, entry: Entry) -> None:
    for claim in entry.claims:
        value, qualifier = accepted_value(entry, claim.field)
        rows.add(
            "claims",
            id=rows.next_id("claims"),
            entity_type=entity_type,
            entity_id=entry.id,
            field=claim.field,
            value=str(claim.value),
            qualifier=claim.qualifier.value if claim.qualifier else None,
            rank=claim.rank.value,
            source_id=claim.source,
            quote=claim.quote,
            note=claim.note,
            accepted_value=None if value is None else str(value),
            accepted_qualifier=qualifier.value if qualifier else None,
        )


def _cite_entry(rows: _Rows, entity_type: str, entry: Entry) -> None:
    for source in dict.fromkeys(entry.sources):
        rows.cite(entity_type, entry.id, None, source)


def _quantity(prefix: str, q: int | QualifiedCount | None) -> dict[str, Any]:
    value, qualifier, _ = quantity_parts(q)
    return {prefix: value, f"{prefix}_qualifier": qualifier.value if qualifier else None}


def _count_source(q: int | QualifiedCount | None, fallback: list[str]) -> str | None:
    """The source of a count: its own, or the only source that could have given it."""
    _, _, source = quantity_parts(q)
    if source:
        return source
    unique = list(dict.fromkeys(fallback))
    return unique[0] if len(unique) == 1 else None


def _source_rows(rows: _Rows, source: Source) -> None:
    rows.add(
        "sources",
        id=source.id,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        published=source.published,
        year=int(source.published[:4]),
        language=source.language,
        archive_url=source.archive_url,
        accessed=source.accessed,
        notes=source.notes,
    )
    _claims(rows, "source", source)


def _system_rows(rows: _Rows, system: System) -> None:
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
    _names(rows, "system_names", "system_id", system.id, names)
    for role, codes in (("origin", system.origin), ("production", system.produced_in)):
        for code in dict.fromkeys(codes):
            rows.countries.add(code)
            rows.add("system_countries", system_id=system.id, country=code, role=role)
    _cite_entry(rows, "system", system)
    if system.based_on and system.based_on.source:
        rows.cite("system", system.id, "based_on", system.based_on.source)
    _claims(rows, "system", system)


def _unit_rows(rows: _Rows, unit: Unit) -> None:
    rows.countries.add(unit.country)
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
    _names(rows, "unit_names", "unit_id", unit.id, [Name(name=unit.name, lang="en"), *unit.names])
    _cite_entry(rows, "unit", unit)
    _claims(rows, "unit", unit)


def _parade_rows(rows: _Rows, parade: Parade) -> None:
    rows.countries.add(parade.country)
    counts: dict[str, Any] = {}
    for name in QUANTITY_FIELDS:
        counts.update(_quantity(name, getattr(parade, name)))
        source = _count_source(getattr(parade, name), parade.sources)
        if getattr(parade, name) is not None and source:
            rows.cite("parade", parade.id, name, source)
    official, commander = parade.reviewing_official, parade.commander
    rows.add(
        "parades",
        id=parade.id,
        name=parade.name,
        kind=parade.kind.value,
        date=parade.date,
        year=int(parade.date[:4]),
        city=parade.city,
        country=parade.country,
        venue=parade.venue,
        latitude=parade.coordinates.latitude if parade.coordinates else None,
        longitude=parade.coordinates.longitude if parade.coordinates else None,
        **counts,
        reviewing_official=official.name if official else None,
        reviewing_official_rank=official.rank if official else None,
        commander=commander.name if commander else None,
        commander_rank=commander.rank if commander else None,
        notes=parade.notes,
    )
    for person in (official, commander):
        _person(rows, person)
        if person and person.source:
            rows.cite(
                "parade",
                parade.id,
                "commander" if person is commander else "reviewing_official",
                person.source,
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
            **_quantity("count", app.count),
            segment=app.segment.value,
            first_showing=None if app.first_showing is None else int(app.first_showing),
            identification=app.identification.value,
            note=app.note,
        )
        for source in dict.fromkeys(app.sources):
            rows.cite("appearance", str(app_id), None, source)
        count_source = _count_source(app.count, app.sources or parade.sources)
        if app.count is not None and count_source:
            rows.cite("appearance", str(app_id), "count", count_source)
    for position, con in enumerate(parade.contingents, 1):
        con_id = rows.next_id("contingents")
        rows.countries.add(con.country)
        rows.add(
            "contingents",
            id=con_id,
            parade_id=parade.id,
            position=position,
            country=con.country,
            unit_id=con.unit,
            name=con.name,
            **_quantity("personnel", con.personnel),
            commander=con.commander.name if con.commander else None,
            commander_rank=con.commander.rank if con.commander else None,
            note=con.note,
        )
        _person(rows, con.commander)
        for source in dict.fromkeys(con.sources):
            rows.cite("contingent", str(con_id), None, source)
        count_source = _count_source(con.personnel, con.sources or parade.sources)
        if con.personnel is not None and count_source:
            rows.cite("contingent", str(con_id), "personnel", count_source)
    _cite_entry(rows, "parade", parade)
    _claims(rows, "parade", parade)


def _gather(catalog: Catalog, rows: _Rows) -> Iterator[None]:
    """Add every entry's rows, in a stable order, pausing after each entry."""
    for source in sorted(catalog.sources.values(), key=lambda e: e.id):
        _source_rows(rows, source)
        yield
    for system in sorted(catalog.systems.values(), key=lambda e: e.id):
        _system_rows(rows, system)
        yield
    for unit in sorted(catalog.units.values(), key=lambda e: e.id):
        _unit_rows(rows, unit)
        yield
    for parade in sorted(catalog.parades.values(), key=lambda e: e.id):
        _parade_rows(rows, parade)
        yield
    for code in sorted(rows.countries):
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None, code  # the country-unknown rule has passed
        rows.add(
            "countries",
            code=code,
            name=getattr(country, "common_name", None) or country.name,
            official_name=getattr(country, "official_name", None),
            alpha_3=country.alpha_3,
        )


def catalog_rows(catalog: Catalog) -> dict[str, list[Row]]:
    """Every row of every table (values in the order of TABLES' columns), in a stable order."""
    rows = _Rows()
    for _ in _gather(catalog, rows):
        pass
    return rows.tables


def catalog_row_batches(catalog: Catalog, size: int = 20_000) -> Iterator[tuple[str, list[Row]]]:
    """The rows of catalog_rows as (table, rows) batches of about size rows in all.

    Written as they come, 100,000 entries' rows need not all be held at once (180 MB).
    """
    rows = _Rows()
    for _ in _gather(catalog, rows):
        if rows.pending() >= size:
            yield from rows.take()
    yield from rows.take()
