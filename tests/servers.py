"""`paradecat serve` as a real process on a free loopback port, shared by the tests that need one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PARADECAT = str(Path(sys.executable).parent / "paradecat")


def free_port() -> int:
    """A port nothing listens on, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running server: where it answers, its process and its log."""

    base: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def running_serve(
    root: Path, db: Path, *extra: str, log: Path | None = None, hashed_urls: bool = False
) -> Iterator[Server]:
    """Start `paradecat serve` for root, wait until it answers, and stop it afterwards.

    Its URLs stay `/paradecat/...` unless hashed_urls is true: the tests that send raw requests
    and check each answer (redirects included) ask for those paths; tests/test_publish.py checks
    the hashed ones.

    The server logs every request into a file: a pipe that nobody reads fills up after a few
    hundred requests and then blocks the server in the middle of one.
    """
    port = free_port()
    log = log or root / "serve.log"
    command = [
        PARADECAT,
        "serve",
        "--port",
        str(port),
        "--root",
        str(root),
        "--db",
        str(db),
        *([] if hashed_urls else ["--no-hashed-urls"]),
        *extra,
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{server.base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "paradecat serve did not start:\n" + log.read_text(errors="replace")
                    )
                time.sleep(0.3)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
