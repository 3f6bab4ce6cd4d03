"""Spreadsheet formula injection: a text cell a spreadsheet would run as a formula, kept as text.

`=HYPERLINK(…)`, `+cmd|…`, `-2+3` and `@SUM(…)` in a `.csv` file opened in Excel, LibreOffice or
Google Sheets run as formulas. As OWASP recommends, a cell that begins with `=`, `+`, `-`, `@`, a
tab or a carriage return gets a leading `'`, which spreadsheets read as "this is text". A plain
number such as `-3.75` (a longitude) is left as it is: it runs nothing. Both `paradecat export`
and the site's `.csv` downloads apply it; docs/security.md says so.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


def neutralise(value: str) -> str:
    """The cell, with a leading `'` when a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def cell(value: object) -> object:
    """A value for a CSV row: text neutralised, NULL empty, anything else as it is."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value
