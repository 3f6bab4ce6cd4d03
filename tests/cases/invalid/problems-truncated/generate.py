"""Writes a parade with 300 wrongly typed counts: 200 are described, one problem stands for the
rest, and the output says how many more problems it does not show."""

parades = here / "catalog" / "parades"
parades.mkdir(parents=True, exist_ok=True)
lines = [
    "# yaml-language-server: $schema=../../schema/parade.schema.json",
    "id: 2025-05-07-astana",
    "name: Astana Victory Parade 2025",
    "kind: military_parade",
    "date: 2025-05-07",
    "city: Astana",
    "country: KZ",
    "sources: [mt-2025-05-08]",
    "appearances:",
]
lines += [
    "  - {system: tor-m2k, reported_as: Tor, segment: mechanized_column,"
    f" identification: confirmed, count: many{i}}}"
    for i in range(300)
]
(parades / "2025-05-07-astana.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
