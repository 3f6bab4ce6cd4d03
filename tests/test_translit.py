"""Transliteration: search finds a name typed in the other script, even when only one is given."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from paradecat.catalog import Catalog
from paradecat.db.build import build_database
from paradecat.db.translit import russian_fold, search_forms, to_cyrillic, to_latin
from paradecat.model import Name


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Барыс", "Barys"),
        ("Айбар", "Aybar"),
        ("Тор-М2К", "Tor-M2K"),
        ("Қасым-Жомарт Тоқаев", "Kasym-Zhomart Tokayev"),
        ("Ерлан", "Yerlan"),
        ("Щука", "Shchuka"),
    ],
)
def test_cyrillic_to_latin_as_english_reporting_writes_it(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic)[0] == latin


@pytest.mark.parametrize(
    ("letter", "kazakh_latin"),
    [
        ("ә", "ä"),
        ("ғ", "ğ"),
        ("қ", "q"),
        ("ң", "ñ"),
        ("ө", "ö"),
        ("ұ", "ū"),
        ("ү", "ü"),
        ("һ", "h"),
        ("і", "ı"),
    ],
)
def test_every_kazakh_letter_has_a_latin_form_both_ways(letter: str, kazakh_latin: str) -> None:
    forms = to_latin(f"а{letter}а")
    english, kazakh = forms[0], forms[-1]  # one form when both spellings agree (һ is h in both)
    assert kazakh == f"a{kazakh_latin}a"
    assert english.isascii() and english.startswith("a") and english.endswith("a")
    if kazakh_latin != "h":  # Latin h is х in Russian names too, so it goes back to х
        assert to_cyrillic(f"a{kazakh_latin}a") == f"а{letter}а"
    assert letter not in russian_fold(f"а{letter}а")


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Barys", "Барыс"),
        ("Aibar", "Айбар"),
        ("Taymas", "Таймас"),
        ("Tor-M2K", "Тор-М2К"),
        ("Terrex", "Террекс"),
        ("Zhomart", "Жомарт"),
        ("Qasym-Jomart Toqaev", "Қасым-Жомарт Тоқаев"),
        ("Kuchekbayev", "Кучекбаев"),
    ],
)
def test_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_kazakh_names_fold_to_the_russian_spelling() -> None:
    assert russian_fold("Қасым-Жомарт Тоқаев") == "Касым-Жомарт Токаев"


def test_search_forms_leave_out_names_already_given_and_bracketed_words() -> None:
    assert search_forms(["Barys", "Барыс"]) == []
    assert search_forms(["Drone platform (type not identified)"]) == ["Дроне платформ"]
    assert "Barys" in search_forms(["Барыс"])
    assert search_forms(["A-400", "123"]) == ["А-400"]


def _search(db: Path, query: str) -> list[str]:
    """The ids a Datasette table search (_search=query) finds in systems."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "select id from systems where rowid in "
            "(select rowid from systems_fts where systems_fts match ?)",
            ('"' + query.replace('"', '""') + '"',),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def test_a_name_given_in_one_script_is_found_from_the_other(
    catalog: Catalog, tmp_path: Path
) -> None:
    systems = dict(catalog.systems)
    # Barys known only by its Cyrillic name, Aibar only by its Latin one
    systems["barys"] = systems["barys"].model_copy(
        update={"name": "Snow leopard", "names": [Name(name="Барыс", lang="kk")]}
    )
    systems["aibar"] = systems["aibar"].model_copy(update={"names": []})
    db = build_database(dataclasses.replace(catalog, systems=systems), tmp_path / "t.db")
    assert _search(db, "Barys") == ["barys"]
    assert _search(db, "Айбар") == ["aibar"]
    # and the transliterations are kept apart from the names the catalogue vouches for
    conn = sqlite3.connect(db)
    all_names, search_names = conn.execute(
        "select all_names, search_names from systems where id = 'barys'"
    ).fetchone()
    conn.close()
    assert "Barys" not in all_names.split("\n")
    assert "Barys" in search_names.split("\n")


def test_the_real_catalogue_finds_latin_only_names_in_cyrillic(built_db: Path) -> None:
    assert _search(built_db, "Террекс") == ["terrex"]
    assert _search(built_db, "Барыс") == ["barys"]
    assert _search(built_db, "Barys") == ["barys"]
