"""Writes a system file just over the 1 MiB limit (too big to commit)."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)  # git keeps no empty folders

header = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
)
(systems / "tor-m2k.yaml").write_text(
    header + "description: " + "x" * 1024 * 1024 + "\n", encoding="utf-8"
)
