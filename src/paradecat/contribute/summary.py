"""The review summary behind `paradecat diff`: what a reviewer needs to know about a change.

It reads the entries' data as loaded (valid or not, so nothing here may assume a field's type)
from the base and the working catalogue, and gives the facts of each new entry, each new claim,
the sources that cite a bare home page and what the change moves elsewhere in the catalogue:
a system's first showing, and a first showing that a parade asserts and the catalogue now
contradicts. The values are plain text; diff.py lays them out as text or Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model.fields import bare_home_page

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most "}
# a parade's counts: the field and its noun (one, many)
PARADE_COUNTS = (
    ("personnel", "personnel", "personnel"),
    ("equipment_units", "equipment unit", "equipment units"),
    ("aircraft", "aircraft", "aircraft"),
    ("formations", "formation", "formations"),
)
_KINDS = {"parades": "parade", "systems": "system", "units": "unit", "sources": "source"}


@dataclass(frozen=True)
class Cell:
    """One value to show; code is an id or a vocabulary word, shown verbatim."""

    text: str
    code: bool = False


@dataclass(frozen=True)
class Row:
    """One row of a table, and the same row as one terse line of text."""

    cells: tuple[Cell, ...]
    text: str


@dataclass(frozen=True)
class Table:
    """A list inside an entry (its contingents, its systems shown), one row per item."""

    title: str
    label: str  # what one row is called in the text output
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Fact:
    """One labelled fact of a new entry."""

    label: str
    value: Cell


@dataclass(frozen=True)
class NewEntry:
    """An added entry: its kind, its name or title, its facts and its lists."""

    entry: str
    kind: str
    title: str
    facts: tuple[Fact, ...]
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class NewClaim:
    """A claim in a new or changed entry that the base did not have (changed: same field and source)."""

    entry: str
    field: str
    value: str
    qualifier: str
    rank: str
    source: str
    changed: bool


@dataclass(frozen=True)
class HomePage:
    """A new or changed source whose URL (or archive URL) is a site's home page, not a document."""

    entry: str
    field: str
    url: str


@dataclass(frozen=True)
class FirstShowing:
    """A system's earliest parade in the catalogue, before and after (None: not shown)."""

    system: str
    before: str | None
    after: str | None
    parades: tuple[str, ...]  # the parades on the new date


@dataclass(frozen=True)
class Contradiction:
    """A parade says a system was first shown there, but the catalogue now shows it earlier."""

    system: str
    parade: str
    earlier: str
    earlier_parades: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """Everything the review summary adds to the field-by-field diff."""

    new: tuple[NewEntry, ...] = ()
    claims: tuple[NewClaim, ...] = ()
    home_pages: tuple[HomePage, ...] = ()
    first_showings: tuple[FirstShowing, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()


def kind_of(entry: str) -> str:
    """The kind of an entry from its folder: parades/x is a parade ('' when unknown)."""
    return _KINDS.get(entry.partition("/")[0], "")


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _maps(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def plain(value: Any) -> str:
    """A loaded value as plain text: '' for none, true/false, lists comma-separated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {plain(v)}" for k, v in value.items())
    return str(value)


def _number(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return plain(value)


def count_phrase(quantity: Any) -> str:
    """A count as a reader says it: 'over 4,000', '66', 'about 12' ('' when absent)."""
    if quantity is None:
        return ""
    if not isinstance(quantity, dict):
        return _number(quantity)
    qualifier = plain(quantity.get("qualifier")) or "exact"
    word = _QUALIFIER_WORDS.get(qualifier, qualifier + " ")
    return word + _number(quantity.get("value"))


def _count_source(quantity: Any) -> str:
    return plain(_map(quantity).get("source"))


def _with_noun(quantity: Any, one: str, many: str) -> str:
    phrase = count_phrase(quantity)
    noun = one if phrase == "1" else many
    source = _count_source(quantity)
    return f"{phrase} {noun}" + (f" ({source})" if source else "")


def _place(data: dict[str, Any]) -> str:
    return ", ".join(p for p in (plain(data.get(k)) for k in ("city", "country", "venue")) if p)


def _contingents(data: dict[str, Any]) -> Table:
    rows = []
    for item in _maps(data.get("contingents")):
        country, unit, name = (plain(item.get(k)) for k in ("country", "unit", "name"))
        personnel = count_phrase(item.get("personnel"))
        words = [country or "(no country)"]
        words += [f"unit {unit}"] if unit else []
        words += [f'"{name}"'] if name else []
        words += [f"{personnel} personnel"] if personnel else []
        cells = (Cell(country, True), Cell(unit, True), Cell(name), Cell(personnel))
        rows.append(Row(cells, ", ".join(words)))
    return Table("Contingents", "contingent", ("country", "unit", "name", "personnel"), tuple(rows))


def _appearances(data: dict[str, Any]) -> Table:
    rows = []
    for item in _maps(data.get("appearances")):
        system, reported, segment, ident = (
            plain(item.get(k)) for k in ("system", "reported_as", "segment", "identification")
        )
        count = count_phrase(item.get("count"))
        words = [f'{system or "(no system)"} as "{reported}"', segment, ident, count]
        cells = (Cell(system, True), Cell(reported), Cell(segment, True), Cell(ident, True))
        rows.append(Row((*cells, Cell(count)), ", ".join(w for w in words if w)))
    columns = ("system", "reported as", "segment", "identification", "count")
    return Table("Systems shown", "shown", columns, tuple(rows))


def _role(value: Any) -> str:
    """A person in a role as a reviewer reads it: 'Colonel almas-tulegenov (example-report)'."""
    role = _map(value)
    who = plain(role.get("person")) or plain(role.get("name"))
    if not who:
        return ""
    rank, source = plain(role.get("rank")), plain(role.get("source"))
    return " ".join(w for w in (rank, who, f"({source})" if source else "") if w)


def _facts(*pairs: tuple[str, Any, bool]) -> tuple[Fact, ...]:
    return tuple(Fact(label, Cell(plain(v), code)) for label, v, code in pairs if plain(v))


def new_entry(entry: str, data: Any) -> NewEntry:
    """The key facts of an added entry, by its kind."""
    d = _map(data)
    kind = kind_of(entry)
    title = plain(d.get("title" if kind == "source" else "name"))
    if kind == "parade":
        counts = "; ".join(
            _with_noun(d[key], one, many)
            for key, one, many in PARADE_COUNTS
            if d.get(key) is not None
        )
        facts = _facts(
            ("kind", d.get("kind"), True),
            ("date", d.get("date"), False),
            ("place", _place(d), False),
            ("counts", counts, False),
            ("reviewing official", _role(d.get("reviewing_official")), False),
            ("commander", _role(d.get("commander")), False),
        )
        tables = tuple(t for t in (_contingents(d), _appearances(d)) if t.rows)
        return NewEntry(entry, kind, title, facts, tables)
    if kind == "system":
        facts = _facts(
            ("category", d.get("category"), True),
            ("class", d.get("class"), True),
            ("origin", d.get("origin"), True),
        )
    elif kind == "unit":
        facts = _facts(("country", d.get("country"), True), ("branch", d.get("branch"), False))
    elif kind == "source":
        facts = _facts(
            ("publisher", d.get("publisher"), False),
            ("published", d.get("published"), False),
            ("url", d.get("url"), False),
            ("cited in", d.get("cited_in"), True),
        )
    elif kind == "person":
        facts = _facts(("country", d.get("country"), True))
    else:
        facts = ()
    return NewEntry(entry, kind, title, facts)


def _claim_key(claim: dict[str, Any]) -> tuple[str, str]:
    return plain(claim.get("field")), plain(claim.get("source"))


def new_claims(entry: str, before: Any, after: Any) -> Iterator[NewClaim]:
    """The claims of an entry that the base did not have, in the entry's order."""
    old = _maps(_map(before).get("claims"))
    gone = {_claim_key(c) for c in old if c not in _maps(_map(after).get("claims"))}
    for claim in _maps(_map(after).get("claims")):
        if claim in old:
            continue
        field, source = _claim_key(claim)
        yield NewClaim(
            entry,
            field,
            plain(claim.get("value")),
            plain(claim.get("qualifier")),
            plain(claim.get("rank")) or "normal",
            source,
            (field, source) in gone,
        )


def home_pages(entry: str, data: Any) -> Iterator[HomePage]:
    """The source's URLs that name a whole site rather than the document cited."""
    if kind_of(entry) != "source":
        return
    for key in ("url", "archive_url"):
        url = _map(data).get(key)
        if isinstance(url, str) and "://" in url and bare_home_page(url):
            yield HomePage(entry, key, url)


Shown = dict[str, dict[str, list[tuple[str, bool]]]]  # system -> date -> [(parade, first_showing)]


def _shown(entries: dict[str, Any]) -> Shown:
    shown: Shown = {}
    for name, data in entries.items():
        d = _map(data)
        date = d.get("date")
        if kind_of(name) != "parade" or not (isinstance(date, str) and _DATE.fullmatch(date)):
            continue
        parade = name.rsplit("/", 1)[-1]
        for app in _maps(d.get("appearances")):
            system = app.get("system")
            if isinstance(system, str) and system:
                dates = shown.setdefault(system, {})
                dates.setdefault(date, []).append((parade, app.get("first_showing") is True))
    return shown


def _first(dates: dict[str, list[tuple[str, bool]]] | None) -> tuple[str | None, tuple[str, ...]]:
    if not dates:
        return None, ()
    date = min(dates)
    return date, tuple(sorted({parade for parade, _ in dates[date]}))


def _contradictions(shown: Shown) -> dict[tuple[str, str], Contradiction]:
    found = {}
    for system, dates in shown.items():
        earliest, parades = _first(dates)
        for date, apps in dates.items():
            for parade, first in apps:
                if first and earliest is not None and date > earliest:
                    found[system, parade] = Contradiction(system, parade, earliest, parades)
    return found


def first_showings(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[list[FirstShowing], list[Contradiction]]:
    """Systems whose first showing in the catalogue moves, and newly contradicted first showings."""
    old, new = _shown(before), _shown(after)
    moves = []
    for system in sorted(set(old) | set(new)):
        was, _ = _first(old.get(system))
        now, parades = _first(new.get(system))
        if was != now:
            moves.append(FirstShowing(system, was, now, parades))
    old_doubts, new_doubts = _contradictions(old), _contradictions(new)
    doubts = [new_doubts[k] for k in sorted(new_doubts) if new_doubts[k] != old_doubts.get(k)]
    return moves, doubts


def summarise(before: dict[str, Any], after: dict[str, Any]) -> Summary:
    """The review summary of the change from one catalogue (entries' data by name) to another."""
    new: list[NewEntry] = []
    claims: list[NewClaim] = []
    pages: list[HomePage] = []
    for name in sorted(after):
        if name in before and before[name] == after[name]:
            continue
        if name not in before:
            new.append(new_entry(name, after[name]))
        claims.extend(new_claims(name, before.get(name), after[name]))
        pages.extend(home_pages(name, after[name]))
    moves, doubts = first_showings(before, after)
    return Summary(tuple(new), tuple(claims), tuple(pages), tuple(moves), tuple(doubts))
