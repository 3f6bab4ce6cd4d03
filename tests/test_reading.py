"""Working through many files in two processes (load/reading.py's map_files): the two share the
work whichever is busier, the answer is the one one process gives, and a second process that
fails or goes away neither hangs the run nor changes its answer."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from paradecat.check.validate import validate_catalog
from paradecat.load import reading
from tests.generated import generate

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="a second process is used on Linux only"
)


@pytest.fixture(autouse=True)
def _two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(reading, "_CHUNK", 5)
    monkeypatch.setenv("PARADECAT_PROCESSES", "2")


def _who(pause: float, item: int) -> tuple[int, int]:
    time.sleep(pause)
    return item, os.getpid()


def _dies_in_the_other(parent: int, item: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # as if killed: no answer, no error
    time.sleep(0.002)
    return item * 2


def _fails_in_the_other(parent: int, item: int) -> int:
    if os.getpid() != parent:
        raise ValueError(f"item {item} cannot be worked out")
    time.sleep(0.002)
    return item


def test_both_processes_work_and_the_results_come_in_order() -> None:
    done = list(reading.map_files(partial(_who, 0.002), range(300)))
    assert [item for item, _ in done] == list(range(300))
    pids = [pid for _, pid in done]
    assert os.getpid() in pids
    others = set(pids) - {os.getpid()}
    assert len(others) == 1
    # neither did nearly all of it: they take chunks in turn
    share = pids.count(os.getpid()) / len(pids)
    assert 0.15 < share < 0.85, share


def test_a_parent_that_does_more_with_each_result_does_fewer_itself() -> None:
    def slow_caller() -> list[int]:
        pids = []
        for _, pid in reading.map_files(partial(_who, 0.002), range(300), share=0.05):
            time.sleep(0.004)  # the caller's own work on each result, in the parent
            pids.append(pid)
        return pids

    pids = slow_caller()
    assert pids.count(os.getpid()) < len(pids) / 2


def test_a_second_process_that_goes_away_leaves_its_work_to_the_parent() -> None:
    work = partial(_dies_in_the_other, os.getpid())
    assert list(reading.map_files(work, range(200), share=0.5)) == [i * 2 for i in range(200)]
    assert multiprocessing.active_children() == []


def test_an_error_in_the_second_process_is_raised_in_the_parent() -> None:
    work = partial(_fails_in_the_other, os.getpid())
    with pytest.raises(ValueError, match="cannot be worked out"):
        list(reading.map_files(work, range(200), share=0.5))
    assert multiprocessing.active_children() == []


def test_a_caller_that_stops_early_leaves_no_process_behind() -> None:
    found = reading.map_files(partial(_who, 0.001), range(500), share=0.05)
    assert [next(found)[0] for _ in range(60)] == list(range(60))
    found.close()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cold-cache"])
def test_two_processes_check_and_keep_what_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    """What the other process sends back (a record, the cache's text, a valid entry made again
    from its data) is what the parent would have made."""
    generate(200, tmp_path, seed=11)
    systems = tmp_path / "catalog" / "systems"
    (systems / "zz-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    runs = {}
    for processes in ("1", "2"):
        shutil.rmtree(tmp_path / ".paradecat-cache", ignore_errors=True)
        monkeypatch.setenv("PARADECAT_PROCESSES", processes)
        runs[processes] = validate_catalog(tmp_path, cache=cache)
        if cache:  # and warm, from what each kept
            monkeypatch.setenv("PARADECAT_PROCESSES", "1")
            warm = validate_catalog(tmp_path, cache=True)
            assert warm.problems == runs[processes].problems
            assert list(warm.catalog.entries()) == list(runs[processes].catalog.entries())
    one, two = runs["1"], runs["2"]
    assert one.problems and two.problems == one.problems
    assert list(two.catalog.entries()) == list(one.catalog.entries())
    assert one.catalog.documents.keys() == two.catalog.documents.keys()
    for (kind, entry_id), doc in one.catalog.documents.items():
        assert two.catalog.document(kind, entry_id).data == doc.data
