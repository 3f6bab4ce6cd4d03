"""Who an entry is: its id is its file name, and its file starts with the schema modeline."""

from __future__ import annotations

from collections.abc import Iterator

from ...catalog import Catalog
from ...problems import Problem
from .engine import SLUG_RE, at, rule

# --- identity ---------------------------------------------------------------------------------


@rule("id-mismatch")
def id_matches_file_name(catalog: Catalog) -> Iterator[Problem]:
    """The file name is the id.

    PASS: catalog/systems/tor-m2k.yaml holds `id: tor-m2k`
    FAIL: catalog/systems/tor.yaml holds `id: tor-m2k`
    """
    for kind, entry in catalog.entries():
        doc = catalog.document(kind, entry.id)
        stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != entry.id:
            how = " (they differ only in letter case)" if stem.lower() == entry.id.lower() else ""
            hint = f"rename the file to {entry.id}.yaml"
            if SLUG_RE.match(stem):
                hint += f", or set 'id: {stem}'"
            yield at(
                catalog,
                kind,
                entry.id,
                "/id",
                "id-mismatch",
                f"id '{entry.id}' does not match the file name '{stem}.yaml'{how}",
                hint,
            )


@rule("modeline")
def file_starts_with_modeline(catalog: Catalog) -> Iterator[Problem]:
    """Every file starts with the schema modeline, so editors validate and autocomplete it.

    PASS: first line `# yaml-language-server: $schema=../../schema/system.schema.json`
    FAIL: first line `id: tor-m2k`
    """
    for kind, entry in catalog.entries():
        expected = f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
        doc = catalog.document(kind, entry.id)
        if doc.first_line.strip() != expected:
            names_schema = doc.first_line.startswith("# yaml-language-server: $schema=")
            message = (
                "the modeline names another kind's schema"
                if names_schema
                else "the first line is not the schema modeline"
            )
            yield Problem(
                doc.path, 1, 1, "modeline", message, hint=f"make the first line: {expected}"
            )
