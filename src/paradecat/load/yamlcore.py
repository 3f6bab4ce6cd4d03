"""The strict YAML all catalogue files are read as: its limits, the YAML 1.2 core schema on
libyaml, and positions and problems from libyaml's marks.

`NO`, `yes` and `on` stay strings, dates stay ISO strings, and only str, int, float, bool and
null scalars exist.
"""

from __future__ import annotations

import operator
import re
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 30

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


class Composer(CParser, _CoreResolver):
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


def position(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


def problem(
    path: str, pos: Position, code: str, message: str, hint: str | None, pointer: str = ""
) -> Problem:
    return Problem(path, pos[0], pos[1], code, message, pointer=pointer, hint=hint)


def tag_text(tag: str) -> str:
    """A tag as it is written in YAML (!!python/..., !custom)."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


_PLAIN_DECIMAL = re.compile(r"^-?(?:0|[1-9][0-9]*)$")


def plain_decimal(text: str) -> bool:
    """Whether an integer is written as every YAML reads it: no sign but '-', no leading zero,
    no 0o or 0x (YAML 1.1 reads 017 as 15, YAML 1.2 as 17)."""
    return _PLAIN_DECIMAL.match(text) is not None
