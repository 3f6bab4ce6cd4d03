"""Nothing validation accepts is dropped: every field of every kind reaches the database.

The schema is walked for every path a value can take (through mappings, lists and the two forms
of a count). The fixture tests/cases/valid/every-field/ must set each of them (so a new field
fails here until the fixture has it), and after the real build every value it sets must be a
cell of some table, or the build dropped it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paradecat.check.rules.quotations import QUOTES_REQUIRED
from paradecat.check.validate import validate_catalog
from paradecat.db.build import build_database
from paradecat.load.files import load_file
from paradecat.model import ENTRY_MODELS, QUANTITY_FIELDS
from paradecat.model.schema import resolve_ref, schema_for

CASE = Path(__file__).parent / "cases" / "valid" / "every-field"


def schema_paths(schema: dict[str, Any], root: dict[str, Any], path: str = "") -> Iterator[str]:
    """Every path to a scalar that the schema allows: `a.b`, `list[]`, `list[].c`."""
    node = resolve_ref(schema, root)
    branches = node.get("anyOf") or node.get("oneOf")
    if branches:
        for branch in branches:
            yield from schema_paths(branch, root, path)
        return
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, sub in node.get("properties", {}).items():
            yield from schema_paths(sub, root, f"{path}.{name}" if path else name)
    elif kind == "array":
        yield from schema_paths(node.get("items", {}), root, f"{path}[]")
    elif kind != "null":
        yield path


def data_leaves(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, scalar) in a parsed document, in the notation of schema_paths."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from data_leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for item in data:
            yield from data_leaves(item, f"{path}[]")
    else:
        yield path, data


def _documents(kind: str) -> list[Any]:
    folder = CASE / "catalog" / ENTRY_MODELS[kind].folder
    docs = []
    for path in sorted(folder.glob("*.yaml")):
        loaded = load_file(path, str(path))
        assert loaded.document is not None, loaded.problems
        docs.append(loaded.document.data)
    return docs


@pytest.fixture(scope="module")
def cells(tmp_path_factory: pytest.TempPathFactory) -> set[Any]:
    """Every value of every cell of every table the real build writes from the fixture."""
    result = validate_catalog(CASE)
    assert result.ok, [p.message for p in result.problems if p.severity == "error"]
    db = build_database(result.catalog, tmp_path_factory.mktemp("every-field") / "p.db")
    conn = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "select name from sqlite_master where type = 'table' and name not like '%_fts%'"
            )
        ]
        found: set[Any] = set()
        for table in tables:
            for row in conn.execute(f"select * from [{table}]"):
                found.update(row)
    finally:
        conn.close()
    return found


# counts: a bare number has no room for its quotation, so once quotations are required
# (check/rules/quotations.py) a count is always written as a mapping
BARE_COUNTS = {*QUANTITY_FIELDS, "appearances[].count", "contingents[].personnel"}


def _possible(kind: str) -> set[str]:
    """The schema's paths, less those a rule forbids: only a claim on a count takes a qualifier,
    and a count without its quotation is an error once quotations are required."""
    root = schema_for(kind)
    paths = set(schema_paths(root, root))
    if not set(QUANTITY_FIELDS) & set(root.get("properties", {})):
        paths.discard("claims[].qualifier")
    if QUOTES_REQUIRED:
        paths -= BARE_COUNTS
    return paths


@pytest.mark.parametrize("kind", list(ENTRY_MODELS))
def test_the_fixture_sets_every_field_the_schema_allows(kind: str) -> None:
    allowed = _possible(kind)
    given = {path for doc in _documents(kind) for path, _ in data_leaves(doc)}
    assert given <= allowed, f"paths the schema does not have: {sorted(given - allowed)}"
    assert allowed <= given, f"set these in {CASE.name} for {kind}: {sorted(allowed - given)}"


@pytest.mark.parametrize("kind", list(ENTRY_MODELS))
def test_every_value_reaches_the_database(kind: str, cells: set[Any]) -> None:
    missing = []
    for doc in _documents(kind):
        for path, value in data_leaves(doc):
            stored = {value, str(value)} | ({int(value)} if isinstance(value, bool) else set())
            if not stored & cells:
                missing.append(f"{doc['id']}: {path} = {value!r}")
    assert not missing, "validated but not in the database:\n" + "\n".join(missing)


def test_the_walk_finds_what_it_must() -> None:
    """The walk itself: a count's both forms, a list's items, a nested record's fields."""
    root = schema_for("parade")
    paths = set(schema_paths(root, root))
    assert {"personnel", "personnel.value", "personnel.quote", "personnel.note"} <= paths
    assert {"appearances[].count", "appearances[].quotes[].text", "occasions[]"} <= paths
    assert "commander.person" in paths and "contingents[].commander.rank" in paths
