"""Writes counts that are huge integers, one per file: 10**30 written out, 0x and 1,000 hex digits,
a claim of 1,000,000 nines, 1e30 and 1_000 (which YAML 1.2 reads as a float and as text)."""

parades = here / "catalog" / "parades"
parades.mkdir(exist_ok=True)
counts = {
    "personnel-10-pow-30": f"personnel: {10**30}\n",
    "personnel-10-pow-29": f"personnel: {{value: {10**29}, qualifier: over}}\n",
    "aircraft-hex": f"aircraft: 0x{'f' * 1000}\n",
    "claim-million-digits": "claims:\n  - field: personnel\n"
    f"    value: {'9' * 1_000_000}\n    source: mt-2025-05-08\n",
    "formations-float": "formations: 1e30\n",
    "contingent-underscores": "contingents:\n  - country: KZ\n    personnel: 1_000\n",
}
for name, line in counts.items():
    entry_id = f"2025-05-07-{name}"
    (parades / f"{entry_id}.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/parade.schema.json\n"
        f"id: {entry_id}\n"
        "name: Astana Victory Parade 2025\n"
        "kind: military_parade\n"
        "date: 2025-05-07\n"
        "city: Astana\n"
        "country: KZ\n"
        "sources: [mt-2025-05-08]\n" + line,
        encoding="utf-8",
    )
