"""The validation cache never changes an answer (issue 16).

Every case in tests/cases/ is validated with --no-cache, then with a cold cache, a warm one, and
a warm one after each of a single-file edit, rename, addition and deletion: every output is
byte for byte the one --no-cache prints for the same files. A cache that is corrupt, truncated,
foreign or not a folder is ignored and made anew without a traceback, two runs at once leave it
usable, and a build from a warm cache writes the same database as one without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradecat.check.cache import CACHE_DIR
from paradecat.check.memo import MEMO_FILE
from paradecat.cli import cli

from .generated import generate

CASES = Path(__file__).parent / "cases"
ALL_CASES = sorted(
    p for group in ("valid", "invalid", "hostile") for p in (CASES / group).iterdir() if p.is_dir()
)
REPO = Path(__file__).parent.parent
PARADECAT = str(Path(sys.executable).parent / "paradecat")
HOUR_AGO = time.time() - 3600
# about 4 s a run: these get the cold and the warm run, not the five changes
HEAVY = {"files-50mb-in-total"}


def _files(top: Path) -> list[Path]:
    """Every regular file below top, without following links (1,000 folders deep too)."""
    out, stack = [], [top]
    while stack:
        with os.scandir(stack.pop()) as scan:
            for item in scan:
                if item.is_dir(follow_symlinks=False):
                    stack.append(Path(item.path))
                elif item.is_file(follow_symlinks=False):
                    out.append(Path(item.path))
    return sorted(out)


def _prepare(case: Path, tmp_path: Path) -> Path:
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True)
    generator = work / "generate.py"
    if generator.exists():
        exec(compile(generator.read_text(encoding="utf-8"), str(generator), "exec"), {"here": work})
        generator.unlink()
    # old files: the cache trusts their stat, as it does in a contributor's catalogue
    for path in _files(work):
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return work


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def _same_with_and_without(work: Path, step: str) -> None:
    expected = _validate("--no-cache")
    got = _validate()
    assert got == expected, f"{work.name}, {step}: the cache changed the answer"
    assert "Traceback" not in got[1]


def _first_entry(work: Path) -> Path | None:
    catalog = work / "catalog"
    if catalog.is_symlink() or not catalog.is_dir():
        return None
    for path in _files(catalog):
        if path.suffix == ".yaml" and path.stat().st_size < 1_000_000:
            return path
    return None


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{p.parent.name}/{p.name}" for p in ALL_CASES])
def test_cache_never_changes_an_answer(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare(case, tmp_path)
    monkeypatch.chdir(work)
    try:
        _check_case(case, work)
    finally:
        monkeypatch.chdir(tmp_path)
        # not rmtree, which recurses and fails on folders-1000-deep
        subprocess.run(["rm", "-rf", str(work)], check=True)


def _check_case(case: Path, work: Path) -> None:
    expected = _validate("--no-cache")
    assert not (work / CACHE_DIR).exists()  # --no-cache writes nothing
    assert _validate() == expected, "cold cache"
    assert (work / CACHE_DIR).is_dir()
    assert _validate() == expected, "warm cache"
    entry = _first_entry(work)
    if entry is None or case.name in HEAVY:
        return
    # a single-file edit (a field the schema does not know), then a rename, an addition, a deletion
    with entry.open("a", encoding="utf-8") as out:
        out.write("\nfield_nobody_knows: 1\n")
    _same_with_and_without(work, "edit")
    renamed = entry.with_name("renamed-" + entry.name)
    entry.rename(renamed)
    _same_with_and_without(work, "rename")
    added = entry.with_name("added-" + entry.name)
    shutil.copyfile(renamed, added)
    _same_with_and_without(work, "addition")
    renamed.unlink()
    _same_with_and_without(work, "deletion")
    # an edit that keeps the size and the modification time: the change time still tells
    text = added.read_bytes()
    info = added.stat()
    added.write_bytes(text.replace(b"field_nobody_knows", b"field_nobody_knowz"))
    os.utime(added, ns=(info.st_atime_ns, info.st_mtime_ns))
    _same_with_and_without(work, "same size and time")


def _cache_db(work: Path) -> Path:
    """The cache of the one way validate has been asked (a cache per folder, root and limit)."""
    (found,) = (work / CACHE_DIR).glob("validate-*.sqlite")
    return found


@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "foreign", "other-version", "bad-rows", "not-a-folder"]
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare(CASES / "invalid" / "all-at-once", tmp_path)
    monkeypatch.chdir(work)
    expected = _validate("--no-cache")
    assert _validate() == expected
    db = _cache_db(work)
    if damage == "garbage":
        db.write_bytes(b"\x00not a database at all\xff" * 100)
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    elif damage == "foreign":
        db.unlink()
        with sqlite3.connect(db) as other:
            other.execute("CREATE TABLE files (x)")
            other.execute("INSERT INTO files VALUES (1)")
    elif damage == "other-version":
        with sqlite3.connect(db) as other:
            other.execute("UPDATE meta SET value = 'another' WHERE key = 'code'")
    elif damage == "bad-rows":
        with sqlite3.connect(db) as other:
            other.execute("UPDATE files SET record = '[1, 2', size = NULL, digest = digest")
    elif damage == "not-a-folder":
        shutil.rmtree(work / CACHE_DIR)
        (work / CACHE_DIR).write_text("a file where the cache folder goes")
    first = _validate()
    assert first == expected
    assert "Traceback" not in first[1]
    assert _validate() == expected  # and it works (or keeps working) after


def test_two_runs_at_once_leave_the_cache_usable(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    generate(400, root)
    env = {**os.environ, "CI": "true"}

    def run(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [PARADECAT, "validate", "--root", str(root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )

    expected = run("--no-cache").communicate()[0]
    for round_ in range(3):
        runs = [run(), run()]
        outputs = [r.communicate()[0] for r in runs]
        assert all(r.returncode == 0 for r in runs), outputs
        assert outputs == [expected, expected], f"round {round_}"
        parade = sorted((root / "catalog" / "parades").glob("*.yaml"))[round_]
        parade.write_text(parade.read_text(encoding="utf-8") + f"\n# round {round_}\n")
    with sqlite3.connect(_cache_db(root)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    final = run().communicate()[0]
    assert final == run("--no-cache").communicate()[0]


def test_a_cache_of_another_format_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of another format are made anew in place, and the one file of the first format
    is removed."""
    work = _prepare(CASES / "invalid" / "all-at-once", tmp_path)
    monkeypatch.chdir(work)
    expected = _validate("--no-cache")
    assert _validate() == expected
    db = _cache_db(work)
    legacy = work / CACHE_DIR / "validate.sqlite"
    legacy.write_bytes(b"the first format's cache")
    with sqlite3.connect(db) as other:
        other.execute("DROP TABLE files")
        other.execute("CREATE TABLE files (rel TEXT PRIMARY KEY, record TEXT)")
        other.execute("UPDATE meta SET value = 'paradecat-validation-cache 3' WHERE key = 'format'")
    (work / CACHE_DIR / MEMO_FILE).unlink(missing_ok=True)  # the memo would answer at once
    assert _validate() == expected
    assert not legacy.exists()
    assert _cache_db(work) == db  # the same file, its tables made anew
    columns = [row[1] for row in sqlite3.connect(db).execute("PRAGMA table_info(files)")]
    assert "groups" in columns
    assert _validate() == expected


def test_a_run_that_cannot_get_the_lock_goes_on_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run holding the cache's lock makes this one wait, then check everything itself;
    the other run's cache is left as it is."""
    from paradecat.check import cache

    work = _prepare(CASES / "invalid" / "all-at-once", tmp_path)
    monkeypatch.chdir(work)
    expected = _validate("--no-cache")
    assert _validate() == expected
    db = _cache_db(work)
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM files").fetchone()
    monkeypatch.setattr(cache, "WAIT_S", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another run, holding the lock
    try:
        (work / "catalog" / "sources" / "extra.yaml").write_text("id: extra\n", encoding="utf-8")
        expected = _validate("--no-cache")
        assert _validate() == expected
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert db.exists()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM files").fetchone() == rows
    assert _validate() == expected  # and the next run uses it


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return list(con.iterdump())


def _build(work: Path, name: str, *args: str) -> list[str]:
    """Build work/name (the current folder is work) and dump the database it wrote."""
    result = CliRunner().invoke(cli, ["build", "--db", name, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return _dump(work / name)


def test_a_build_from_a_warm_cache_writes_the_same_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare(CASES / "valid" / "full-parade", tmp_path)
    monkeypatch.chdir(work)
    build = partial(_build, work)

    reference = build("a.db", "--no-cache")
    assert _validate("--no-cache")[0] == _validate()[0] == 0
    assert build("b.db") == reference  # after validate: the same cache
    assert len(list((work / CACHE_DIR).glob("validate-*.sqlite"))) == 1
    assert build("c.db") == reference  # warm
    source = sorted((work / "catalog" / "sources").glob("*.yaml"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nnotes: changed\n")
    changed = build("d.db", "--no-cache")
    assert changed != reference
    assert build("e.db") == changed


def _kept_data(work: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(_cache_db(work))) as con:
        return sorted(rel for (rel,) in con.execute("SELECT rel FROM data"))


def test_a_cold_build_keeps_no_parsed_data_and_a_warm_one_keeps_what_it_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare(CASES / "valid" / "full-parade", tmp_path)
    monkeypatch.chdir(work)
    build = partial(_build, work)

    reference = build("a.db")  # a cold cache: making the data's text in every file costs most
    assert _kept_data(work) == []
    source = sorted((work / "catalog" / "sources").glob("*.yaml"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\n# a comment only\n")
    # patched, from the one file checked (its rows are written again, so they come last)
    assert sorted(build("a.db")) == sorted(reference)
    assert _kept_data(work) == [f"catalog/sources/{source.name}"]
    # a full build from the warm cache reads the files whose data was not kept again
    assert build("b.db") == reference == build("c.db", "--no-cache")


def test_cache_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = _prepare(CASES / "valid" / "minimal", tmp_path)
    monkeypatch.chdir(work)
    _validate()
    assert (work / CACHE_DIR).is_dir()
    result = CliRunner().invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0 and "removed" in result.output
    assert not (work / CACHE_DIR).exists()
    result = CliRunner().invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0 and "no cache" in result.output


def _age_everything(work: Path) -> None:
    """Files and folders an hour old, as in a contributor's catalogue (the memo trusts them)."""
    os.utime(work / "catalog", (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
    for top, folders, files in os.walk(work / "catalog"):
        for name in [*folders, *files]:
            os.utime(Path(top) / name, (HOUR_AGO, HOUR_AGO), follow_symlinks=False)


def _prepare_old(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a case, every file and folder an hour old, as the current folder."""
    work = _prepare(case, tmp_path)
    _age_everything(work)
    monkeypatch.chdir(work)
    return work


def count_scans(work: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders os.scandir lists from now on, below work, as they are listed."""
    scanned: list[str] = []
    scandir = os.scandir

    def counted(path: str) -> object:
        scanned.append(os.path.relpath(path, work))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counted)
    return scanned


def _mark_memo(work: Path) -> None:
    """Replace the kept answer's text, keeping its key: a run that prints it was answered by it."""
    path = work / CACHE_DIR / MEMO_FILE
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**kept, "output": "ANSWERED FROM THE MEMO"}), encoding="utf-8")


def test_the_memo_answers_only_an_unchanged_tree_asked_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare_old(CASES / "invalid" / "all-at-once", tmp_path, monkeypatch)
    expected = _validate("--no-cache")
    assert expected[0] == 1 and _validate() == expected
    _mark_memo(work)
    assert _validate() == (1, "ANSWERED FROM THE MEMO\n")  # nothing changed: the memo answers
    # asked another way: worked out again
    assert _validate("--format", "json") == _validate("--no-cache", "--format", "json")
    assert _validate("--max-problems", "1") == _validate("--no-cache", "--max-problems", "1")
    entry = _first_entry(work)
    assert entry is not None

    def edit() -> None:
        with entry.open("a", encoding="utf-8") as out:
            out.write("\n# a comment\n")

    def touch() -> None:
        entry.touch()

    def rename() -> None:
        entry.rename(entry.with_name("renamed-" + entry.name))

    def add() -> None:
        shutil.copyfile(entry, entry.with_name("added-" + entry.name))

    def delete() -> None:
        entry.unlink()

    for change in (edit, touch, add, rename, delete):
        _validate()
        _mark_memo(work)
        change()
        _age_everything(work)  # old times again: only the hash of the tree can tell
        assert _validate() == _validate("--no-cache"), change.__name__
        if not entry.exists():
            entry = next(p for p in _files(work / "catalog") if p.suffix == ".yaml")
    # a memo that is not JSON, or not the memo's shape, is ignored
    for damage in ("{not json", '{"key": 1}', "[]"):
        (work / CACHE_DIR / MEMO_FILE).write_text(damage, encoding="utf-8")
        assert _validate() == _validate("--no-cache"), damage


def test_the_memo_trusts_no_tree_it_cannot_see_all_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed less than two seconds ago, or a folder too deep for the walk to enter:
    the run is worked out, never answered from the memo."""
    work = _prepare_old(CASES / "valid" / "minimal", tmp_path, monkeypatch)
    entry = _first_entry(work)
    assert entry is not None
    _validate()
    _mark_memo(work)
    assert _validate() == (0, "ANSWERED FROM THE MEMO\n")
    entry.touch()  # now: its times could still change within the clock's tick
    assert _validate() == _validate("--no-cache")
    deep = work / "catalog" / "parades" / "/".join("abcdefghij")
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("id: x\n", encoding="utf-8")
    _age_everything(work)
    expected = _validate("--no-cache")
    assert expected[0] == 1 and "nested more than" in expected[1]
    _validate()
    _mark_memo(work)
    # below what the walk enters: no time or size it sees changes
    (deep / "x.yaml").write_text("id: y\n", encoding="utf-8")
    assert _validate() == expected  # worked out again, not the memo's marked text


def test_a_run_worked_out_walks_the_tree_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo's hash and the validator's listing come from one walk of catalog/."""
    work = _prepare_old(CASES / "valid" / "minimal", tmp_path, monkeypatch)
    expected = _validate("--no-cache")
    scanned = count_scans(work, monkeypatch)
    entry = _first_entry(work)
    assert entry is not None
    for step in ("cold", "one file changed"):
        scanned.clear()
        assert _validate() == expected, step
        catalog = [p for p in scanned if p.split(os.sep)[0] == "catalog"]
        assert catalog and len(catalog) == len(set(catalog)), (step, sorted(catalog))
        with entry.open("a", encoding="utf-8") as out:
            out.write("# a comment\n")
        _age_everything(work)


def test_an_indexing_that_fails_on_its_thread_is_a_run_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The groups are indexed on another thread while the rules run: an error there (here, the
    disk full) reaches the run, which answers without the cache, as from any cache error, and
    the next run makes the cache anew."""
    from paradecat.check import cache

    work = _prepare(CASES / "invalid" / "all-at-once", tmp_path)
    monkeypatch.chdir(work)
    expected = _validate("--no-cache")
    threads: list[str] = []

    def disk_full(self: cache.Store, rels: list[str] | None) -> None:
        threads.append(threading.current_thread().name)
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(cache.Store, "_index_groups", disk_full)
        assert _validate() == expected
    assert threads == ["paradecat-reindex"]
    assert not list((work / CACHE_DIR).glob("validate-*.sqlite")), "the failed cache is kept"
    (work / CACHE_DIR / MEMO_FILE).unlink(missing_ok=True)  # the memo would answer at once
    assert _validate() == expected
    (db,) = (work / CACHE_DIR).glob("validate-*.sqlite")
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT count(*) FROM keys").fetchone()[0] > 0
