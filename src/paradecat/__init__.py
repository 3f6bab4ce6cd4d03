"""paradecat: the open catalogue of equipment, contingents and personnel shown at military parades.

One subpackage per pipeline stage, data moving one way (docs/architecture.md):
model/ (what an entry is) -> load/ (strict YAML) -> check/ (schema, models, rules) -> catalog.py
(the valid entries) -> db/ (SQLite, export) -> site/ (Datasette); contribute/ (new, diff) and
cli/ (the command line) on top. problems.py is the located Problem every stage reports in.
"""

__version__ = "0.1.0"
