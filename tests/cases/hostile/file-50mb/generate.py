"""Writes a 50 MB system file (too big to commit); libyaml would take 35 s and 1.8 GB to parse it."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
header = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
    "names:\n"
)
with open(systems / "tor-m2k.yaml", "w", encoding="utf-8") as out:
    out.write(header)
    row = "  - {name: Tor, lang: en}\n"
    out.write(row * (50_000_000 // len(row)))
