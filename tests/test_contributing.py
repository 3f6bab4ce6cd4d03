"""CONTRIBUTING.md is executable: its files are written and its commands run, and the output must match.

```yaml file=PATH blocks are written to PATH; ```console blocks hold `$ command` lines, each
followed by its exact output. A line `...` in the expected output stands for any lines.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```(yaml file=(?P<path>\S+)|console)\n(?P<body>.*?)```", re.DOTALL)


def same_line(expected: str, actual: str) -> bool:
    """Equal, where `<N>` in the expected line stands for a number (how many files were checked)."""
    if "<N>" not in expected:
        return expected == actual
    pattern = r"\d[\d,]*".join(re.escape(part) for part in expected.split("<N>"))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality, where '...' matches any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and same_line(expected[0], actual[0]) and matches(expected[1:], actual[1:])


def commands(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.rstrip("\n").splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A contributor's checkout: the catalogue, schemas and metadata under git."""
    work = tmp_path / "paradecat"
    work.mkdir()
    for name in ("catalog", "schema"):
        shutil.copytree(REPO / name, work / name)
    shutil.copy(REPO / "metadata.yml", work)
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base"],
    ):
        subprocess.run(["git", *args], cwd=work, check=True)
    return work


def test_the_walk_through_runs_as_written(clone: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "200",
    }
    env.pop("GITHUB_ACTIONS", None)
    ran = 0
    for block in BLOCK.finditer(GUIDE):
        if block.group("path"):
            (clone / block.group("path")).write_text(block.group("body"), encoding="utf-8")
            continue
        for command, expected in commands(block.group("body")):
            assert shlex.split(command)[0] == "paradecat", command
            result = subprocess.run(
                command, shell=True, cwd=clone, env=env, capture_output=True, text=True
            )
            actual = (result.stdout + result.stderr).rstrip("\n").splitlines()
            assert "Traceback" not in result.stderr
            assert matches(expected, actual), f"$ {command}\n" + "\n".join(actual)
            ran += 1
    assert ran >= 6
    final = subprocess.run(
        ["paradecat", "validate"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert final.returncode == 0, final.stdout
    db = subprocess.run(
        ["paradecat", "build", "--db", str(clone / "x.db")],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
    )
    assert db.returncode == 0, db.stderr


def test_the_walk_through_adds_two_contingents_and_three_appearances() -> None:
    parade = "catalog/parades/2026-05-09-astana.yaml"
    last = [b for b in BLOCK.finditer(GUIDE) if b.group("path") == parade][-1].group("body")
    assert last.count("  - system:") == 3
    assert last.count("  - country:") == 2


def test_matches() -> None:
    assert matches(["<N> files checked: no problems"], ["1,056 files checked: no problems"])
    assert not matches(["<N> files checked: no problems"], ["9 files checked: 1 error"])
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["..."], [])
    assert not matches(["a"], ["b"])
