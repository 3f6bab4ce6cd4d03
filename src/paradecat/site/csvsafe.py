"""The site's `.csv` downloads, with every cell a spreadsheet would run as a formula kept as text.

Datasette writes CSV itself, streaming it in chunks, and has no hook for its cells. So the
security middleware passes each CSV response through a CsvRewriter: it holds back the last,
unfinished record of a chunk (a record ends at a newline outside quotes), and rewrites a chunk's
complete records only when one of their cells may begin with a formula character; other chunks
pass through byte for byte. db/formulas.py decides what a formula is.
"""

from __future__ import annotations

import csv
import io
import re

from ..db import formulas

# a cell that may begin with a formula character: after a record's start or a comma, maybe quoted
_MAYBE_FORMULA = re.compile(rb'(?:^|[,\n])"?[=+\-@\t\r]')
_QUOTE_OR_NEWLINE = re.compile(rb'["\n]')


def is_csv(path: str) -> bool:
    """Whether Datasette answers this path with CSV (a table, view or query's .csv)."""
    return path.endswith(".csv")


def _complete(data: bytes) -> int:
    """The length of the complete records at the start of data: up to its last newline that is
    outside quotes."""
    end, inside = 0, False
    for match in _QUOTE_OR_NEWLINE.finditer(data):
        if match.group() == b'"':
            inside = not inside
        elif not inside:
            end = match.end()
    return end


class CsvRewriter:
    """Rewrites a CSV stream, chunk by chunk, so that no cell runs as a formula."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes, more: bool) -> bytes:
        """The rewritten bytes ready to send, holding back an unfinished last record."""
        data = self._pending + chunk
        cut = _complete(data) if more else len(data)
        ready, self._pending = data[:cut], data[cut:]
        if not _MAYBE_FORMULA.search(ready):
            return ready
        return _rewrite(ready)


def _rewrite(data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    terminator = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([formulas.neutralise(value) for value in record])
    return out.getvalue().encode("utf-8", "surrogateescape")
