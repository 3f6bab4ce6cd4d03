"""A build after a change patches the last database, and gives the database a full build gives.

With the cache on, `paradecat build` patches a copy of the database it last wrote (db/patch.py):
only the changed entries' rows are written again, the numbered rows after them move, and the
derived tables, the countries and the history follow. Here a generated catalogue goes through
changes of every kind a row depends on. After each, the patched database must equal a full
build's, table by table, with the same schema, planner statistics and full-text index.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paradecat.cli import cli
from paradecat.db import patch
from paradecat.db.layout import Layout
from paradecat.db.patch import OWNED, WHOLE
from paradecat.db.rowset import NUMBERED
from paradecat.db.tables import TABLES

from .contents import dump
from .generated import generate

REPO = Path(__file__).parent.parent


def _generate(root: Path, n: int) -> None:
    generate(n, root)


def _build(db: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["build", "--root", ".", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


class Catalogue:
    """The generated files, and changes that keep the catalogue valid."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / "catalog" / folder).glob("*.yaml"))

    def edit(self, path: Path, change: Callable[[str], str]) -> None:
        text = path.read_text(encoding="utf-8")
        changed = change(text)
        assert changed != text, f"the change left {path.name} as it was"
        path.write_text(changed, encoding="utf-8")

    def qualifier(self) -> None:
        """A fact changes, no row comes or goes."""
        self.edit(
            self.files("parades")[3], lambda t: t.replace("qualifier: over", "qualifier: about", 1)
        )

    def add_appearance(self) -> None:
        """An early parade shows one system more: every later appearance and citation moves."""
        self.edit(
            self.files("parades")[1],
            lambda t: re.sub(
                r"(appearances:\n)((  - system:.*\n)(    .*\n)*)", r"\1\2\2", t, count=1
            ),
        )

    def drop_appearance(self) -> None:
        def drop(text: str) -> str:
            return re.sub(r"(appearances:\n)(  - system:.*\n(    .*\n)*)", r"\1", text, count=1)

        self.edit(
            next(p for p in self.files("parades")[5:] if "appearances:\n  - " in p.read_text()),
            drop,
        )

    def person_name(self) -> None:
        """The parades that take this person's name from the entry are written again."""
        named = {
            m for p in self.files("parades") for m in re.findall(r"person: (\S+)", p.read_text())
        }
        person = next(p for p in self.files("people") if p.stem in named)
        self.edit(person, lambda t: re.sub(r"\nname: ([^\n]+)", r"\nname: \1 Jr", t, count=1))

    def system_name(self) -> None:
        """Its rows in parade_systems and first_showings follow."""
        shown = {
            m for p in self.files("parades") for m in re.findall(r"system: (\S+)", p.read_text())
        }
        system = next(p for p in self.files("systems") if p.stem in shown)
        self.edit(system, lambda t: re.sub(r"\nname: ([^\n]+)", r"\nname: \1 Mk II", t, count=1))

    def parade_date(self) -> None:
        """A parade moves to the start of time: it shows its systems first."""
        self.edit(
            self.files("parades")[-1],
            lambda t: re.sub(r"\ndate: [^\n]+", "\ndate: 1950-05-09", t, count=1),
        )

    def new_country(self) -> None:
        """A person of a country nothing else names: the countries table gains a row."""
        person = next(p for p in self.files("people") if "\ncountry: " in p.read_text())
        self.edit(person, lambda t: re.sub(r"\ncountry: \S+", "\ncountry: EE", t, count=1))

    def country_back(self) -> None:
        person = next(p for p in self.files("people") if "\ncountry: EE" in p.read_text())
        self.edit(person, lambda t: t.replace("\ncountry: EE", "\ncountry: KZ", 1))

    def delete_parade(self) -> None:
        self.files("parades")[2].unlink()

    def add_parade(self) -> None:
        """A copy of a parade under a new id, sorted first."""
        source = self.files("parades")[4]
        text = source.read_text(encoding="utf-8").replace(
            f"id: {source.stem}", "id: 0000-new-parade"
        )
        (source.parent / "0000-new-parade.yaml").write_text(text, encoding="utf-8")

    def source_title(self) -> None:
        self.edit(
            self.files("sources")[0],
            lambda t: re.sub(r'\ntitle: "', '\ntitle: "Updated: ', t, count=1),
        )

    def several(self) -> None:
        """Changes in three kinds at once."""
        self.add_appearance()
        self.drop_appearance()
        self.system_name()


CHANGES = [
    name for name in vars(Catalogue) if not name.startswith("_") and name not in ("files", "edit")
]


def test_the_tables_a_patch_keeps_are_every_table() -> None:
    """Every table of the contract is kept by its entry, by row numbers, or worked out whole."""
    owned = {table for tables in OWNED.values() for table, _ in tables}
    assert owned | set(NUMBERED) | set(WHOLE) == set(TABLES)
    assert not owned & set(NUMBERED)


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    root = tmp_path / "catalogue"
    _generate(root, 200)
    monkeypatch.chdir(root)
    return Catalogue(root)


def test_a_patched_database_is_the_full_build_after_every_change(catalogue: Catalogue) -> None:
    assert "entries written)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))
    for name in CHANGES:
        getattr(catalogue, name)()
        said = _build("patched.db")
        assert "entries written again" in said, f"{name}: not patched: {said}"
        expected, got = dump(Path(_full())), dump(Path("patched.db"))
        differ = [table for table in expected if expected[table] != got.get(table)]
        assert not differ, f"after {name}, the patched database differs in {differ}"


def _full() -> str:
    _build("full.db", "--no-cache")
    return "full.db"


def test_nothing_changed_writes_nothing_again(catalogue: Catalogue) -> None:
    """A build with nothing changed leaves the database as it is: the same file, not a copy."""
    _build("patched.db")
    before = _identity("patched.db")
    assert "patched.db is up to date: none of 200 entries changed" in _build("patched.db")
    assert _identity("patched.db") == before
    assert dump(Path("patched.db")) == dump(Path(_full()))
    catalogue.qualifier()  # and the next change is still a patch of that file
    assert "(1 of 200 entries written again)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))


def _identity(db: str) -> tuple[int, int, int]:
    info = Path(db).stat()
    return info.st_ino, info.st_mtime_ns, info.st_size


def _git(*args: str, date: str = "2026-01-02T03:04:05Z") -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date},
    )


def test_a_history_that_changed_alone_is_written(catalogue: Catalogue) -> None:
    """A commit can change when files were last changed with no file changed: not up to date."""
    _git("init", "-q", "-b", "main")
    _git("add", "catalog")
    _git("commit", "-qm", "the catalogue")
    _build("patched.db")
    assert "is up to date" in _build("patched.db")
    _git("commit", "-q", "--amend", "--no-edit", date="2026-02-03T04:05:06Z")
    assert "(0 of 200 entries written again)" in _build("patched.db")
    history = sqlite3.connect("patched.db").execute("SELECT DISTINCT updated FROM entry_history")
    assert [row[0][:10] for row in history] == ["2026-02-03"]
    assert dump(Path("patched.db")) == dump(Path(_full()))


def test_a_database_changed_since_is_built_whole(catalogue: Catalogue) -> None:
    """A database written by anything else since (or moved, or another file) is never patched."""
    _build("patched.db")
    db = sqlite3.connect("patched.db")
    db.execute("UPDATE systems SET name = 'tampered'")
    db.commit()
    db.close()
    catalogue.qualifier()
    assert "(200 entries written)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))


@pytest.mark.parametrize(
    "damage",
    ["not a database", "UPDATE entries SET entry = '[1]' WHERE id = (SELECT min(id) FROM entries)"],
)
def test_a_damaged_layout_means_a_full_build(catalogue: Catalogue, damage: str) -> None:
    """A layout SQLite cannot read, or with a row that is not an entry's, is not used; the next
    build is a full one, and the one after it patches again."""
    _build("patched.db")
    (layout,) = Path(".paradecat-cache").glob("build-*.sqlite")
    if damage.startswith("UPDATE"):
        with contextlib.closing(sqlite3.connect(layout)) as db, db:
            assert db.execute(damage).rowcount == 1
    else:
        layout.write_bytes(b"not a database" * 100)
    catalogue.qualifier()
    assert "(200 entries written)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))
    catalogue.add_appearance()
    assert "(1 of 200 entries written again)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))


def test_a_patch_saves_only_onto_the_layout_it_was_planned_from(catalogue: Catalogue) -> None:
    """Another build that saved the layout while a patch ran: the patch keeps nothing of it, and
    the next build is a full one."""
    _build("patched.db")
    (layout,) = Path(".paradecat-cache").glob("build-*.sqlite")
    save_patch = Layout.save_patch

    def saved_over(self: Layout, *args: Any) -> None:
        with contextlib.closing(sqlite3.connect(layout)) as db, db:
            db.execute("UPDATE meta SET value = '[1, 2, 3]' WHERE key = 'database'")
        save_patch(self, *args)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(Layout, "save_patch", saved_over)
        catalogue.qualifier()
        assert "(1 of 200 entries written again)" in _build("patched.db")
    with contextlib.closing(sqlite3.connect(layout)) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (0,)
    catalogue.add_appearance()
    assert "(200 entries written)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))


def test_a_patch_that_fails_leaves_a_full_build(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch that fails half way (here, the disk full) is thrown away; the build is a full one."""
    _build("patched.db")
    before = Path("patched.db").read_bytes()

    def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(patch, "_derived", disk_full)
    catalogue.add_appearance()
    assert "(200 entries written)" in _build("patched.db")
    assert Path("patched.db").read_bytes() != before
    assert dump(Path("patched.db")) == dump(Path(_full()))
    assert not list(Path(".").glob(".patched.db.*.tmp")), "the patch's copy is left behind"


@pytest.mark.parametrize(
    "dangling",
    [
        "UPDATE appearances SET system_id = 'no-such-system' WHERE rowid = 1",
        "DELETE FROM systems WHERE id = (SELECT system_id FROM appearances LIMIT 1)",
        "INSERT INTO citations (source_id, entity_type, entity_id, field) "
        "VALUES ('no-such-source', 'parade', 'x', 'date')",
    ],
)
def test_a_patch_that_breaks_a_foreign_key_is_not_kept(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, dangling: str
) -> None:
    """The foreign keys of the rows a patch touches are checked: a patch that left one dangling
    (here, a step gone wrong) is thrown away, and the build is a full one."""
    _build("patched.db")
    derived = patch._derived

    def wrong(db: sqlite3.Connection, *args: object) -> None:
        derived(db, *args)  # type: ignore[arg-type]
        db.execute(dangling)

    monkeypatch.setattr(patch, "_derived", wrong)
    catalogue.qualifier()
    assert "(200 entries written)" in _build("patched.db")
    assert dump(Path("patched.db")) == dump(Path(_full()))
    assert not list(Path(".").glob(".patched.db.*.tmp")), "the patch's copy is left behind"


def test_a_release_keeps_nothing_for_patching(catalogue: Catalogue) -> None:
    """export builds into a new folder each time: it must not leave a layout behind each time."""
    shutil.copy(REPO / "metadata.yml", "metadata.yml")
    for _ in range(2):
        result = CliRunner().invoke(cli, ["export", "--root", ".", "--out", "release", "-q"])
        assert result.exit_code == 0, result.output
    assert not list(Path(".paradecat-cache").glob("build-*.sqlite"))
    _build("patched.db")
    assert len(list(Path(".paradecat-cache").glob("build-*.sqlite"))) == 1
