"""`paradecat export`: the data release passes Frictionless validation and matches the database."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from frictionless import validate

from paradecat.cli import cli
from paradecat.db.export import ExportError, export_release
from paradecat.site.serve import load_metadata

from .conftest import METADATA, REPO


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release written by the real command from the repository's catalogue."""
    out = tmp_path_factory.mktemp("release") / "out"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    return out


def _descriptor(release: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    return data


def test_the_release_passes_frictionless_validation(release: Path) -> None:
    report = validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) >= 14


def test_one_csv_and_one_json_per_table_and_the_database(release: Path) -> None:
    conn = sqlite3.connect(release / "paradecat.db")
    tables = [
        row[0]
        for row in conn.execute(
            "select name from sqlite_master where type in ('table', 'view') "
            "and name not like '%_fts%' and name not like 'sqlite_%'"
        )
    ]
    assert {"parades", "systems", "appearances", "contingents", "disputed_facts"} <= set(tables)
    for table in tables:
        count = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
        with (release / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle)) == count + 1, table
        records = json.loads((release / f"{table}.json").read_text(encoding="utf-8"))
        assert len(records) == count, table
    barys = json.loads((release / "systems.json").read_text(encoding="utf-8"))
    assert any("Барыс" in (r["all_names"] or "") for r in barys)  # UTF-8, not escapes
    conn.close()


def test_the_descriptor_declares_types_keys_and_descriptions(release: Path) -> None:
    resources = {r["name"]: r for r in _descriptor(release)["resources"]}
    parades = resources["parades"]["schema"]
    types = {f["name"]: f["type"] for f in parades["fields"]}
    assert types["personnel"] == "integer" and types["latitude"] == "number"
    assert types["date"] == "date" and types["name"] == "string"
    assert parades["primaryKey"] == ["id"]
    assert resources["system_names"]["schema"]["primaryKey"] == ["system_id", "name", "lang"]
    appearances_fks = resources["appearances"]["schema"]["foreignKeys"]
    assert {"fields": ["system_id"], "reference": {"resource": "systems", "fields": ["id"]}} in (
        appearances_fks
    )
    assert all(f.get("description") for f in parades["fields"])
    assert resources["parades"]["description"].startswith("Parades")
    assert _descriptor(release)["licenses"][0]["name"] == "CC-BY-4.0"


def test_validation_catches_a_broken_foreign_key(release: Path, tmp_path: Path) -> None:
    """The foreign keys are declared for real: a dangling reference fails validation."""
    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    path = copy / "appearances.csv"
    text = path.read_text(encoding="utf-8")
    assert ",barys," in text
    path.write_text(text.replace(",barys,", ",no-such-system,", 1), encoding="utf-8")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert report.flatten(["type"]) == [["foreign-key"]]  # that one error, nothing else
    assert "no-such-system" in str(report.flatten(["note", "cells"]))


def test_export_of_a_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export_release(tmp_path / "missing.db", tmp_path / "out", load_metadata(METADATA))


def test_export_refuses_an_invalid_catalogue(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    shutil.copy(METADATA, tmp_path / "metadata.yml")
    (tmp_path / "catalog" / "systems" / "barys.yaml").write_text("id: barys\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert not (out / "datapackage.json").exists()


def _repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(METADATA, root / "metadata.yml")
    return root


def _export(root: Path, out: Path) -> Any:
    return CliRunner().invoke(cli, ["export", "--out", str(out), "--root", str(root)])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_new_release_replaces_the_old_one_whole(tmp_path: Path) -> None:
    root, out = _repo_copy(tmp_path), tmp_path / "release"
    assert _export(root, out).exit_code == 0
    (out / "stale.csv").write_text("left from an older release\n", encoding="utf-8")
    assert _export(root, out).exit_code == 0
    assert not (out / "stale.csv").exists()
    assert (out / "datapackage.json").is_file() and (out / "paradecat.db").is_file()
    # nothing is left beside it: no temporary or old folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release", "repo"]


def test_a_release_that_fails_part_way_leaves_the_previous_one_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = _repo_copy(tmp_path), tmp_path / "release"
    assert _export(root, out).exit_code == 0
    before = _snapshot(out)
    import paradecat.db.export as export_module

    real = export_module._write_table
    written: list[str] = []

    def disk_full(conn: Any, name: str, pk: Any, folder: Path) -> Any:
        if len(written) == 8:
            raise OSError(28, "No space left on device")
        written.append(name)
        return real(conn, name, pk, folder)

    monkeypatch.setattr(export_module, "_write_table", disk_full)
    result = _export(root, out)
    assert result.exit_code == 1
    assert (
        "No space left on device" in result.output
        and "previous release is untouched" in result.output
    )
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release", "repo"]


@pytest.mark.parametrize("where", ["not-a-release", "the-root", "a-link"])
def test_a_release_is_not_written_over_what_is_not_a_release(tmp_path: Path, where: str) -> None:
    root = _repo_copy(tmp_path)
    if where == "not-a-release":
        out = tmp_path / "notes"
        out.mkdir()
        (out / "mine.txt").write_text("keep me\n", encoding="utf-8")
    elif where == "the-root":
        out = root
    else:
        (tmp_path / "elsewhere").mkdir()
        out = tmp_path / "link"
        out.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = _export(root, out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
