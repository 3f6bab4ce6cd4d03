"""Case folders: tests/cases/valid/<case>/ validate cleanly; tests/cases/invalid/<case>/ print exactly expected.txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradecat.cli import cli

CASES = Path(__file__).parent / "cases"
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def run_validate(case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[int, str]:
    """Copy the case, let its generate.py (if any) write files too big to commit, and validate it."""
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True)
    generator = work / "generate.py"
    if generator.exists():
        exec(compile(generator.read_text(encoding="utf-8"), str(generator), "exec"), {"here": work})
        generator.unlink()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["validate"], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, output = run_validate(case, monkeypatch, tmp_path)
    assert code == 0, output
    assert "error[" not in output


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    code, output = run_validate(case, monkeypatch, tmp_path)
    lines = output.splitlines()
    assert code == 1, output
    assert "Traceback" not in output
    # the last line is the summary; every line before it is one located problem
    assert lines[:-1] == expected
    assert " error" in lines[-1], lines[-1]


def test_every_rule_has_an_invalid_case() -> None:
    from paradecat.check.rules import RULES

    seen = "\n".join((case / "expected.txt").read_text(encoding="utf-8") for case in INVALID)
    missing = [r.code for r in RULES if f"[{r.code}]" not in seen]
    assert not missing, f"rules without an invalid case: {missing}"


LOADER_CODES = [
    "yaml-duplicate-key",
    "yaml-anchor",
    "yaml-tag",
    "yaml-too-large",
    "yaml-multi-document",
    "yaml-encoding",
    "yaml-empty",
    "yaml-not-mapping",
    "yaml-key-type",
    "yaml-too-deep",
    "yaml-syntax",
    "yaml-number",
]


def test_every_loader_rejection_has_an_invalid_case() -> None:
    seen = "\n".join((case / "expected.txt").read_text(encoding="utf-8") for case in INVALID)
    missing = [code for code in LOADER_CODES if f"[{code}]" not in seen]
    assert not missing, f"loader rejections without an invalid case: {missing}"
