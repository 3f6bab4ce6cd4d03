"""Time `paradecat validate` and `paradecat build` next to their floor and the peer tools.

    python bench/run.py [--full] [--sizes 1000,10000] [--reps 5] [--json FILE]

For each size N it writes a synthetic catalogue (bench/generate.py) and times, as whole
processes, interleaved round by round so that noise from other work on the machine falls on
every tool alike:

- floor: one process that only loads every file with yaml.CSafeLoader (bench/floor.py);
- validate: `paradecat validate --root DIR`;
- build: `paradecat build --root DIR` (validation included);
- check-jsonschema: the same files against schema/*.json, one run per kind (it takes one
  schema per run), in chunks that fit the command line;
- yaml-to-sqlite: the same entries gathered into one YAML list, loaded into one table.

It prints medians, peak memory (largest RSS of the processes) and the ratios the targets in
issue 6 are stated in, and writes every measurement to a JSON file for bench/plot.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from generate import FOLDERS, gather, generate  # noqa: E402

ARG_BUDGET = 1_000_000  # bytes of file names per check-jsonschema run (ARG_MAX is 2 MiB here)


@dataclass
class Run:
    """One timed tool: one or more processes run one after the other."""

    name: str
    commands: list[list[str]]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    before: list[Path] = field(default_factory=list)  # files removed before each run
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    def once(self) -> None:
        for path in self.before:
            path.unlink(missing_ok=True)
        elapsed, peak = 0.0, 0
        for command in self.commands:
            seconds, rss = timed(command, self.cwd, self.env)
            elapsed += seconds
            peak = max(peak, rss)
        self.times.append(elapsed)
        self.peaks.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def timed(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int]:
    """Wall time and peak RSS (bytes) of one process; it must succeed."""
    with tempfile.TemporaryFile(dir=REPO) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}\n{message}")
    return elapsed, usage.ru_maxrss * 1024


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return str(path)


def schema_checks(root: Path) -> list[list[str]]:
    """check-jsonschema runs covering every file, with paths relative to root."""
    commands = []
    for kind, folder in FOLDERS.items():
        files = sorted(
            p.relative_to(root).as_posix() for p in (root / "catalog" / folder).glob("*.yaml")
        )
        schema = str(REPO / "schema" / f"{kind}.schema.json")
        chunk: list[str] = []
        size = 0
        for name in files:
            if chunk and size + len(name) + 1 > ARG_BUDGET:
                commands.append([tool("check-jsonschema"), "--schemafile", schema, *chunk])
                chunk, size = [], 0
            chunk.append(name)
            size += len(name) + 1
        if chunk:
            commands.append([tool("check-jsonschema"), "--schemafile", schema, *chunk])
    return commands


def prepare(n: int, work: Path, seed: int, peers: bool, baseline: Path | None) -> list[Run]:
    root = work / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    generate(n, root, seed)
    runs = [
        Run("floor", [[sys.executable, str(BENCH / "floor.py"), str(root)]]),
        Run("validate", [[tool("paradecat"), "validate", "--root", str(root)]]),
        Run(
            "build",
            [[tool("paradecat"), "build", "--root", str(root), "--db", str(root / "paradecat.db")]],
        ),
    ]
    if baseline:
        # an earlier paradecat, from its source folder (e.g. `git archive COMMIT src | tar -x`)
        env = {**os.environ, "PYTHONPATH": str(baseline)}
        old = [sys.executable, "-m", "paradecat"]
        runs.append(Run("baseline validate", [[*old, "validate", "--root", str(root)]], env=env))
        runs.append(
            Run(
                "baseline build",
                [[*old, "build", "--root", str(root), "--db", str(root / "baseline.db")]],
                env=env,
            )
        )
    if peers:
        gather(root, root / "all.yaml")
        runs.append(Run("check-jsonschema", schema_checks(root), cwd=root))
        peer_db = root / "peer.db"
        runs.append(
            Run(
                "yaml-to-sqlite",
                [[tool("yaml-to-sqlite"), str(peer_db), "entries", str(root / "all.yaml")]],
                before=[peer_db],
            )
        )
    return runs


def lines_per_entry(root: Path) -> float:
    files = list(root.glob("catalog/*/*.yaml"))
    return sum(p.read_bytes().count(b"\n") for p in files) / len(files)


def machine() -> dict[str, object]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": platform.platform(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }


def startup(reps: int) -> dict[str, list[float]]:
    """`paradecat --help` against `python -c "import yaml, click"`, interleaved."""
    commands = {
        "paradecat --help": [tool("paradecat"), "--help"],
        "python -c 'import yaml, click'": [sys.executable, "-c", "import yaml, click"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            times[name].append(timed(command)[0])
    return times


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def check(
    label: str, value: float, limit: float, *, below: bool = False, judged: bool = True
) -> str:
    ok = value < limit if below else value <= limit
    verdict = ("ok" if ok else "MISSED") if judged else "(the target is for 10,000 entries)"
    return f"  {label:<58} {value:6.2f}   target {'<' if below else '<='} {limit:<5} {verdict}"


def ratio(label: str, value: float) -> str:
    return f"  {label:<58} {value:6.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated entry counts")
    parser.add_argument("--full", action="store_true", help="add 100,000 entries")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each tool")
    parser.add_argument("--full-reps", type=int, default=3, help="repetitions at 100,000")
    parser.add_argument(
        "--no-peers", action="store_true", help="skip check-jsonschema and yaml-to-sqlite"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--baseline", type=Path, help="also time the paradecat in this source folder (its src/)"
    )
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    parser.add_argument("--json", type=Path, help="where to write the measurements (WORK/run.json)")
    args = parser.parse_args(argv)
    args.json = args.json or args.work / "run.json"
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 100_000 not in sizes:
        sizes.append(100_000)

    info = machine()
    print(f"{info['date']}  {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB")
    print(
        f"Python {info['python']}, SQLite {info['sqlite']}; load average {os.getloadavg()[0]:.2f}"
    )
    results: dict[str, object] = {"machine": info, "sizes": {}}
    medians: dict[int, dict[str, float]] = {}
    for n in sizes:
        reps = args.full_reps if n >= 100_000 else args.reps
        runs = prepare(n, args.work, args.seed, not args.no_peers, args.baseline)
        lines = lines_per_entry(args.work / f"n{n}")
        print(f"\nN = {n:,} entries ({lines:.0f} lines each on average), {reps} rounds", flush=True)
        for round_ in range(reps):
            # rotate the order every round so that no tool always runs after the same one
            shift = round_ % len(runs)
            for run in runs[shift:] + runs[:shift]:
                run.once()
            print(f"  round {round_ + 1}/{reps} done", flush=True)
        floor = next(r for r in runs if r.name == "floor").median
        print(f"  {'tool':<18} {'median':>8} {'min':>8} {'max':>8} {'peak RSS':>10} {'÷ floor':>8}")
        for run in runs:
            print(
                f"  {run.name:<18} {run.median:7.2f}s {min(run.times):7.2f}s {max(run.times):7.2f}s"
                f" {mib(max(run.peaks)):>10} {run.median / floor:7.2f}x"
            )
        medians[n] = {run.name: run.median for run in runs}
        results["sizes"][str(n)] = {  # type: ignore[index]
            "lines_per_entry": lines,
            "load_average_after": os.getloadavg()[0],
            "tools": {r.name: {"times": r.times, "peak_rss": r.peaks} for r in runs},
        }
        by = medians[n]
        judged = n >= 10_000
        print("  ratios (medians, measured side by side):")
        print(check("build ÷ floor", by["build"] / by["floor"], 1.5, judged=judged))
        print(ratio("validate ÷ floor", by["validate"] / by["floor"]))
        if "check-jsonschema" in by:
            print(
                check(
                    "build ÷ check-jsonschema",
                    by["build"] / by["check-jsonschema"],
                    1.0,
                    below=True,
                    judged=judged,
                )
            )
            print(ratio("yaml-to-sqlite ÷ build", by["yaml-to-sqlite"] / by["build"]))
        for name in ("validate", "build"):
            if f"baseline {name}" in by:
                print(
                    ratio(f"{name} before issue 6 ÷ {name} now", by[f"baseline {name}"] / by[name])
                )
        if n >= 100_000:
            peak = max(next(r for r in runs if r.name == "build").peaks)
            print(check("build peak memory (GiB)", peak / 2**30, 1.0, below=True))

    growth = {}
    for small, large in itertools.pairwise(sizes):
        if large == small * 10:
            print(f"\ngrowth from {small:,} to {large:,} entries (10x the entries):")
            for name in ("floor", "validate", "build"):
                factor = medians[large][name] / medians[small][name]
                growth[f"{name} {small}->{large}"] = factor
                print(check(f"{name}: time x", factor, 11.0))
    results["growth"] = growth

    times = startup(max(args.reps * 2, 10))
    help_time = statistics.median(times["paradecat --help"])
    import_time = statistics.median(times["python -c 'import yaml, click'"])
    print(
        f"\nstartup: paradecat --help {help_time * 1000:.0f} ms, import yaml, click {import_time * 1000:.0f} ms"
    )
    print(
        check(
            "paradecat --help ÷ python -c 'import yaml, click'",
            help_time / import_time,
            2.0,
            below=True,
        )
    )
    results["startup"] = times

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
