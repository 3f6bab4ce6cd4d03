"""`paradecat validate` asked again with nothing changed is answered before the command line is
loaded (paradecat/__main__.py): only when asked a way it reads exactly as click does, and with
the answer the command line gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paradecat.__main__ import _asked
from paradecat.check.cache import CACHE_DIR
from paradecat.check.memo import MEMO_FILE
from paradecat.cli import validate

from .test_cache import CASES, _age_everything, _prepare_old, count_scans

PARADECAT = str(Path(sys.executable).parent / "paradecat")

ASKED = [
    ["validate"],
    ["validate", "-q"],
    ["validate", "--quiet", "--root", "."],
    ["validate", "--root=.", "--format", "json"],
    ["validate", "--format=github", "--max-problems", "0"],
    ["validate", "--max-problems=007", "-q", "--root", "./"],
    ["validate", "--root", "elsewhere", "--root", "."],  # the last one counts
    ["validate", "--format", "json", "--format", "text"],
]

NOT_ASKED_SO = [
    [],
    ["build"],
    ["--version"],
    ["validate", "catalog/systems"],  # paths: the command line checks they exist
    ["validate", "--no-cache"],
    ["validate", "-h"],
    ["validate", "--help"],
    ["validate", "--root"],  # no value
    ["validate", "--root="],
    ["validate", "--root", "-q"],
    ["validate", "--format", "yaml"],
    ["validate", "--format", "JSON"],
    ["validate", "--max-problems", "-1"],
    ["validate", "--max-problems", "+1"],
    ["validate", "--max-problems", "1e3"],
    ["validate", "--max-problems", "٣"],  # an Arabic-Indic 3: rare enough to leave to click
    ["validate", "-qq"],
    ["validate", "--", "-q"],
    ["validate", "--rot", "."],
    ["validate", "--quiet=yes"],
]


@pytest.mark.parametrize("args", ASKED, ids=" ".join)
def test_what_is_answered_at_once_is_read_as_the_command_line_reads_it(args: list[str]) -> None:
    asked = _asked(args)
    assert asked is not None
    params = validate.make_context("validate", args[1:]).params
    assert asked[1:] == (params["fmt"], params["max_problems"])
    assert str(Path(asked[0])) == str(params["root"])
    assert not params["paths"] and not params["no_cache"]


@pytest.mark.parametrize("args", NOT_ASKED_SO, ids=lambda a: " ".join(a) or "nothing")
def test_anything_else_goes_to_the_command_line(args: list[str]) -> None:
    assert _asked(args) is None


def _run(args: list[str], work: Path) -> tuple[int, bytes]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    done = subprocess.run([PARADECAT, *args], cwd=work, env=env, capture_output=True)
    assert b"Traceback" not in done.stderr
    return done.returncode, done.stdout


@pytest.mark.parametrize(
    "args",
    [a for a in ASKED if "elsewhere" not in a],
    ids=" ".join,
)
def test_an_answer_given_at_once_is_the_command_line_s(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare_old(CASES / "invalid" / "all-at-once", tmp_path, monkeypatch)
    expected = _run([*args, "--no-cache"], work)
    assert expected[0] == 1 and expected[1]
    assert _run(args, work) == expected  # worked out, and kept by the memo
    kept = json.loads((work / CACHE_DIR / MEMO_FILE).read_text(encoding="utf-8"))
    assert _run(args, work) == expected  # answered at once
    assert json.loads((work / CACHE_DIR / MEMO_FILE).read_text(encoding="utf-8")) == kept


def test_an_unchanged_catalogue_is_answered_without_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _prepare_old(CASES / "invalid" / "all-at-once", tmp_path, monkeypatch)
    assert _run(["validate"], work)[0] == 1
    path = work / CACHE_DIR / MEMO_FILE
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**kept, "output": "ANSWERED AT ONCE"}), encoding="utf-8")
    script = (
        "import sys\n"
        "from paradecat.__main__ import main\n"
        "sys.argv = ['paradecat', 'validate', '-q']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print('click' in sys.modules, exc.code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, text=True)
    assert done.stdout == "ANSWERED AT ONCE\nFalse 1\n", done.stderr
    # the memo's text with a terminal's styles goes to the command line, which strips them
    path.write_text(json.dumps({**kept, "output": "\x1b[31mANSWERED\x1b[0m"}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, text=True)
    assert done.stdout == "ANSWERED\nTrue 1\n", done.stderr


def test_a_run_the_memo_cannot_answer_walks_the_tree_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The walk made to look for an answer at once is the one the command line then works the
    answer out from (memo.walk's hand_on)."""
    from paradecat.__main__ import main

    work = _prepare_old(CASES / "valid" / "minimal", tmp_path, monkeypatch)
    expected = _run(["validate", "--no-cache"], work)
    scanned = count_scans(work, monkeypatch)
    monkeypatch.setattr(sys, "argv", ["paradecat", "validate"])
    entry = next((work / "catalog").rglob("*.yaml"))
    for step in ("cold", "one file changed"):
        scanned.clear()
        with pytest.raises(SystemExit) as exit_:
            main()
        assert (exit_.value.code, capsys.readouterr().out.encode()) == expected, step
        catalog = [p for p in scanned if p.split(os.sep)[0] == "catalog"]
        assert catalog and len(catalog) == len(set(catalog)), (step, sorted(catalog))
        with entry.open("a", encoding="utf-8") as out:
            out.write("# a comment\n")
        _age_everything(work)
