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
from typing import Any

from .claims import accepted_value
from .consistency import contingent_facts, unit_facts
from .engine import RULES, Rule, rule, run_rules
from .index import CatalogueIndex, FileRecord
from .quotations import quote_facts
from .references import based_on_facts, document_references, raw_references
from .showings import showing_facts


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
    "CatalogueIndex",
    "FileRecord",
    "Rule",
    "accepted_value",
    "document_references",
    "entry_facts",
    "raw_references",
    "rule",
    "run_rules",
]
