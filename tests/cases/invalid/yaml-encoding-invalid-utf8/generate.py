"""Writes a system file with one Latin-1 byte (0xf8, 'ø') in otherwise UTF-8 text."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)  # git keeps no empty folders

text = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: nasams\n"
    "name: NASAMS\n"
    "category: air_defence_systems\n"
    "class: medium_range_sam_system\n"
    "description: Shown in Kraków and Troms@.\n"
    "sources: [mt-2025-05-08]\n"
)
data = text.encode("utf-8").replace(b"@", b"\xf8")
(systems / "nasams.yaml").write_bytes(data)
