"""Db: write the validated Catalog into SQLite, atomically, and export the release.

Takes the Catalog (catalog.py). Gives paradecat.db, built by sqlite-utils into a temporary file
and swapped in only when complete, and the release folder (CSV, JSON, datapackage.json).

- tables.py: the database contract: every table, column, key, index, view and FTS table
- rowset.py: the rows being gathered, and what every kind shares (names, citations, claims)
- rows.py: the rows of each kind of entry, gathered from the Catalog
- build.py: the atomic build
- translit.py: the other-script forms of every name, so search finds Барыс and Barys
- export.py: the data release
"""
