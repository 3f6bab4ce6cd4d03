"""Writes 2,000 different country names where codes belong (each fuzzy country search takes ~7 ms)."""

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
    header + "origin:\n" + "".join(f"  - Republic of Kazakhstan {i}\n" for i in range(2_000)),
    encoding="utf-8",
)
