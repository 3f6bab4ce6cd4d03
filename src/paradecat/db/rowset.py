"""The rows being gathered for the build: one tuple per row, in the order of its table's columns,
with the helpers every kind of entry uses (names, citations with their quotations, claims, counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from ..check.rules import accepted_value
from ..model import Entry, Name, Person, QualifiedCount, Quotation, quantity_parts
from .tables import TABLES, BuildError


def script_of(text: str) -> str:
    """The ISO 15924 code of the script a name is written in (Cyrl, Latn, or Zyyy for neither)."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if (c.isascii() and c.isalpha()) or "\u00c0" <= c <= "\u024f")
    if cyrillic > latin:
        return "Cyrl"
    return "Latn" if latin else "Zyyy"


Row = tuple[Any, ...]  # the values of one row, in the order of its table's columns

# the tables keyed by a row number counted across the catalogue: each entry's rows in one of them
# have consecutive numbers, after the rows of the entries gathered before it
NUMBERED = ("citations", "claims", "appearances", "contingents", "person_posts")


class Placed(NamedTuple):
    """Where one entry's rows went: how many rows it has in each NUMBERED table, the countries it
    names, the people whose names its rows take from their entries, and a person's own name."""

    kind: str
    id: str
    counts: tuple[int, ...]
    countries: tuple[str, ...]
    depends_on: tuple[str, ...]
    name: str | None


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
class RowSet:
    """Rows for every table, gathered before one transaction writes them.

    A row is kept as a tuple: at 100,000 entries, dicts took 300 MB more.
    """

    tables: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    countries: set[str] = field(default_factory=set)
    # (table, owner, name, lang) already written: one person can appear in many parades
    names: set[tuple[str, str, str, str]] = field(default_factory=set)
    taken: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    # the people entries, for the names of people in roles at parades
    people: Mapping[str, Person] = field(default_factory=dict)
    # of the entry being gathered: the countries it names, the people whose names it takes, and
    # the next row number of each NUMBERED table when it began
    entry_countries: set[str] = field(default_factory=set)
    depends_on: set[str] = field(default_factory=set)
    began: dict[str, int] = field(default_factory=dict)

    def begin(self) -> None:
        """Start gathering the rows of another entry."""
        self.entry_countries, self.depends_on = set(), set()
        self.began = {table: self.next_id(table) for table in NUMBERED}

    def country(self, code: str) -> None:
        """The entry names a country: the countries table has a row for it."""
        self.countries.add(code)
        self.entry_countries.add(code)

    def placed(self, kind: str, entry: Entry) -> Placed:
        """Where the rows of the entry just gathered went."""
        return Placed(
            kind,
            entry.id,
            tuple(self.next_id(table) - self.began[table] for table in NUMBERED),
            tuple(sorted(self.entry_countries)),
            tuple(sorted(self.depends_on)),
            entry.name if isinstance(entry, Person) else None,
        )

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

    def cite(
        self,
        entity_type: str,
        entity_id: str,
        field_name: str | None,
        source: str,
        quote: str | None = None,
    ) -> None:
        rows = self.tables["citations"]
        # the order of the citations table's columns: id, entity_type, entity_id, field,
        # source_id, quote
        rows.append((self.next_id("citations"), entity_type, entity_id, field_name, source, quote))

    def cite_all(
        self, entity_type: str, entity_id: str, sources: list[str], quotes: list[Quotation]
    ) -> None:
        """One citation per source, and one per quotation of a source, with its passage."""
        quoted: dict[str, list[str]] = {}
        for q in quotes:
            quoted.setdefault(q.source, []).append(q.text)
        for source in dict.fromkeys([*sources, *quoted]):
            texts: list[str | None] = list(quoted.get(source, [])) or [None]
            for text in texts:
                self.cite(entity_type, entity_id, None, source, text)


def add_names(rows: RowSet, table: str, key: str, owner: str, names: list[Name]) -> None:
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


def add_claims(rows: RowSet, entity_type: str, entry: Entry) -> None:
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


def cite_entry(rows: RowSet, entity_type: str, entry: Entry) -> None:
    rows.cite_all(entity_type, entry.id, entry.sources, entry.quotes)


def quantity_columns(prefix: str, q: int | QualifiedCount | None) -> dict[str, Any]:
    value, qualifier, _ = quantity_parts(q)
    note = q.note if isinstance(q, QualifiedCount) else None
    return {
        prefix: value,
        f"{prefix}_qualifier": qualifier.value if qualifier else None,
        f"{prefix}_note": note,
    }


def cite_count(
    rows: RowSet,
    entity: tuple[str, str],
    field_name: str,
    q: int | QualifiedCount | None,
    fallback: list[str],
) -> None:
    """Cite the source of a count, with its quotation."""
    source = count_source(q, fallback)
    if q is not None and source:
        quote = q.quote if isinstance(q, QualifiedCount) else None
        rows.cite(*entity, field_name, source, quote)


def count_source(q: int | QualifiedCount | None, fallback: list[str]) -> str | None:
    """The source of a count: its own, or the only source that could have given it."""
    _, _, source = quantity_parts(q)
    if source:
        return source
    unique = list(dict.fromkeys(fallback))
    return unique[0] if len(unique) == 1 else None
