"""Read many catalogue files in order, in one process or, for a large catalogue, two."""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .files import LoadResult, load_file

# Below this many files a second process costs more than it saves.
PARALLEL_MIN_FILES = 2000
_CHUNK = 200  # files per task for the second process
# The parent also checks every file, so it reads less itself: checking takes about 0.6 of the
# time reading does, so the parent reading a fifth of the bytes leaves both processes as busy.
# A caller that does more with each file (the cache keeps it) asks for less.
PARENT_SHARE = 0.2


def _load_chunk(items: list[tuple[Path, str]]) -> list[LoadResult]:
    return [load_file(path, display) for path, display in items]


def _split(sizes: Sequence[int] | None, count: int, share: float) -> int:
    """How many of the first files the parent reads: share of the bytes (or of the files)."""
    if sizes is None or len(sizes) != count:
        return int(count * share)
    bytes_, taken = sum(sizes) * share, 0
    for n, size in enumerate(sizes):
        taken += size
        if taken > bytes_:
            return n
    return count


def _processes() -> int:
    """How many processes may read files: PARADECAT_PROCESSES, or the CPUs this process may use."""
    setting = os.environ.get("PARADECAT_PROCESSES", "")
    if setting.isdigit():
        return int(setting)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def load_files(
    items: Iterable[tuple[Path, str]],
    sizes: Sequence[int] | None = None,
    share: float = PARENT_SHARE,
) -> Iterator[LoadResult]:
    """load_file for each (path, display), in order; a large catalogue is read by two processes.

    Reading is most of the work, and the caller checks each result as it comes. The parent reads
    the first files itself (share of the bytes, by sizes when given, else of the files: a
    parade's file is several times a source's) while a forked process reads the rest in
    chunks; when the parent
    gets to a chunk the other process has not started, it reads that chunk itself, so the two
    share the work however busy the machine is. The results are the same either way. Each
    (path, display) is let go once read, so that a caller that does the same keeps only what
    it needs of 100,000 files.
    """
    work = list(items)
    del items
    if len(work) < PARALLEL_MIN_FILES or _processes() < 2 or sys.platform != "linux":
        work.reverse()
        while work:
            path, display = work.pop()
            yield load_file(path, display)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    split = _split(sizes, len(work), share)
    mine = work[:split]
    mine.reverse()
    chunks = deque(work[i : i + _CHUNK] for i in range(split, len(work), _CHUNK))
    del work
    context = multiprocessing.get_context("fork")  # nothing to import again; Linux only
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        futures = deque(pool.submit(_load_chunk, chunk) for chunk in chunks)
        while mine:
            path, display = mine.pop()
            yield load_file(path, display)
        while chunks:
            chunk, future = chunks.popleft(), futures.popleft()
            results = _load_chunk(chunk) if future.cancel() else future.result()
            del chunk, future
            results.reverse()
            while results:
                yield results.pop()
