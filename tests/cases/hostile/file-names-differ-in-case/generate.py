"""Writes tor-m2k.yaml and Tor-M2K.yaml, both with id tor-m2k (they cannot both exist in a
checkout on a case-insensitive file system, so they are not committed)."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
for name in ("tor-m2k", "Tor-M2K"):
    (systems / f"{name}.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        "id: tor-m2k\n"
        "name: Tor-M2K\n"
        "category: air_defence_systems\n"
        "class: short_range_sam_system\n"
        "sources: [mt-2025-05-08]\n",
        encoding="utf-8",
    )
