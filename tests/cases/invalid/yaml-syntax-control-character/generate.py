"""Writes a system file with a stray control character (BEL, U+0007) pasted into a description."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)  # git keeps no empty folders

text = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
    "description: Shown in Astana\x07 on Wednesday.\n"
)
(systems / "tor-m2k.yaml").write_text(text, encoding="utf-8")
