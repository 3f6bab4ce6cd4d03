"""The bounded SQL functions answer exactly as SQLite's own do, on every kind of value."""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from paradecat.site import security, sqlguard

VALUES = [
    None,
    "",
    "a",
    "abcabc",
    "ÄäЖж😀ж",
    "  padded  ",
    "x%y_z",
    0,
    7,
    -3,
    1.5,
    1.5e20,
    b"",
    b"ab",
    b"\x00\x01",
    b"\xff\xfe",
]


def connections() -> tuple[sqlite3.Connection, sqlite3.Connection]:
    native = sqlite3.connect(":memory:")
    guarded = sqlite3.connect(":memory:")
    security.prepare_connection(guarded)
    guarded.row_factory = None
    return native, guarded


def same(sql: str, args: tuple[object, ...]) -> None:
    native, guarded = connections()
    try:
        expected: object = native.execute(sql, args).fetchone()
    except sqlite3.Error as error:  # pragma: no cover - SQLite refuses some blobs as text
        expected = type(error)
    try:
        got: object = guarded.execute(sql, args).fetchone()
    except sqlite3.Error as error:  # pragma: no cover
        got = type(error)
    assert got == expected, (sql, args)


@pytest.mark.parametrize("function", ["instr", "trim", "ltrim", "rtrim"])
def test_two_argument_functions_match_sqlite(function: str) -> None:
    for x, y in itertools.product(VALUES, repeat=2):
        if (isinstance(x, bytes) and x.startswith(b"\xff")) or (
            isinstance(y, bytes) and y[:1] == b"\xff"
        ):
            continue  # not UTF-8: SQLite's text of it is undefined
        same(f"select {function}(?, ?)", (x, y))


def test_replace_matches_sqlite() -> None:
    small = [None, "", "a", "abcabc", "ж😀", 7, 1.5, b"ab"]
    for args in itertools.product(small, repeat=3):
        same("select replace(?, ?, ?)", args)


@pytest.mark.parametrize(
    "fmt, args",
    [
        ("%d", (7,)),
        ("%,d", (1234567,)),
        ("%5.2f", (3.14159,)),
        ("%-6s|", ("ab",)),
        ("%%|%s", ("x",)),
        ("%q %Q %w", ("it's", None, 'a"b')),
        ("%c%c", ("z", "y")),
        ("%.*c", (3, "x")),
        ("%*d|%-*d", (5, 1, 4, 2)),
        ("%x %X %o", (255, 255, 8)),
        ("%e %g %!.20e", (1.5, 2.5, 1.0)),
        ("%s", (b"blob",)),
        ("%z", ("x",)),
        ("%", ()),
        ("no conversions", ()),
        ("%.3s", ("abcdef",)),
        ("%010.3f", (-2.5,)),
    ],
)
def test_printf_matches_sqlite(fmt: str, args: tuple[object, ...]) -> None:
    same(f"select printf(?{', ?' * len(args)})", (fmt, *args))
    same(f"select format(?{', ?' * len(args)})", (fmt, *args))


def test_printf_past_the_width_is_null_at_once() -> None:
    _, guarded = connections()
    over = sqlguard.MAX_PRINTF_WIDTH + 1
    for fmt, args in [
        ("%.*c", (over, "x")),
        (f"%{over}d", (1,)),
        (f"%.{over}f", (1.0,)),
        ("%s %*d", ("a", -over, 1)),
    ]:
        assert guarded.execute(f"select printf(?{', ?' * len(args)})", (fmt, *args)).fetchone() == (
            None,
        )
    width = sqlguard.MAX_PRINTF_WIDTH
    assert guarded.execute("select length(printf('%.*c', ?, 'x'))", (width,)).fetchone() == (width,)


def test_like_patterns_are_capped() -> None:
    _, guarded = connections()
    pattern = "%" + "a" * (sqlguard.MAX_LIKE_PATTERN_BYTES - 2) + "%"
    assert guarded.execute("select 'xaaa' like ?", (pattern,)).fetchone() == (0,)
    with pytest.raises(sqlite3.OperationalError, match="pattern too complex"):
        guarded.execute("select 'xaaa' like ?", (pattern + "a",)).fetchone()
