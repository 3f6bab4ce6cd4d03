"""Makes catalog/ itself a link to a valid catalogue outside the case: it must not be followed."""

import os

outside = here / "outside" / "systems"
outside.mkdir(parents=True)
(outside / "tor-m2k.yaml").write_text(
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n",
    encoding="utf-8",
)
os.symlink("outside", here / "catalog")
