"""Work through many catalogue files in order, in one process or, for a large catalogue, two."""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from .files import LoadResult, load_file

# Below this many files a second process costs more than it saves.
PARALLEL_MIN_FILES = 2000
_CHUNK = 200  # files per task for the second process
# How much of the bytes the parent works through itself while the other process starts: after
# that the two take chunks in turn, whichever is free first, so this only sets where they begin.
PARENT_SHARE = 0.1

Item = TypeVar("Item")
Result = TypeVar("Result")


def _run_chunk(work: Callable[[Item], Result], items: list[Item]) -> list[Result]:
    return [work(item) for item in items]


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


def map_files(
    work: Callable[[Item], Result],
    items: Iterable[Item],
    sizes: Sequence[int] | None = None,
    share: float = PARENT_SHARE,
) -> Iterator[Result]:
    """work(item) for each item, in order; for a large catalogue, in two processes.

    work's results must be picklable. The parent does the first items itself (share of the
    bytes, by sizes when given, else of the items: a parade's file is several times a source's)
    while a forked process starts on the rest; from then on the two take the next chunk in turn,
    whichever is free first, from a counter they share, and the other process sends back what
    it worked out. So they stay as busy however much more the caller does with each result, and
    however busy the machine is; the results are the same either way. Should the other process
    fail to answer, the parent does its chunks. Each item is let go once done, so that a caller
    that does the same keeps only what it needs of 100,000 files.
    """
    todo = list(items)
    del items
    if len(todo) < PARALLEL_MIN_FILES or _processes() < 2 or sys.platform != "linux":
        todo.reverse()
        while todo:
            yield work(todo.pop())
        return
    split = _split(sizes, len(todo), share)
    mine = todo[:split]
    mine.reverse()
    chunks: list[list[Item] | None] = [
        todo[i : i + _CHUNK] for i in range(split, len(todo), _CHUNK)
    ]
    del todo
    with _Other(work, chunks) as other:
        while mine:
            yield work(mine.pop())
        for n in range(len(chunks)):
            results = other.results(n)
            results.reverse()
            while results:
                yield results.pop()


class _Other(Generic[Item, Result]):
    """The other process: it takes chunks from the counter it shares with the parent and sends
    (number, results) back, in the order it took them."""

    def __init__(self, work: Callable[[Item], Result], chunks: list[list[Item] | None]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")  # nothing to import again; Linux only
        self.work, self.chunks = work, chunks
        self.taken = context.Value("q", 0)  # the next chunk nobody has taken
        self.done: dict[int, list[Result]] = {}
        self.mine: set[int] = set()  # the chunks the parent took
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(work, chunks, self.taken, writer), daemon=True
        )
        self.process.start()
        writer.close()
        self.alive = True
        # the pipe holds little: a thread takes what is sent as it comes (the bytes only, which
        # lets Python's lock go), so that the other process never waits on the parent
        self.inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.receiver = threading.Thread(target=self._receive, name="paradecat-receive")
        self.receiver.start()

    def _receive(self) -> None:
        try:
            while True:
                self.inbox.put(self.reader.recv_bytes())
        except (EOFError, OSError):
            self.inbox.put(None)

    def __enter__(self) -> _Other[Item, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        with self.taken.get_lock():
            self.taken.value = len(self.chunks)  # nothing more for it to start
        if self.process.is_alive() and exc[0] is not None:
            self.process.kill()
        self.process.join()
        self.receiver.join()
        self.reader.close()

    def _take(self) -> int | None:
        with self.taken.get_lock():
            n = int(self.taken.value)
            if n >= len(self.chunks):
                return None
            self.taken.value = n + 1
        self.mine.add(n)
        return n

    def results(self, n: int) -> list[Result]:
        """Chunk n's results: the parent works chunks itself until chunk n is done by either."""
        while n not in self.done:
            if n in self.mine or not self.alive:
                self.done[n] = _run_chunk(self.work, self._chunk(n))
                continue
            taken = self._take()
            if taken is not None:  # the other process is on an earlier chunk: do the next one
                self.done[taken] = _run_chunk(self.work, self._chunk(taken))
                continue
            sent = self.inbox.get()
            if sent is None:
                self.alive = False  # it has gone: the chunks it took and did not send are ours
                continue
            got, value = pickle.loads(sent)
            if isinstance(value, BaseException):
                raise value
            self.done[got] = value
        self.chunks[n] = None
        return self.done.pop(n)

    def _chunk(self, n: int) -> list[Item]:
        chunk = self.chunks[n]
        assert chunk is not None
        return chunk


def _serve(
    work: Callable[[Item], Result], chunks: list[list[Item] | None], taken: Any, writer: Any
) -> None:
    """The other process's loop (see _Other)."""
    try:
        while True:
            with taken.get_lock():
                n = int(taken.value)
                if n >= len(chunks):
                    return
                taken.value = n + 1
            chunk = chunks[n]
            assert chunk is not None  # only the parent's copy is let go
            try:
                sent = pickle.dumps((n, _run_chunk(work, chunk)), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                error = exc if _picklable(exc) else RuntimeError(repr(exc))
                writer.send_bytes(pickle.dumps((n, error)))
                return
            writer.send_bytes(sent)
    finally:
        writer.close()


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def _load(item: tuple[Path, str]) -> LoadResult:
    return load_file(*item)


def load_files(
    items: Iterable[tuple[Path, str]],
    sizes: Sequence[int] | None = None,
    share: float = PARENT_SHARE,
) -> Iterator[LoadResult]:
    """load_file for each (path, display), in order (map_files)."""
    return map_files(_load, items, sizes, share)
