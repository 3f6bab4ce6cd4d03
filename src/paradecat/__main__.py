"""The `paradecat` command and python -m paradecat.

`paradecat validate` asked again with nothing changed since it last answered is the pre-commit
hook's and the editor's usual case. Its answer is kept by the memo (check/memo.py), and it is
given here, before the command line and click are imported (a quarter of such a run). Only the
plainest ways of asking are answered so; anything else, and any doubt, goes to the command line,
which answers the same.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

_VALUED = ("--root", "--format", "--max-problems")
_FORMATS = ("text", "json", "github")


def _asked(args: Sequence[str]) -> tuple[str, str | None, int] | None:
    """(root, format, problem limit) of `validate [--root DIR] [--format F] [--max-problems N]
    [-q | --quiet]`, as the command line would take them (the last of an option repeated); None
    for any other way of asking."""
    if not args or args[0] != "validate":
        return None
    given: dict[str, str] = {}
    rest = list(reversed(args[1:]))
    while rest:
        arg = rest.pop()
        if arg in ("-q", "--quiet"):
            continue
        name, equals, value = arg.partition("=")
        if name not in _VALUED:
            return None  # a path, --no-cache, --help, --, or anything the command line reads
        if not equals:
            if not rest:
                return None
            value = rest.pop()
        given[name] = value
    root, fmt, limit = given.get("--root", "."), given.get("--format"), given.get("--max-problems")
    if not root or root.startswith("-") or (fmt is not None and fmt not in _FORMATS):
        return None
    if limit is not None and not re.fullmatch("[0-9]{1,9}", limit):
        return None
    return root, fmt, 200 if limit is None else int(limit)


def answered_at_once(args: Sequence[str]) -> tuple[str, bool] | None:
    """The memo's answer to `paradecat ARGS` (the text printed, valid or not), when it is asked
    one of the plain ways (_asked) and nothing has changed; None otherwise."""
    asked = _asked(args)
    if asked is None:
        return None
    from pathlib import Path

    from .check import memo

    root = Path(asked[0])
    if not (root / "catalog").is_dir():
        return None  # the command line says what is wrong
    fmt = asked[1] or memo.default_format()
    _, tree = memo.walk(root, hand_on=True)  # the command line's, if it must work it out
    kept = memo.recall(root, memo.memo_key(root, [fmt, asked[2] or None], tree))
    if kept is None or "\x1b" in kept[0]:
        return None  # click would strip the styles of text sent to a file
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if not kept[0].isascii() and encoding != "utf8":
        return None  # click would write it its own way
    memo.forget_walk()
    return kept


def main() -> None:
    kept = answered_at_once(sys.argv[1:])
    if kept is not None:
        if kept[0]:
            sys.stdout.write(kept[0] + "\n")
            sys.stdout.flush()
        raise SystemExit(0 if kept[1] else 1)
    from .cli import cli

    cli()


if __name__ == "__main__":
    main()
