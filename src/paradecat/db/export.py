"""The data release: one CSV and one JSON file per table and view, a Frictionless data package, and
the SQLite database itself.

Everything is read back from a built database, so the release says exactly what the site serves:
field types, primary keys and foreign keys come from SQLite's own schema, and descriptions from
metadata.yml.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import formulas

DATABASE_FILE = "paradecat.db"
DESCRIPTOR_FILE = "datapackage.json"

# SQLite declared type -> Table Schema field type
FIELD_TYPES = {"TEXT": "string", "INTEGER": "integer", "REAL": "number", "FLOAT": "number"}

# Full ISO dates (the models enforce YYYY-MM-DD); sources.published may be YYYY or YYYY-MM
DATE_FIELDS = {("parades", "date"), ("sources", "accessed"), ("parade_systems", "date")}


class ExportError(Exception):
    """The release could not be written."""


@dataclass(frozen=True)
class Release:
    """What an export wrote: the data package descriptor and every file beside it."""

    descriptor: Path
    files: list[Path]


def _is_searchable_index(name: str) -> bool:
    return name.endswith("_fts") or "_fts_" in name


def _relations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "select name, type from sqlite_master where type in ('table', 'view') "
        "and name not like 'sqlite_%' order by type, rowid"
    ).fetchall()
    return [(name, kind) for name, kind in rows if not _is_searchable_index(name)]


def _schema(conn: sqlite3.Connection, name: str, columns_meta: dict[str, str]) -> dict[str, Any]:
    """The Table Schema of one table or view: fields, primary key and foreign keys."""
    info = conn.execute(f"pragma table_info([{name}])").fetchall()
    fields = []
    for _, column, declared, not_null, _, pk in info:
        field: dict[str, Any] = {
            "name": column,
            "type": FIELD_TYPES.get((declared or "").upper(), "any"),
        }
        if (name, column) in DATE_FIELDS:
            field["type"] = "date"
        if columns_meta.get(column):
            field["description"] = columns_meta[column]
        if not_null or pk:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields}
    primary_key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    if primary_key:
        schema["primaryKey"] = primary_key
    foreign_keys = []
    for row in conn.execute(f"pragma foreign_key_list([{name}])").fetchall():
        _, _, other, column, other_column = row[:5]
        foreign_keys.append(
            {
                "fields": [column],
                # a reference to the same table is written with an empty resource name
                "reference": {"resource": "" if other == name else other, "fields": [other_column]},
            }
        )
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _write_table(
    conn: sqlite3.Connection, name: str, order: list[str], out: Path
) -> tuple[Path, Path, int]:
    # tables in key order; a view keeps the order its own SQL gives
    order_by = " order by " + ", ".join(f"[{c}]" for c in order) if order else ""
    cursor = conn.execute(f"select * from [{name}]{order_by}")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    csv_path, json_path = out / f"{name}.csv", out / f"{name}.json"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([formulas.cell(v) for v in row] for row in rows)
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    json_path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return csv_path, json_path, len(rows)


def _package(metadata: dict[str, Any], resources: list[dict[str, Any]]) -> dict[str, Any]:
    license_url = metadata.get("license_url")
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "paradecat",
        "title": metadata.get("title", "paradecat"),
        "description": (
            "The open catalogue of the military equipment, contingents and personnel shown at "
            "military parades. Each table is a CSV file described here, with the same rows as "
            f"JSON beside it (<table>.json) and the whole SQLite database ({DATABASE_FILE})."
        ),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": metadata.get("license", "CC BY 4.0"),
                "path": license_url,
            }
        ],
        "resources": resources,
    }
    if metadata.get("source_url"):
        package["homepage"] = metadata["source_url"]
        package["sources"] = [
            {"title": metadata.get("source", "paradecat"), "path": metadata["source_url"]}
        ]
    return package


def export_release(db_path: Path, out: Path, metadata: dict[str, Any]) -> Release:
    """Write the release of a built database into out: CSV, JSON, datapackage.json and the db."""
    if not db_path.is_file():
        raise ExportError(f"no database at {db_path}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        tables_meta = metadata.get("databases", {}).get("paradecat", {}).get("tables", {})
        files: list[Path] = []
        resources = []
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            for name, kind in _relations(conn):
                meta = tables_meta.get(name, {})
                schema = _schema(conn, name, meta.get("columns", {}))
                csv_path, json_path, count = _write_table(
                    conn, name, schema.get("primaryKey", []), out
                )
                files += [csv_path, json_path]
                resource: dict[str, Any] = {
                    "name": name,
                    "path": csv_path.name,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": schema,
                }
                if meta.get("description"):
                    resource["description"] = " ".join(str(meta["description"]).split())
                resource["title"] = f"{name} ({kind}, {count} rows)"
                resources.append(resource)
        finally:
            conn.close()
        target = out / DATABASE_FILE
        if target.resolve() != db_path.resolve():
            shutil.copyfile(db_path, target)
        files.append(target)
        descriptor = out / DESCRIPTOR_FILE
        descriptor.write_text(
            json.dumps(_package(metadata, resources), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    except (OSError, sqlite3.Error) as exc:
        raise ExportError(f"cannot write the release in {out}: {exc}") from exc
    return Release(descriptor=descriptor, files=files)


def check_release_folder(out: Path, root: Path, marker: str = DESCRIPTOR_FILE) -> None:
    """Refuse a folder a release must not replace: a link, the filesystem root, the catalogue's
    own folder or one that holds it, or a folder with files that is not a previous release (one
    without the marker file)."""
    if out.is_symlink():
        raise ExportError(f"{out} is a symbolic link: give the release folder itself")
    target = out.resolve()
    if (
        target == Path(target.anchor)
        or target == root.resolve()
        or root.resolve().is_relative_to(target)
    ):
        raise ExportError(f"{out} holds the catalogue or the system: choose a folder of its own")
    if target.exists():
        if not target.is_dir():
            raise ExportError(f"{out} is not a folder")
        if any(target.iterdir()) and not (target / marker).is_file():
            raise ExportError(
                f"{out} has files and is not a previous release (no {marker}): "
                "choose an empty folder"
            )


def publish_release(out: Path, write: Callable[[Path], Release]) -> Release:
    """Have write() make the release in a fresh folder beside out, then swap it into place.

    All or nothing: until the swap, the previous release is untouched, and a release that fails
    part-way (a full disk, a kill, an error) leaves only its temporary folder, which is removed.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    try:
        release = write(staging)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / "release")
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    # the paths the writer reported were in the staging folder
    return Release(out / release.descriptor.name, [out / f.name for f in release.files])
