"""What a reader of a built database can see, to compare two databases by their contents."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from paradecat.db.tables import FTS


def dump(path: Path) -> dict[str, Any]:
    """Everything a reader of the database can see: every table's rows (in the order of their
    values: the rowid of a table with a primary key of its own is not part of it), the schema, the
    planner's statistics, and what the full-text index finds (after its own integrity check)."""
    db = sqlite3.connect(path)
    out: dict[str, Any] = {}
    tables = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%_fts%'"
    )
    for (name,) in tables.fetchall():
        out[name] = sorted(db.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr)
    out["schema"] = sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    stats = db.execute("SELECT * FROM sqlite_stat1").fetchall()
    out["statistics"] = sorted(row for row in stats if "_fts" not in row[0])
    for table in FTS:
        db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('integrity-check')")
        found = db.execute(
            f"SELECT t.id FROM {table}_fts f JOIN [{table}] t ON t.rowid = f.rowid "
            f"WHERE {table}_fts MATCH 'a* OR e* OR i* OR o* OR u* OR s* OR t*'"
        )
        out[f"{table} found"] = sorted(found.fetchall())
    db.close()
    return out
