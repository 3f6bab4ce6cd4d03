"""Text that shows what it says: no control characters and no bidirectional overrides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...catalog import Catalog
from ...problems import BIDI_CONTROLS, Problem, hidden_controls, pointer_join
from .engine import rule


def _strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str, bool]]:
    """(pointer, text, is a key) for every string in parsed data."""
    if isinstance(data, str):
        yield pointer, data, False
    elif isinstance(data, dict):
        for key, value in data.items():
            child = pointer_join(pointer, key)
            if isinstance(key, str):
                yield child, key, True
            yield from _strings(value, child)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, f"{pointer}/{i}")


@rule("text-control", raw=True)
def text_has_no_hidden_controls(catalog: Catalog) -> Iterator[Problem]:
    """Text holds no control character (but tab and line break) and no bidirectional override.

    ESC (`\\e[2J`) can clear a reviewer's terminal, and a right-to-left override (U+202E) makes a
    line read as another. A language that needs its direction marks has U+200E and U+200F.

    PASS: `name: Барыс`, `note: |` with line breaks
    FAIL: `name: "Barys\\e[2J"`, `url: "https://x.kz/\\u202eevil"`
    """
    for _, doc in catalog.loaded:
        found = 0
        for pointer, text, is_key in _strings(doc.data):
            controls = hidden_controls(text)
            if not controls:
                continue
            found += 1
            if found > 20:  # one file of hostile text is reported, not echoed 10,000 times
                break
            what = (
                "a bidirectional override" if any(c in BIDI_CONTROLS for c in text) else "a control"
            )
            line, col = doc.locate(pointer, key=is_key)
            yield Problem(
                doc.path,
                line,
                col,
                "text-control",
                f"the text holds {what} character ({', '.join(dict.fromkeys(controls))})",
                pointer=pointer,
                hint="delete it: it changes how the text is shown instead of being shown",
            )
