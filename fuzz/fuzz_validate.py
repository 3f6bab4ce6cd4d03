"""Coverage-guided fuzzing of the loader and validator with atheris (libFuzzer for Python).

    make fuzz                      # FUZZ_SECONDS=600 by default
    .venv/bin/python fuzz/fuzz_validate.py fuzz/corpus -max_total_time=60 -dict=fuzz/yaml.dict

Each input is one catalogue file: its first byte picks the kind folder, the rest are the file's
bytes. It is written into a copy of tests/cases/valid/full-parade (on /dev/shm when there is one)
over an entry of that kind, and the whole catalogue is validated, so the loader, JSON Schema, the
models and every cross-entry rule see it. The target fails (and libFuzzer saves the input) when
anything raises, when a problem is not located at line >= 1 and column >= 1, or when a catalogue
that validates does not build.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["paradecat"]):
    from paradecat.check.validate import validate_catalog
    from paradecat.db.build import build_database

REPO = Path(__file__).resolve().parent.parent
SEED_CATALOGUE = REPO / "tests" / "cases" / "valid" / "full-parade"
SCRATCH_ROOT = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())


def _remove_stale_scratch() -> None:
    """libFuzzer ends the process without running atexit: remove copies whose process is gone."""
    for folder in SCRATCH_ROOT.glob("paradecat-fuzz-*"):
        try:
            os.kill(int(folder.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


_remove_stale_scratch()
SCRATCH = SCRATCH_ROOT / f"paradecat-fuzz-{os.getpid()}"
shutil.copytree(SEED_CATALOGUE / "catalog", SCRATCH / "catalog")
# one existing entry per kind: the fuzzed bytes replace it, so the rest of the catalogue stays valid
TARGETS = [
    next((SCRATCH / "catalog" / folder).glob("*.yaml"))
    for folder in ("sources", "systems", "units", "parades")
]
ORIGINAL = {path: path.read_bytes() for path in TARGETS}


class FuzzFinding(Exception):
    """The validator broke one of its promises for this input."""


def test_one_input(data: bytes) -> None:
    """Validate the catalogue with one file replaced by data."""
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    target.write_bytes(data[1:])
    try:
        result = validate_catalog(SCRATCH)
        for problem in result.problems:
            if problem.line < 1 or problem.column < 1 or not problem.path:
                raise FuzzFinding(f"unlocated problem: {problem}")
        if result.ok:
            build_database(result.catalog, SCRATCH / "fuzz.db")
    finally:
        target.write_bytes(ORIGINAL[target])


def seed_corpus(corpus: Path) -> None:
    """Start an empty corpus from every YAML file of the test cases, prefixed with its kind."""
    if corpus.exists() and any(corpus.iterdir()):
        return
    corpus.mkdir(parents=True, exist_ok=True)
    kinds = {"sources": 0, "systems": 1, "units": 2, "parades": 3}
    for i, path in enumerate(sorted((REPO / "tests" / "cases").rglob("*.yaml"))):
        if path.is_symlink() or path.parent.name not in kinds or path.stat().st_size > 65536:
            continue
        (corpus / f"seed-{i:04d}").write_bytes(bytes([kinds[path.parent.name]]) + path.read_bytes())


def main() -> None:
    """Run libFuzzer with the arguments given (a corpus folder first, then -flags)."""
    folders = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for folder in folders[:1]:
        seed_corpus(folder)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
