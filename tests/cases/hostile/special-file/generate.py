"""Makes a named pipe where an entry belongs: reading it would block for ever."""

import os

(here / "catalog" / "systems").mkdir(exist_ok=True)
os.mkfifo(here / "catalog" / "systems" / "tor-m2k.yaml")
