"""Text that shows what it says: no control characters and no bidirectional overrides."""

from __future__ import annotations

import json
import re
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


# What a hidden character becomes in json.dumps(..., ensure_ascii=False): a C0 control is an
# escape that is not itself escaped (\u001b, \r, \b, \f; tab and line break are allowed), the
# others stay as they are. No match means no string of the entry holds one: the walk below, a
# third of a cold run's time, is only needed where something matches.
_DUMPED_HIDDEN = re.compile(
    r"(?<!\\)(?:\\\\)*\\(?:u00[01][0-9a-fA-F]|u007[fF]|[rbf])|[\x7f-\x9f\u2028\u2029"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)


def may_hide_controls(data: Any) -> bool:
    """False only when no string (or key) in data holds a character hidden_controls reports."""
    try:
        dumped = json.dumps(data, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # a key json cannot write: look at every string
        return True
    return _DUMPED_HIDDEN.search(dumped) is not None


@rule("text-control", raw=True)
def text_has_no_hidden_controls(catalog: Catalog) -> Iterator[Problem]:
    """Text holds no control character (but tab and line break) and no bidirectional override.

    ESC (`\\e[2J`) can clear a reviewer's terminal, and a right-to-left override (U+202E) makes a
    line read as another. A language that needs its direction marks has U+200E and U+200F.

    PASS: `name: Барыс`, `note: |` with line breaks
    FAIL: `name: "Barys\\e[2J"`, `url: "https://x.kz/\\u202eevil"`
    """
    for _, doc in catalog.loaded:
        if doc.clean or not may_hide_controls(doc.data):
            continue
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
