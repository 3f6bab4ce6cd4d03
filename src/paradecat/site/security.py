"""Hardening for the public, read-only site: safe redirects, security headers, bounded SQL values.

It is a Datasette plugin (the `paradecat_security` entry point, and make_datasette registers it
too), so `paradecat serve`, the in-process test client and any `datasette` run in this
environment get the same protection:

- Redirects never leave the site. Datasette 0.65.5 answers `/\\example.com/` with
  `Location: /\\example.com`, which browsers read as `//example.com`; only Datasette 1.0a33
  fixes it upstream. The middleware rewrites such a Location to a path on this site.
- Every response says `X-Content-Type-Options: nosniff` (a CSV of hostile text is never read as
  HTML), and no page may be framed by another site.
- No SQL value may exceed MAX_VALUE_BYTES. SQLite checks the time limit only between virtual
  machine steps, and `randomblob(900000000)` is one step: it ran for 7 s past a 1 s limit, and
  `printf('%.*c', 900000000, 'x')` for 16 s, each allocating about 1 GB. sqlguard.py bounds
  the functions whose one call could still outlast the limit.
- No query may return more than MAX_RESULT_BYTES of text and blobs, nor rows of more than
  MAX_COLUMNS columns: the time limit does not cover turning rows into JSON or HTML.

docs/security.md explains each of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from . import bounds, csvsafe, sqlguard
from .hooks import ASGIApp, Message, Receive, Scope, Send, hookimpl

# the longest string or blob any SQL expression may build; the longest text in an entry is 5,000
# characters, and group_concat over every system's names stays far below this
MAX_VALUE_BYTES = 1_000_000
# The time limit stops SQLite, not what follows: rendering 3 rows of 100 one-megabyte blobs as
# JSON took 38 s on the event loop, during which no other request was answered. A query may
# return this much text and blob data in all (a full 1,000-row page of systems is about 1 MB),
# and a row at most MAX_COLUMNS columns (the widest table has 25).
MAX_RESULT_BYTES = 20_000_000
MAX_COLUMNS = 100
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'; base-uri 'self'; object-src 'none'"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# what browsers drop from a URL before reading it: leading C0 controls and spaces; tabs and
# line breaks anywhere
_IGNORED_LEADING = "".join(chr(c) for c in range(0x21))
_IGNORED_ANYWHERE = str.maketrans("", "", "\t\n\r")


def safe_location(location: str, host: str | None = None) -> str:
    """A redirect target that stays on this site.

    A browser reads `/\\example.com`, `\\/example.com`, `//example.com` and ` //example.com`
    as another host: they become the path `/example.com`. An absolute URL to another host, or
    with another scheme (`javascript:`, `data:`), becomes the home page. Anything else, an
    absolute URL to this host included, is returned unchanged.
    """
    seen = location.lstrip(_IGNORED_LEADING).translate(_IGNORED_ANYWHERE).replace("\\", "/")
    if _SCHEME.match(seen):
        parts = urlsplit(seen)
        same_site = parts.scheme.lower() in ("http", "https") and parts.netloc == host
        return location if same_site else "/"
    if seen.startswith("//"):
        return "/" + seen.lstrip("/")
    return location


class SecurityMiddleware:
    """ASGI middleware: safe redirect locations and security headers on every HTTP response,
    bounded requests, and CSV cells that cannot run as formulas."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1") or None

        rewriter = csvsafe.CsvRewriter() if csvsafe.is_csv(scope.get("path", "")) else None

        async def send_safely(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = secure_headers(list(message.get("headers", [])), host)
                if rewriter is not None:  # the body's length changes
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                message["headers"] = headers
            elif message["type"] == "http.response.body" and rewriter is not None:
                more = bool(message.get("more_body", False))
                message["body"] = rewriter.feed(message.get("body", b""), more)
            await send(message)

        if scope.get("path", "").rstrip("/") in HIDDEN_PATHS:
            # the running tasks, each with its coroutine's file and line: for debugging, not
            # for the public
            await _refuse(send_safely, 404, "not found")
            return
        method = scope.get("method", "GET")
        if method not in READ_METHODS and not scope.get("path", "").startswith("/-/"):
            # the catalogue is read-only: nothing but Datasette's own tools takes a POST
            await _refuse(
                send_safely, 405, f"{method} is not allowed here", [(b"allow", b"GET, HEAD")]
            )
            return
        bounded = bounds.check(scope.get("query_string", b""))
        if isinstance(bounded, bounds.Refusal):
            await _refuse(send_safely, bounded.status, bounded.message)
            return
        scope = {**scope, "query_string": bounded}
        if method in ("GET", "HEAD"):
            await _until_disconnect(self.app, scope, receive, send_safely)
        else:
            await self.app(scope, receive, send_safely)


READ_METHODS = ("GET", "HEAD", "OPTIONS")
HIDDEN_PATHS = ("/-/threads", "/-/threads.json")


async def _refuse(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """A short plain-text answer for a request the site does not do."""
    body = f"{message}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *(extra or [])]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _until_disconnect(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the app, and stop its work when the client goes away before the answer is sent.

    Only this reads the connection: each message goes to the app through a queue, and a
    disconnect also cancels the app's work (a page nobody waits for is not rendered).
    """
    messages: asyncio.Queue[Message] = asyncio.Queue()

    async def watch() -> None:
        while True:
            message = await receive()
            messages.put_nowait(message)
            if message["type"] == "http.disconnect":
                return

    work = asyncio.ensure_future(app(scope, messages.get, send))
    watcher = asyncio.ensure_future(watch())
    try:
        done, _ = await asyncio.wait({work, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if work not in done:
            work.cancel()  # the client left: nobody is waiting for this page any more
            with contextlib.suppress(asyncio.CancelledError):
                await work
        else:
            work.result()
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def secure_headers(
    headers: list[tuple[bytes, bytes]], host: str | None = None
) -> list[tuple[bytes, bytes]]:
    """Response headers with a safe Location and the security headers the response lacks."""
    out = []
    for name, value in headers:
        if name.lower() == b"location":
            value = safe_location(value.decode("latin-1"), host).encode("latin-1")
        out.append((name, value))
    present = {name.lower() for name, _ in out}
    out.extend(header for header in SECURITY_HEADERS if header[0] not in present)
    return out


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    """Wrap Datasette's ASGI app in SecurityMiddleware."""
    return SecurityMiddleware


class ResultTooLarge(sqlite3.OperationalError):
    """The query's result is larger than MAX_RESULT_BYTES; ask for fewer rows or columns."""


class _ResultBudget(threading.local):
    """How many bytes of text and blobs the cursor this thread is reading has returned so far."""

    cursor: sqlite3.Cursor | None = None
    spent: int = 0


_budget = _ResultBudget()


def budgeted_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
    """sqlite3.Row, counting the bytes each query returns and stopping it past the budget."""
    if _budget.cursor is not cursor:
        _budget.cursor, _budget.spent = cursor, 0
    _budget.spent += sum(len(v) for v in row if isinstance(v, (str, bytes)))
    if _budget.spent > MAX_RESULT_BYTES:
        raise ResultTooLarge(
            f"the result is larger than {MAX_RESULT_BYTES:,} bytes; select fewer rows or columns"
        )
    return sqlite3.Row(cursor, row)


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Cap what one query can build and return, so its cost stays within the time limit."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    sqlguard.install(conn, MAX_VALUE_BYTES)
    # Datasette has just set sqlite3.Row; this returns the same rows, counted
    conn.row_factory = budgeted_row
