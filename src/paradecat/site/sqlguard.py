"""SQL functions that could outlast the time limit in one call, replaced by bounded ones.

SQLite checks the time limit between virtual-machine steps, and one function call is one step.
Under the 1,000,000-byte value cap, four built-ins still ran for seconds in a single call:

- `printf('%.*c', 2147483647, 'x')` loops 2^31 times although its result is dropped (12.8 s);
- `instr()` and `replace()` compare a needle at every position of the haystack, so a 1 MB
  haystack and a 500 KB needle took 5.6 s and 5.8 s;
- `trim()`, `ltrim()` and `rtrim()` with a set of characters compare each trimmed character with
  the whole set: 6.0 s for 50,000 characters and a 10,000-character set;
- `LIKE` and `GLOB` compare the pattern at every position: a 24 KB pattern over 500 KB took 60 s.

So each connection gets these replacements, registered under the same names, which SQLite then
calls instead of its own:

- `printf()` and `format()` return NULL for a width or precision over MAX_PRINTF_WIDTH (as
  SQLite's own does for a result over the value cap), and otherwise let SQLite's own printf, on
  a private in-memory connection, do the formatting: results are the same, byte for byte;
- `instr()`, `replace()` and the two-argument trims work in linear time with Python's string
  methods, on the values read as SQLite reads them (numbers formatted by SQLite itself, blobs as
  UTF-8), and `replace()` fails with SQLite's "string or blob too big" past the value cap;
- LIKE and GLOB patterns are at most MAX_LIKE_PATTERN_BYTES long (SQLite's own limit), which
  bounds one comparison to a fraction of a second.

docs/security.md lists the measurements before and after.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

# no canned query or page needs a wider printf field than this
MAX_PRINTF_WIDTH = 10_000
# a `name__contains=` filter of up to 98 bytes: one comparison over a 1 MB value took 0.25 s
MAX_LIKE_PATTERN_BYTES = 100
# the private connection formats at most this much (MAX_PRINTF_WIDTH plus a 1 MB argument)
_PRIVATE_VALUE_BYTES = 1_100_000

# a printf conversion: flags, width, precision and the conversion character (SQLite's printf)
_CONVERSION = re.compile(r"%([-+ 0#,!]*)(\*|\d+)?(?:\.(\*|\d+))?(.?)")


class _Private(threading.local):
    """One in-memory connection per thread, for SQLite's own functions."""

    conn: sqlite3.Connection | None = None


_private = _Private()


def _native(function: str, *args: Any) -> Any:
    """SQLite's own `function` applied to `args`."""
    return _query(f"select {function}({', '.join('?' * len(args))})", *args)


def _query(sql: str, *args: Any) -> Any:
    conn = _private.conn
    if conn is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, _PRIVATE_VALUE_BYTES)
        _private.conn = conn
    return conn.execute(sql, args).fetchone()[0]


def _too_big(limit: int) -> str:
    """A result SQLite refuses with its own "string or blob too big" error."""
    return "x" * (limit + 1)


def _as_text(value: Any) -> str:
    """The value as SQLite's text functions read it: numbers as SQLite writes them."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(_query("select cast(? as text)", value))


def _printf_fields(fmt: str, args: tuple[Any, ...]) -> list[int]:
    """Every width and precision `fmt` asks for, with the `*` ones read from `args`."""
    fields: list[int] = []
    next_arg = 0

    def star() -> int:
        nonlocal next_arg
        value = args[next_arg] if next_arg < len(args) else 0
        next_arg += 1
        try:
            return abs(int(value))
        except (TypeError, ValueError):
            return 0

    for match in _CONVERSION.finditer(fmt):
        width, precision, conversion = match.group(2), match.group(3), match.group(4)
        if conversion == "%" and not (match.group(1) or width or precision):
            continue
        for field in (width, precision):
            if field == "*":
                fields.append(star())
            elif field:
                fields.append(int(field))
        next_arg += 1
    return fields


def bounded_printf(*args: Any) -> Any:
    """SQLite's printf; NULL, as SQLite's own gives for a result too long, past MAX_PRINTF_WIDTH."""
    fmt = args[0] if args and isinstance(args[0], str) else ""
    if max(_printf_fields(fmt, args[1:]), default=0) > MAX_PRINTF_WIDTH:
        return None
    return _native("printf", *args)


def bounded_instr(haystack: Any, needle: Any) -> Any:
    """instr() in linear time: a byte offset in blobs, else a character offset in text."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return _as_text(haystack).find(_as_text(needle)) + 1


def bounded_replace(limit: int) -> Callable[[Any, Any, Any], Any]:
    """replace() in linear time, refusing a result over `limit` bytes as SQLite does."""

    def replace(text: Any, old: Any, new: Any) -> Any:
        # in SQLite's order: an empty pattern (a C string) gives back the value itself
        if text is None or old is None:
            return None
        old = _as_text(old)
        if not old or old[0] == "\0":
            return _as_text(text) if isinstance(text, bytes) else text
        if new is None:
            return None
        text, new = _as_text(text), _as_text(new)
        if len(text) + text.count(old) * (len(new) - len(old)) > limit:
            return _too_big(limit)
        return text.replace(old, new)

    return replace


def bounded_trim(left: bool, right: bool) -> Callable[[Any, Any], Any]:
    """trim(), ltrim() or rtrim() with a set of characters, in linear time."""

    def trim(text: Any, characters: Any) -> Any:
        if text is None or characters is None:
            return None
        # SQLite reads the set as a C string: it ends at the first NUL
        text, allowed = _as_text(text), set(_as_text(characters).split("\0", 1)[0])
        start, end = 0, len(text)
        while left and start < end and text[start] in allowed:
            start += 1
        while right and end > start and text[end - 1] in allowed:
            end -= 1
        return text[start:end]

    return trim


def install(conn: sqlite3.Connection, max_value_bytes: int) -> None:
    """Register the bounded functions on `conn`, and cap its LIKE and GLOB patterns."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN_BYTES)
    for name in ("printf", "format"):
        conn.create_function(name, -1, bounded_printf, deterministic=True)
    conn.create_function("instr", 2, bounded_instr, deterministic=True)
    conn.create_function("replace", 3, bounded_replace(max_value_bytes), deterministic=True)
    for name, left, right in (("trim", True, True), ("ltrim", True, False), ("rtrim", False, True)):
        conn.create_function(name, 2, bounded_trim(left, right), deterministic=True)
