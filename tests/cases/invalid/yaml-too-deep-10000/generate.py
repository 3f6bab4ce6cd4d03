"""Writes a system file whose notes nest 10,000 flow lists, deep enough to overflow a recursive parser."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)  # git keeps no empty folders

text = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
    "notes: " + "[" * 10_000 + "]" * 10_000 + "\n"
)
(systems / "tor-m2k.yaml").write_text(text, encoding="utf-8")
