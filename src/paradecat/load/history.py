"""When each catalogue file was added and last changed, from the git history of the work tree.

The catalogue's files say what is known, not when an entry was written; the repository's commits
do. The site's feed of added and changed entries is built from these dates (db/ writes them into
`entry_history`). A catalogue outside a git work tree, or on a machine without git, has no
history, and neither has a shallow clone (whose oldest commit would seem to add every file):
every date is then unknown, never made up. CI must clone with the whole history
(`fetch-depth: 0`).
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

# separates one commit's date from the files it touched in `git log` output
_RECORD = "\x1e"


def file_history(root: Path, folder: str = "catalog") -> dict[str, tuple[str, str]]:
    """For each file under root/folder that a commit touched, by its path below root: when a
    commit first added it and when one last changed it (committer dates, RFC 3339 in UTC)."""
    command = ["git", "-C", str(root), "log", f"--format={_RECORD}%cI", "--name-only"]
    command += ["--no-renames", "--relative", "--", folder]
    try:
        # a shallow clone (CI's default) would date every file older than its first commit
        # by that commit: its dates are unknown instead
        shallow = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-shallow-repository"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        if shallow.stdout.strip() != b"false":
            return {}
        done = subprocess.run(command, capture_output=True, check=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return {}
    history: dict[str, tuple[str, str]] = {}
    # newest commit first: the first date seen for a file is its last change; each older one
    # moves its addition back
    for record in done.stdout.decode("utf-8", "replace").split(_RECORD)[1:]:
        date, *files = record.strip("\n").split("\n")
        when = _utc(date)
        for name in filter(None, files):
            history[name] = (when, history[name][1] if name in history else when)
    return history


def _utc(text: str) -> str:
    moment = datetime.datetime.fromisoformat(text.strip()).astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
