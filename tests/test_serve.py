"""`paradecat serve` as a real process on a free loopback port."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

from .conftest import REPO
from .servers import running_serve


def test_serve_builds_and_serves(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    shutil.copy(REPO / "metadata.yml", tmp_path / "metadata.yml")
    db = tmp_path / "paradecat.db"
    with running_serve(tmp_path, db) as server:
        with urllib.request.urlopen(
            f"{server.base}/paradecat/systems.json?_shape=array&id=tor-m2k", timeout=5
        ) as r:
            assert '"tor-m2k"' in r.read().decode()
        with urllib.request.urlopen(f"{server.base}/", timeout=5) as response:
            assert response.status == 200
        assert db.exists()
    assert "Uvicorn running on http://127.0.0.1" in server.log.read_text()
