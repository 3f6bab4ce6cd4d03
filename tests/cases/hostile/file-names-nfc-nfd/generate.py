"""Writes two files named 'café.yaml', in NFC and in NFD, that both claim the ASCII id 'cafe'."""

import unicodedata

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
for form in ("NFC", "NFD"):
    (systems / f"{unicodedata.normalize(form, 'café')}.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        "id: cafe\n"
        f"name: Café ({form})\n"
        "category: air_defence_systems\n"
        "class: short_range_sam_system\n"
        "sources: [mt-2025-05-08]\n",
        encoding="utf-8",
    )
