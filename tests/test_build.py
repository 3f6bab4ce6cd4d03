"""The build: every contract table and column, declared foreign keys, FTS, views, atomicity."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlite_utils

from paradecat.catalog import Catalog
from paradecat.db.build import TABLES, VIEWS, BuildError, build_database

# The database contract from DESIGN.md: analysts' SQL depends on these names.
CONTRACT = {
    "systems": ["id", "name", "category", "class", "manufacturer", "wikidata"],
    "system_names": ["system_id", "name", "lang"],
    "parades": [
        "id",
        "name",
        "kind",
        "date",
        "city",
        "country",
        "personnel",
        "personnel_qualifier",
        "equipment_units",
        "equipment_units_qualifier",
        "aircraft",
        "aircraft_qualifier",
        "latitude",
        "longitude",
    ],
    "appearances": [
        "parade_id",
        "system_id",
        "reported_as",
        "count",
        "count_qualifier",
        "segment",
        "first_showing",
        "identification",
    ],
    "contingents": [
        "parade_id",
        "country",
        "unit_id",
        "personnel",
        "personnel_qualifier",
        "commander",
    ],
    "units": ["id", "name", "country"],
    "sources": ["id", "url", "title", "publisher", "published"],
    "citations": ["entity_type", "entity_id", "field", "source_id"],
    "claims": ["entity_type", "entity_id", "field", "value", "rank", "source_id"],
    "countries": ["code", "name"],
}
CONTRACT_FKS = {
    ("system_names", "system_id", "systems", "id"),
    ("parades", "country", "countries", "code"),
    ("appearances", "parade_id", "parades", "id"),
    ("appearances", "system_id", "systems", "id"),
    ("contingents", "parade_id", "parades", "id"),
    ("contingents", "country", "countries", "code"),
    ("contingents", "unit_id", "units", "id"),
    ("units", "country", "countries", "code"),
    ("citations", "source_id", "sources", "id"),
    ("claims", "source_id", "sources", "id"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_contract_table_and_column(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    for table, columns in CONTRACT.items():
        assert table in db.table_names()
        assert set(columns) <= set(db[table].columns_dict), table


def test_primary_keys(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    for table in ("systems", "parades", "units", "sources"):
        assert db[table].pks == ["id"]
    assert db["countries"].pks == ["code"]


def test_foreign_keys_are_declared_and_indexed(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    declared = {
        (fk.table, fk.column, fk.other_table, fk.other_column)
        for name in TABLES
        for fk in db[name].foreign_keys
    }
    assert declared >= CONTRACT_FKS
    for table, column, _, _ in CONTRACT_FKS:
        indexed = {tuple(index.columns) for index in db[table].indexes}
        pk = tuple(db[table].pks)
        assert (column,) in indexed or pk[:1] == (column,), (table, column)
    assert list(db.execute("PRAGMA foreign_key_check")) == []


def test_views_and_fts(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    assert set(VIEWS) <= set(db.view_names())
    assert db["systems"].detect_fts() == "systems_fts"
    assert db["parades"].detect_fts() == "parades_fts"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Барыс", "barys"), ("Barys", "barys"), ("Tor", "tor-m2k"), ("Тор", "tor-m2k")],
)
def test_full_text_search_finds_a_system_by_any_name(
    built_db: Path, query: str, expected: str
) -> None:
    db = sqlite_utils.Database(built_db)
    ids = [row["id"] for row in db["systems"].search(query)]
    assert expected in ids


def test_every_system_and_parade_has_a_citation(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    for table, kind in (("systems", "system"), ("parades", "parade")):
        uncited = list(
            db.query(
                f"select id from {table} where id not in "
                "(select entity_id from citations where entity_type = ?)",
                [kind],
            )
        )
        assert uncited == [], (table, uncited)


def test_rows_match_the_catalogue(built_db: Path, catalog: Catalog) -> None:
    db = sqlite_utils.Database(built_db)
    assert db["systems"].count == len(catalog.systems)
    assert db["parades"].count == len(catalog.parades)
    assert db["appearances"].count == sum(len(p.appearances) for p in catalog.parades.values())
    assert db["claims"].count == sum(len(e.claims) for _, e in catalog.entries())


def test_build_replaces_the_database_atomically(catalog: Catalog, tmp_path: Path) -> None:
    target = tmp_path / "paradecat.db"
    build_database(catalog, target)
    first = digest(target)
    build_database(catalog, target)
    assert digest(target) == first  # deterministic
    assert [p.name for p in tmp_path.iterdir()] == ["paradecat.db"]  # no temporary left behind


def test_failed_build_leaves_the_previous_database_untouched(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "paradecat.db"
    build_database(catalog, target)
    before = digest(target)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("paradecat.db.build.write_database", disk_full)
    with pytest.raises(BuildError, match="No space left"):
        build_database(catalog, target)
    assert digest(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["paradecat.db"]


def test_missing_folder_is_a_clear_error(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="cannot write"):
        build_database(catalog, tmp_path / "no-such-folder" / "paradecat.db")
