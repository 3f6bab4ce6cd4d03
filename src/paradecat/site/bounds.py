"""What one request may ask of the site: bounded before Datasette sees it.

Datasette does all the work a query string asks for. One GET with `_facet=category` 1,000 times
kept the server busy for 34 s, because each facet is computed and every toggle link embeds the
whole query string, so the page grows as N². A request is refused with 400 (414 for a query
string over MAX_QUERY_BYTES) when it asks for more than these bounds, before any work is done:

- the query string: MAX_QUERY_BYTES bytes;
- facets of every kind (`_facet`, `_facet_array`, `_facet_date`): MAX_FACETS in all;
- `_sort` and `_sort_desc`: one each; `_col` and `_nocol`: MAX_COLUMN_PARAMS each;
  `_where`: MAX_WHERE; `_through`: MAX_THROUGH, each a JSON object {table, column, value};
- any other parameter: MAX_REPEATS times, and MAX_PARAMS parameters in all;
- `_search` (and `_search_COLUMN`): MAX_SEARCH characters;
- `_ttl` is clamped to MAX_TTL seconds rather than refused, so a link with a longer one still works.

docs/security.md lists the numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_QUERY_BYTES = 4096
MAX_PARAMS = 60
MAX_REPEATS = 10
MAX_FACETS = 10
MAX_COLUMN_PARAMS = 40
MAX_WHERE = 5
MAX_THROUGH = 3
MAX_SEARCH = 200
MAX_TTL = 365 * 24 * 3600
FACET_KEYS = ("_facet", "_facet_array", "_facet_date")
_ONE_EACH = ("_sort", "_sort_desc")
_LIMITS = {"_col": MAX_COLUMN_PARAMS, "_nocol": MAX_COLUMN_PARAMS, "_where": MAX_WHERE}
_LIMITS |= {"_through": MAX_THROUGH} | dict.fromkeys(_ONE_EACH, 1)


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, and with which status."""

    status: int
    message: str


def _through_is_valid(value: str) -> bool:
    try:
        data = json.loads(value)
    except ValueError:
        return False
    keys = ("table", "column", "value")
    return isinstance(data, dict) and all(isinstance(data.get(k), str) for k in keys)


def check(query_string: bytes) -> Refusal | bytes:
    """The query string to pass on (with `_ttl` clamped), or why the request is refused."""
    if len(query_string) > MAX_QUERY_BYTES:
        return Refusal(414, f"the query string is longer than {MAX_QUERY_BYTES:,} bytes")
    try:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    except ValueError:
        return Refusal(400, "the query string cannot be read")
    if len(pairs) > MAX_PARAMS:
        return Refusal(400, f"more than {MAX_PARAMS} parameters")
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    facets = sum(counts.get(key, 0) for key in FACET_KEYS)
    if facets > MAX_FACETS:
        return Refusal(400, f"{facets} facets asked for; at most {MAX_FACETS}")
    for key, count in counts.items():
        limit = _LIMITS.get(key, MAX_FACETS if key in FACET_KEYS else MAX_REPEATS)
        if count > limit:
            return Refusal(400, f"'{key}' is given {count} times; at most {limit}")
    changed = False
    out = []
    for key, value in pairs:
        if key == "_search" or key.startswith("_search_"):
            if len(value) > MAX_SEARCH:
                return Refusal(400, f"the search is longer than {MAX_SEARCH} characters")
        elif key == "_through" and not _through_is_valid(value):
            return Refusal(400, "_through must be a JSON object with table, column and value")
        elif key == "_ttl" and value.isdigit() and int(value) > MAX_TTL:
            value, changed = str(MAX_TTL), True
        out.append((key, value))
    return urlencode(out).encode("latin-1") if changed else query_string
