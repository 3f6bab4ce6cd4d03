"""What the site's plugins share: Datasette's hook marker, typed, and the ASGI types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Hook = TypeVar("Hook", bound=Callable[..., Any])


def hookimpl(func: Hook) -> Hook:
    """Datasette's hook marker, typed."""
    return cast(Hook, _hookimpl(func))
