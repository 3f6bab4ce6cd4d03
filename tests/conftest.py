"""Shared fixtures: the real catalogue validated and built by the real build into a temporary database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paradecat.catalog import Catalog
from paradecat.check.validate import validate_catalog
from paradecat.db.build import build_database

REPO = Path(__file__).resolve().parent.parent
METADATA = REPO / "metadata.yml"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The repository's catalogue, which must be valid."""
    result = validate_catalog(REPO)
    errors = [p for p in result.problems if p.severity == "error"]
    assert not errors, errors
    return result.catalog


@pytest.fixture(scope="session")
def built_db(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue built into a fresh database by the real build."""
    return build_database(catalog, tmp_path_factory.mktemp("db") / "paradecat.db")


@pytest.fixture
def chdir_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run a test from the repository root, as a contributor would."""
    monkeypatch.chdir(REPO)
    yield REPO
