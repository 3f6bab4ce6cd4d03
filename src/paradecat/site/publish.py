"""The deployable site: a folder that a container platform builds and runs as `paradecat serve`.

`write_site` fills a folder with the built database, metadata.yml, a wheel of paradecat itself
(its plugins, templates and settings), requirements.txt (the site's part of requirements/lock.txt,
every file pinned by hash) and a Dockerfile whose command is `paradecat serve --no-build`. It
holds no catalogue YAML, no virtual environment and no secret.

The platforms' own Datasette tools deploy the same files and settings (`datasette_plan`):
datasette-publish-fly for Fly and Datasette's `datasette publish cloudrun` for Cloud Run. Both
write a Dockerfile that runs `datasette serve` on the database; paradecat, installed from the
same wheel with every dependency pinned, is its plugin, so the site is the same.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..db.export import DATABASE_FILE, Release
from .serve import SETTINGS, TEMPLATES, load_metadata

DOCKERFILE = "Dockerfile"
METADATA_FILE = "metadata.yml"
REQUIREMENTS_FILE = "requirements.txt"
LOCK_FILE = Path("requirements") / "lock.txt"
# the port both platforms send requests to (Cloud Run sets PORT; fly.toml says 8080)
PORT = 8080
# python:3.11 as in CI and requirements/lock.txt (its wheels are for CPython 3.11)
BASE_IMAGE = "python:3.11-slim-bookworm"
# the command `paradecat serve` runs once the database is built: the same settings, plugins and
# security middleware; HOST and PORT may be set by the platform (or by a test, to 127.0.0.1)
SERVE_COMMAND = (
    "exec paradecat serve --no-build --db paradecat.db --metadata metadata.yml"
    ' --host "${HOST:-0.0.0.0}" --port "${PORT:-8080}"'
)


class PublishError(Exception):
    """The site folder could not be written."""


def _name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def site_distributions(project: str = "paradecat") -> set[str]:
    """The installed distributions the site needs: project's requirements and theirs, no extras."""
    from packaging.requirements import Requirement

    needed: set[str] = set()
    todo = [project]
    while todo:
        name = todo.pop()
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError as exc:
            raise PublishError(
                f"{name} is required but not installed (run `make install`)"
            ) from exc
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            dep = _canonical(requirement.name)
            if dep not in needed:
                needed.add(dep)
                todo.append(dep)
    return needed


def lock_blocks(lock: str) -> dict[str, str]:
    """Each pinned requirement of a pip-compile lock, with its hashes, by canonical name."""
    blocks: dict[str, str] = {}
    current: list[str] = []
    for line in lock.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = [line]
            blocks[_canonical(_name(line))] = ""
        elif current and line.startswith("    --hash"):
            current.append(line)
        else:
            continue
        blocks[_canonical(_name(current[0]))] = "\n".join(current)
    return blocks


def site_requirements(lock: str) -> str:
    """requirements.txt for the site: the lock's pins and hashes of what the site needs."""
    blocks = lock_blocks(lock)
    needed = site_distributions()
    missing = sorted(needed - set(blocks))
    if missing:
        raise PublishError(f"requirements/lock.txt pins no {', '.join(missing)} (run `make lock`)")
    lines = [
        "# The site's share of requirements/lock.txt, written by `paradecat publish`: install with",
        "# pip install --require-hashes --only-binary :all: -r requirements.txt",
        *(blocks[name] for name in sorted(needed)),
    ]
    return "\n".join(lines) + "\n"


def pinned_versions(requirements: str) -> list[str]:
    """`name==version` of each requirement, without hashes (a constraints file)."""
    return [
        line.split(" ", 1)[0]
        for line in requirements.splitlines()
        if line and not line[0].isspace() and not line.startswith("#")
    ]


def build_wheel(source: Path, out: Path) -> Path:
    """A wheel of paradecat, built offline from a copy of its source (the tree stays clean)."""
    with tempfile.TemporaryDirectory(prefix="paradecat-wheel-") as tmp:
        copy = Path(tmp) / "src-copy"
        copy.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(source / name, copy / name)
        shutil.copytree(
            source / "src",
            copy / "src",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
        )
        pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check"]
        built = subprocess.run(
            [*pip, "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(copy)],
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            raise PublishError(f"cannot build the paradecat wheel: {built.stderr.strip()}")
    [wheel] = out.glob("paradecat-*.whl")
    return wheel


def dockerfile(wheel: str) -> str:
    """The Dockerfile: the pinned requirements, the wheel, then the database and metadata."""
    return f"""\
# Written by `paradecat publish`. Runs the site exactly as `paradecat serve --no-build` does.
FROM {BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PORT={PORT}
WORKDIR /app
COPY {REQUIREMENTS_FILE} {wheel} /tmp/
RUN pip install --no-cache-dir --require-hashes --only-binary :all: -r /tmp/{REQUIREMENTS_FILE} \\
 && pip install --no-cache-dir --no-deps /tmp/{wheel} \\
 && rm /tmp/{REQUIREMENTS_FILE} /tmp/{wheel}
COPY {DATABASE_FILE} {METADATA_FILE} /app/
USER nobody
EXPOSE {PORT}
CMD ["/bin/sh", "-c", {_json_string(SERVE_COMMAND)}]
"""


def _json_string(text: str) -> str:
    return json.dumps(text)


def write_site(
    db: Path, out: Path, metadata: Path, source: Path, repository_url: str | None = None
) -> Release:
    """Write the site folder for a built database into out (see the module docstring).

    Its metadata.yml is metadata as the site reads it, the footer's links written out from
    repository_url (default: metadata.yml's), so `datasette serve` shows them too.
    """
    if not db.is_file():
        raise PublishError(f"no database at {db}")
    lock = source / LOCK_FILE
    if not lock.is_file() or not (source / "pyproject.toml").is_file():
        raise PublishError(f"{source} is not paradecat's source folder (no {LOCK_FILE})")
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / DATABASE_FILE
        if target.resolve() != db.resolve():
            shutil.copyfile(db, target)
        resolved = load_metadata(metadata, repository_url)
        (out / METADATA_FILE).write_text(
            "# Written by `paradecat publish` from the catalogue's metadata.yml\n"
            + yaml.safe_dump(resolved, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
        requirements = out / REQUIREMENTS_FILE
        requirements.write_text(site_requirements(lock.read_text(encoding="utf-8")), "utf-8")
        wheel = build_wheel(source, out)
        docker = out / DOCKERFILE
        docker.write_text(dockerfile(wheel.name), encoding="utf-8")
    except OSError as exc:
        raise PublishError(f"cannot write the site in {out}: {exc}") from exc
    return Release(descriptor=docker, files=[target, out / METADATA_FILE, requirements, wheel])


# --- the platforms' Datasette tools ------------------------------------------------------------


def _setting(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def serve_options() -> str:
    """SETTINGS as `datasette serve` options."""
    return " ".join(f"--setting {key} {_setting(value)}" for key, value in SETTINGS.items())


@dataclass(frozen=True)
class DatasettePlan:
    """What `datasette publish` is given, for any platform: the same files and settings.

    The wheel and the pins travel in the image's plugins/ folder, which `datasette serve` reads
    only for .py files (it holds none), so they are installed without being served.
    """

    folder: Path
    wheel: str
    pins: list[str]

    @property
    def install(self) -> list[str]:
        """`pip install` arguments: the wheel, every requirement held to its locked version."""
        return ["-c", "plugins/constraints.txt", f"plugins/{self.wheel}"]

    def arguments(self) -> list[str]:
        """The options of `datasette publish <platform>` after the database file."""
        args = [DATABASE_FILE, "--metadata", METADATA_FILE, "--template-dir", "templates"]
        args += ["--plugins-dir", "plugins", "--extra-options", serve_options()]
        for item in self.install:
            args.append(f"--install={item}")
        return args


@contextmanager
def datasette_plan(site: Path) -> Iterator[DatasettePlan]:
    """A folder beside a written site for `datasette publish`, run with it as working folder."""
    with tempfile.TemporaryDirectory(prefix="paradecat-publish-") as tmp:
        folder = Path(tmp)
        shutil.copyfile(site / DATABASE_FILE, folder / DATABASE_FILE)
        shutil.copyfile(site / METADATA_FILE, folder / METADATA_FILE)
        shutil.copytree(TEMPLATES, folder / "templates")
        plugins = folder / "plugins"
        plugins.mkdir()
        [wheel] = site.glob("paradecat-*.whl")
        shutil.copyfile(wheel, plugins / wheel.name)
        pins = pinned_versions((site / REQUIREMENTS_FILE).read_text(encoding="utf-8"))
        (plugins / "constraints.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
        yield DatasettePlan(folder, wheel.name, pins)


def cloudrun_dry_run(plan: DatasettePlan, service: str, out: Path) -> Path:
    """Write what `datasette publish cloudrun` would build into out, with no gcloud and no network.

    `datasette publish cloudrun` asks gcloud for the project before anything else; its folder is
    made by Datasette's temporary_docker_directory, called here with the arguments it passes.
    """
    from datasette.utils import temporary_docker_directory

    cwd = Path.cwd()
    os.chdir(plan.folder)
    try:
        with (
            (plan.folder / METADATA_FILE).open() as metadata,
            temporary_docker_directory(
                [DATABASE_FILE],
                service,
                metadata,
                serve_options(),
                None,
                "templates",
                "plugins",
                [],
                plan.install,
                False,
                None,
                # what `datasette publish` generates when no --secret is given
                secrets.token_hex(32),
                {},
                None,
                port=PORT,
            ) as built,
        ):
            shutil.copytree(built, out, dirs_exist_ok=True)
    finally:
        os.chdir(cwd)
    return out / DOCKERFILE
