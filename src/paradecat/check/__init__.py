"""Check: validate every document, then the catalogue as a whole, and report what is wrong.

Takes the Documents from load/. Gives a ValidationResult: the Catalog of every valid entry
(catalog.py) and every Problem, sorted by file and position, each with a hint.

- validate.py: the driver (files, JSON Schema, models, rules, in that order)
- fastschema.py: jsonschema-rs, which says valid or not fast
- schemaerrors.py: python-jsonschema's errors for a rejected file, in plain words
- hints.py: "did you mean", examples and type names for the messages
- rules/: the cross-entry rules, one module per theme; codes.py documents the loader and schema
  codes, and rulebook.py lists every code with its examples (docs/rules.md)
- report.py: the reporters (text, json, github), the only code here that prints
"""
