"""The text-control rule's shortcut never hides a control: wherever hidden_controls finds one in a
string or a key, may_hide_controls says so (it looks at the entry's JSON instead of every
string, the walk that took a third of a cold run)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from paradecat.check.rules.text import may_hide_controls
from paradecat.problems import BIDI_CONTROLS, hidden_controls

# backslashes, the letters of JSON escapes, and every kind of hidden character
ALPHABET = st.sampled_from(
    ["\\", "u", "0", "1", "b", "f", "r", "n", "t", "a", "\t", "\n", '"', "é", "Б"]
    + [chr(c) for c in (0, 8, 12, 13, 27, 31, 0x7F, 0x85, 0x9F, 0x2028, 0x2029)]
    + sorted(BIDI_CONTROLS)
)
TEXT = st.text(ALPHABET, max_size=12)
DATA = st.recursive(
    TEXT | st.integers() | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _texts(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [t for item in data for t in _texts(item)]
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in [k, *_texts(v)]]
    return []


@settings(max_examples=2000, deadline=None)
@given(DATA)
def test_the_shortcut_never_hides_a_control(data: Any) -> None:
    if any(hidden_controls(text) for text in _texts(data)):
        assert may_hide_controls(data)


def test_the_shortcut_passes_plain_text() -> None:
    assert not may_hide_controls({"name": "Барыс", "notes": "line one\nline\ttwo", "n": [1, 2]})
    assert not may_hide_controls({"quote": 'a literal \\u001b, a "quote" and \\\\r'})


# YAML text: quotes of every kind, block scalars, escapes and raw hidden characters
YAML_ALPHABET = st.sampled_from(
    ["\\", "x", "1", "b", "e", "u", "N", "L", "P", "_", "0", "2", "8", "'", '"', ":", " ", "\n"]
    + ["|", ">", "-", "\t", "\r", "é", "Б", "a"]
    + [chr(c) for c in (0, 8, 27, 0x7F, 0x85, 0x9F, 0x2028, 0x2029)]
    + sorted(BIDI_CONTROLS)
)


@settings(max_examples=3000, deadline=None)
@given(st.text(YAML_ALPHABET, max_size=24), st.sampled_from(['"', "'", "", "|\n  ", ">\n  "]))
def test_a_file_said_to_be_clean_holds_no_control(text: str, quoting: str) -> None:
    """load_text's `clean` (the text-control rule skips such a file) is never wrong."""
    from paradecat.load.files import load_text

    closing = quoting if quoting in {'"', "'"} else ""
    result = load_text("x.yaml", f"id: x\nname: {quoting}{text}{closing}\n")
    doc = result.document
    if doc is not None and doc.clean:
        assert not any(hidden_controls(t) for t in _texts(doc.data))


def test_a_plain_file_is_clean_and_an_escape_is_not() -> None:
    from paradecat.load.files import load_text

    plain = load_text("x.yaml", "id: x\nname: Барыс\nnotes: |\n  line one\n  line\ttwo\n")
    assert plain.document is not None and plain.document.clean
    escaped = load_text("x.yaml", 'id: x\nname: "Barys\\e[2J"\n')
    assert escaped.document is not None and not escaped.document.clean
