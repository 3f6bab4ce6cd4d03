"""Find catalogue files and read them as strict YAML with a position for every node.

The pieces: yamlcore (the YAML 1.2 core schema on libyaml, and the limits), yamlproblems
(encoding, nesting, anchors and libyaml's errors as problems) and document (Document, and the
Builder that records positions). This module reads files and text with them.

The YAML is read with 1.2 core-schema semantics on libyaml (PyYAML's C parser):
`NO`, `yes` and `on` stay strings, dates stay ISO strings, and only str, int,
float, bool and null scalars exist. Duplicate keys, anchors, aliases, tags,
multi-document files, invalid UTF-8, oversized files and deep nesting are
rejected as located problems, never as exceptions.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..problems import BIDI_CONTROLS
from .document import Builder, Document, LoadResult, Reject
from .walk import MAX_FOLDER_DEPTH, Listing, walk_folders
from .yamlcore import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    NULL,
    SEQ,
    STR,
    Composer,
    plain_decimal,
    position,
    problem,
)
from .yamlproblems import anchor_problems, decode, nesting_problem, reader_problem, syntax_problem

__all__ = [
    "MAX_BYTES",
    "MAX_FOLDER_DEPTH",
    "CatalogFile",
    "Document",
    "Listing",
    "LoadResult",
    "decode",
    "file_digest",
    "find_files",
    "load_file",
    "load_text",
    "walk_folders",
]

# Keys, ids, enum values and names recur across thousands of files: one object for each saves
# about a third of the memory a loaded catalogue takes. Long text rarely recurs.
_INTERN_MAX = 64


class _Unusual(Exception):
    """Something _plain leaves to the Builder: a problem to locate, or a rare kind of scalar."""


def _plain(node: Node, depth: int) -> Any:
    """What Builder.build returns for a node tree without problems, without recording positions.

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
            if len(digits) > MAX_INT_DIGITS or not plain_decimal(text):
                raise _Unusual  # the Builder locates it
            return int(text)
        if tag == FLOAT:
            text = node.value
            if "n" in text or "N" in text:
                raise _Unusual  # .inf and .nan
            value = float(text)
            if not math.isfinite(value) or (("e" in text or "E" in text) and value.is_integer()):
                raise _Unusual  # the Builder reports it
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


# A character that a string of the file may hold hidden (problems._INVISIBLE, but tab and line
# break), or a backslash, with which a double-quoted YAML string writes any character
_MAYBE_HIDDEN = re.compile(
    "[\\\\"
    + "".join(
        re.escape(chr(c))
        for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
        if chr(c) not in "\t\n"
    )
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)


def load_text(path: str, text: str) -> LoadResult:
    """Parse one document from text; every failure comes back as a located problem."""
    return _load_text(path, text, None)


def _load_text(path: str, text: str, source: tuple[str, int] | None) -> LoadResult:
    problems = anchor_problems(path, text)
    if problems:
        return LoadResult(None, problems)
    deep = nesting_problem(path, text)
    if deep:
        return LoadResult(None, [deep])
    composer = Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, [syntax_problem(path, text, exc)])
    except yaml.reader.ReaderError as exc:
        return LoadResult(None, [reader_problem(path, text, exc)])
    except yaml.YAMLError as exc:
        return LoadResult(
            None, [problem(path, (1, 1), "yaml-syntax", str(exc).splitlines()[0], None)]
        )
    finally:
        composer.dispose()
    if node is None:
        return LoadResult(
            None,
            [
                problem(
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
                problem(
                    path,
                    position(node.start_mark),
                    "yaml-not-mapping",
                    f"the file holds {what}, not a mapping of fields",
                    "an entry is a mapping: 'id: …' and the other fields, one per line",
                )
            ],
        )
    first_line = text.split("\n", 1)[0]
    try:
        clean = _MAYBE_HIDDEN.search(text) is None
        document = Document(
            path, _plain(node, 0), first_line=first_line, text=text, source=source, clean=clean
        )
        return LoadResult(document, [])
    except _Unusual:
        pass  # the builder says what is wrong, and where
    builder = Builder(path)
    try:
        data = builder.build(node, "", 0)
    except Reject as exc:
        return LoadResult(None, [*builder.problems, exc.problem])
    # duplicate and non-string keys are reported but do not stop the rest of the file being checked
    return LoadResult(
        Document(path, data, builder.values, builder.keys, first_line), builder.problems
    )


def _refused(display: str, code: str, message: str, hint: str | None) -> LoadResult:
    """A file that is not read at all: one problem at its first line."""
    return LoadResult(None, [problem(display, (1, 1), code, message, hint)])


def load_file(path: Path, display: str) -> LoadResult:
    """Read one file within the size cap and parse it."""
    try:
        info = path.stat()
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            # a FIFO or device would block or never end when read
            return _refused(
                display, "file-unreadable", "not a regular file", "an entry is a plain text file"
            )
        if size > MAX_BYTES:
            return _refused(
                display,
                "yaml-too-large",
                f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                "an entry is a few kilobytes; split it or trim long text",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return _refused(display, "file-unreadable", f"cannot read the file: {exc.strerror}", None)
    digest = file_digest(raw)
    text, problems = decode(display, raw)
    if text is None:
        return LoadResult(None, problems, digest)
    result = _load_text(display, text, (os.path.abspath(path), hash(raw)))
    result.digest = digest
    return result


def file_digest(raw: bytes) -> str:
    """The hash of a file's bytes that the validation cache keys what the file gives by."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True)
class CatalogFile:
    """A file found under catalog/: where it is, how to show it, and which kind its folder holds."""

    path: Path
    display: str
    folder: str
    rel: str = ""  # the path below the root, e.g. catalog/systems/tor-m2k.yaml


def find_files(root: Path) -> Iterator[CatalogFile]:
    """Every file under root/catalog/, in a stable order; symlinks are reported, never followed."""
    for base, rel_dir, folder, items in walk_folders(root):
        for name, _ in items:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            yield CatalogFile(Path(base, name), rel, folder, rel)
