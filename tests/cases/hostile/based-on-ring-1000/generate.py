"""Writes 1,000 systems each based on the next, the last on the first: one ring through all of them."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
for i in range(1000):
    (systems / f"s{i:03d}.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/system.schema.json\n"
        f"id: s{i:03d}\n"
        f"name: S-{i}\n"
        "category: armoured_vehicles\n"
        "class: mrap\n"
        "sources: [mt-2025-05-08]\n"
        f"based_on: {{name: S-{(i + 1) % 1000}, system: s{(i + 1) % 1000:03d}}}\n",
        encoding="utf-8",
    )
