"""A parsed catalogue file (Document), and the Builder that turns libyaml's node tree into plain
data with a position for every node, rejecting what the strict loader does not accept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem, pointer_join
from .yamlcore import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    NULL,
    SEQ,
    STR,
    Composer,
    Position,
    plain_decimal,
    problem,
    tag_text,
)


class Document:
    """One parsed YAML file: plain data plus where each value and key stands in the file.

    Positions (`values`, `keys`: JSON pointer -> line, column) are worked out from the text the
    first time they are asked for. Only files with problems need them, and recording them for
    every node while loading took a third of the loading time and most of its memory. A
    document read from a file reads it again then (`source`: its absolute path and the hash of
    its bytes); one that has changed since is not located (every position is 1:1).
    """

    __slots__ = ("_keys", "_source", "_text", "_values", "clean", "data", "first_line", "path")

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
        clean: bool = False,
    ) -> None:
        self.path = path
        # the text holds no backslash and no hidden character, so no string of it can hold one
        # (rules/text.py need not look): what load_text found; False when not known
        self.clean = clean
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
            builder = Builder(self.path)
            text = self._original_text()
            if text is not None:
                composer = Composer(text)
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
    digest: str = ""  # the hash of the file's bytes (load/files.py: file_digest), when read


class Reject(Exception):
    """A construct the strict loader does not accept; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Builder:
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
            raise Reject(
                problem(
                    self.path,
                    pos,
                    "yaml-too-deep",
                    f"collections are nested more than {MAX_DEPTH} levels deep",
                    "entries need only a few levels; flatten the structure",
                    pointer,
                )
            )
        if id(node) in self.seen:
            raise Reject(
                problem(
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
        raise Reject(problem(self.path, pos, "yaml-syntax", "unknown YAML node", None, pointer))

    def check_tag(self, node: Node, expected: str, pointer: str, pos: Position) -> None:
        if node.tag != expected:
            raise Reject(
                problem(
                    self.path,
                    pos,
                    "yaml-tag",
                    f"tags are not allowed ({tag_text(node.tag)})",
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
                raise Reject(
                    problem(
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
                raise Reject(
                    problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"the number has {len(digits)} digits, more than any field allows",
                        "check the number; counts are at most 10,000,000",
                        pointer,
                    )
                )
            number = int(text, 0) if digits.startswith(("0o", "0x")) else int(text)
            if not plain_decimal(text):
                # YAML 1.1 tools read 017 as 15 and YAML 1.2 ones as 17: only one reading is safe
                raise Reject(
                    problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"'{text}' is not a plain decimal number",
                        f"write {number}",
                        pointer,
                    )
                )
            return number
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
                raise Reject(
                    problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"'{text}' is not a finite number",
                        "write a real number",
                        pointer,
                    )
                )
            if ("e" in text or "E" in text) and value.is_integer():
                # 1e3 and 12e0 are whole numbers in disguise: a count reads them as 1000 and 12
                # Decimal reads the text exactly (float would write 1e30 as 1000…19884624838656)
                written = (
                    str(int(Decimal(text)))
                    if abs(value) < 10.0**MAX_INT_DIGITS
                    else "the whole number in digits"
                )
                raise Reject(
                    problem(
                        self.path,
                        pos,
                        "yaml-number",
                        f"'{text}' is written with an exponent",
                        f"write {written}",
                        pointer,
                    )
                )
            return value
        raise Reject(
            problem(
                self.path,
                pos,
                "yaml-tag",
                f"tags are not allowed ({tag_text(tag)})",
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
                    problem(
                        self.path,
                        key_pos,
                        "yaml-tag",
                        f"tags are not allowed ({tag_text(key_node.tag)})",
                        "remove the tag: plain strings, numbers, true/false, lists and mappings only",
                        pointer,
                    )
                )
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a collection"
                self.problems.append(
                    problem(
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
                    problem(
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
