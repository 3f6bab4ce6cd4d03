"""Writes two systems whose ids are 'café' in NFC and in NFD: one string to a reader, two to a
computer (macOS would fold the two file names into one, so they are not committed)."""

import unicodedata

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
for form in ("NFC", "NFD"):
    entry_id = unicodedata.normalize(form, "café")
    (systems / f"{entry_id}.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        f"id: {entry_id}\n"
        f"name: Café ({form})\n"
        "category: air_defence_systems\n"
        "class: short_range_sam_system\n"
        "sources: [mt-2025-05-08]\n",
        encoding="utf-8",
    )
