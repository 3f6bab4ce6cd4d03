"""Writes 500,000 nested flow lists, as deep as fits under the 1 MiB cap (libyaml segfaults past 25,000 unguarded)."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
header = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
)
(systems / "tor-m2k.yaml").write_text(
    header + "notes: " + "[" * 500_000 + "]" * 500_000 + "\n", encoding="utf-8"
)
