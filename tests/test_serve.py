"""`paradecat serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_builds_and_serves(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    shutil.copy(REPO / "metadata.yml", tmp_path / "metadata.yml")
    port = free_port()
    paradecat = Path(sys.executable).parent / "paradecat"
    process = subprocess.Popen(
        [
            str(paradecat),
            "serve",
            "--port",
            str(port),
            "--root",
            str(tmp_path),
            "--db",
            str(tmp_path / "paradecat.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/paradecat/systems.json?_shape=array", timeout=5
                ) as response:
                    body = response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, (
                    process.stdout.read().decode() if process.stdout else ""
                )
                time.sleep(0.3)
        assert '"tor-m2k"' in body
        assert (tmp_path / "paradecat.db").exists()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
