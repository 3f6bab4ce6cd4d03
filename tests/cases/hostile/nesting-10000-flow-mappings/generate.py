"""Writes notes nested 10,000 flow mappings deep ({a: {a: … }})."""

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
    header + "notes: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n", encoding="utf-8"
)
