"""metadata.yml describes every table, view and column the build creates."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from paradecat.site.serve import load_metadata

from .conftest import METADATA


def test_every_table_and_column_has_a_description(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    tables = load_metadata(METADATA)["databases"]["paradecat"]["tables"]
    missing = []
    for name in [*db.table_names(), *db.view_names()]:
        if name.endswith("_fts") or "_fts_" in name or name.startswith("sqlite_"):
            continue  # full-text index tables and the planner's statistics, hidden by Datasette
        meta = tables.get(name)
        if not meta or not meta.get("description"):
            missing.append(name)
            continue
        columns = meta.get("columns", {})
        missing += [
            f"{name}.{column}" for column in db[name].columns_dict if not columns.get(column)
        ]
    assert missing == []


def test_metadata_describes_nothing_that_does_not_exist(built_db: Path) -> None:
    db = sqlite_utils.Database(built_db)
    tables = load_metadata(METADATA)["databases"]["paradecat"]["tables"]
    names = {*db.table_names(), *db.view_names()}
    assert set(tables) <= names
    for name, meta in tables.items():
        assert set(meta.get("columns", {})) <= set(db[name].columns_dict), name


def test_site_level_metadata() -> None:
    meta = load_metadata(METADATA)
    for key in ("title", "description_html", "license", "license_url", "source", "source_url"):
        assert meta.get(key), key
