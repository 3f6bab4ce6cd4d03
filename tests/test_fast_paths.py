"""The fast paths of issue 6 give exactly what the slower paths they stand in for give.

Reading without positions, jsonschema-rs before python-jsonschema, the date check, two processes,
the reference plan, shared field sets and rows written in batches: each is checked against
the straightforward way on the case folders, the catalogue and a generated catalogue.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from jsonschema import FormatChecker

from paradecat.check.fastschema import date_conforms, fast_valid
from paradecat.check.rules import raw_references
from paradecat.check.schemaerrors import _validator, schema_problems
from paradecat.check.validate import validate_catalog
from paradecat.db.build import build_database, catalog_row_batches, catalog_rows, write_database
from paradecat.load import files as loader
from paradecat.load import reading
from paradecat.load.files import load_file, load_text
from paradecat.model import ENTRY_MODELS, FOLDER_KINDS, REF_KEYWORD, claimable_fields
from paradecat.model.schema import resolve_ref, schema_for
from paradecat.problems import pointer_join

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

YAML_FILES = [
    path
    for path in sorted((REPO / "tests" / "cases").rglob("*.yaml"))
    + sorted((REPO / "catalog").rglob("*.yaml"))
    if path.is_file() and not path.is_symlink()
]
SNIPPETS = [
    "a: 1\nb: +5\nc: -0\nd: 0x1F\ne: 0o17\nf: 0012\n",
    "a: 1.5\nb: 1.\nc: .5\nd: 1e3\ne: -2.5E-3\nf: .inf\ng: -.Inf\nh: .nan\ni: 1e999\n",
    "a: true\nb: True\nc: TRUE\nd: false\ne: yes\nf: on\ng: NO\n",
    "a: null\nb: ~\nc:\nd: Null\ne: NULL\n",
    "a: 2025-05-07\nb: '2025-05-07'\nc: 12:30\n",
    "a: 1\na: 2\nb: [1, 2]\n",
    "1: one\ntrue: yes\nnull: nothing\nkey: value\n",
    "? [a, b]\n: value\nc: d\n",
    "a/b: 1\nc~d: 2\nlist: [x, {y/z: 3}]\n",
    "a: !!str 5\n",
    "a: !custom x\n",
    "a: !!python/object/apply:os.system [ls]\n",
    "a: " + "1" * 40 + "\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "a: [[[[[[[[[[1]]]]]]]]]]\n",
    "a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 70)),
    "names:\n  - name: Барыс\n    lang: kk\n  - name: 'Тор-М2К'\n    lang: ru\n",
    "a: 'unclosed\n",
    "a: b: c\n",
]


def _texts() -> Iterator[tuple[str, str]]:
    for path in YAML_FILES:
        raw = path.read_bytes()
        try:
            yield str(path.relative_to(REPO)), raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    for i, text in enumerate(SNIPPETS):
        yield f"snippet-{i}", text


TEXTS = list(_texts())


def _with_builder_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def unusual(node: Any, depth: int) -> Any:
        raise loader._Unusual

    monkeypatch.setattr(loader, "_plain", unusual)


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[name for name, _ in TEXTS])
def test_reading_without_positions_gives_what_the_builder_gives(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_text(name, text)
    with monkeypatch.context() as patch:
        _with_builder_only(patch)
        slow = load_text(name, text)
    assert fast.problems == slow.problems
    assert (fast.document is None) == (slow.document is None)
    if fast.document and slow.document:
        assert fast.document.data == slow.document.data
        assert fast.document.first_line == slow.document.first_line
        assert fast.document.values == slow.document.values
        assert fast.document.keys == slow.document.keys


def test_positions_are_read_again_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = REPO / "catalog" / "parades" / "2025-05-07-astana.yaml"
    path = tmp_path / "entry.yaml"
    path.write_bytes(source.read_bytes())
    document = load_file(path, "entry.yaml").document
    with monkeypatch.context() as patch:
        _with_builder_only(patch)
        eager = load_file(path, "entry.yaml").document
    assert document is not None and eager is not None
    assert document.values == eager.values and document.keys == eager.keys
    assert document.locate("/appearances/1/system") == eager.locate("/appearances/1/system")

    # a file changed after it was read is not located at all, rather than located wrongly
    changed = load_file(path, "entry.yaml").document
    path.write_text("# changed\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert changed is not None
    assert changed.locate("/appearances/1/system") == (1, 1)


# --- jsonschema-rs stands in for python-jsonschema on files it accepts ---------------------


def _python_accepts(data: Any, kind: str) -> bool:
    return not any(True for _ in _validator(kind).iter_errors(data))


def _entry_files() -> Iterator[tuple[Path, str]]:
    """Entry files that parse as YAML (the rest never reach the schema stage)."""
    for path in YAML_FILES:
        kind = FOLDER_KINDS.get(path.parent.name)
        if kind and path.parent.parent.name == "catalog" and load_file(path, path.name).document:
            yield path, kind


ENTRY_FILES = list(_entry_files())


@pytest.mark.parametrize(
    ("path", "kind"), ENTRY_FILES, ids=[str(p.relative_to(REPO)) for p, _ in ENTRY_FILES]
)
def test_schema_problems_are_python_jsonschemas(
    path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load_file(path, path.name).document
    assert document is not None
    if fast_valid(document.data, kind):
        assert _python_accepts(document.data, kind)
    fast = schema_problems(document, kind)
    monkeypatch.setattr("paradecat.check.schemaerrors.fast_valid", lambda data, kind: False)
    assert schema_problems(document, kind) == fast


NASTY: list[Any] = [
    "",
    " ",
    "x\n",
    "tor-m2k\n",
    "KZ\n",
    "ＫＺ",
    "\x1c",
    "a\x85b",
    "\ufeff",
    "https://a.example/\x1c",
    "https://a.example/\x85",
    "https://a.example/ x",
    "https://a.example/x\n",
    "0000-01-01",
    "2025-02-29",
    "2024-02-29",
    "2025-13-01",
    "2025-05-07\n",
    "Q0",
    "Q12",
    "kk-Latn",
    "kk-latn",
    "x" * 301,
    "x" * 5001,
    1.0,
    5.5,
    -0.0,
    -1,
    0,
    10_000_000,
    10_000_001,
    10**30,
    True,
    None,
    [],
    {},
    {"value": 5},
    {"value": 5, "qualifier": "about", "extra": 1},
]


def _leaves(data: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, pointer_join(pointer, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, pointer_join(pointer, i))
    yield pointer, data


def _replaced(data: Any, pointer: str, value: Any) -> Any:
    if not pointer:
        return value
    out = copy.deepcopy(data)
    *parents, last = pointer.split("/")[1:]
    target = out
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return out


@pytest.mark.parametrize("folder", ["sources", "systems", "units", "parades"])
def test_jsonschema_rs_never_accepts_what_python_jsonschema_rejects(folder: str) -> None:
    path = sorted(
        (REPO / "tests" / "cases" / "valid" / "full-parade" / "catalog" / folder).glob("*.yaml")
    )[0]
    kind = FOLDER_KINDS[folder]
    document = load_file(path, path.name).document
    assert document is not None
    checked = 0
    for pointer, _ in _leaves(document.data):
        for value in NASTY:
            data = _replaced(document.data, pointer, value)
            if fast_valid(data, kind):
                checked += 1
                assert _python_accepts(data, kind), (pointer, value)
    assert checked > 0


def test_whitespace_in_a_url_is_rejected_by_both() -> None:
    base = {
        "id": "a",
        "url": "",
        "title": "t",
        "publisher": "p",
        "published": "2025",
        "language": "en",
    }
    spaces = [chr(c) for c in range(0x3001) if re.fullmatch(r"\s", chr(c))]
    for char in spaces:
        data = {**base, "url": f"https://a.example/x{char}y"}
        assert not _python_accepts(data, "source"), repr(char)
        assert not fast_valid(data, "source"), repr(char)


DATES = [
    "2025-05-07",
    "2025-02-29",
    "2024-02-29",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025-1-01",
    "２０２５-01-01",
    "١٢٣٤-01-01",
    "2025-01-01\n",
    "2025-13-01",
    "2025-00-10",
    "2025-04-31",
    "20250101",
    "2025-05-07T00:00",
    "+2025-05-07",
    " 2025-05-07",
    "2025-W01-1",
    "",
]


@pytest.mark.parametrize("value", DATES)
def test_the_date_check_is_python_jsonschemas(value: str) -> None:
    assert date_conforms(value) == FormatChecker(formats=["date"]).conforms(value, "date")


# --- references, walked from a plan --------------------------------------------------------


def _walk(
    data: Any, schema: dict[str, Any], root: dict[str, Any], pointer: str = ""
) -> Iterator[tuple[str, str, str]]:
    """raw_references as first written: every node, against the whole schema."""
    schema = resolve_ref(schema, root)
    target = schema.get(REF_KEYWORD)
    if target and isinstance(data, str):
        yield pointer, target, data
    elif isinstance(data, dict):
        props = schema.get("properties", {})
        for key, value in data.items():
            if key in props:
                yield from _walk(value, props[key], root, pointer_join(pointer, key))
        for branch in schema.get("anyOf", []):
            if resolve_ref(branch, root).get("type") == "object":
                yield from _walk(data, branch, root, pointer)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(data):
            yield from _walk(item, schema["items"], root, pointer_join(pointer, i))


def test_references_are_those_of_the_whole_walk() -> None:
    compared = 0
    for _, text in TEXTS:
        document = load_text("x.yaml", text).document
        if document is None:
            continue
        for kind in ENTRY_MODELS:
            root = schema_for(kind)
            assert list(raw_references(document.data, root, root)) == list(
                _walk(document.data, root, root)
            )
            compared += 1
    assert compared > 100


# --- a large catalogue: generated, read by two processes, built in batches ------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated catalogue, with some broken files among the valid ones."""
    root = tmp_path_factory.mktemp("generated")
    generate(400, root, seed=3)
    systems = root / "catalog" / "systems"
    first = sorted(systems.glob("*.yaml"))[0]
    (systems / "zz-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (systems / "zz-wrong.yaml").write_text(
        first.read_text(encoding="utf-8").replace("category:", "category: tanks\nold_category:"),
        encoding="utf-8",
    )
    (systems / "zz-copy.yaml").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_the_benchmark_catalogue_is_valid_and_builds(tmp_path: Path) -> None:
    generate(300, tmp_path, seed=5)
    result = validate_catalog(tmp_path)
    assert result.problems == []
    systems = result.catalog.systems
    # the two patterns that once failed the build: a system based on one whose id sorts after
    # its own, and one person reviewing several parades
    assert any(
        s.based_on and s.based_on.system and s.based_on.system > s.id for s in systems.values()
    )
    officials = [
        p.reviewing_official.name for p in result.catalog.parades.values() if p.reviewing_official
    ]
    assert len(officials) > len(set(officials))
    build_database(result.catalog, tmp_path / "paradecat.db")


@pytest.mark.skipif(sys.platform != "linux", reason="a second process is used on Linux only")
def test_two_processes_give_what_one_gives(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(reading, "_CHUNK", 7)
    monkeypatch.setenv("PARADECAT_PROCESSES", "1")
    one = validate_catalog(generated)
    monkeypatch.setenv("PARADECAT_PROCESSES", "2")
    two = validate_catalog(generated)
    assert one.problems and two.problems == one.problems
    assert two.files == one.files
    assert [(k, d.path, d.data) for k, d in two.catalog.loaded] == [
        (k, d.path, d.data) for k, d in one.catalog.loaded
    ]
    assert list(two.catalog.entries()) == list(one.catalog.entries())
    assert two.catalog.known_ids == one.catalog.known_ids


def test_rows_written_in_batches_are_the_rows_written_at_once(
    generated: Path, tmp_path: Path
) -> None:
    catalog = validate_catalog(generated).catalog
    dumps = []
    for name, batches in (
        ("once", catalog_rows(catalog).items()),
        ("batches", catalog_row_batches(catalog, size=50)),
    ):
        db = sqlite_utils.Database(tmp_path / f"{name}.db")
        write_database(db, batches)
        db.conn.commit()
        dumps.append(list(sqlite3.connect(tmp_path / f"{name}.db").iterdump()))
    assert dumps[0] == dumps[1]


def test_models_share_their_field_sets_and_stay_the_same(generated: Path) -> None:
    result = validate_catalog(generated)
    entries = list(result.catalog.entries())
    for kind, entry in entries:
        fresh = ENTRY_MODELS[kind].model_validate(result.catalog.document(kind, entry.id).data)
        assert entry == fresh
        assert entry.model_fields_set == fresh.model_fields_set
        assert entry.model_dump(exclude_unset=True) == fresh.model_dump(exclude_unset=True)
    kind, entry = entries[0]
    changed = entry.model_copy(update={"notes": "changed"})
    assert changed.notes == "changed" and "notes" in changed.model_fields_set
    assert "notes" not in entries[1][1].model_fields_set or entries[1][1].notes is not None
    with pytest.raises(TypeError, match="read-only"):
        entry.notes = "changed"


def test_a_claimed_value_is_judged_as_python_jsonschema_judges_it() -> None:
    """claim-value-type asks jsonschema-rs first and python-jsonschema only when it says no."""
    from jsonschema import Draft202012Validator

    from paradecat.check.rules import claims

    judged = 0
    for kind, model in ENTRY_MODELS.items():
        for name in claimable_fields(model):
            schema = claims._value_schema(kind, name)
            if schema is None or name in claims._COUNT_FIELDS:
                continue
            python = Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))
            for value in [*NASTY, "2025-05-07", "KZ", "tor-m2k", 48, None, [], {}]:
                assert claims._value_fits(kind, name, value) == python.is_valid(value), (
                    kind,
                    name,
                    value,
                )
                judged += 1
    assert judged > 100


# the libraries a run imports only when it needs them: python-jsonschema to describe a file
# jsonschema-rs rejects, rapidfuzz for a "did you mean", sqlite-utils and Datasette to build
_ON_DEMAND = ("jsonschema", "rapidfuzz", "sqlite_utils", "datasette")


def _validate_in_a_process(root: Path, valid: bool = True) -> tuple[list[str], list[str]]:
    """The libraries of _ON_DEMAND a validate imports, and the kinds whose schema it has pydantic
    make from the models."""
    code = (
        "import atexit, sys\n"
        "import paradecat.model.schema as schema\n"
        "made, make = [], schema._make_schema\n"
        "schema._make_schema = lambda kind: made.append(kind) or make(kind)\n"
        f"imported = lambda: sorted(m for m in {_ON_DEMAND!r} if m in sys.modules)\n"
        "atexit.register(lambda: print((imported(), made)))\n"
        "from paradecat.cli import cli\n"
        f"cli(['validate', '--root', {str(root)!r}, '-q'])\n"
    )
    env = {**os.environ, "CI": "true"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == (0 if valid else 1), done.stderr
    imported, made = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return list(imported), list(made)


def _imported_by_validate(root: Path, valid: bool = True) -> list[str]:
    return _validate_in_a_process(root, valid)[0]


def test_a_valid_catalogue_is_validated_without_the_libraries_it_does_not_need(
    tmp_path: Path,
) -> None:
    root = tmp_path / "work"
    shutil.copytree(REPO / "tests" / "cases" / "valid" / "full-parade", root)
    assert _imported_by_validate(root) == []  # cold: every file checked
    parade = next((root / "catalog" / "parades").glob("*.yaml"))
    text = parade.read_text(encoding="utf-8")
    parade.write_text(text + "# one more line\n", encoding="utf-8")
    assert _imported_by_validate(root) == []  # warm, one file changed
    # a reference to no entry: rapidfuzz looks for the id that was meant
    assert "system: " in text
    parade.write_text(text.replace("system: ", "system: x", 1), encoding="utf-8")
    assert _imported_by_validate(root, valid=False) == ["rapidfuzz"]


def test_a_warm_run_has_pydantic_make_no_schema(tmp_path: Path) -> None:
    """The entry schemas the models made are kept in the cache, under the code's version: a run
    with one file changed takes them from there, and they are the ones the models make."""
    root = tmp_path / "work"
    shutil.copytree(REPO / "tests" / "cases" / "valid" / "full-parade", root)
    cold = _validate_in_a_process(root)[1]
    assert "parade" in cold and len(cold) == len(set(cold))
    parade = next((root / "catalog" / "parades").glob("*.yaml"))
    parade.write_text(parade.read_text(encoding="utf-8") + "# one more line\n", encoding="utf-8")
    assert _validate_in_a_process(root)[1] == []
    (store,) = (root / ".paradecat-cache").glob("validate-*.sqlite")
    with contextlib.closing(sqlite3.connect(store)) as db:
        (text,) = db.execute("SELECT value FROM meta WHERE key = 'schemas'").fetchone()
        kept = json.loads(text)
        assert sorted(kept) == sorted(cold)
        assert all(kept[kind] == schema_for(kind) for kind in kept)
        # a damaged row (here, still JSON, a description changed) is not taken: made again
        damaged = text.replace('"description":"', '"description":"X', 1)
        assert damaged != text
        db.execute("UPDATE meta SET value = ? WHERE key = 'schemas'", (damaged,))
        db.commit()
    parade.write_text(parade.read_text(encoding="utf-8") + "# and another\n", encoding="utf-8")
    assert _validate_in_a_process(root)[1] == ["parade"]
