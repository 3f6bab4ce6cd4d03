"""What is wrong with a file's text, found before and while libyaml reads it: encoding, nesting
too deep for libyaml's recursive composer, anchors and aliases, and libyaml's own errors in
plain words with a hint.
"""

from __future__ import annotations

import codecs

import yaml
from yaml._yaml import CParser

from ..problems import Problem
from .yamlcore import MAX_DEPTH, Position, position, problem

# A file with fewer flow or compact-collection indicators than this cannot nest past
# MAX_DEPTH without indentation, and indentation alone cannot reach the depth at which
# libyaml's recursive composer overflows the C stack within MAX_BYTES.
_NESTING_SCAN_THRESHOLD = MAX_DEPTH


def offset_position(data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode bytes as UTF-8 without a byte-order mark, or say where they are not."""
    if data.startswith(codecs.BOM_UTF8):
        return None, [
            problem(
                path,
                (1, 1),
                "yaml-encoding",
                "the file starts with a UTF-8 byte-order mark",
                "save the file as UTF-8 without a BOM",
            )
        ]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        # the UTF-32 little-endian mark starts with the UTF-16 one
        utf32 = data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
        return None, [
            problem(
                path,
                (1, 1),
                "yaml-encoding",
                f"the file is UTF-{32 if utf32 else 16}, not UTF-8",
                "save the file as UTF-8 without a BOM",
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [
            problem(
                path,
                offset_position(data, exc.start),
                "yaml-encoding",
                f"invalid UTF-8: byte 0x{data[exc.start]:02x} cannot start or continue a character",
                "save the file as UTF-8",
            )
        ]


def nesting_problem(path: str, text: str) -> Problem | None:
    """Find nesting past MAX_DEPTH from libyaml's events, before the recursive composer sees it."""
    rough = text.count("[") + text.count("{") + text.count("- ") + text.count("? ")
    if rough < _NESTING_SCAN_THRESHOLD:
        return None
    parser = CParser(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return problem(
                        path,
                        position(event.start_mark),
                        "yaml-too-deep",
                        f"collections are nested more than {MAX_DEPTH} levels deep",
                        "entries need only a few levels; flatten the structure",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the composer reports the syntax error with its location
    finally:
        parser.dispose()
    return None


def anchor_problems(path: str, text: str) -> list[Problem]:
    """The first anchor and the first alias, found by libyaml's scanner, with how many follow.

    Only scanned when '&' or '*' occur at all. An alias bomb holds dozens of aliases; one line
    each would bury the point, so the rest are counted, not listed.
    """
    if "&" not in text and "*" not in text:
        return []
    found: dict[str, list[tuple[Position, str]]] = {"anchors": [], "aliases": []}
    scanner = CParser(text)
    try:
        while (token := scanner.get_token()) is not None:
            if isinstance(token, yaml.AnchorToken):
                found["anchors"].append((position(token.start_mark), f"&{token.value}"))
            elif isinstance(token, yaml.AliasToken):
                found["aliases"].append((position(token.start_mark), f"*{token.value}"))
    except yaml.YAMLError:
        pass  # the composer reports the syntax error with its location
    finally:
        scanner.dispose()
    problems = []
    for what, items in found.items():
        if items:
            pos, name = items[0]
            more = f"; {len(items) - 1} more in this file" if len(items) > 1 else ""
            problems.append(
                problem(
                    path,
                    pos,
                    "yaml-anchor",
                    f"{what} are not allowed ({name}{more})",
                    "write the value out in full where it is needed",
                )
            )
    return problems


def syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A libyaml error as a problem, with the plainest message and hint for the common cases."""
    # an unclosed bracket or quote is reported where it was opened, not where the file ends
    opened = exc.context_mark and (exc.context or "").startswith(
        ("while scanning a quoted scalar", "while parsing a flow", "while scanning a block scalar")
    )
    mark = (exc.context_mark if opened else exc.problem_mark) or exc.context_mark
    pos = position(mark) if mark else (1, 1)
    message = ": ".join(p for p in (exc.context, exc.problem) if p)
    lines = text.split("\n")
    here = lines[pos[0] - 1][pos[1] - 1 : pos[1]] if pos[0] <= len(lines) else ""
    if "single document" in (exc.context or ""):
        return problem(
            path,
            pos,
            "yaml-multi-document",
            "the file holds more than one YAML document",
            "keep one entry per file; remove the '---' and what follows",
        )
    if "nesting depth" in message:
        return problem(
            path,
            pos,
            "yaml-too-deep",
            "collections are nested too deeply",
            "entries need only a few levels; flatten the structure",
        )
    if opened:
        what = "quote" if "quoted" in (exc.context or "") else "bracket"
        return problem(
            path,
            pos,
            "yaml-syntax",
            f"this {what} is never closed ({message})",
            f"close the {what}, or quote the whole value",
        )
    if "mapping values are not allowed" in message:
        return problem(
            path,
            pos,
            "yaml-syntax",
            "a ': ' inside a value that is not quoted",
            'put the whole value in quotes, e.g. title: "Kazakhstan: the parade"',
        )
    if here == "\t":
        return problem(
            path,
            pos,
            "yaml-syntax",
            "a tab character where YAML expects indentation or a value",
            "indent with spaces, not tabs",
        )
    return problem(path, pos, "yaml-syntax", message, "check the YAML syntax at this point")


def reader_problem(path: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character libyaml will not read, located from its offset in the text."""
    offset = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    if char == "\x00":
        return problem(
            path,
            (line, column),
            "yaml-encoding",
            "a NUL character: the file looks like UTF-16",
            "save the file as UTF-8 without a BOM",
        )
    return problem(
        path,
        (line, column),
        "yaml-syntax",
        f"control character U+{ord(char):04X} is not allowed",
        "remove the character",
    )
