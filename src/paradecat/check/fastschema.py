"""jsonschema-rs as a quick yes or no in front of python-jsonschema.

python-jsonschema takes about 230 µs an entry and jsonschema-rs 5. Every file is checked with
jsonschema-rs; only the files it rejects go to python-jsonschema, whose errors name the path,
the keyword and the value that validate.py turns into located problems. For that to change
nothing, jsonschema-rs must never accept what python-jsonschema rejects: its patterns get
Python's whitespace, and its date format is python-jsonschema's own check. Where it is the
stricter of the two (`$` before a final newline), python-jsonschema has the last word.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

import jsonschema_rs

from ..model.schema import schema_for

# Python's \\s also matches these; the Rust regex engine's does not
_PYTHON_ONLY_SPACES = r"\x1c-\x1f\x85"


def _python_spaces(pattern: str) -> str:
    """The pattern with \\s widened to Python's whitespace, so Rust never accepts what Python rejects."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and pattern[i + 1 : i + 2] == "s":
            out.append(f"\\s{_PYTHON_ONLY_SPACES}" if in_class else f"[\\s{_PYTHON_ONLY_SPACES}]")
            i += 2
            continue
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        in_class = (in_class or char == "[") and char != "]"
        out.append(char)
        i += 1
    return "".join(out)


def _rust_schema(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _python_spaces(value)
            if key == "pattern" and isinstance(value, str)
            else _rust_schema(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rust_schema(item) for item in node]
    return node


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def date_conforms(value: str) -> bool:
    """python-jsonschema's check of format "date" (jsonschema._format.is_date), without it."""
    if not _DATE_RE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def fast_validator(kind: str) -> jsonschema_rs.Validator:
    """jsonschema-rs on the same schema, never more lenient than python-jsonschema.

    It only answers "valid or not" (about 100 times faster); python-jsonschema then describes
    the problems of the files it rejects. Patterns get Python's whitespace and the date format
    is python-jsonschema's own check, so a file it accepts is one python-jsonschema accepts too;
    where it is stricter (`$` before a final newline), python-jsonschema has the last word.
    """
    return rust_validator(schema_for(kind))


def rust_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """jsonschema-rs on any of our schemas, never more lenient than python-jsonschema."""
    return jsonschema_rs.Draft202012Validator(
        _rust_schema(schema), validate_formats=True, formats={"date": date_conforms}
    )


def rust_valid(validator: jsonschema_rs.Validator, data: Any) -> bool:
    """Whether data is valid; False when unsure (python-jsonschema decides)."""
    try:
        return bool(validator.is_valid(data))
    except (ValueError, TypeError, OverflowError):
        return False  # data Rust cannot hold (e.g. a huge integer): python-jsonschema decides


def fast_valid(data: Any, kind: str) -> bool:
    """Whether data is valid for the kind's schema; False when unsure (python-jsonschema decides)."""
    return rust_valid(fast_validator(kind), data)
