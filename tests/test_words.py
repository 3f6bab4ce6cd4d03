"""The vocabularies in a reader's words, and contributors' notes with their ids replaced."""

from __future__ import annotations

from enum import StrEnum

import pytest

from paradecat.model import Category, EventKind, EventStatus, Segment, SystemClass
from paradecat.model.words import VOCABULARY_WORDS, in_words
from paradecat.site.prose import plain

VOCABULARIES: dict[str, type[StrEnum]] = {
    "category": Category,
    "class": SystemClass,
    "segment": Segment,
    "kind": EventKind,
    "status": EventStatus,
}


@pytest.mark.parametrize("name", list(VOCABULARIES))
def test_every_value_of_every_vocabulary_has_its_words(name: str) -> None:
    values = {str(v) for v in VOCABULARIES[name]}
    assert set(VOCABULARY_WORDS[name]) == values
    for value in values:
        words = in_words(name, value)
        assert words[0].isupper() and "_" not in words, (value, words)


def test_a_class_reads_as_a_reader_says_it() -> None:
    assert (
        in_words("class", "short_range_sam_system") == "Short-range surface-to-air missile system"
    )
    assert in_words("class", "no_such_class") == "no such class"


NAMES = {
    "worldnewsam-2025-05-07": "WNAM MONITORING",
    "worldnewsam": "WNAM MONITORING",
    "2025-05-07-astana": "Astana Victory Parade 2025",
}


@pytest.mark.parametrize(
    "note, expected",
    [
        (
            "Reported after the parade (worldnewsam).",
            "Reported after the parade (WNAM MONITORING).",
        ),
        ("(see 2025-05-07-astana)", "(see Astana Victory Parade 2025)"),
        ("so no appearance is marked first_showing.", "so no appearance is marked first showing."),
        # a web address or a file name is left as it is
        ("worldnewsam.com lists it", "worldnewsam.com lists it"),
        (
            "https://example.org/worldnewsam-2025-05-07",
            "https://example.org/worldnewsam-2025-05-07",
        ),
    ],
)
def test_notes_name_sources_and_entries_as_a_reader_knows_them(note: str, expected: str) -> None:
    assert plain(note, NAMES) == expected
