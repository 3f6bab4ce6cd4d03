"""Makes symbolic links that point outside catalog/: to a system file, to the file system root,
up to the repository (a loop), to nowhere, and a kind folder that is a link."""

import os

catalog = here / "catalog"
(catalog / "systems").mkdir(exist_ok=True)
(catalog / "units").mkdir(exist_ok=True)
os.symlink("/etc/passwd", catalog / "systems" / "passwd.yaml")
os.symlink("/", catalog / "systems" / "root")
os.symlink("../..", catalog / "units" / "loop")
os.symlink("missing.yaml", catalog / "units" / "dangling.yaml")
os.symlink("/etc", catalog / "parades")
