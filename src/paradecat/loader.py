"""Find catalogue files and read them as strict YAML with a position for every node.

The YAML is read with 1.2 core-schema semantics on libyaml (PyYAML's C parser):
`NO`, `yes` and `on` stay strings, dates stay ISO strings, and only str, int,
float, bool and null scalars exist. Duplicate keys, anchors, aliases, tags,
multi-document files, invalid UTF-8, oversized files and deep nesting are
rejected as located problems, never as exceptions.
"""

from __future__ import annotations

import codecs
import math
import operator
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, pointer_join

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 30
# A file with fewer flow or compact-collection indicators than this cannot nest past
# MAX_DEPTH without indentation, and indentation alone cannot reach the depth at which
# libyaml's recursive composer overflows the C stack within MAX_BYTES.
_NESTING_SCAN_THRESHOLD = MAX_DEPTH

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = _TAG + "seq", _TAG + "map"


class _CoreResolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: no yes/no/on/off booleans, no timestamps, no sexagesimals."""


_CoreResolver.add_implicit_resolver(
    NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_CoreResolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreResolver.add_implicit_resolver(
    INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_CoreResolver.add_implicit_resolver(
    FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


# first character -> (tag, pattern) in the order they are tried; "" for the empty scalar
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = (
    _CoreResolver.yaml_implicit_resolvers
)
assert None not in _IMPLICIT  # resolve() does not look for wildcard resolvers
assert not _CoreResolver.yaml_path_resolvers  # so descending and ascending do nothing


class _Composer(CParser, _CoreResolver):
    """libyaml's parser and composer with the core-schema resolver."""

    # libyaml's composer calls these around every node; without path resolvers they do nothing,
    # and a C function that does nothing costs a third of a Python one (a tenth of composing)
    descend_resolver = operator.is_  # type: ignore[assignment]  # (parent, index) -> ignored
    ascend_resolver = int  # type: ignore[assignment]  # () -> ignored

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _CoreResolver.__init__(self)

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        """BaseResolver.resolve for this resolver (no path resolvers), called for every node."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return STR
        if kind is MappingNode:
            return MAP
        if kind is SequenceNode:
            return SEQ
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


Position = tuple[int, int]


class Document:
    """One parsed YAML file: plain data plus where each value and key stands in the file.

    Positions (`values`, `keys`: JSON pointer -> line, column) are worked out from the text the
    first time they are asked for. Only files with problems need them, and recording them for
    every node while loading took a third of the loading time and most of its memory. A
    document read from a file reads it again then (`source`: its absolute path and the hash of
    its bytes); one that has changed since is not located (every position is 1:1).
    """

    __slots__ = ("_keys", "_source", "_text", "_values", "data", "first_line", "path")

    def __init__(
        self,
        path: str,
        data: Any,
        values: dict[str, Position] | None = None,
        keys: dict[str, Position] | None = None,
        first_line: str = "",
        *,
        text: str | None = None,
        source: tuple[str, int] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.first_line = first_line
        self._source = source
        # UTF-8 takes half the memory of a str holding Cyrillic (two bytes a character)
        self._text = text.encode("utf-8") if text is not None and source is None else None
        lazy = text is not None or source is not None
        self._values = values if values is not None or lazy else {}
        self._keys = keys if keys is not None or lazy else {}

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.data!r})"

    def _original_text(self) -> str | None:
        if self._text is not None:
            return self._text.decode("utf-8")
        if self._source is None:
            return None
        filename, digest = self._source
        try:
            raw = Path(filename).read_bytes()
        except OSError:
            return None
        return raw.decode("utf-8") if hash(raw) == digest else None

    def _position_maps(self) -> tuple[dict[str, Position], dict[str, Position]]:
        if self._values is None or self._keys is None:
            builder = _Builder(self.path)
            text = self._original_text()
            if text is not None:
                composer = _Composer(text)
                try:
                    node = composer.get_single_node()
                    assert node is not None  # it was read from this text before
                    builder.build(node, "", 0)
                finally:
                    composer.dispose()
            self._values, self._keys = builder.values, builder.keys
            self._text = self._source = None
        return self._values, self._keys

    @property
    def values(self) -> dict[str, Position]:
        """Where each value starts, by JSON pointer."""
        return self._position_maps()[0]

    @property
    def keys(self) -> dict[str, Position]:
        """Where each mapping key starts, by the JSON pointer of its value."""
        return self._position_maps()[1]

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        """Line and column of the node at pointer, or of its nearest located ancestor."""
        values, keys = self._position_maps()
        table = keys if key else values
        if pointer in table:
            return table[pointer]
        while pointer:
            pointer = pointer.rsplit("/", 1)[0]
            if pointer in values:
                return values[pointer]
        return values.get("", (1, 1))


@dataclass
class LoadResult:
    """A document, or the problems that stopped it from being read."""

    document: Document | None
    problems: list[Problem]


class _Reject(Exception):
    """A construct the strict loader does not accept; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _position(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


def _problem(
    path: str, pos: Position, code: str, message: str, hint: str | None, pointer: str = ""
) -> Problem:
    return Problem(path, pos[0], pos[1], code, message, pointer=pointer, hint=hint)


def _offset_position(data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode bytes as UTF-8 without a byte-order mark, or say where they are not."""
    if data.startswith(codecs.BOM_UTF8):
        return None, [
            _problem(
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
            _problem(
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
            _problem(
                path,
                _offset_position(data, exc.start),
                "yaml-encoding",
                f"invalid UTF-8: byte 0x{data[exc.start]:02x} cannot start or continue a character",
                "save the file as UTF-8",
            )
        ]


def _nesting_problem(path: str, text: str) -> Problem | None:
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
                    return _problem(
                        path,
                        _position(event.start_mark),
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


def _anchor_problems(path: str, text: str) -> list[Problem]:
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
                found["anchors"].append((_position(token.start_mark), f"&{token.value}"))
            elif isinstance(token, yaml.AliasToken):
                found["aliases"].append((_position(token.start_mark), f"*{token.value}"))
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
                _problem(
                    path,
                    pos,
                    "yaml-anchor",
                    f"{what} are not allowed ({name}{more})",
                    "write the value out in full where it is needed",
                )
            )
    return problems


class _Builder:
    """Turns a composed node tree into plain data, recording positions and rejecting what is not allowed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def build(self, node: Node, pointer: str, depth: int) -> Any:
        mark = node.start_mark
        pos = (mark.line + 1, mark.column + 1)
        self.values[pointer] = pos
        if depth > MAX_DEPTH:
            raise _Reject(
                _problem(
                    self.path,
                    pos,
                    "yaml-too-deep",
                    f"collections are nested more than {MAX_DEPTH} levels deep",
                    "entries need only a few levels; flatten the structure",
                    pointer,
                )
            )
        if id(node) in self.seen:
            raise _Reject(
                _problem(
                    self.path,
                    pos,
                    "yaml-anchor",
                    "aliases are not allowed",
                    "write the value out in full where it is needed",
                    pointer,
                )
            )
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return node.value if node.tag == STR else self.scalar(node, pointer, pos)
        if isinstance(node, SequenceNode):
            self.check_tag(node, SEQ, pointer, pos)
            # an index needs no escaping: f"{pointer}/{i}" is pointer_join(pointer, i)
            return [
                self.build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            self.check_tag(node, MAP, pointer, pos)
            return self.mapping(node, pointer, depth)
        raise _Reject(_problem(self.path, pos, "yaml-syntax", "unknown YAML node", None, pointer))

    def check_tag(self, node: Node, expected: str, pointer: str, pos: Position) -> None:
        if node.tag != expected:
            raise _Reject(
                _problem(
                    self.path,
                    pos,
                    "yaml-tag",
                    f"tags are not allowed ({_tag_text(node.tag)})",
                    "remove the tag: plain strings, numbers, true/false, lists and mappings only",
                    pointer,
                )
            )

    def scalar(self, node: ScalarNode, pointer: str, pos: Position) -> Any:
        tag, text = node.tag, node.value
        if tag == STR:
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            if text.lower() not in ("true", "false"):
                raise _Reject(
                    _problem(
                        self.path,
                        pos,
                        "yaml-tag",
                        f"'{text}' is not true or false",
                        "write true or false",
                        pointer,
                    )
                )
            return text.lower() == "true"
        if tag == INT:
            digits = text.lstrip("+-")
            if len(digits) > MAX_INT_DIGITS:
                raise _Reject(
                    _problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"the number has {len(digits)} digits, more than any field allows",
                        "check the number; counts are at most 10,000,000",
                        pointer,
                    )
                )
            return int(text, 0) if digits.startswith(("0o", "0x")) else int(text)
        if tag == FLOAT:
            value = float(
                text.replace(".inf", "inf")
                .replace(".Inf", "inf")
                .replace(".INF", "inf")
                .replace(".nan", "nan")
                .replace(".NaN", "nan")
                .replace(".NAN", "nan")
            )
            if not math.isfinite(value):
                raise _Reject(
                    _problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"'{text}' is not a finite number",
                        "write a real number",
                        pointer,
                    )
                )
            return value
        raise _Reject(
            _problem(
                self.path,
                pos,
                "yaml-tag",
                f"tags are not allowed ({_tag_text(tag)})",
                "remove the tag: plain strings, numbers, true/false, lists and mappings only",
                pointer,
            )
        )

    def mapping(self, node: MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        values, keys, seen = self.values, self.keys, self.seen
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_pos = (mark.line + 1, mark.column + 1)
            if isinstance(key_node, ScalarNode) and key_node.tag not in (
                STR,
                INT,
                FLOAT,
                BOOL,
                NULL,
            ):
                # `!!python/str notes:` is a tagged key, not a number or true/false
                self.problems.append(
                    _problem(
                        self.path,
                        key_pos,
                        "yaml-tag",
                        f"tags are not allowed ({_tag_text(key_node.tag)})",
                        "remove the tag: plain strings, numbers, true/false, lists and mappings only",
                        pointer,
                    )
                )
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a collection"
                self.problems.append(
                    _problem(
                        self.path,
                        key_pos,
                        "yaml-key-type",
                        f"keys must be strings, found {shown!r}",
                        "quote the key, or use a field name from the schema",
                        pointer,
                    )
                )
                continue
            key = intern(key_node.value)
            child = pointer_join(pointer, key) if "~" in key or "/" in key else f"{pointer}/{key}"
            if key in out:
                line, col = first_seen[key]
                self.problems.append(
                    _problem(
                        self.path,
                        key_pos,
                        "yaml-duplicate-key",
                        f"duplicate key '{key}' (first defined at line {line}, column {col})",
                        "remove one of the two; YAML keeps only the last",
                        child,
                    )
                )
                continue
            first_seen[key] = key_pos
            keys[child] = key_pos
            # most values are plain strings: what build() does for them, without the call
            if (
                value_node.__class__ is ScalarNode
                and value_node.tag == STR
                and depth < MAX_DEPTH
                and id(value_node) not in seen
            ):
                mark = value_node.start_mark
                values[child] = (mark.line + 1, mark.column + 1)
                seen.add(id(value_node))
                out[key] = value_node.value
            else:
                out[key] = self.build(value_node, child, depth + 1)
        return out


# Keys, ids, enum values and names recur across thousands of files: one object for each saves
# about a third of the memory a loaded catalogue takes. Long text rarely recurs.
_INTERN_MAX = 64


class _Unusual(Exception):
    """Something _plain leaves to the _Builder: a problem to locate, or a rare kind of scalar."""


def _plain(node: Node, depth: int) -> Any:
    """What _Builder.build returns for a node tree without problems, without recording positions.

    Anything else raises _Unusual. Aliases need no check: load_text only composes text that
    holds no '*' at all.
    """
    if depth > MAX_DEPTH:
        raise _Unusual
    cls = node.__class__
    if cls is ScalarNode:
        tag = node.tag
        if tag == STR:
            value = node.value
            return intern(value) if len(value) <= _INTERN_MAX else value
        if tag == NULL:
            return None
        if tag == INT:
            text = node.value
            digits = text.lstrip("+-")
            if len(digits) > MAX_INT_DIGITS or digits.startswith(("0o", "0x")):
                raise _Unusual
            return int(text)
        if tag == FLOAT:
            text = node.value
            if "n" in text or "N" in text:
                raise _Unusual  # .inf and .nan
            value = float(text)
            if not math.isfinite(value):
                raise _Unusual
            return value
        if tag == BOOL:
            text = node.value.lower()
            if text not in ("true", "false"):
                raise _Unusual
            return text == "true"
        raise _Unusual  # tags: the builder's checks
    if cls is MappingNode:
        if node.tag != MAP:
            raise _Unusual
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode or key_node.tag != STR:
                raise _Unusual
            key = intern(key_node.value)
            if key in out:
                raise _Unusual
            if value_node.__class__ is ScalarNode and value_node.tag == STR and depth < MAX_DEPTH:
                value = value_node.value
                out[key] = intern(value) if len(value) <= _INTERN_MAX else value
            else:
                out[key] = _plain(value_node, depth + 1)
        return out
    if cls is SequenceNode:
        if node.tag != SEQ:
            raise _Unusual
        return [_plain(item, depth + 1) for item in node.value]
    raise _Unusual


def _syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A libyaml error as a problem, with the plainest message and hint for the common cases."""
    # an unclosed bracket or quote is reported where it was opened, not where the file ends
    opened = exc.context_mark and (exc.context or "").startswith(
        ("while scanning a quoted scalar", "while parsing a flow", "while scanning a block scalar")
    )
    mark = (exc.context_mark if opened else exc.problem_mark) or exc.context_mark
    pos = _position(mark) if mark else (1, 1)
    message = ": ".join(p for p in (exc.context, exc.problem) if p)
    lines = text.split("\n")
    here = lines[pos[0] - 1][pos[1] - 1 : pos[1]] if pos[0] <= len(lines) else ""
    if "single document" in (exc.context or ""):
        return _problem(
            path,
            pos,
            "yaml-multi-document",
            "the file holds more than one YAML document",
            "keep one entry per file; remove the '---' and what follows",
        )
    if "nesting depth" in message:
        return _problem(
            path,
            pos,
            "yaml-too-deep",
            "collections are nested too deeply",
            "entries need only a few levels; flatten the structure",
        )
    if opened:
        what = "quote" if "quoted" in (exc.context or "") else "bracket"
        return _problem(
            path,
            pos,
            "yaml-syntax",
            f"this {what} is never closed ({message})",
            f"close the {what}, or quote the whole value",
        )
    if "mapping values are not allowed" in message:
        return _problem(
            path,
            pos,
            "yaml-syntax",
            "a ': ' inside a value that is not quoted",
            'put the whole value in quotes, e.g. title: "Kazakhstan: the parade"',
        )
    if here == "\t":
        return _problem(
            path,
            pos,
            "yaml-syntax",
            "a tab character where YAML expects indentation or a value",
            "indent with spaces, not tabs",
        )
    return _problem(path, pos, "yaml-syntax", message, "check the YAML syntax at this point")


def _reader_problem(path: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character libyaml will not read, located from its offset in the text."""
    offset = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    if char == "\x00":
        return _problem(
            path,
            (line, column),
            "yaml-encoding",
            "a NUL character: the file looks like UTF-16",
            "save the file as UTF-8 without a BOM",
        )
    return _problem(
        path,
        (line, column),
        "yaml-syntax",
        f"control character U+{ord(char):04X} is not allowed",
        "remove the character",
    )


def _tag_text(tag: str) -> str:
    """A tag as it is written in YAML (!!python/..., !custom)."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def load_text(path: str, text: str) -> LoadResult:
    """Parse one document from text; every failure comes back as a located problem."""
    return _load_text(path, text, None)


def _load_text(path: str, text: str, source: tuple[str, int] | None) -> LoadResult:
    problems = _anchor_problems(path, text)
    if problems:
        return LoadResult(None, problems)
    deep = _nesting_problem(path, text)
    if deep:
        return LoadResult(None, [deep])
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, [_syntax_problem(path, text, exc)])
    except yaml.reader.ReaderError as exc:
        return LoadResult(None, [_reader_problem(path, text, exc)])
    except yaml.YAMLError as exc:
        return LoadResult(
            None, [_problem(path, (1, 1), "yaml-syntax", str(exc).splitlines()[0], None)]
        )
    finally:
        composer.dispose()
    if node is None:
        return LoadResult(
            None,
            [
                _problem(
                    path,
                    (1, 1),
                    "yaml-empty",
                    "the file holds no entry",
                    "start from 'paradecat new KIND ID'",
                )
            ],
        )
    if not isinstance(node, MappingNode):
        what = "a list" if isinstance(node, SequenceNode) else "a single value"
        return LoadResult(
            None,
            [
                _problem(
                    path,
                    _position(node.start_mark),
                    "yaml-not-mapping",
                    f"the file holds {what}, not a mapping of fields",
                    "an entry is a mapping: 'id: …' and the other fields, one per line",
                )
            ],
        )
    first_line = text.split("\n", 1)[0]
    try:
        document = Document(path, _plain(node, 0), first_line=first_line, text=text, source=source)
        return LoadResult(document, [])
    except _Unusual:
        pass  # the builder says what is wrong, and where
    builder = _Builder(path)
    try:
        data = builder.build(node, "", 0)
    except _Reject as exc:
        return LoadResult(None, [*builder.problems, exc.problem])
    # duplicate and non-string keys are reported but do not stop the rest of the file being checked
    return LoadResult(
        Document(path, data, builder.values, builder.keys, first_line), builder.problems
    )


def load_file(path: Path, display: str) -> LoadResult:
    """Read one file within the size cap and parse it."""
    try:
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block or never end when read
            return LoadResult(
                None,
                [
                    _problem(
                        display,
                        (1, 1),
                        "file-unreadable",
                        "not a regular file",
                        "an entry is a plain text file",
                    )
                ],
            )
        if size > MAX_BYTES:
            return LoadResult(
                None,
                [
                    _problem(
                        display,
                        (1, 1),
                        "yaml-too-large",
                        f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                        "an entry is a few kilobytes; split it or trim long text",
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(
            None,
            [
                _problem(
                    display,
                    (1, 1),
                    "file-unreadable",
                    f"cannot read the file: {exc.strerror}",
                    None,
                )
            ],
        )
    text, problems = decode(display, raw)
    if text is None:
        return LoadResult(None, problems)
    return _load_text(display, text, (os.path.abspath(path), hash(raw)))


@dataclass(frozen=True)
class CatalogFile:
    """A file found under catalog/: where it is, how to show it, and which kind its folder holds."""

    path: Path
    display: str
    folder: str
    rel: str = ""  # the path below the root, e.g. catalog/systems/tor-m2k.yaml


def find_files(root: Path) -> Iterator[CatalogFile]:
    """Every file under root/catalog/, in a stable order; symlinks are reported, never followed."""
    catalog = root / "catalog"
    if catalog.is_symlink():
        # os.walk follows a symlink at its top: report catalog/ itself instead of reading elsewhere
        yield CatalogFile(catalog, "catalog", "", "catalog")
        return
    for dirpath, dirnames, filenames in os.walk(catalog, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        # worked out once per folder, not per file (5 µs a file)
        rel_dir = base.relative_to(root).as_posix()
        parts = rel_dir.split("/")
        folder = parts[1] if len(parts) > 1 else ""
        for name in sorted(filenames + [d for d in dirnames if (base / d).is_symlink()]):
            rel = f"{rel_dir}/{name}"
            yield CatalogFile(base / name, rel, folder, rel)
