"""Cyrillic <-> Latin transliteration of names (Russian and Kazakh), so search finds either script.

The forms made here are for the search index only: they are what a reader might type, not names
the catalogue vouches for. Three Latin spellings are made for each Cyrillic name: the one
English-language reporting uses (Tokayev, Kassym ~ Kasym), the Kazakh Latin alphabet of 2021
(Toqaev), and, for Kazakh names, a Russian Cyrillic fold (Тоқаев -> Токаев). Latin names get one
Cyrillic spelling (Barys -> Барыс, Aibar -> Айбар).

Why not a library. Judged on tests/test_translit.py's cases (December 2026, PyICU 2.17 on ICU 72,
cyrtranslit 1.2):
- ICU's Russian-Latin/BGN gives English reporting's spelling of Russian names (Barys, Aybar,
  Yerlan, Shchuka), but leaves every Kazakh letter as it is: "Қasym-Zhomart Toқayev".
- ICU's Kazakh-Latin/BGN is the 1979 BGN romanisation, neither the 2021 alphabet nor what
  reporting writes: "Qasym-Zhomart Toqaev", "Aī̆bar", "Erlan", "Shchūka", ғ -> gh, і -> i.
- The reverse has no Kazakh at all (ICU has no Latin-Kazakh), and Latin-Russian/BGN keeps Latin
  letters it has no rule for: "Терреx" for Terrex, "Qасым-Jомарт Тоqаев", "Аибар" for Aibar.
- PyICU is also compiled against libicu-dev at install, an apt package for every contributor.
- cyrtranslit has no Kazakh and follows GOST 7.79: "Bary's", "Ajbar", "SHHuka"; back to Cyrillic
  it gives "Барис" for Barys and "Zhомарт" for Zhomart. unidecode turns Kazakh letters into "@"
  and "k'".
The hand tables below pass every case, in both directions, in about 150 lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VOWELS_CYR = set("аәеёиоөуұүыіэюя")
VOWELS_LAT = set("aäeioöuūüyı")

# As English-language reporting spells Russian and Kazakh names (close to BGN/PCGN).
_ENGLISH: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

# The Kazakh Latin alphabet (2021 revision).
_KAZAKH: dict[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip

# Kazakh letters as Russian-language reporting writes them.
_RUSSIAN_FOLD: dict[str, str] = {
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
}  # fmt: skip

# Latin to Cyrillic, longest match first; "i" and "y" after a vowel are handled in to_cyrillic.
_TO_CYRILLIC: dict[str, str] = {
    "shch": "щ", "zh": "ж", "kh": "х", "ts": "ц", "ch": "ч", "sh": "ш", "yu": "ю",
    "ya": "я", "yo": "ё", "ye": "е", "a": "а", "b": "б", "c": "к", "d": "д", "e": "е",
    "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м",
    "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с", "t": "т", "u": "у",
    "v": "в", "w": "в", "x": "кс", "y": "ы", "z": "з", "ä": "ә", "ğ": "ғ", "ñ": "ң",
    "ö": "ө", "ū": "ұ", "ü": "ү", "ı": "і", "ş": "ш", "ç": "ч",
}  # fmt: skip
_LONGEST = max(len(key) for key in _TO_CYRILLIC)
_BRACKETED = re.compile(r"\s*\([^)]*\)")


def is_cyrillic(text: str) -> bool:
    """Whether text has any Cyrillic letter."""
    return any("\u0400" <= c <= "\u04ff" for c in text)


def is_latin(text: str) -> bool:
    """Whether text has any Latin letter."""
    return any(c.isalpha() and c.lower() in _TO_CYRILLIC for c in text)


def _cased(source: str, target: str) -> str:
    if not source[:1].isupper():
        return target
    if len(source) > 1 and source.isupper():
        return target.upper()
    return target[:1].upper() + target[1:]


def _latin(text: str, table: dict[str, str], iotated_e: bool) -> str:
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower in table:
            latin = table[lower]
            # English spelling writes е as "ye" where it is said so: Tokayev, Yerlan
            if iotated_e and lower == "е" and (not previous.isalpha() or previous in VOWELS_CYR):
                latin = "ye"
            out.append(_cased(char, latin) if latin else "")
        else:
            out.append(char)
        previous = lower
    return "".join(out)


def to_latin(text: str) -> list[str]:
    """Latin spellings of a Cyrillic name: as English reporting writes it, then Kazakh Latin."""
    if not is_cyrillic(text):
        return []
    forms = [_latin(text, _ENGLISH, iotated_e=True), _latin(text, _KAZAKH, iotated_e=False)]
    return list(dict.fromkeys(forms))


def russian_fold(text: str) -> str:
    """A Kazakh Cyrillic name with its Kazakh letters as Russian writes them (Тоқаев -> Токаев)."""
    return "".join(
        _cased(c, _RUSSIAN_FOLD[c.lower()]) if c.lower() in _RUSSIAN_FOLD else c for c in text
    )


def to_cyrillic(text: str) -> str:
    """A Cyrillic spelling of a Latin name (Barys -> Барыс, Aibar -> Айбар, Tor-M2K -> Тор-М2К)."""
    out: list[str] = []
    i = 0
    lower = text.lower()
    while i < len(text):
        previous = lower[i - 1] if i else ""
        following = lower[i + 1] if i + 1 < len(text) else ""
        char = lower[i]
        # "i" or "y" after a vowel, not before one, is the short й: Aibar, Taymas
        if char in "iy" and previous in VOWELS_LAT and following not in VOWELS_LAT:
            out.append(_cased(text[i], "й"))
            i += 1
            continue
        for size in range(_LONGEST, 0, -1):
            chunk = lower[i : i + size]
            if len(chunk) == size and chunk in _TO_CYRILLIC:
                out.append(_cased(text[i : i + size], _TO_CYRILLIC[chunk]))
                i += size
                break
        else:
            out.append("" if text[i] == "'" else text[i])
            i += 1
    return "".join(out)


def search_forms(names: Iterable[str]) -> list[str]:
    """Transliterations of names in the other script, leaving out forms that are already names."""
    names = list(names)
    known = {name.casefold() for name in names}
    forms: list[str] = []
    for full_name in names:
        # "Drone platform (type not identified)": the words in brackets are no part of the name
        name = _BRACKETED.sub("", full_name).strip()
        if is_cyrillic(name):
            candidates = [*to_latin(name), russian_fold(name)]
        elif is_latin(name):
            candidates = [to_cyrillic(name)]
        else:
            candidates = []
        forms += [form for form in candidates if form.casefold() not in known]
    return list(dict.fromkeys(forms))
