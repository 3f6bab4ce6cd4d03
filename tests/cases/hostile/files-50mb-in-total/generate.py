"""Writes 50 system files of 1,000,000 bytes each, every one under the 1 MiB cap: 50 MB in total."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
for i in range(50):
    text = (
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        f"id: s{i:02d}\n"
        "name: Tor-M2K\n"
        "category: air_defence_systems\n"
        "class: short_range_sam_system\n"
        "sources: [mt-2025-05-08]\n"
        "description: "
    )
    text += "x" * (1_000_000 - len(text) - 1) + "\n"
    (systems / f"s{i:02d}.yaml").write_text(text, encoding="utf-8")
