"""Caching for a CDN in front of the immutable catalogue: hashed database URLs and Cache-Control.

datasette-hashed-urls puts the first 7 characters of the database's SHA-256 into its URL
(`/paradecat-1a2b3c4/systems`), answers such pages with `Cache-Control: max-age=31536000,
public`, and redirects the URL without the hash, or with an older one, to the current one. A
new database is a new URL, so a CDN may keep every page under it for a year.

This plugin calls datasette-hashed-urls itself instead of letting Datasette load it, so that:

- the order is fixed: this policy sees the plugin's redirects, and the security middleware
  (outside both) gives them its headers and safe Location;
- an in-process Datasette may leave its URLs unhashed (make_datasette(hashed_urls=False)), for
  the tests that ask for `/paradecat/...`; `paradecat serve` and `datasette serve` hash them.

Every other response gets a Cache-Control that a CDN can act on: a short shared lifetime for
pages whose URL carries no hash (they change when a new catalogue is deployed), `no-store` for
server errors, and `private, no-store` for any response that sets a cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import datasette_hashed_urls
from datasette import hookimpl as _hookimpl
from datasette.plugins import pm

from .hooks import ASGIApp, Message, Receive, Scope, Send

# datasette-hashed-urls' entry point: blocked, so that only this module applies it, in order
HASHED_URLS_PLUGIN = "hashed_urls"
# a page without a hash in its URL, or a redirect to the current hash: how long a CDN may keep it
UNHASHED_MAX_AGE = 300
REDIRECT_MAX_AGE = 60
HASHED_MAX_AGE = 31_536_000  # datasette-hashed-urls' default: a year

pm.set_blocked(HASHED_URLS_PLUGIN)


def hashes_urls(datasette: Any) -> bool:
    """Whether this Datasette puts the database's hash in its URLs (yes unless told not to)."""
    return bool(getattr(datasette, "paradecat_hashed_urls", True))


def cache_control(status: int, headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The Cache-Control a response without one should get, or None to keep the one it has."""
    names = {name.lower() for name, _ in headers}
    if b"set-cookie" in names:
        return b"private, no-store"
    if b"cache-control" in names:
        return None
    if status >= 500:
        return b"no-store"
    if 300 <= status < 400:
        return f"public, max-age={REDIRECT_MAX_AGE}".encode()
    return f"public, max-age={UNHASHED_MAX_AGE}".encode()


class CachePolicy:
    """ASGI middleware: a Cache-Control header on every HTTP response (see cache_control)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
                value = cache_control(int(message["status"]), headers)
                if value is not None:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_policy)


@_hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def startup(datasette: Any) -> None:
    """Give each immutable database its hashed route (after the other plugins' startup)."""
    if hashes_urls(datasette):
        datasette_hashed_urls.startup(datasette)


@_hookimpl(tryfirst=True)  # type: ignore[untyped-decorator]
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    """Inside the security middleware: the cache policy around datasette-hashed-urls."""
    hashed = datasette_hashed_urls.asgi_wrapper(datasette)

    def wrap(app: ASGIApp) -> ASGIApp:
        inner = hashed(app)

        async def maybe_hashed(scope: Scope, receive: Receive, send: Send) -> None:
            # asked per request: Datasette builds its in-process client's app before
            # make_datasette says whether to hash; the routes are hashed at startup, which
            # Datasette may leave to the first request
            if not hashes_urls(datasette):
                await app(scope, receive, send)
                return
            await datasette.invoke_startup()
            await inner(scope, receive, send)

        return CachePolicy(maybe_hashed)

    return wrap
