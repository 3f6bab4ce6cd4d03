"""The house by stage: the import contracts in pyproject.toml hold, and they catch what they forbid.

Each breach is made in a copy of the package in a scratch folder, never in src/, and lint-imports
runs on the copy with the repository's own contracts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import REPO

BIN = Path(sys.executable).parent
PACKAGE = REPO / "src" / "paradecat"
STAGES = ("model", "load", "check", "db", "site", "contribute")


def _contracts_toml() -> str:
    """The [tool.importlinter] tables of pyproject.toml, as TOML text."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    start = text.index("[tool.importlinter]")
    end = text.index("[tool.mypy]", start)
    return text[start:end]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package with the repository's contracts beside it."""
    shutil.copytree(PACKAGE, tmp_path / "paradecat", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pyproject.toml").write_text(_contracts_toml(), encoding="utf-8")
    return tmp_path


def _append(root: Path, module: str, line: str) -> None:
    path = root / "paradecat" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_the_copy_is_kept_as_it_is(copy: Path) -> None:
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_layers(copy: Path) -> None:
    _append(copy, "model/base.py", "from ..db import tables  # noqa: E402")
    result = _lint(copy)
    assert result.returncode == 1
    assert "paradecat.model is not allowed to import paradecat.db" in result.stdout
    assert "paradecat.model.base -> paradecat.db.tables" in result.stdout


def test_a_cycle_within_a_stage_is_found(copy: Path) -> None:
    # hints is imported by the driver; importing the driver back closes a cycle inside check/
    _append(copy, "check/hints.py", "from . import validate  # noqa: E402")
    result = _lint(copy)
    assert result.returncode == 1
    assert "No cycles are allowed in paradecat.check" in result.stdout


def test_site_and_contribute_are_independent(copy: Path) -> None:
    _append(copy, "contribute/diff.py", "from ..site import rows  # noqa: E402")
    result = _lint(copy)
    assert result.returncode == 1
    assert "paradecat.contribute is not allowed to import paradecat.site" in result.stdout


def test_click_stays_in_the_command_line(copy: Path) -> None:
    _append(copy, "db/build.py", "import click  # noqa: E402")
    result = _lint(copy)
    assert result.returncode == 1
    assert "paradecat.db is not allowed to import click" in result.stdout


def test_a_new_module_needs_a_layer(copy: Path) -> None:
    (copy / "paradecat" / "helpers.py").write_text('"""Homeless."""\n', encoding="utf-8")
    result = _lint(copy)
    assert result.returncode == 1
    assert "paradecat.helpers" in result.stdout


def test_only_the_reporters_and_the_cli_print(tmp_path: Path) -> None:
    """ruff's T20 rules, with the repository's configuration, reject a print in a stage."""
    copy = tmp_path / "src" / "paradecat"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    _append(tmp_path / "src", "db/build.py", 'print("built")')
    _append(tmp_path / "src", "check/report.py", 'print("reported")')
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "--select", "T20", "src"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "db/build.py" in result.stdout and "T201" in result.stdout
    assert "report.py" not in result.stdout


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_says_what_it_takes_and_gives(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    doc = init.read_text(encoding="utf-8")
    assert doc.startswith('"""'), f"{init} has no docstring"
    summary = doc.split('"""')[1].lower()
    assert "takes" in summary and "gives" in summary, f"{init} does not say what it takes and gives"


def test_no_module_is_over_about_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert not long, f"split these by responsibility: {long}"


def test_the_layers_match_the_package() -> None:
    """The contract lists exactly the top-level modules that exist (exhaustive covers new ones)."""
    config = tomllib.loads(_contracts_toml())
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    listed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    present = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    present |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert listed == present
