"""What the system and parade row pages show, gathered from the built database in plain SQL."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from ..model.words import in_words

Row = dict[str, Any]

QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "about": "about",
    "over": "over",
    "at_least": "at least",
    "under": "under",
    "at_most": "at most",
    "nearly": "nearly",
}

IDENTIFICATION_WORDS: dict[str, str] = {
    "confirmed": "confirmed: the reported name designates this system and two independent reports list it",
    "probable": "probable: the type or variant is inferred from what the sources say",
    "reported": "reported: one report only (or its rewrites) lists it",
    "disputed": "disputed: there is reason to doubt the identification (see the note)",
}

COUNT_FIELDS: dict[str, str] = {
    "personnel": "People on parade",
    "equipment_units": "Ground equipment",
    "aircraft": "Aircraft and helicopters",
    "formations": "Formations",
}


def count_phrase(value: Any, qualifier: str | None) -> str:
    """A count as a reader says it: (4000, "over") -> "over 4,000"; a non-number is kept as is."""
    if value is None or value == "":
        return ""
    try:
        number = f"{int(value):,}"
    except (TypeError, ValueError):
        number = str(value)
    word = QUALIFIER_WORDS.get(qualifier or "exact", (qualifier or "").replace("_", " "))
    return f"{word} {number}" if word else number


def safe_url(url: Any) -> str | None:
    """The URL when it is http(s), else None: nothing else is ever rendered as a link."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> list[Row]:
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# A page lists at most this many rows of each list, and links the table view for the rest: a
# system shown 114,000 times made one page 48 MB and 24 s to render.
LIST_LIMIT = 200


def _capped(
    conn: sqlite3.Connection,
    sql: str,
    params: dict[str, Any],
    more: str,
    limit: int = LIST_LIMIT,
) -> tuple[list[Row], int, str | None]:
    """The first `limit` rows of a query, how many there are, and where the rest are listed."""
    rows = _rows(conn, f"{sql} limit {limit + 1}", params)
    if len(rows) <= limit:
        return rows, len(rows), None
    total = conn.execute(f"select count(*) from ({sql})", params).fetchone()[0]
    return rows[:limit], total, more


def _one(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> Row | None:
    rows = _rows(conn, sql, params)
    return rows[0] if rows else None


_SOURCES_SQL = """
select s.id, s.title, s.publisher, s.published, s.url, s.archive_url, ci.field, ci.quote,
       s.cited_in, cs.publisher as cited_in_publisher
from citations ci join sources s on s.id = ci.source_id
left join sources cs on cs.id = s.cited_in
where ci.entity_type = :type and ci.entity_id = :id
order by ci.field is not null, ci.field, s.published, s.id, ci.id
limit 1000"""


def _sources(conn: sqlite3.Connection, entity_type: str, entity_id: str) -> list[Row]:
    rows = _rows(conn, _SOURCES_SQL, {"type": entity_type, "id": entity_id})
    merged: dict[tuple[str, str | None], Row] = {}
    for row in rows:
        row["url"] = safe_url(row["url"])
        row["archive_url"] = safe_url(row["archive_url"])
        # one link per source and field, with every passage quoted from it for that fact
        kept = merged.setdefault((row["id"], row["field"]), {**row, "quotes": []})
        if row["quote"]:
            kept["quotes"].append(row["quote"])
    return list(merged.values())


def _disputes(conn: sqlite3.Connection, entity_type: str, entity_id: str) -> list[Row]:
    """Each claim beside the accepted value, with the sources for both."""
    claims = _rows(
        conn,
        """select c.id, c.field, c.value, c.qualifier, c.rank, c.quote, c.note,
                  c.accepted_value, c.accepted_qualifier,
                  s.id as source_id, s.title as source_title, s.publisher as source_publisher,
                  s.url as source_url
           from claims c join sources s on s.id = c.source_id
           where c.entity_type = :type and c.entity_id = :id order by c.field, c.id
           limit :limit""",
        {"type": entity_type, "id": entity_id, "limit": LIST_LIMIT},
    )
    sources = _sources(conn, entity_type, entity_id)
    for claim in claims:
        claim["source_url"] = safe_url(claim["source_url"])
        claim["claimed"] = count_phrase(claim["value"], claim["qualifier"])
        claim["accepted"] = count_phrase(claim["accepted_value"], claim["accepted_qualifier"])
        field_sources = [s for s in sources if s["field"] == claim["field"]]
        claim["accepted_sources"] = field_sources or [s for s in sources if s["field"] is None]
        # without a source for the field itself, the entry's sources stand behind the value
        claim["accepted_sources_are_entry"] = not field_sources
    return claims


def _unique(sources: list[Row]) -> list[Row]:
    """Each source once, where it is cited both for the entry and for one of its fields."""
    merged: dict[str, Row] = {}
    for source in sources:
        kept = merged.setdefault(source["id"], {**source, "quotes": []})
        kept["quotes"] += [q for q in source["quotes"] if q not in kept["quotes"]]
    return list(merged.values())


def _appearance_sources(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[Row]]:
    return {app_id: _unique(_sources(conn, "appearance", str(app_id))) for app_id in ids}


def _describe_appearances(conn: sqlite3.Connection, appearances: list[Row]) -> None:
    """Each appearance's count and identification in words, and its sources."""
    sources_by_appearance = _appearance_sources(conn, [a["id"] for a in appearances])
    for app in appearances:
        app["count_text"] = count_phrase(app["count"], app["count_qualifier"])
        app["identification_text"] = IDENTIFICATION_WORDS.get(app["identification"], "")
        app["sources"] = sources_by_appearance[app["id"]]


def _status(parade: Row, appearances: int, contingents: int) -> Row:
    """Whether the event took place, and what the catalogue records of it, in a sentence."""
    key = parade.get("status") or "held"
    headline = in_words("status", key)
    shown = [
        f"{n:,} {word}{'' if n == 1 else 's'}"
        for n, word in ((appearances, "system"), (contingents, "contingent"))
        if n
    ]
    if key == "planned":
        detail = "The sources report it as planned; none reports that it was held."
    elif shown:
        detail = "Recorded: " + " and ".join(shown) + "."
    else:
        detail = "No equipment and no contingent is recorded for it."
    return {"key": key, "headline": headline + ".", "detail": detail}


def system_page(conn: sqlite3.Connection, system_id: str) -> Row | None:
    """Everything the system page shows: names, countries, appearances, sources, disputes."""
    system = _one(
        conn,
        """select s.*, b.name as based_on_system_name from systems s
           left join systems b on b.id = s.based_on_system_id where s.id = :id""",
        {"id": system_id},
    )
    if system is None:
        return None
    names = _rows(
        conn,
        "select name, lang, script, note from system_names where system_id = :id "
        "order by lang = 'en' desc, lang, name",
        {"id": system_id},
    )
    countries = _rows(
        conn,
        """select sc.role, sc.country, c.name as country_name from system_countries sc
           join countries c on c.code = sc.country where sc.system_id = :id
           order by sc.role, c.name""",
        {"id": system_id},
    )
    appearances, appearances_total, appearances_more = _capped(
        conn,
        """select a.id, a.parade_id, p.name as parade_name, p.date, p.city, a.reported_as,
                  a.segment, a.identification, a.first_showing, a.count, a.count_qualifier,
                  a.count_note, a.note
           from appearances a join parades p on p.id = a.parade_id
           where a.system_id = :id order by p.date desc, a.position""",
        {"id": system_id},
        f"appearances?system_id={quote(system_id)}",
    )
    earliest = _one(
        conn,
        """select p.id as parade_id, p.name as parade_name, p.date
           from appearances a join parades p on p.id = a.parade_id
           where a.system_id = :id order by p.date, p.id limit 1""",
        {"id": system_id},
    )
    _describe_appearances(conn, appearances)
    return {
        "system": system,
        "names": names,
        "origin": [c for c in countries if c["role"] == "origin"],
        "production": [c for c in countries if c["role"] == "production"],
        "appearances": appearances,
        "appearances_total": appearances_total,
        "appearances_more": appearances_more,
        "appearances_counted": any(a["count_text"] for a in appearances),
        "earliest": earliest,
        "sources": _sources(conn, "system", system_id),
        "disputes": _disputes(conn, "system", system_id),
    }


def parade_page(conn: sqlite3.Connection, parade_id: str) -> Row | None:
    """Everything the parade page shows: counts, people, contingents, appearances, disputes."""
    parade = _one(
        conn,
        """select p.*, c.name as country_name from parades p
           join countries c on c.code = p.country where p.id = :id""",
        {"id": parade_id},
    )
    if parade is None:
        return None
    sources = _sources(conn, "parade", parade_id)
    counts = [
        {
            "field": name,
            "label": label,
            "text": count_phrase(parade[name], parade[f"{name}_qualifier"]),
            "note": parade[f"{name}_note"],
            "sources": [s for s in sources if s["field"] == name],
        }
        for name, label in COUNT_FIELDS.items()
        if parade[name] is not None
    ]
    unknown_counts = [label for name, label in COUNT_FIELDS.items() if parade[name] is None]
    people = []
    for role, label in (("reviewing_official", "Reviewing official"), ("commander", "Commander")):
        if parade[role]:
            other_names = _rows(
                conn,
                "select name, lang, note from person_names where person_id = :p "
                "and name != :name order by lang, name",
                {"p": parade[f"{role}_id"], "name": parade[role]},
            )
            people.append(
                {
                    "label": label,
                    "name": parade[role],
                    "rank": parade[f"{role}_rank"],
                    "names": other_names,
                    "sources": [s for s in sources if s["field"] == role],
                }
            )
    contingents, contingents_total, contingents_more = _capped(
        conn,
        """select ct.id, ct.country, co.name as country_name, ct.unit_id, u.name as unit_name,
                  ct.name, ct.personnel, ct.personnel_qualifier, ct.personnel_note, ct.commander,
                  ct.commander_rank, ct.note
           from contingents ct join countries co on co.code = ct.country
           left join units u on u.id = ct.unit_id
           where ct.parade_id = :id order by ct.position""",
        {"id": parade_id},
        f"contingents?parade_id={quote(parade_id)}",
    )
    for con in contingents:
        con["personnel_text"] = count_phrase(con["personnel"], con["personnel_qualifier"])
        con["sources"] = _unique(_sources(conn, "contingent", str(con["id"])))
    appearances, appearances_total, appearances_more = _capped(
        conn,
        """select a.id, a.system_id, s.name as system_name, s.category, s.class as system_class,
                  a.reported_as,
                  a.segment, a.identification, a.first_showing, a.count, a.count_qualifier,
                  a.count_note, a.note
           from appearances a join systems s on s.id = a.system_id
           where a.parade_id = :id order by a.position""",
        {"id": parade_id},
        f"appearances?parade_id={quote(parade_id)}",
    )
    _describe_appearances(conn, appearances)
    by_system: dict[str, list[Row]] = {}
    for app in appearances:
        by_system.setdefault(app["system_id"], []).append(app)
    for app in appearances:
        # the same system listed twice (reported under two names, or in two segments): each
        # row says what the other is, so the two are told apart
        app["also"] = [
            {"reported_as": o["reported_as"], "segment": o["segment"]}
            for o in by_system[app["system_id"]]
            if o is not app
        ]
    occasions = [
        row["occasion"]
        for row in _rows(
            conn,
            "select occasion from parade_occasions where parade_id = :id order by occasion",
            {"id": parade_id},
        )
    ]
    return {
        "parade": parade,
        "occasions": occasions,
        "counts": counts,
        "unknown_counts": unknown_counts,
        "people": people,
        "contingents": contingents,
        "contingents_total": contingents_total,
        "contingents_more": contingents_more,
        "appearances": appearances,
        "appearances_total": appearances_total,
        "appearances_more": appearances_more,
        "appearances_counted": any(a["count_text"] for a in appearances),
        "status": _status(parade, appearances_total, contingents_total),
        "sources": [s for s in sources if s["field"] is None],
        "disputes": _disputes(conn, "parade", parade_id),
    }


PAGES = {"systems": system_page, "parades": parade_page}
