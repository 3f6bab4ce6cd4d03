"""Atomic, lossless builds: a build that fails for any reason leaves the previous database
byte-for-byte intact, and builds that race never leave a corrupt file.

Every failure is real: invalid data, a full disk (a small tmpfs in a private mount namespace, and
a file-size limit that makes writes fail with EFBIG), SIGKILL in the middle of the build, and a
read-only folder (a read-only bind mount, since chmod does not stop root).
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REPO
from .contents import dump
from .generated import generate

PARADECAT = str(Path(sys.executable).parent / "paradecat")


def sha256(path: Path) -> str:
    """The file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Temporary build files left in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def build(
    root: Path, db: Path, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """`paradecat build` in its own process."""
    return subprocess.run(
        [PARADECAT, "build", "--root", str(root), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the catalogue and a database built from it: (root, db, the db's hash)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "catalog", root / "catalog")
    out = tmp_path / "out"
    out.mkdir()
    db = out / "paradecat.db"
    result = build(root, db)
    assert result.returncode == 0, result.stderr
    return root, db, sha256(db)


def change_an_entry(root: Path) -> None:
    """A change for the next build to write (with nothing changed, it leaves the database be)."""
    path = sorted((root / "catalog" / "parades").glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")


def can_mount() -> bool:
    """True when this process may mount file systems in a private mount namespace."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "mount", "-t", "tmpfs", "tmpfs", "/mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


MOUNT = pytest.mark.skipif(not can_mount(), reason="needs root and unshare to mount a tmpfs")


def in_namespace(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace: its mounts vanish when it ends."""
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-euc", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env},
    )


def test_invalid_data_leaves_the_database_untouched(previous: tuple[Path, Path, str]) -> None:
    root, db, before = previous
    system = root / "catalog" / "systems" / "tor-m2k.yaml"
    system.write_text(system.read_text(encoding="utf-8") + "unknown_field: 1\n", "utf-8")
    result = build(root, db)
    assert result.returncode == 1
    assert "previous database is untouched" in result.stderr
    assert "unknown_field" in result.stderr
    assert sha256(db) == before
    assert leftovers(db.parent) == []


@MOUNT
def test_a_full_disk_leaves_the_database_untouched(previous: tuple[Path, Path, str]) -> None:
    root, db, before = previous
    disk = db.parent.parent / "disk"
    disk.mkdir()
    # room for the previous database and half of a new one
    size = db.stat().st_size * 3 // 2
    result = in_namespace(
        'mount -t tmpfs -o size="$SIZE" tmpfs "$DISK"\n'
        'cp "$DB" "$DISK/paradecat.db"\n'
        'rc=0; "$PARADECAT" build --root "$ROOT" --db "$DISK/paradecat.db" || rc=$?\n'
        'echo "rc=$rc"\n'
        'sha256sum "$DISK/paradecat.db"\n'
        'ls -A "$DISK"\n',
        SIZE=str(size),
        DISK=str(disk),
        DB=str(db),
        ROOT=str(root),
        PARADECAT=PARADECAT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "rc=1", result.stdout + result.stderr
    assert "disk is full" in result.stderr or "No space left" in result.stderr, result.stderr
    assert lines[1].split()[0] == before
    assert lines[2:] == ["paradecat.db"]  # the half-written temporary file is gone


def test_a_file_size_limit_leaves_the_database_untouched(previous: tuple[Path, Path, str]) -> None:
    root, db, before = previous

    def limit_file_size() -> None:
        # writes past 64 KiB fail with EFBIG instead of killing the process with SIGXFSZ
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    change_an_entry(root)
    result = build(root, db, preexec=limit_file_size)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cannot write the database" in result.stderr
    assert "Traceback" not in result.stderr
    assert sha256(db) == before
    assert leftovers(db.parent) == []


def test_sigkill_during_the_build_leaves_the_database_untouched(tmp_path: Path) -> None:
    root = generate(3000, tmp_path / "big")
    db = tmp_path / "out" / "paradecat.db"
    db.parent.mkdir()
    db.write_bytes(b"")
    assert build(REPO, db).returncode == 0
    before = sha256(db)
    rng = random.Random(7)
    for attempt in range(2):
        process = subprocess.Popen(
            [PARADECAT, "build", "--root", str(root), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # wait until the temporary database exists, then kill at a random moment of the write
        deadline = time.monotonic() + 60
        while not leftovers(db.parent) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert process.poll() is None, "the build finished before it could be killed"
        time.sleep(rng.uniform(0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, attempt
        assert sha256(db) == before, attempt
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        # a killed build cannot clean up: its temporary file stays beside the target, ignored
        for name in leftovers(db.parent):
            (db.parent / name).unlink()
    # and the next build succeeds
    assert build(root, db).returncode == 0
    assert sha256(db) != before


def test_a_read_only_folder_leaves_the_database_untouched(
    previous: tuple[Path, Path, str],
) -> None:
    root, db, before = previous
    folder = db.parent
    change_an_entry(root)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            result = build(root, db)
        finally:
            folder.chmod(0o755)
        code, err = result.returncode, result.stderr
    else:
        if not can_mount():
            pytest.skip("root ignores file modes; a read-only bind mount needs unshare")
        # root ignores file modes, so the folder is made read-only by a bind mount
        result = in_namespace(
            'mount --bind "$DIR" "$DIR"\n'
            'mount -o remount,bind,ro "$DIR"\n'
            'rc=0; "$PARADECAT" build --root "$ROOT" --db "$DIR/paradecat.db" 2>&1 || rc=$?\n'
            'echo "rc=$rc"\n',
            DIR=str(folder),
            ROOT=str(root),
            PARADECAT=PARADECAT,
        )
        code = int(result.stdout.splitlines()[-1].removeprefix("rc="))
        err = result.stdout
    assert code == 1, err
    assert "cannot write in" in err and "Read-only file system" in err, err
    assert sha256(db) == before
    assert leftovers(folder) == []


def test_concurrent_builds_never_corrupt_the_database(tmp_path: Path) -> None:
    small = REPO
    large = generate(300, tmp_path / "large")
    expected = {}
    contents = {}
    for name, root in (("small", small), ("large", large)):
        reference = tmp_path / f"{name}.db"
        assert build(root, reference).returncode == 0
        expected[sha256(reference)] = name
        contents[name] = dump(reference)
    assert len(expected) == 2
    db = tmp_path / "out" / "paradecat.db"
    db.parent.mkdir()
    errors: list[str] = []
    stop = threading.Event()

    def read_while_replaced() -> None:
        # a reader that opens the file while builds replace it sees one whole database or none
        while not stop.is_set():
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                        check = conn.execute("pragma quick_check").fetchone()
                        conn.execute("select count(*) from systems").fetchone()
                    if check != ("ok",):
                        errors.append(str(check))
                except sqlite3.Error as exc:
                    errors.append(repr(exc))
            time.sleep(0.002)

    reader = threading.Thread(target=read_while_replaced)
    reader.start()
    winners = []
    try:
        for _ in range(6):
            processes = [
                subprocess.Popen(
                    [PARADECAT, "build", "--root", str(root), "--db", str(db)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for root in (small, large)
            ]
            for process in processes:
                _, err = process.communicate(timeout=120)
                assert process.returncode == 0, err
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
            # a full build is the same bytes each time; a build that patched the database its
            # last run wrote (db/patch.py) holds the same rows
            found = dump(db)
            winner = next((name for name, rows in contents.items() if rows == found), None)
            assert winner is not None, "the result is neither build"
            winners.append(winner)
            assert leftovers(db.parent) == []
    finally:
        stop.set()
        reader.join()
    assert errors == []
