"""Cross-entry rules: one function each, with a code, a severity and a docstring holding PASS and
FAIL examples. `paradecat rules` lists them and docs/rules.md is generated from them.

The themes are registered in this order, which is the order rules run and are listed in.
"""

from __future__ import annotations

# isort: off
# importing a theme registers its rules, in this order
from . import identity, references, countries, provenance  # noqa: F401
from . import claims, consistency, showings, quotations, text  # noqa: F401

# isort: on
from collections.abc import Callable
from typing import Any

from .claims import accepted_value
from .consistency import contingent_facts, unit_facts, unit_keys
from .engine import RULES, Rule, rule, run_catalogue, run_rules
from .index import CatalogueIndex, FileRecord
from .provenance import cite_keys
from .quotations import quote_facts, quote_keys
from .references import based_on_facts, based_on_keys, document_references, raw_references
from .showings import showing_facts, showing_keys

# Each catalogue rule's space: the keys of the groups a file is in, and which files count in a
# group. "view": the entry the rules see for its id (a valid one, or one built from the parts
# without problems of a file with errors); "loaded": every file that parsed; "cites": every
# parsed file for what it cites, and the valid source for itself.
SPACES: dict[str, tuple[Callable[[FileRecord], set[str]], str]] = {
    "unit": (unit_keys, "view"),
    "show": (showing_keys, "view"),
    "quote": (quote_keys, "view"),
    "based": (based_on_keys, "view"),
    "refs": (lambda record: {record.rel} if record.loaded else set(), "loaded"),
    "cites": (cite_keys, "cites"),
}


def entry_facts(kind: str, entry: Any) -> dict[str, Any]:
    """What the catalogue-wide rules read of one entry (FileRecord.facts)."""
    facts = quote_facts(kind, entry)
    if kind == "system":
        facts.update(based_on_facts(entry))
    elif kind == "unit":
        facts.update(unit_facts(entry))
    elif kind == "parade":
        facts.update(showing_facts(entry))
        facts.update(contingent_facts(entry))
    return facts


__all__ = [
    "RULES",
    "SPACES",
    "CatalogueIndex",
    "FileRecord",
    "Rule",
    "accepted_value",
    "document_references",
    "entry_facts",
    "raw_references",
    "rule",
    "run_catalogue",
    "run_rules",
]
