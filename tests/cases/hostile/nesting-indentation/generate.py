"""Writes mappings nested by indentation alone, as deep as fits under the 1 MiB cap (1,400 levels)."""

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
levels = "".join(" " * depth + "a:\n" for depth in range(1, 1400))
(systems / "tor-m2k.yaml").write_text(header + "notes:\n" + levels + " " * 1400 + "x\n", encoding="utf-8")
