"""Where a full build's time goes, phase by phase: with a cold cache and with --no-cache, side by
side (issue 16: the cold build's ratio to the floor).

    python bench/phases.py [--size 10000] [--reps 3] [--work DIR]

Each round runs, as whole processes and taking turns, `paradecat build -q` with a cold cache
(cleared first) and `paradecat build -q --no-cache`, each timing its own phases: validation
(which keeps each file in the cache, when on), the cache's last writes, gathering the database's
rows in Python, inserting them, the indexes, derived tables, full-text search and the rest of the
database's SQL, and the build's layout. It prints each phase's median, and what the cache adds.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402
from run import machine  # noqa: E402

# (module, attribute, phase): what each phase is the time of
TIMED = (
    ("paradecat.check.validate", "validate_catalog", "validate (all)"),
    ("paradecat.check.cache", "Store.keep", "cache: keep files"),
    ("paradecat.check.cache", "Store.reindex", "cache: keys index (beside the rules)"),
    ("paradecat.check.cache", "Store.set_holders", "cache: holders"),
    ("paradecat.check.cache", "Store.save", "cache: commit"),
    ("paradecat.db.build", "write_database", "database (all)"),
    ("paradecat.db.build", "_insert", "database: insert rows"),
    ("paradecat.db.layout", "Layout.save", "layout"),
    ("paradecat.db.build", "build_database", "build (all)"),
)


def _timed(into: dict[str, float], phase: str, work: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(work)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            into[phase] = into.get(phase, 0.0) + time.perf_counter() - start

    return timed


def _gathered(into: dict[str, float], batches: Callable[..., Any]) -> Callable[..., Any]:
    """catalog_row_batches, timing the making of each batch (not what the caller does with it)."""

    @functools.wraps(batches)
    def timed(*args: Any, **kwargs: Any) -> Any:
        made = batches(*args, **kwargs)
        phase = "database: gather rows (Python)"
        while True:
            start = time.perf_counter()
            try:
                batch = next(made)
            except StopIteration:
                return
            finally:
                into[phase] = into.get(phase, 0.0) + time.perf_counter() - start
            yield batch

    return timed


def _child(extra: list[str]) -> None:
    """One build in this process, its phases timed; their seconds as JSON on stderr's last line."""
    import importlib

    phases: dict[str, float] = {}
    for module_name, attribute, phase in TIMED:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, _timed(phases, phase, getattr(owner, name)))
    build = importlib.import_module("paradecat.db.build")
    build.catalog_row_batches = _gathered(phases, build.catalog_row_batches)
    sys.argv = ["paradecat", "build", "-q", *extra]
    start = time.perf_counter()
    from paradecat.__main__ import main

    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
    phases["total (after imports)"] = time.perf_counter() - start
    written = ("database: gather rows (Python)", "database: insert rows")
    phases["database: indexes, derived, FTS, ANALYZE"] = phases.get("database (all)", 0.0) - sum(
        phases.get(p, 0.0) for p in written
    )
    print(json.dumps(phases), file=sys.stderr)


def _run(work: Path, extra: list[str]) -> dict[str, float]:
    if "--no-cache" not in extra:
        shutil.rmtree(work / ".paradecat-cache", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", *extra],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stderr.strip().splitlines()[-1]))


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=Path, default=BENCH.parent / ".bench")
    args = parser.parse_args()
    work = args.work / f"cache-n{args.size}"
    if not (work / "catalog").is_dir():
        generate(args.size, work)
    ways = {"cold cache": [], "--no-cache": ["--no-cache"]}
    runs: dict[str, list[dict[str, float]]] = {way: [] for way in ways}
    for _ in range(args.reps):
        for way, extra in ways.items():
            runs[way].append(_run(work, extra))
    print(json.dumps(machine()))
    print(f"{args.size:,} entries; medians of {args.reps} rounds, in seconds")
    groups = ["validate", "cache", "build", "database", "layout", "total"]
    phases = sorted(
        dict.fromkeys(p for found in runs.values() for one in found for p in one),
        key=lambda p: (groups.index(p.split(" ")[0].rstrip(":")), "(all)" not in p, p),
    )
    print(f"{'phase':<40} {'cold cache':>11} {'--no-cache':>11} {'added':>8}")
    for phase in phases:
        cold, bare = (statistics.median(r.get(phase, 0.0) for r in runs[w]) for w in ways)
        print(f"{phase:<40} {cold:>11.3f} {bare:>11.3f} {cold - bare:>+8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
