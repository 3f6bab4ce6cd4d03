"""Writes 20,000 unknown fields into one file: 20,000 problems, each located, none lost."""

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
    header + "".join(f"field{i}: x\n" for i in range(20_000)), encoding="utf-8"
)
