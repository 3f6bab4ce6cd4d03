"""The validation cache (issue 16): cold, warm and one-file-change runs side by side with the floor.

    python bench/cache.py [--sizes 10000] [--full] [--reps 5] [--work DIR]

For each size, every round runs, as whole processes and in a rotating order: the floor
(bench/floor.py), validate and build with --no-cache, validate and build with a cold cache
(cleared first), validate with a warm cache and no change, and validate and build with a warm
cache after a one-file change (a parade's file gets one more comment line before the run). It
prints medians, peak RSS and each target's ratio on one line.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402
from run import BIN, Run, check, machine, mib  # noqa: E402

PARADECAT = str(BIN / "paradecat")
REPO = BENCH.parent


class Clear(Run):
    """A run that starts from a cold cache."""

    def once(self) -> None:
        assert self.cwd is not None
        shutil.rmtree(self.cwd / ".paradecat-cache", ignore_errors=True)
        super().once()


class Edit(Run):
    """A run after one file has changed as a contributor changes it: a fact (a count's qualifier,
    which the quotation rules read) and a comment line more."""

    def once(self) -> None:
        assert self.cwd is not None
        # the cache is warm, and the database the last build wrote is there: nothing else has
        # changed (a build patches that database; the runs beside it write another one)
        for warm in self.commands:
            quiet = [*warm, "-q"] if warm[1] == "validate" else warm
            subprocess.run(quiet, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, check=True)
        parade = sorted((self.cwd / "catalog" / "parades").iterdir())[len(self.times)]
        text = parade.read_text(encoding="utf-8")
        for old, new in (
            ("qualifier: at_least", "qualifier: about"),
            ("qualifier: about", "qualifier: at_least"),
        ):
            if old in text:
                text = text.replace(old, new, 1)
                break
        parade.write_text(text + f"\n# bench edit {len(self.times)}\n", encoding="utf-8")
        super().once()


class Unchanged(Run):
    """A run with nothing changed since the last: files left alone as a contributor leaves them
    between two commits, more than the two seconds after which their times are trusted."""

    def once(self) -> None:
        assert self.cwd is not None
        # the cache is warm and every file is old enough, neither timed
        warm = [PARADECAT, "validate", "--root", ".", "-q"]
        subprocess.run(warm, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, check=True)
        time.sleep(2.1)
        subprocess.run(warm, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, check=True)
        super().once()


def runs(root: Path) -> list[Run]:
    env = {**os.environ, "CI": "true"}
    db = str(root / "bench.db")
    validate = [PARADECAT, "validate", "--root", "."]
    build = [PARADECAT, "build", "--root", ".", "--db", db]
    return [
        Run("floor", [[sys.executable, str(BENCH / "floor.py"), str(root)]], root, env),
        Run("validate no cache", [[*validate, "--no-cache"]], root, env),
        Clear("validate cold", [validate], root, env),
        Edit("validate warm, change", [validate], root, env),
        Unchanged("validate warm", [validate], root, env),
        Run("build no cache", [[*build, "--no-cache"]], root, env),
        Clear("build cold", [build], root, env),
        Edit(
            "build warm, change", [[*build[:-1], db.replace("bench.db", "patched.db")]], root, env
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--full", action="store_true", help="add 100,000 entries")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--full-reps", type=int, default=2)
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 100_000 not in sizes:
        sizes.append(100_000)
    info = machine()
    print(f"{info['date']}  {info['cpu']}, {info['cores']} cores; load {os.getloadavg()[0]:.2f}")
    # paradecat's bytecode, compiled as pip compiles a wheel's files: an editable install has
    # none, and where PYTHONDONTWRITEBYTECODE is set (this machine) every run compiled it again
    compileall.compile_dir(REPO / "src" / "paradecat", quiet=1)
    for n in sizes:
        root = args.work / f"cache-n{n}"
        if not (root / "catalog").is_dir():
            generate(n, root)
        reps = args.full_reps if n >= 100_000 else args.reps
        timed = runs(root)
        print(f"\nN = {n:,} entries, {reps} rounds", flush=True)
        for round_ in range(reps):
            shift = round_ % len(timed)
            for run in timed[shift:] + timed[:shift]:
                run.once()
        by = {r.name: r for r in timed}
        for run in timed:
            print(f"  {run.name:<24} {run.median:7.2f}s {mib(max(run.peaks)):>10}")
        cold = by["validate cold"].median
        change = by["validate warm, change"].median
        share = 0.05 if n >= 100_000 else 0.10
        print(check("validate, one-file change ÷ cold", change / cold, share))
        print(check("validate, no change ÷ cold", by["validate warm"].median / cold, 0.03))
        build_change = by["build warm, change"].median / by["build cold"].median
        print(check("build, one-file change ÷ cold", build_change, share))
        floor = by["floor"].median
        print(check("validate cold ÷ floor (cache on)", cold / floor, 1.0))
        print(check("validate ÷ floor (cache off)", by["validate no cache"].median / floor, 1.0))
        print(check("build cold ÷ floor (cache on)", by["build cold"].median / floor, 1.4))
        print(check("build ÷ floor (cache off)", by["build no cache"].median / floor, 1.4))
        if n >= 100_000:
            print(check("validate, one-file change (s)", change, 1.5))
            peak = max(by["validate warm, change"].peaks) / 2**20
            print(check("validate warm peak memory (MiB)", peak, 400))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
