"""The command line: exit codes, output formats, refusing to build from an invalid catalogue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradecat.cli import cli

from .conftest import REPO


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the real catalogue with a duplicate key, an unknown reference and a bad date."""
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    parade = tmp_path / "catalog" / "parades" / "2025-05-07-astana.yaml"
    text = parade.read_text(encoding="utf-8")
    text = text.replace("system: tor-m2k", "system: tor-m2kk", 1)
    text = text.replace("date: 2025-05-07", "date: 2025-02-30", 1)
    text = text.replace("\ncity: Astana\n", "\ncity: Astana\ncity: Nur-Sultan\n", 1)
    parade.write_text(text, encoding="utf-8")
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_valid_catalogue_exits_0(chdir_repo: Path) -> None:
    code, output = invoke("validate")
    assert code == 0, output
    assert "no problems" in output or "0 errors" in output


def test_three_mistakes_in_one_run(broken: Path) -> None:
    code, output = invoke("validate", "--root", str(broken))
    assert code == 1
    assert "Traceback" not in output
    assert "error[yaml-duplicate-key] city: duplicate key 'city'" in output
    assert "error[ref-unresolved] appearances[" in output and "did you mean 'tor-m2k'?" in output
    assert "error[invalid-date] date: '2025-02-30' is not a real calendar date" in output
    for line in output.splitlines()[:-1]:
        path, line_no, column, _ = line.split(":", 3)
        assert path.endswith(".yaml") and int(line_no) > 0 and int(column) > 0


def test_json_format(broken: Path) -> None:
    code, output = invoke("validate", "--root", str(broken), "--format", "json")
    assert code == 1
    problems = json.loads(output)
    assert {"path", "line", "column", "pointer", "code", "severity", "message", "hint"} <= set(
        problems[0]
    )
    assert {p["code"] for p in problems} >= {"yaml-duplicate-key", "ref-unresolved", "invalid-date"}


def test_github_format_is_chosen_on_actions(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, output = invoke("validate", "--root", str(broken))
    assert code == 1
    lines = output.splitlines()
    assert lines and all(
        line.startswith("::error file=") or line.startswith("::warning file=") for line in lines
    )
    assert all(",line=" in line and ",col=" in line and ",title=" in line for line in lines)


def test_validate_only_given_paths(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    code, output = invoke("validate", "catalog/systems")
    assert code == 0, output
    code, output = invoke("validate", "catalog/parades/2025-05-07-astana.yaml")
    assert code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = invoke("validate", "--root", str(tmp_path))
    assert code == 2
    assert "no catalog/ folder" in output
    code, _ = invoke("validate", "--format", "xml")
    assert code == 2


def test_build_refuses_an_invalid_catalogue(broken: Path) -> None:
    db = broken / "paradecat.db"
    db.write_bytes(b"previous database")
    result = CliRunner().invoke(cli, ["build", "--root", str(broken), "--db", str(db)])
    assert result.exit_code == 1
    assert "the previous database is untouched" in result.output
    assert db.read_bytes() == b"previous database"


def test_build_writes_the_database(chdir_repo: Path, tmp_path: Path) -> None:
    code, output = invoke("build", "--db", str(tmp_path / "out.db"))
    assert code == 0, output
    assert (tmp_path / "out.db").stat().st_size > 0


def test_schema_check_detects_drift(tmp_path: Path) -> None:
    code, _ = invoke("schema", "--dir", str(tmp_path))
    assert code == 0
    code, output = invoke("schema", "--check", "--dir", str(tmp_path))
    assert code == 0, output
    path = tmp_path / "system.schema.json"
    path.write_text(path.read_text().replace("Tor-M2K", "Tor"), encoding="utf-8")
    code, output = invoke("schema", "--check", "--dir", str(tmp_path))
    assert code == 1
    assert "system.schema.json: differs from the models" in output


def test_committed_schemas_match_the_models(chdir_repo: Path) -> None:
    code, output = invoke("schema", "--check")
    assert code == 0, output


def test_text_output_shows_controls_instead_of_acting_on_them(tmp_path: Path) -> None:
    """A file name with ESC or a bidi override cannot clear a terminal or forge a located line."""
    systems = tmp_path / "catalog" / "systems"
    systems.mkdir(parents=True)
    (systems / "x\x1b[2J\u202e.yaml").write_text("id: x\n", encoding="utf-8")
    (systems / "y\nz.yaml").write_text("id: y\n", encoding="utf-8")
    for fmt in ("text", "github"):
        code, output = invoke("validate", "--root", str(tmp_path), "--format", fmt)
        assert code == 1
        assert "\x1b" not in output and "\u202e" not in output
        assert "\\x1b[2J\\u202e" in output
        # the line break in a file name is shown, so it cannot start a forged line of its own
        lines = output.splitlines()
        assert not any(line.startswith("z.yaml") for line in lines)
        assert any("y\\x0az.yaml" in line for line in lines)
