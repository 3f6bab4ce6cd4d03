"""What the source, unit, country and person pages show, gathered from the built database.

Every link on the parade and system pages used to land on Datasette's stock row page for these
("countries: KZ"); each now has a page of its own in the same style. A source's page lists every
fact it supports, with the passage quoted for each; a country's lists the parades held there,
the contingents it sent, the systems it designed or makes, its units and its people; a unit's
and a person's list the parades they took part in and in what role.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from ..db.dates import human_date
from .rows import (
    Row,
    _capped,
    _one,
    _rows,
    _sources,
    count_phrase,
    safe_url,
)

ENTRY_WORDS = {
    "parade": "Parade",
    "system": "System",
    "unit": "Unit",
    "person": "Person",
    "source": "Source",
    "appearance": "Shown at a parade",
    "contingent": "Contingent",
}
FIELD_WORDS = {
    "personnel": "people on parade",
    "equipment_units": "ground equipment",
    "aircraft": "aircraft and helicopters",
    "formations": "formations",
    "reviewing_official": "reviewing official",
    "commander": "commander",
    "count": "how many",
}


_FACTS_SQL = """
select ci.entity_type, ci.entity_id, ci.field, ci.quote,
       coalesce(p.name, s.name, u.name, pe.name, so.title, so.publisher, aps.name,
                c.name, cco.name) as label,
       coalesce(ap.parade_id, c.parade_id) as parade_id, pp.name as parade_name,
       coalesce(pp.date, p.date) as date, ap.system_id
from citations ci
left join parades p on ci.entity_type = 'parade' and p.id = ci.entity_id
left join systems s on ci.entity_type = 'system' and s.id = ci.entity_id
left join units u on ci.entity_type = 'unit' and u.id = ci.entity_id
left join people pe on ci.entity_type = 'person' and pe.id = ci.entity_id
left join sources so on ci.entity_type = 'source' and so.id = ci.entity_id
left join appearances ap on ci.entity_type = 'appearance' and ap.id = ci.entity_id
left join systems aps on aps.id = ap.system_id
left join contingents c on ci.entity_type = 'contingent' and c.id = ci.entity_id
left join countries cco on cco.code = c.country
left join parades pp on pp.id = coalesce(ap.parade_id, c.parade_id)
where ci.source_id = :id
order by coalesce(pp.date, p.date) desc, ci.entity_type, label, ci.field, ci.id"""

# where an entry of each kind has its page: the table, and the column of `_FACTS_SQL` with its key
_ENTRY_PAGES = {
    "parade": ("parades", "entity_id"),
    "system": ("systems", "entity_id"),
    "unit": ("units", "entity_id"),
    "person": ("people", "entity_id"),
    "source": ("sources", "entity_id"),
    "appearance": ("parades", "parade_id"),
    "contingent": ("parades", "parade_id"),
}


def _fact(row: Row) -> Row:
    table, key = _ENTRY_PAGES.get(row["entity_type"], ("", "entity_id"))
    row["table"], row["key"] = table, row[key]
    row["kind"] = ENTRY_WORDS.get(row["entity_type"], row["entity_type"])
    row["field_text"] = FIELD_WORDS.get(row["field"] or "", (row["field"] or "").replace("_", " "))
    return row


def source_page(conn: sqlite3.Connection, source_id: str) -> Row | None:
    """A source: what it is, where to read it, and every fact it supports, with its quotation."""
    source = _one(
        conn,
        """select s.*, cs.title as cited_in_title, cs.publisher as cited_in_publisher
           from sources s left join sources cs on cs.id = s.cited_in where s.id = :id""",
        {"id": source_id},
    )
    if source is None:
        return None
    source["name"] = source["title"] or source["publisher"] or "Untitled source"
    source["url"] = safe_url(source["url"])
    source["archive_url"] = safe_url(source["archive_url"])
    source["published_text"] = human_date(source["published"])
    facts, facts_total, facts_more = _capped(
        conn, _FACTS_SQL, {"id": source_id}, f"citations?source_id={quote(source_id)}"
    )
    claims, claims_total, claims_more = _capped(
        conn,
        """select c.entity_type, c.entity_id, c.field, c.value, c.qualifier, c.rank, c.quote,
                  c.note, coalesce(p.name, s.name) as label
           from claims c left join parades p on c.entity_type = 'parade' and p.id = c.entity_id
           left join systems s on c.entity_type = 'system' and s.id = c.entity_id
           where c.source_id = :id order by c.entity_type, c.entity_id, c.field, c.id""",
        {"id": source_id},
        f"claims?source_id={quote(source_id)}",
    )
    for claim in claims:
        claim["claimed"] = count_phrase(claim["value"], claim["qualifier"])
        _fact(claim)
    relays = _rows(
        conn,
        "select id, title, publisher, published from sources where cited_in = :id order by id",
        {"id": source_id},
    )
    return {
        "source": source,
        "facts": [_fact(f) for f in facts],
        "facts_total": facts_total,
        "facts_more": facts_more,
        "claims": claims,
        "claims_total": claims_total,
        "claims_more": claims_more,
        "relays": relays,
    }


def _names(conn: sqlite3.Connection, table: str, column: str, key: str, name: str) -> list[Row]:
    return _rows(
        conn,
        f"select name, lang, script, note from {table} where {column} = :id and name != :name "
        "order by lang = 'en' desc, lang, name",
        {"id": key, "name": name},
    )


def unit_page(conn: sqlite3.Connection, unit_id: str) -> Row | None:
    """A unit: its names, its country, and the contingents it formed at parades."""
    unit = _one(
        conn,
        """select u.*, c.name as country_name from units u
           left join countries c on c.code = u.country where u.id = :id""",
        {"id": unit_id},
    )
    if unit is None:
        return None
    contingents, total, more = _capped(
        conn,
        """select ct.parade_id, p.name as parade_name, p.date, p.city, ct.personnel,
                  ct.personnel_qualifier, ct.commander, ct.commander_rank, ct.note
           from contingents ct join parades p on p.id = ct.parade_id
           where ct.unit_id = :id order by p.date desc, ct.position""",
        {"id": unit_id},
        f"contingents?unit_id={quote(unit_id)}",
    )
    for con in contingents:
        con["personnel_text"] = count_phrase(con["personnel"], con["personnel_qualifier"])
        con["date_text"] = human_date(con["date"])
    return {
        "unit": unit,
        "names": _names(conn, "unit_names", "unit_id", unit_id, unit["name"]),
        "contingents": contingents,
        "contingents_total": total,
        "contingents_more": more,
        "sources": _sources(conn, "unit", unit_id),
    }


def person_page(conn: sqlite3.Connection, person_id: str) -> Row | None:
    """A person: names, posts, and the parades they reviewed or commanded."""
    person = _one(
        conn,
        """select pe.*, c.name as country_name from people pe
           left join countries c on c.code = pe.country where pe.id = :id""",
        {"id": person_id},
    )
    if person is None:
        return None
    roles, total, more = _capped(
        conn,
        """select * from (
             select p.id as parade_id, p.name as parade_name, p.date, p.city,
                    'Reviewing official' as role, p.reviewing_official_rank as rank
             from parades p where p.reviewing_official_id = :id
             union all
             select p.id, p.name, p.date, p.city, 'Commander', p.commander_rank
             from parades p where p.commander_id = :id
             union all
             select p.id, p.name, p.date, p.city, 'Commander of a contingent', ct.commander_rank
             from contingents ct join parades p on p.id = ct.parade_id
             where ct.commander_id = :id)
           order by date desc, role""",
        {"id": person_id},
        f"parades?reviewing_official_id={quote(person_id)}",
    )
    for role in roles:
        role["date_text"] = human_date(role["date"])
    posts = _rows(
        conn,
        "select title, since, until from person_posts where person_id = :id "
        "order by since is null, since, id",
        {"id": person_id},
    )
    return {
        "person": person,
        "names": _names(conn, "person_names", "person_id", person_id, person["name"]),
        "posts": posts,
        "roles": roles,
        "roles_total": total,
        "roles_more": more,
        "sources": _sources(conn, "person", person_id),
    }


# A country's page is a way in, not the list itself: it shows the latest of each kind and links
# the table for all of them (600 parades a country at 10,000 entries made it 7 times slower than
# Datasette's own row page)
COUNTRY_LIMIT = 12


def country_page(conn: sqlite3.Connection, code: str) -> Row | None:
    """A country: the parades held there, the contingents it sent, the systems it designed or
    makes, its units and its people."""
    country = _one(conn, "select * from countries where code = :id", {"id": code})
    if country is None:
        return None
    params = {"id": code}
    parades, parades_total, parades_more = _capped(
        conn,
        "select id, name, date, city, kind from parades where country = :id order by date desc",
        params,
        f"parades?country={quote(code)}",
        COUNTRY_LIMIT,
    )
    contingents, contingents_total, contingents_more = _capped(
        conn,
        """select ct.parade_id, p.name as parade_name, p.date, p.city, ct.unit_id,
                  u.name as unit_name, ct.name, ct.personnel, ct.personnel_qualifier
           from contingents ct join parades p on p.id = ct.parade_id
           left join units u on u.id = ct.unit_id
           where ct.country = :id and p.country != :id order by p.date desc, ct.position""",
        params,
        f"contingents?country={quote(code)}",
        COUNTRY_LIMIT,
    )
    systems, systems_total, systems_more = _capped(
        conn,
        """select s.id, s.name, s.category, group_concat(sc.role, ', ') as roles
           from system_countries sc join systems s on s.id = sc.system_id
           where sc.country = :id group by s.id order by s.name""",
        params,
        f"system_countries?country={quote(code)}",
        COUNTRY_LIMIT,
    )
    for row in [*parades, *contingents]:
        row["date_text"] = human_date(row["date"])
    for con in contingents:
        con["personnel_text"] = count_phrase(con["personnel"], con["personnel_qualifier"])
    return {
        "country": country,
        "parades": parades,
        "parades_total": parades_total,
        "parades_more": parades_more,
        "contingents": contingents,
        "contingents_total": contingents_total,
        "contingents_more": contingents_more,
        "systems": systems,
        "systems_total": systems_total,
        "systems_more": systems_more,
        "units": _capped(
            conn,
            "select id, name from units where country = :id order by name",
            params,
            f"units?country={quote(code)}",
            COUNTRY_LIMIT,
        ),
        "people": _capped(
            conn,
            "select id, name from people where country = :id order by name",
            params,
            f"people?country={quote(code)}",
            COUNTRY_LIMIT,
        ),
    }


PAGES = {
    "sources": source_page,
    "units": unit_page,
    "people": person_page,
    "countries": country_page,
}
