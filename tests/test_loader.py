"""The strict loader: YAML 1.2 semantics, positions, and rejections as located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from paradecat.load.files import MAX_BYTES, load_file, load_text


def data(text: str) -> dict[str, object]:
    result = load_text("x.yaml", text)
    assert result.document is not None, result.problems
    assert not result.problems
    value: dict[str, object] = result.document.data
    return value


def codes(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in load_text("x.yaml", text).problems]


def test_yaml_1_2_scalars_stay_strings() -> None:
    loaded = data(
        "country: NO\na: yes\nb: on\nc: off\nd: y\nwhen: 2025-05-07\nn: 1_000\nt: 12:30\n"
    )
    assert loaded == {
        "country": "NO",
        "a": "yes",
        "b": "on",
        "c": "off",
        "d": "y",
        "when": "2025-05-07",
        "n": "1_000",
        "t": "12:30",
    }


def test_core_schema_types() -> None:
    loaded = data(
        "i: 42\nneg: -3\nf: 1.5\nsmall: 3.2e-05\nt: true\nf2: False\nnothing: null\ntilde: ~\ne:\n"
    )
    assert loaded == {
        "i": 42,
        "neg": -3,
        "f": 1.5,
        "small": 3.2e-05,
        "t": True,
        "f2": False,
        "nothing": None,
        "tilde": None,
        "e": None,
    }


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("017", "17"), ("+5", "5"), ("0o17", "15"), ("0x1F", "31"), ("1e3", "1000"), ("12e0", "12")],
)
def test_a_number_every_yaml_reads_alike_or_none(text: str, decimal: str) -> None:
    """YAML 1.1 reads 017 as 15 and 1.2 as 17: only plain decimal is accepted, with the hint."""
    result = load_text("x.yaml", f"id: a\ncount: {text}\n")
    assert result.document is None
    [found] = result.problems
    assert (found.code, found.line, found.column) == ("yaml-number", 2, 8)
    assert found.hint == f"write {decimal}"


def test_positions_of_values_and_keys() -> None:
    result = load_text(
        "x.yaml", "id: a\nnames:\n  - {name: Барыс, lang: kk}\n  - name: Бук\n    lang: ru\n"
    )
    doc = result.document
    assert doc is not None
    assert doc.values["/id"] == (1, 5)
    assert doc.values["/names/0/lang"] == (3, 25)  # columns count characters, not bytes
    assert doc.values["/names/1/lang"] == (5, 11)
    assert doc.keys["/names/1/lang"] == (5, 5)
    assert doc.locate("/names/1/missing") == (4, 5)  # falls back to the enclosing mapping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", [(4, 3, "yaml-duplicate-key")]),
        ("a: &x 1\nb: *x\n", [(1, 4, "yaml-anchor"), (2, 4, "yaml-anchor")]),
        ("a: !!python/object/apply:os.system ['true']\n", [(1, 4, "yaml-tag")]),
        ("a: !custom 1\n", [(1, 4, "yaml-tag")]),
        ("a: 1\n---\nb: 2\n", [(2, 1, "yaml-multi-document")]),
        ("", [(1, 1, "yaml-empty")]),
        ("# only a comment\n", [(1, 1, "yaml-empty")]),
        ("- a\n- b\n", [(1, 1, "yaml-not-mapping")]),
        ("1: a\ntrue: b\n", [(1, 1, "yaml-key-type"), (2, 1, "yaml-key-type")]),
        ("a:\n\tb: 1\n", [(2, 1, "yaml-syntax")]),
        ("a: .nan\n", [(1, 4, "yaml-number")]),
        ("a: -.inf\n", [(1, 4, "yaml-number")]),
        ("a: " + "9" * 40 + "\n", [(1, 4, "yaml-number")]),
    ],
)
def test_rejections_are_located(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert codes(text) == expected


def test_duplicate_key_does_not_hide_the_rest_of_the_file() -> None:
    result = load_text("x.yaml", "a: 1\na: 2\nb: 3\n")
    assert result.document is not None
    assert result.document.data == {"a": 1, "b": 3}
    assert [p.code for p in result.problems] == ["yaml-duplicate-key"]


@pytest.mark.parametrize("opener", ["[", '{"a": ', "- "])
def test_deep_nesting_is_rejected_before_libyaml_recurses(opener: str) -> None:
    closer = {"[": "]", '{"a": ': "}", "- ": ""}[opener]
    text = opener * 10_000 + "x" + closer * 10_000
    problems = load_text("x.yaml", text).problems
    assert [p.code for p in problems] == ["yaml-too-deep"]


def test_billion_laughs_is_rejected_without_expanding() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    problems = load_text("x.yaml", "\n".join(lines)).problems
    assert problems and {p.code for p in problems} == {"yaml-anchor"}


def test_file_over_the_cap_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    result = load_file(path, "big.yaml")
    assert [(p.line, p.column, p.code) for p in result.problems] == [(1, 1, "yaml-too-large")]


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        (b"a: ok\nb: caf\xe9\n", (2, 7)),
        (b"\xef\xbb\xbfa: 1\n", (1, 1)),
        ("a: 1\n".encode("utf-16"), (1, 1)),
    ],
)
def test_encoding_problems_are_located(
    tmp_path: Path, raw: bytes, position: tuple[int, int]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    problems = load_file(path, "x.yaml").problems
    assert [(p.line, p.column, p.code) for p in problems] == [(*position, "yaml-encoding")]
