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
from .claims import accepted_value
from .engine import RULES, Rule, rule, run_rules
from .references import document_references, raw_references

__all__ = [
    "RULES",
    "Rule",
    "accepted_value",
    "document_references",
    "raw_references",
    "rule",
    "run_rules",
]
