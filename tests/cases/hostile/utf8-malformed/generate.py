"""Writes files with malformed UTF-8 and foreign encodings (bytes that are unsafe to commit)."""

systems = here / "catalog" / "systems"
systems.mkdir(exist_ok=True)
header = (
    "# yaml-language-server: $schema=../../schema/system.schema.json\n"
    "id: tor-m2k\n"
    "name: Tor-M2K\n"
    "category: air_defence_systems\n"
    "class: short_range_sam_system\n"
    "sources: [mt-2025-05-08]\n"
).encode()
bad = {
    "overlong": b"notes: \xc0\xaf slash\n",  # '/' in two bytes
    "surrogate": b"notes: \xed\xa0\x80\n",  # U+D800 encoded
    "truncated": b"notes: \xd0",  # a two-byte character cut off at the end of the file
    "continuation": b"# a stray continuation byte \x80 in a comment\n",
    "latin1": "notes: Almaty café\n".encode("latin-1"),
    "cp1251": "notes: Алматы\n".encode("cp1251"),
    "utf32": "id: tor-m2k\n".encode("utf-32"),  # with a BOM
    "utf16be": "id: tor-m2k\n".encode("utf-16-be"),
    "utf32be": "id: tor-m2k\n".encode("utf-32-be"),  # no BOM: NUL bytes give it away
}
for name, tail in bad.items():
    (systems / f"{name}.yaml").write_bytes(tail if name.startswith("utf") else header + tail)
