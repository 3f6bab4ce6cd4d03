"""The hostile-input suite: every case ends in a located error, exit code 1, no traceback, under
5 s and under 512 MiB, measured on a real `paradecat validate` process.

tests/cases/hostile/index.txt names the cases. Each one is copied to a temporary folder, its
generate.py (if any) writes what is too big or too odd to commit, and `paradecat validate` runs in
its own process under an address-space limit, so a runaway case fails instead of taking the machine.
The process's own peak memory comes from wait4(), not from the test process.

`python -m tests.test_hostile` prints the table of cases, messages, times and peak memory.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
HOSTILE = CASES / "hostile"
PARADECAT = Path(sys.executable).parent / "paradecat"

MAX_SECONDS = 5.0
MAX_MIB = 512
# the guard that stops a runaway case before it takes the machine; above MAX_MIB so that the
# measurement, not the guard, decides (a Python process maps more than it touches)
ADDRESS_SPACE_LIMIT = 2048 * 1024 * 1024
KILL_AFTER_SECONDS = 60

MORE = re.compile(r"^… and [0-9,]+ more problems? not shown ")
MAX_SHOWN = 200  # paradecat validate --max-problems, by default
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning)\[")
SUMMARY = re.compile(r"^\d+ files? checked: ")


@dataclass(frozen=True)
class Case:
    """One folder of the suite and the kind of hostile input it stands for."""

    item: str
    folder: Path

    @property
    def name(self) -> str:
        """hostile/NAME or invalid/NAME."""
        return f"{self.folder.parent.name}/{self.folder.name}"


def read_index() -> list[Case]:
    """The cases named in tests/cases/hostile/index.txt, in order."""
    cases = []
    for line in (HOSTILE / "index.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item, _, folders = line.rpartition(": ")
        for folder in folders.split():
            cases.append(Case(item, (HOSTILE / folder).resolve()))
    return cases


INDEX = read_index()


@dataclass
class Run:
    """What one bounded process did."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


# The peak is the process's own, read from /proc/self/status (VmHWM) as it exits: a forked
# child's ru_maxrss starts at its parent's peak, so once pytest itself had grown past the
# limit, every run "used" 565 MiB whatever it did.
_PEAK_REPORTER = (
    "import atexit, os, runpy, sys\n"
    "def report():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            open(os.environ['PARADECAT_PEAK_FILE'], 'w').write(line.split()[1])\n"
    "atexit.register(report)\n"
    "sys.argv = ['paradecat', *sys.argv[1:]]\n"
    "runpy.run_module('paradecat', run_name='__main__')\n"
)


def run_bounded(args: list[str], cwd: Path, kill_after: float = KILL_AFTER_SECONDS) -> Run:
    """Run a command in its own process group with an address-space limit; its time and peak RSS."""
    with tempfile.TemporaryDirectory() as peak_dir:
        peak_file = Path(peak_dir) / "peak"
        if Path(args[0]) == PARADECAT:
            args = [sys.executable, "-c", _PEAK_REPORTER, *args[1:]]
        run = _run(args, cwd, kill_after, peak_file)
        if peak_file.exists():
            run.peak_mib = int(peak_file.read_text()) / 1024
        return run


def _run(args: list[str], cwd: Path, kill_after: float, peak_file: Path) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            args,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env={**os.environ, "GITHUB_ACTIONS": "false", "PARADECAT_PEAK_FILE": str(peak_file)},
            preexec_fn=_limit_address_space,
            start_new_session=True,
        )
        killer = threading.Timer(kill_after, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        try:
            # wait4 reaps this child alone, so ru_maxrss is its own peak (KiB on Linux)
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )


def prepare(case: Path, work: Path) -> Path:
    """Copy a case folder and run its generate.py there; the folder to validate."""
    target = work / case.name
    shutil.copytree(case, target, symlinks=True)
    generator = target / "generate.py"
    if generator.exists():
        code = compile(generator.read_text(encoding="utf-8"), str(generator), "exec")
        exec(code, {"here": target})
        generator.unlink()
    (target / "expected.txt").unlink()
    return target


def validate(case: Path, work: Path) -> Run:
    """`paradecat validate` on a prepared copy of the case, measured."""
    root = prepare(case, work)
    return run_bounded([str(PARADECAT), "validate", "--format", "text", "--root", "."], root)


def matches_expected(lines: list[str], expected: list[str]) -> bool:
    """Exact lines; a line '…' in expected.txt stands for any lines (for cases with huge output)."""
    if "…" not in expected:
        return lines == expected
    cut = expected.index("…")
    head, tail = expected[:cut], expected[cut + 1 :]
    return (
        len(lines) >= len(head) + len(tail)
        and lines[: len(head)] == head
        and lines[len(lines) - len(tail) :] == tail
    )


def test_index_names_every_hostile_folder() -> None:
    listed = {case.folder for case in INDEX}
    folders = {p.resolve() for p in HOSTILE.iterdir() if p.is_dir()}
    assert folders - listed == set(), "hostile cases missing from index.txt"
    assert all(case.folder.is_dir() for case in INDEX), "index.txt names a missing folder"


@pytest.fixture(autouse=True)
def _remove_what_a_case_leaves(tmp_path: Path) -> Iterator[None]:
    """rm -rf the case's copy, pass or fail: pytest's own cleanup of old runs recurses, and a
    folders-1000-deep left behind by a failed case ended every later run in a RecursionError."""
    yield
    subprocess.run(["rm", "-rf", str(tmp_path)], check=False)


@pytest.mark.parametrize("case", INDEX, ids=[c.name for c in INDEX])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    expected = (case.folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    run = validate(case.folder, tmp_path)
    lines = run.stdout.splitlines()
    assert run.code == 1, run.stdout + run.stderr
    assert run.stderr == "", run.stderr
    assert "Traceback" not in run.stdout
    assert SUMMARY.match(lines[-1]), lines[-1]
    located = lines[:-1]
    if located and MORE.match(located[-1]):
        located = located[:-1]  # the output is bounded: it says how many problems it leaves out
        assert len(located) == MAX_SHOWN
    problems = [LOCATED.match(line) for line in located]
    assert all(problems), [line for line, m in zip(located, problems, strict=False) if not m][:3]
    assert any(m and m["severity"] == "error" for m in problems)
    assert all(m and int(m["line"]) >= 1 and int(m["column"]) >= 1 for m in problems)
    assert matches_expected(lines[:-1], expected[:-1] if expected[-1:] == [lines[-1]] else expected)
    assert run.seconds < MAX_SECONDS, f"{run.seconds:.2f} s"
    assert run.peak_mib < MAX_MIB, f"{run.peak_mib:.0f} MiB"
    # no tag ran code: the YAML in tags-every-kind would have created this file (find and rm,
    # not rglob and rmtree, which recurse and fail on folders-1000-deep)
    found = subprocess.run(
        ["find", str(tmp_path), "-name", "pwned-by-yaml"], capture_output=True, text=True
    )
    assert found.returncode == 0 and not found.stdout.strip()
    subprocess.run(["rm", "-rf", str(tmp_path / case.folder.name)], check=True)


def test_github_annotations_cannot_be_forged(tmp_path: Path) -> None:
    """A value with line breaks cannot start a workflow command of its own in a CI log."""
    systems = tmp_path / "catalog" / "systems"
    systems.mkdir(parents=True)
    (systems / "tor-m2k.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        'id: "tor\\n::error file=README.md,line=1::forged\\r\\n::add-mask::x%0A"\n'
        "name: Tor-M2K\n"
        "category: air_defence_systems\n"
        "class: short_range_sam_system\n",
        encoding="utf-8",
    )
    run = run_bounded([str(PARADECAT), "validate", "--format", "github", "--root", "."], tmp_path)
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    # the line breaks in the value are shown as escapes, and a '%0A' written out in it is escaped
    assert "\\x0a::error file=README.md,line=1::forged\\x0d\\x0a::add-mask::x%250A" in run.stdout


def table() -> str:
    """The suite as a Markdown table: case, what the tool says, time and peak memory."""
    rows = [
        "| input | case | what the tool says | time | peak memory |",
        "| --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory() as work:
        for i, case in enumerate(INDEX):
            run = validate(case.folder, Path(work) / str(i))
            lines = run.stdout.splitlines()
            first = re.sub(r"^.+?:\d+:\d+: ", "", lines[0]) if len(lines) > 1 else run.stdout
            first = re.sub(r" \(hint: .*\)$", "", first).replace("|", "\\|")
            first = first if len(first) <= 110 else first[:107] + "..."
            where = LOCATED.match(lines[0]) if lines else None
            at = f"{Path(where['path']).name}:{where['line']}:{where['column']}" if where else "?"
            more = f" (+{len(lines) - 2} more)" if len(lines) > 2 else ""
            rows.append(
                f"| {case.item} | {case.name} | `{at}` {first}{more} | "
                f"{run.seconds:.2f} s | {run.peak_mib:.0f} MiB |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
