"""The ready-made questions (canned queries): a choice from the catalogue for each parameter that
names an entry, and which entry an id in their results (and in any SQL's results) names.

A parameter named `parade` or `country` is offered as a list of the catalogue's parades or
countries, by name, instead of a box that wants an id. The database is immutable, so each list is
read once per database file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..db.dates import human_date

# more choices than this and the parameter is a text box with suggestions (a <datalist>) of the
# first ones, so that a page never carries thousands of options
MAX_OPTIONS = 300


@dataclass(frozen=True)
class Parameter:
    """How a named parameter is asked for: its label, and the catalogue's entries to pick from."""

    label: str
    every: str  # the empty choice, where the query's SQL reads '' as "all of them"
    choices_sql: str | None = None


PARAMETERS = {
    "parade": Parameter(
        "Parade",
        "Every parade",
        "select id, date, name from parades order by date desc, id limit :limit",
    ),
    "country": Parameter(
        "Country",
        "Every country",
        """select co.code, null, co.name from countries co
           where exists (select 1 from parades p where p.country = co.code)
              or exists (select 1 from contingents c where c.country = co.code)
           order by co.name limit :limit""",
    ),
    "q": Parameter("Name, in any script", ""),
}

# the result columns that hold an entry's id, and the table it is in
ID_COLUMNS = {
    "parade_id": "parades",
    "system_id": "systems",
    "unit_id": "units",
    "person_id": "people",
    "source_id": "sources",
    "claim_source": "sources",
}
# `id` in a result that says what kind of entry each row is (search_all_names)
KINDS = {"system": "systems", "parade": "parades", "unit": "units", "person": "people"}
COUNTRY_CODE = re.compile(r"[A-Z]{2}")

_choices: dict[tuple[str, str], tuple[list[tuple[str, str]], bool]] = {}


def _read_choices(conn: Any, sql: str) -> tuple[list[tuple[str, str]], bool]:
    rows = conn.execute(sql, {"limit": MAX_OPTIONS + 1}).fetchall()
    options = [
        (str(key), f"{human_date(date)} · {name}" if date else str(name))
        for key, date, name in rows[:MAX_OPTIONS]
    ]
    return options, len(rows) > MAX_OPTIONS


async def template_vars(datasette: Any, database: str, request: Any) -> dict[str, Any]:
    """`question_fields`: for each named parameter of the page's query, how to ask for it."""
    if request is None:
        return {}
    db = datasette.get_database(database)
    name = request.url_vars.get("table")
    queries = await datasette.get_canned_queries(database, request.actor)
    sql = queries[name]["sql"] if name in queries else request.args.get("sql") or ""
    fields = []
    for param in dict.fromkeys(re.findall(r"(?<!:):([a-zA-Z_][a-zA-Z0-9_]*)", sql)):
        how = PARAMETERS.get(param)
        field: dict[str, Any] = {
            "name": param,
            "label": how.label if how else param.replace("_", " ").capitalize(),
            "value": request.args.get(param) or "",
            "options": [],
            "more": False,
        }
        if how and how.choices_sql:
            key = (str(db.path), param)
            if key not in _choices:
                _choices[key] = await db.execute_fn(partial(_read_choices, sql=how.choices_sql))
            field["options"], field["more"] = _choices[key]
            # the empty choice means "all" only where the SQL says so
            every = re.search(rf":{param}\s*=\s*''", sql) is not None
            field["empty"] = how.every if every else f"Choose a {how.label.lower()}"
        fields.append(field)
    return {"question_fields": fields}


def id_table(row: Any, value: Any, column: str) -> str | None:
    """The table whose entry an id in a query's results names (cells.py links it), or None."""
    table = ID_COLUMNS.get(column)
    if table is None and column == "id":
        try:
            table = KINDS.get(row["kind"])
        except (KeyError, IndexError, TypeError):
            table = None
    if table is None and column == "code" and COUNTRY_CODE.fullmatch(str(value)):
        table = "countries"
    return table
