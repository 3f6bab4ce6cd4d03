"""Writes 1,000 folders nested in catalog/systems/ (git commits them happily), with an entry at
the bottom: os.walk recursed and ended in a RecursionError in validate, build, serve and diff."""

import os

folder = here / "catalog" / "systems"
folder.mkdir(parents=True, exist_ok=True)
# one level at a time, relative to the last: a path this long is refused by some calls
fd = os.open(folder, os.O_RDONLY)
try:
    for _ in range(1000):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    with os.fdopen(os.open("x.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as out:
        out.write("id: x\n")
finally:
    os.close(fd)
