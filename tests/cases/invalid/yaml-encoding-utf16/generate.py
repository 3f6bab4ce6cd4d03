"""Writes a system file in UTF-16 with its byte-order mark, as some Windows editors save it."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)  # git keeps no empty folders

text = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
)
(systems / "tor-m2k.yaml").write_bytes(text.encode("utf-16"))
