"""The README's promises: the two-command quick start, working queries, and documented commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils

from paradecat.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", README, re.DOTALL)


def test_quick_start_is_the_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make serve", "make test"]


def test_makefile_has_the_targets() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("sql", SQL_BLOCKS, ids=[f"query-{i}" for i in range(len(SQL_BLOCKS))])
def test_readme_queries_answer(built_db: Path, sql: str) -> None:
    rows = list(sqlite_utils.Database(built_db).query(sql))
    assert rows, sql


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"paradecat {name}" in README, name


def test_documented_commands_exist() -> None:
    for name in set(re.findall(r"paradecat (\w+)", README)):
        if name in {"contributors"}:
            continue
        assert name in cli.commands, name
