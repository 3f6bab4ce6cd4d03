"""Property-based tests: generated valid catalogues survive validate -> build -> SQLite unchanged,
and randomly mutated files never make the pipeline raise, only report located problems.

The strategies follow the models: enums, CLASS_CATEGORY, the count bounds and the id, date,
country and language forms come from paradecat.models, so a new enum member is generated too.
Files are written as YAML by hand, every string double-quoted, so the test does not depend on
a YAML writer's idea of which strings need quotes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paradecat.check.validate import validate_catalog
from paradecat.db.build import build_database
from paradecat.model import (
    CLASS_CATEGORY,
    MAX_COUNT,
    EventKind,
    Identification,
    Qualifier,
    Rank,
    Segment,
)

FULL_PARADE = Path(__file__).parent / "cases" / "valid" / "full-parade"
FOLDERS = {"source": "sources", "system": "systems", "unit": "units", "parade": "parades"}
# `make test` runs a bounded number of examples; PARADECAT_EXAMPLES=5000 runs a long search
EXAMPLES = int(os.environ.get("PARADECAT_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a build takes 50-150 ms, and a cold first one more
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies -------------------------------------------------------------------------------

# printable text, without the characters libyaml (a YAML 1.1 reader) takes as line breaks
TEXT_CHARS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\x85\u2028\u2029\ufeff",
)
short_text = st.text(TEXT_CHARS, min_size=1, max_size=30)
long_text = st.text(TEXT_CHARS, min_size=1, max_size=200)
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
countries = st.sampled_from(sorted(c.alpha_2 for c in pycountry.countries))
langs = st.sampled_from(["en", "ru", "kk", "kk-Latn", "kk-Cyrl", "uz-Latn", "de", "zh", "ar"])
dates = st.dates(min_value=__import__("datetime").date(1900, 1, 1)).map(lambda d: d.isoformat())
partial_dates = st.one_of(dates, dates.map(lambda d: d[:7]), dates.map(lambda d: d[:4]))
counts = st.integers(min_value=0, max_value=MAX_COUNT)
urls = slug.map(lambda s: f"https://example.org/{s}")
wikidata = st.integers(min_value=1, max_value=10**9).map(lambda n: f"Q{n}")


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value or None (None means the key is left out)."""
    return st.one_of(st.none(), strategy)


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    """A mapping without the keys whose value is None."""
    return {k: v for k, v in data.items() if v is not None}


def names(avoid: tuple[str, str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Names in other languages, unique by (name, lang) and different from avoid."""
    name = st.fixed_dictionaries({"name": short_text, "lang": langs, "note": optional(long_text)})
    return st.lists(
        name.map(drop_none), max_size=2, unique_by=lambda n: (n["name"], n["lang"])
    ).filter(lambda ns: all((n["name"], n["lang"]) != avoid for n in ns))


def quantity(sources: list[str], qualifiers: list[Qualifier]) -> st.SearchStrategy[Any]:
    """A bare count, or {value, qualifier, source}."""
    qualified = st.fixed_dictionaries(
        {
            "value": counts,
            "qualifier": st.sampled_from([q.value for q in qualifiers]),
            "source": optional(st.sampled_from(sources)),
        }
    ).map(drop_none)
    bare = counts if Qualifier.exact in qualifiers else st.nothing()
    return st.one_of(bare, qualified)


@st.composite
def person(draw: st.DrawFn, sources: list[str]) -> dict[str, Any]:
    """A commander or reviewing official without an entry in catalog/people/."""
    name = draw(short_text)
    return drop_none(
        {
            "name": name,
            "rank": draw(optional(short_text)),
            "source": draw(optional(st.sampled_from(sources))),
        }
    )


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A valid catalogue: sources, systems, units and parades whose references all resolve."""
    source_ids = draw(st.lists(slug, min_size=1, max_size=3, unique=True))
    sources = [
        drop_none(
            {
                "id": sid,
                "url": draw(urls),
                "title": draw(short_text),
                "publisher": draw(short_text),
                "author": draw(optional(short_text)),
                "published": draw(partial_dates),
                "language": draw(langs),
                "archive_url": draw(optional(urls)),
                "accessed": draw(optional(dates)),
                "notes": draw(optional(long_text)),
            }
        )
        for sid in source_ids
    ]
    cite = st.sampled_from(source_ids)
    systems: list[dict[str, Any]] = []
    for sid in draw(st.lists(slug, min_size=1, max_size=3, unique=True)):
        cls = draw(st.sampled_from(sorted(CLASS_CATEGORY)))
        name = draw(short_text)
        parent = draw(optional(st.sampled_from([s["id"] for s in systems]))) if systems else None
        based_on = None
        if parent or draw(st.booleans()):
            based_on = drop_none(
                {"name": draw(short_text), "system": parent, "source": draw(optional(cite))}
            )
        claims = None
        if draw(st.booleans()):
            rank = draw(st.sampled_from(list(Rank)))
            claimed = name + " (as reported)"
            claims = [
                drop_none(
                    {
                        "field": "name",
                        "value": claimed,
                        "rank": rank.value,
                        "source": draw(cite),
                        "note": draw(long_text) if rank is Rank.deprecated else None,
                    }
                )
            ]
        systems.append(
            drop_none(
                {
                    "id": sid,
                    "name": name,
                    "names": draw(names((name, "en"))) or None,
                    "category": CLASS_CATEGORY[cls].value,
                    "class": cls.value,
                    "manufacturer": draw(optional(short_text)),
                    "origin": draw(st.lists(countries, max_size=2, unique=True)) or None,
                    "produced_in": draw(st.lists(countries, max_size=2, unique=True)) or None,
                    "based_on": based_on,
                    "wikidata": draw(optional(wikidata)),
                    "description": draw(optional(long_text)),
                    "sources": [draw(cite)],
                    "claims": claims,
                    "notes": draw(optional(long_text)),
                }
            )
        )
    units = []
    for uid in draw(st.lists(slug, max_size=2, unique=True)):
        name = draw(short_text)
        units.append(
            drop_none(
                {
                    "id": uid,
                    "name": name,
                    "names": draw(names((name, "en"))) or None,
                    "country": draw(countries),
                    "branch": draw(optional(short_text)),
                    "honorific": draw(optional(short_text)),
                    "home_base": draw(optional(short_text)),
                    "wikidata": draw(optional(wikidata)),
                    "sources": [draw(cite)],
                }
            )
        )
    parades = []
    for pid in draw(st.lists(slug, max_size=2, unique=True)):
        parade_source = draw(cite)
        appearances = []
        for _ in range(draw(st.integers(0, 3))):
            identification = draw(st.sampled_from(list(Identification)))
            appearances.append(
                drop_none(
                    {
                        "system": draw(st.sampled_from([s["id"] for s in systems])),
                        "reported_as": draw(short_text),
                        "segment": draw(st.sampled_from(list(Segment))).value,
                        "identification": identification.value,
                        "count": draw(optional(quantity(source_ids, list(Qualifier)))),
                        "first_showing": draw(optional(st.booleans())),
                        "note": draw(long_text)
                        if identification is Identification.disputed
                        else draw(optional(long_text)),
                    }
                )
            )
        contingents = []
        for _ in range(draw(st.integers(0, 2))):
            unit = draw(optional(st.sampled_from(units))) if units else None
            contingents.append(
                drop_none(
                    {
                        "country": unit["country"] if unit else draw(countries),
                        "unit": unit["id"] if unit else None,
                        "name": draw(optional(short_text)),
                        "personnel": draw(optional(counts)),
                        "commander": draw(optional(person(source_ids))),
                        "note": draw(optional(long_text)),
                    }
                )
            )
        coordinates = draw(
            optional(
                st.fixed_dictionaries(
                    {
                        "latitude": st.floats(-90, 90, allow_nan=False),
                        "longitude": st.floats(-180, 180, allow_nan=False),
                    }
                )
            )
        )
        # no upper bound on the total, so any contingents fit it
        unbounded = [Qualifier.over, Qualifier.about, Qualifier.at_least]
        parades.append(
            drop_none(
                {
                    "id": pid,
                    "name": draw(short_text),
                    "kind": draw(st.sampled_from(list(EventKind))).value,
                    "date": draw(dates),
                    "city": draw(short_text),
                    "country": draw(countries),
                    "venue": draw(optional(short_text)),
                    "coordinates": coordinates,
                    "occasions": draw(st.lists(short_text, max_size=2, unique=True)) or None,
                    "reviewing_official": draw(optional(person(source_ids))),
                    "commander": draw(optional(person(source_ids))),
                    "personnel": draw(optional(quantity(source_ids, unbounded))),
                    "equipment_units": draw(optional(quantity(source_ids, list(Qualifier)))),
                    "aircraft": draw(optional(quantity(source_ids, list(Qualifier)))),
                    "formations": draw(optional(quantity(source_ids, list(Qualifier)))),
                    "appearances": appearances or None,
                    "contingents": contingents or None,
                    "sources": [parade_source],
                }
            )
        )
    agree_on_first_showings(parades)
    return {"source": sources, "system": systems, "unit": units, "parade": parades}


def agree_on_first_showings(parades: list[dict[str, Any]]) -> None:
    """Keep first_showing: true only at each system's earliest parade (the rules reject the rest)."""
    earliest: dict[str, tuple[str, str]] = {}
    for parade in sorted(parades, key=lambda p: (p["date"], p["id"])):
        for app in parade.get("appearances", []):
            first = earliest.setdefault(app["system"], (parade["date"], parade["id"]))
            if app.get("first_showing") and first != (parade["date"], parade["id"]):
                app["first_showing"] = False


# --- writing YAML -----------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """A scalar as YAML: strings double-quoted (JSON escapes are YAML escapes), numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def to_yaml(value: Any, indent: str = "") -> str:
    """Block-style YAML for plain data."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                out.append(f"{indent}{key}:\n{to_yaml(item, indent + '  ')}")
            else:
                out.append(f"{indent}{key}: {scalar(item)}\n")
        return "".join(out)
    out = []
    for item in value:
        if isinstance(item, (dict, list)):
            text = to_yaml(item, indent + "  ")
            out.append(f"{indent}- {text[len(indent) + 2 :]}")
        else:
            out.append(f"{indent}- {scalar(item)}\n")
    return "".join(out)


def write_catalogue(root: Path, catalogue: dict[str, list[dict[str, Any]]]) -> None:
    """One file per entry under root/catalog/, with the schema modeline."""
    for kind, entries in catalogue.items():
        folder = root / "catalog" / FOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        for entry in entries:
            modeline = f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"
            (folder / f"{entry['id']}.yaml").write_text(modeline + to_yaml(entry), "utf-8")


# --- reading back -----------------------------------------------------------------------------


def rows(db: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Query results as dicts."""
    cursor = db.execute(sql, args)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def split_quantity(value: Any) -> tuple[Any, Any]:
    """(number, qualifier) as the database holds a count."""
    if value is None:
        return None, None
    if isinstance(value, int):
        return value, "exact"
    return value["value"], value.get("qualifier", "exact")


def pick(entry: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The named fields of an entry, None where absent."""
    return {key: entry.get(key) for key in keys}


def assert_round_trip(db: sqlite3.Connection, catalogue: dict[str, list[dict[str, Any]]]) -> None:
    """Every field of every generated entry is in the database as it was written."""

    def one(sql: str, *args: Any) -> dict[str, Any]:
        return rows(db, sql, *args)[0]

    for source in catalogue["source"]:
        keys = ("id", "url", "title", "publisher", "author", "published", "language")
        keys += ("archive_url", "accessed", "notes")
        got = one(f"select {', '.join(keys)} from sources where id = ?", source["id"])
        assert got == pick(source, *keys)
    for system in catalogue["system"]:
        got = one("select * from systems where id = ?", system["id"])
        based_on = system.get("based_on") or {}
        expected = pick(system, "id", "name", "category", "class", "manufacturer", "wikidata")
        expected |= pick(system, "description", "notes")
        expected |= {"based_on": based_on.get("name"), "based_on_system_id": based_on.get("system")}
        assert {k: got[k] for k in expected} == expected
        got_names = rows(
            db, "select name, lang, note from system_names where system_id = ?", system["id"]
        )
        want = [{"name": system["name"], "lang": "en", "note": None}]
        want += [pick(n, "name", "lang", "note") for n in system.get("names", [])]
        assert sorted(got_names, key=repr) == sorted(want, key=repr)
        got_countries = rows(
            db, "select country, role from system_countries where system_id = ?", system["id"]
        )
        want_countries = [{"country": c, "role": "origin"} for c in system.get("origin", [])]
        want_countries += [
            {"country": c, "role": "production"} for c in system.get("produced_in", [])
        ]
        assert sorted(got_countries, key=repr) == sorted(want_countries, key=repr)
        got_claims = rows(
            db,
            "select field, value, rank, source_id as source, note from claims"
            " where entity_type = 'system' and entity_id = ? order by id",
            system["id"],
        )
        want_claims = [
            {"rank": "normal", "note": None}
            | pick(c, "field", "value", "source")
            | ({"rank": c["rank"]} if "rank" in c else {})
            | ({"note": c["note"]} if "note" in c else {})
            for c in system.get("claims", [])
        ]
        assert got_claims == want_claims
    for unit in catalogue["unit"]:
        keys = ("id", "name", "country", "branch", "honorific", "home_base", "wikidata")
        got = one(f"select {', '.join(keys)} from units where id = ?", unit["id"])
        assert got == pick(unit, *keys)
    for parade in catalogue["parade"]:
        got = one("select * from parades where id = ?", parade["id"])
        expected = pick(parade, "id", "name", "kind", "date", "city", "country", "venue")
        coordinates = parade.get("coordinates") or {}
        expected |= {"latitude": coordinates.get("latitude")}
        expected |= {"longitude": coordinates.get("longitude")}
        for field in ("personnel", "equipment_units", "aircraft", "formations"):
            number, qualifier = split_quantity(parade.get(field))
            expected |= {field: number, f"{field}_qualifier": qualifier}
        for role in ("reviewing_official", "commander"):
            person = parade.get(role) or {}
            expected |= {role: person.get("name"), f"{role}_rank": person.get("rank")}
        assert {k: got[k] for k in expected} == expected
        occasions = rows(
            db, "select occasion from parade_occasions where parade_id = ?", parade["id"]
        )
        assert sorted(o["occasion"] for o in occasions) == sorted(parade.get("occasions", []))
        got_apps = rows(
            db,
            "select system_id, reported_as, count, count_qualifier, segment, first_showing,"
            " identification, note from appearances where parade_id = ? order by position",
            parade["id"],
        )
        want_apps = []
        for app in parade.get("appearances", []):
            number, qualifier = split_quantity(app.get("count"))
            showing = app.get("first_showing")
            want_apps.append(
                {"system_id": app["system"], "reported_as": app["reported_as"]}
                | {"count": number, "count_qualifier": qualifier, "segment": app["segment"]}
                | {"first_showing": None if showing is None else int(showing)}
                | pick(app, "identification", "note")
            )
        assert got_apps == want_apps
        got_cons = rows(
            db,
            "select country, unit_id, name, personnel, personnel_qualifier, commander,"
            " commander_rank, note from contingents where parade_id = ? order by position",
            parade["id"],
        )
        want_cons = []
        for con in parade.get("contingents", []):
            number, qualifier = split_quantity(con.get("personnel"))
            commander = con.get("commander") or {}
            want_cons.append(
                pick(con, "country")
                | {"unit_id": con.get("unit"), "name": con.get("name")}
                | {"personnel": number, "personnel_qualifier": qualifier}
                | {"commander": commander.get("name"), "commander_rank": commander.get("rank")}
                | pick(con, "note")
            )
        assert got_cons == want_cons
    for kind, entries in catalogue.items():
        for entry in entries:
            cited = rows(
                db,
                "select source_id from citations where entity_type = ? and entity_id = ?"
                " and field is null",
                kind,
                entry["id"],
            )
            assert sorted(c["source_id"] for c in cited) == sorted(entry.get("sources", []))


# --- the properties ---------------------------------------------------------------------------


def _quoted(count: Any, source: str) -> dict[str, Any]:
    """A count with a quotation that gives its own number (so no passage serves two numbers)."""
    mapping = {"value": count} if isinstance(count, int) else dict(count)
    return mapping | {"source": mapping.get("source", source), "quote": f"{mapping['value']} shown"}


def with_quotations(catalogue: dict[str, list[dict[str, Any]]]) -> None:
    """Give every count, appearance and claim the quotation the catalogue requires."""
    for parade in catalogue["parade"]:
        first = parade["sources"][0]
        for field in ("personnel", "equipment_units", "aircraft", "formations"):
            if parade.get(field) is not None:
                parade[field] = _quoted(parade[field], first)
        for app in parade.get("appearances", []):
            source = (app.get("sources") or parade["sources"])[0]
            app["quotes"] = [{"source": source, "text": f"the {app['system']} passed"}]
            if app.get("count") is not None:
                app["count"] = _quoted(app["count"], source)
        for con in parade.get("contingents", []):
            if con.get("personnel") is not None:
                con["personnel"] = _quoted(con["personnel"], (con.get("sources") or [first])[0])
    for kind in ("system", "parade"):
        for entry in catalogue[kind]:
            for claim in entry.get("claims", []):
                claim.setdefault("quote", f"{claim['field']}: {claim['value']}")


@SETTINGS
@given(catalogues())
def test_valid_entries_validate_build_and_read_back_unchanged(
    catalogue: dict[str, list[dict[str, Any]]],
) -> None:
    with_quotations(catalogue)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        write_catalogue(root, catalogue)
        result = validate_catalog(root)
        errors = [p for p in result.problems if p.severity == "error"]
        assert not errors, errors
        db_path = build_database(result.catalog, root / "paradecat.db")
        with sqlite3.connect(db_path) as db:
            assert_round_trip(db, catalogue)
            assert db.execute("pragma integrity_check").fetchone() == ("ok",)


# characters that mean something to YAML, line breaks libyaml treats specially, and bytes from
# the other end of Unicode
YAML_NOISE = [*":-?[]{},&*!|>'\"%@`#\t\n\r \\", "\x85", "\u2028", "\ufeff", "\x00", "é", "😀"]
SEEDS = sorted((FULL_PARADE / "catalog").rglob("*.yaml"))


def _delete(text: str, at: int, size: int, _: str) -> str:
    return text[:at] + text[at + size :]


def _insert(text: str, at: int, _: int, noise: str) -> str:
    return text[:at] + noise + text[at:]


def _replace(text: str, at: int, size: int, noise: str) -> str:
    return text[:at] + noise + text[at + size :]


def _duplicate_line(text: str, at: int, _: int, __: str) -> str:
    lines = text.splitlines(keepends=True)
    i = at % max(1, len(lines))
    return "".join(lines[: i + 1] + lines[i : i + 1] + lines[i + 1 :])


def _indent_line(text: str, at: int, size: int, _: str) -> str:
    lines = text.splitlines(keepends=True) or [""]
    i = at % len(lines)
    lines[i] = " " * (size % 5) + lines[i].lstrip(" ")
    return "".join(lines)


def _truncate(text: str, at: int, _: int, __: str) -> str:
    return text[:at]


MUTATIONS: list[Callable[[str, int, int, str], str]] = [
    _delete,
    _insert,
    _replace,
    _duplicate_line,
    _indent_line,
    _truncate,
]

mutation = st.tuples(
    st.sampled_from(MUTATIONS),
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=40),
    st.text(st.sampled_from(YAML_NOISE), min_size=1, max_size=6),
)


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_files_give_located_problems_never_exceptions(
    seed: Path, mutations: list[tuple[Callable[[str, int, int, str], str], int, int, str]]
) -> None:
    text = seed.read_text(encoding="utf-8")
    for mutate, at, size, noise in mutations:
        text = mutate(text, at % (len(text) + 1), size, noise)
    assume(text != seed.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        shutil.copytree(FULL_PARADE / "catalog", root / "catalog")
        target = root / seed.relative_to(FULL_PARADE)
        target.write_text(text, encoding="utf-8")
        result = validate_catalog(root)  # must not raise
        breaks = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
        for problem in result.problems:
            assert problem.path and problem.code and problem.message
            assert problem.line >= 1 and problem.column >= 1, problem
            if Path(problem.path).resolve() == target.resolve():
                # a problem in the mutated file lies within it (other files may warn too)
                assert problem.line <= breaks, problem
        if result.ok:
            # whatever still validates must build
            build_database(result.catalog, root / "paradecat.db")
