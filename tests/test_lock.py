"""`make install` installs requirements/lock.txt: every dependency pinned, with hashes, within the
ranges pyproject.toml allows, and this environment is the one the lock describes."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

LOCK = REPO / "requirements" / "lock.txt"
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", re.MULTILINE)


def pins() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in _PIN.findall(LOCK.read_text())}


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r)
        for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    ]


def test_every_declared_requirement_is_pinned_within_its_range() -> None:
    locked = pins()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCK.name}: run `make lock`"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} is outside {requirement.specifier}: run `make lock`"
        )


def test_every_pin_carries_its_hashes() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", LOCK.read_text())
    pinned = [b for b in blocks if _PIN.match(b)]
    assert len(pinned) == len(pins()) > 50
    for block in pinned:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    assert "--find-links" not in LOCK.read_text() and "--index-url" not in LOCK.read_text()


def test_this_environment_is_the_locked_one() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    # pip-tools is what `make lock` adds; paradecat is installed from the work tree
    different = {
        name: (version, installed.get(name))
        for name, version in pins().items()
        if installed.get(name) != version
    }
    assert not different, f"installed differs from {LOCK.name} (locked, installed): {different}"
