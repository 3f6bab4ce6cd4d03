"""One search across everything: parades, systems, units, people, places, sources and countries.

`/-/search?q=…` finds an entry by any of its names, in Latin or Cyrillic: what a reader types is
also tried transliterated (Астана finds Astana, Токаев finds Тоқаев, Belousov finds Белоусов),
as the build does for the names themselves (db/translit.py). Names and places are matched as
words that start with what was typed (the full-text indexes of systems, parades and people);
units, sources and countries, which are few, by any part of their names. Every hit is a titled
link to its page, and the kinds are facets (`&kind=system`).

It replaces datasette-search-all, whose hits were raw rows with no link to the entry's page and
which missed what the pages show (Kuchekbayev, 37th, Panfilov, Астана).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..db import translit
from ..db.dates import human_date
from .sqlguard import MAX_LIKE_PATTERN_BYTES

# what a reader may type: the same bound as Datasette's own `_search` (site/bounds.py)
MAX_QUERY_CHARS = 200
# hits listed per kind, and per kind when the search is narrowed to it
PER_KIND = 10
PER_KIND_ALONE = 100
# hits counted per kind, for the facets ("over 200")
COUNT_LIMIT = 200

KINDS = {
    "parade": "Parades",
    "system": "Systems",
    "place": "Places",
    "unit": "Units",
    "person": "People",
    "country": "Countries",
    "source": "Sources",
}


@dataclass
class Hit:
    """One entry found: where its page is, its title, and a line about it."""

    table: str
    key: str
    title: str
    about: str = ""
    query: str = ""  # for a place: the table's filter, e.g. city=Astana


@dataclass
class Results:
    """What a search found, by kind."""

    q: str
    kind: str | None
    spellings: list[str] = field(default_factory=list)  # q, and q in the other script
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def forms(q: str) -> list[str]:
    """What was typed, and its spellings in the other script."""
    q = " ".join(q.split())
    if translit.is_cyrillic(q):
        found = [q, *translit.to_latin(q), translit.russian_fold(q)]
    elif translit.is_latin(q):
        found = [q, translit.to_cyrillic(q)]
    else:
        found = [q]
    return list(dict.fromkeys(f for f in found if f))


def match_expression(spellings: list[str]) -> str:
    """An FTS5 query: any spelling, as a phrase whose last word may go on."""
    return " OR ".join('"' + s.replace('"', '""') + '"*' for s in spellings)


def like_patterns(spellings: list[str]) -> list[str]:
    """LIKE patterns for any part of a name, within SQLite's pattern limit."""
    patterns = []
    for s in spellings:
        escaped = s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        if len(pattern.encode("utf-8")) <= MAX_LIKE_PATTERN_BYTES:
            patterns.append(pattern)
    return patterns


def _fts(conn: sqlite3.Connection, table: str, select: str, match: str, limit: int) -> list[Any]:
    sql = (
        f"select {select} from {table}_fts f join {table} t on t.rowid = f.rowid "
        f"where {table}_fts match :m order by bm25({table}_fts) limit :n"
    )
    return conn.execute(sql, {"m": match, "n": limit}).fetchall()


def _like(
    conn: sqlite3.Connection, head: str, condition: str, patterns: list[str], tail: str = ""
) -> list[Any]:
    """Rows of `head` where `condition` holds for any pattern ({p} in it stands for one)."""
    if not patterns:
        return []
    where = " or ".join(f"({condition.format(p=f':p{i}')})" for i in range(len(patterns)))
    params: dict[str, Any] = {f"p{i}": pattern for i, pattern in enumerate(patterns)}
    params["n"] = COUNT_LIMIT
    return conn.execute(f"{head} where {where} {tail} limit :n", params).fetchall()


_LIKE = "like {p} escape '\\'"


def _gather(conn: sqlite3.Connection, spellings: list[str]) -> dict[str, list[Hit]]:
    match, patterns = match_expression(spellings), like_patterns(spellings)
    n = COUNT_LIMIT
    found: dict[str, list[Hit]] = {}
    found["parade"] = [
        Hit("parades", r[0], r[1], f"{human_date(r[2])}, {r[3]}")
        for r in _fts(conn, "parades", "t.id, t.name, t.date, t.city", match, n)
    ]
    found["system"] = [
        Hit("systems", r[0], r[1], (r[2] or "").replace("_", " "))
        for r in _fts(conn, "systems", "t.id, t.name, t.category", match, n)
    ]
    cities = _like(
        conn, "select city, count(*) from parades", f"city {_LIKE}", patterns, "group by city"
    )
    found["place"] = [
        Hit("parades", "", r[0], f"{r[1]} parade{'s' if r[1] != 1 else ''}", f"city={r[0]}")
        for r in cities
    ]
    found["unit"] = [
        Hit("units", r[0], r[1], r[2] or "")
        for r in _like(
            conn,
            "select u.id, u.name, u.honorific from units u",
            f"u.name {_LIKE} or u.honorific {_LIKE} or u.id in "
            f"(select unit_id from unit_names where name {_LIKE})",
            patterns,
        )
    ]
    found["person"] = [
        Hit("people", r[0], r[1], r[2] or "")
        for r in _fts(conn, "people", "t.id, t.name, t.description", match, n)
    ]
    found["country"] = [
        Hit("countries", r[0], r[1], r[0])
        for r in _like(
            conn,
            "select code, name from countries",
            f"name {_LIKE} or official_name {_LIKE}",
            patterns,
        )
    ]
    found["source"] = [
        Hit(
            "sources",
            r[0],
            r[1] or r[2] or "Untitled source",
            ", ".join(x for x in (r[2], human_date(r[3])) if x),
        )
        for r in _like(
            conn,
            "select id, title, publisher, published from sources",
            f"title {_LIKE} or publisher {_LIKE} or author {_LIKE}",
            patterns,
        )
    ]
    return found


def search(conn: sqlite3.Connection, q: str, kind: str | None) -> Results:
    """The hits for q, of one kind or of all, with the count of each kind."""
    q = q.strip()[:MAX_QUERY_CHARS]
    kind = kind if kind in KINDS else None
    results = Results(q=q, kind=kind, spellings=forms(q) if q else [])
    if not q:
        return results
    try:
        found = _gather(conn, results.spellings)
    except sqlite3.OperationalError:
        # FTS5 refuses some queries (a lone punctuation mark makes an empty phrase)
        found = {k: [] for k in KINDS}
    for name in KINDS:
        hits = found.get(name, [])
        results.counts[name] = len(hits)
        if kind in (None, name) and hits:
            results.hits[name] = hits[: PER_KIND_ALONE if kind else PER_KIND]
    return results
