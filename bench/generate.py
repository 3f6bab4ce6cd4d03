"""Write a synthetic but valid catalogue of N entries, deterministic for a seed.

    python bench/generate.py N DIR [--seed S]

DIR/catalog/{sources,systems,units,people,parades}/ID.yaml, one entry per file, about 40 lines per entry
on average (sources are short, parades long), with Cyrillic names and the reference patterns of the
real catalogue: parades cite sources, show systems (appearances), list contingents from units and
name people (reviewing officials, commanders) by their entries; every count, appearance and claim
carries its quotation;
systems are based on earlier systems; every source is cited. The output passes
`paradecat validate --root DIR` without errors or warnings.

Importable: `generate(n, root, seed=0)` returns the number of files per kind.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from paradecat.model import CLASS_CATEGORY

# share of the entries of each kind; parades are long and sources short, about 40 lines on average
SHARES = {"source": 0.28, "system": 0.24, "unit": 0.09, "person": 0.04, "parade": 0.35}
FOLDERS = {
    "source": "sources",
    "system": "systems",
    "unit": "units",
    "person": "people",
    "parade": "parades",
}

COUNTRIES = {
    "KZ": ("Astana", 51.1282, 71.4306),
    "RU": ("Moscow", 55.7539, 37.6208),
    "BY": ("Minsk", 53.9006, 27.5590),
    "KG": ("Bishkek", 42.8746, 74.5698),
    "UZ": ("Tashkent", 41.2995, 69.2401),
    "TJ": ("Dushanbe", 38.5598, 68.7870),
    "AM": ("Yerevan", 40.1792, 44.4991),
    "AZ": ("Baku", 40.4093, 49.8671),
    "MN": ("Ulaanbaatar", 47.8864, 106.9057),
    "CN": ("Beijing", 39.9042, 116.4074),
    "IN": ("New Delhi", 28.6139, 77.2090),
    "EG": ("Cairo", 30.0444, 31.2357),
    "TR": ("Ankara", 39.9334, 32.8597),
    "RS": ("Belgrade", 44.7866, 20.4489),
    "VN": ("Hanoi", 21.0278, 105.8342),
}
CITIES_KZ = ["Almaty", "Shymkent", "Semey", "Aktobe", "Karaganda", "Oral", "Taraz", "Pavlodar"]
LANGS = ["en", "ru", "kk"]
PUBLISHERS = [
    "Qazinform",
    "The Astana Times",
    "Kazinform",
    "Defence Blog",
    "The Moscow Times",
    "24.kg",
    "Sputnik",
    "Orda.kz",
    "Vlast.kz",
    "Interfax",
    "TASS",
    "Eurasianet",
    "Janes",
    "Army Recognition",
]
SYLLABLES = ["ar", "ba", "rys", "tai", "mas", "lan", "ai", "bar", "kor", "dan", "sun", "kar", "tor"]
SYLLABLES += ["bur", "kan", "nur", "zhol", "sar", "bek", "tas", "ker", "mun", "sai", "ul", "kyz"]
_WORDS = (
    "the parade column vehicle crew square defence ministry reported armoured wheeled tracked "
    "system modernised version battalion brigade regiment review commander personnel equipment "
    "flypast aircraft helicopter anniversary victory independence march order shown first time "
    "according to press service live broadcast photographs identified hull turret launcher radar "
    "chassis produced assembled licence domestic export contract delivered training exercise"
)
WORDS = _WORDS.split()
_WORDS_RU = (
    "парад колонна техника расчёт площадь министерство обороны сообщило бронированный колёсный "
    "гусеничный комплекс модернизированный вариант батальон бригада полк смотр командующий"
)
WORDS_RU = _WORDS_RU.split()
SEGMENTS = ["mechanized_column", "mechanized_column", "mechanized_column", "air", "foot_column"]
IDENTIFICATION = ["confirmed", "confirmed", "probable", "reported", "disputed"]
QUALIFIERS = ["over", "about", "at_least"]
OCCASIONS = [
    "Defender of the Fatherland Day",
    "Victory Day",
    "Independence Day",
    "Capital City Day",
    "Day of the Armed Forces",
]
RANKS = ["Colonel", "Major General", "Lieutenant General", "Lieutenant Colonel", "General"]
BRANCHES = ["Ground Forces", "Air Assault Forces", "Air Defence Forces", "National Guard", "Navy"]
FIRST = ["Almas", "Yerlan", "Nurlan", "Dauren", "Ruslan", "Marat", "Sergey", "Aidos", "Bakhyt"]
LAST = ["Tulegenov", "Kuchekbayev", "Zhaksylykov", "Ivanov", "Abenov", "Sadykov", "Petrov"]
LATIN_TO_CYRILLIC = {
    "shch": "щ",
    "ey": "ей",
    "iy": "ий",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ya": "я",
    "a": "а",
    "b": "б",
    "v": "в",
    "g": "г",
    "d": "д",
    "e": "е",
    "z": "з",
    "i": "и",
    "y": "ы",
    "k": "к",
    "q": "қ",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "f": "ф",
    "h": "һ",
    "c": "к",
    "j": "ж",
    "w": "у",
    "x": "кс",
}
MODELINE = "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


def cyrillic(text: str) -> str:
    """A rough Cyrillic transliteration of a Latin name (Barys -> Барыс)."""
    out, i, lower = [], 0, text.lower()
    while i < len(lower):
        for size in (4, 2, 1):
            piece = lower[i : i + size]
            if piece in LATIN_TO_CYRILLIC:
                letter = LATIN_TO_CYRILLIC[piece]
                out.append(letter.upper() if text[i].isupper() else letter)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def slug(text: str) -> str:
    """Lower-case letters, digits and hyphens."""
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)


def quote(text: str) -> str:
    """A YAML double-quoted scalar (the generator never needs escapes beyond these)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class _Plan:
    """The ids of every entry, decided before any file is written so references resolve."""

    sources: list[tuple[str, str]]  # (id, published date)
    systems: list[tuple[str, str]]  # (id, name)
    units: list[tuple[str, str, str]]  # (id, name, country)
    people: list[tuple[str, str]]  # (id, name)
    parades: int


class _Writer:
    def __init__(self, n: int, root: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.root = root
        counts = {kind: max(1, int(n * share)) for kind, share in SHARES.items()}
        others = sum(v for k, v in counts.items() if k != "parade")
        counts["parade"] = max(1, n - others)
        self.counts = counts
        self.next_source = 0  # round robin, so that every source is cited at least once

    # --- text ---------------------------------------------------------------------------------

    def sentence(self, low: int, high: int, words: list[str] = WORDS) -> str:
        text = " ".join(self.rng.choice(words) for _ in range(self.rng.randint(low, high)))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> list[str]:
        """A folded block (>-) of about 100-character lines."""
        words = " ".join(self.sentence(8, 16) for _ in range(sentences)).split()
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) + 1 > 96:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        return lines

    def name(self, syllables: int = 2) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    def date(self, first_year: int = 1995, last_year: int = 2025) -> dt.date:
        year = self.rng.randint(first_year, last_year)
        month = self.rng.randint(1, 12)
        return dt.date(year, month, self.rng.randint(1, calendar.monthrange(year, month)[1]))

    def cite(self, plan: _Plan, extra: int) -> list[str]:
        """One source in round-robin order (so all are cited) and some at random."""
        first = plan.sources[self.next_source % len(plan.sources)][0]
        self.next_source += 1
        picked = [first, *(self.rng.choice(plan.sources)[0] for _ in range(extra))]
        return list(dict.fromkeys(picked))

    # --- plan and entries -----------------------------------------------------------------------

    def plan(self) -> _Plan:
        sources = []
        for i in range(self.counts["source"]):
            publisher = self.rng.choice(PUBLISHERS)
            sources.append((f"{slug(publisher)}-{i:06d}", self.date(2000, 2025).isoformat()))
        systems = [
            (f"{slug(name)}-{i:06d}", name)
            for i, name in (
                (i, f"{self.name()}-{self.rng.randint(1, 9)}") for i in range(self.counts["system"])
            )
        ]
        units = []
        for i in range(self.counts["unit"]):
            number = self.rng.randint(1, 99)
            kind = self.rng.choice(["Brigade", "Regiment", "Battalion"])
            name = f"{ordinal(number)} {self.name()} {kind}"
            units.append((f"{slug(name)}-{i:06d}", name, self.rng.choice(list(COUNTRIES))))
        people = []
        for i in range(self.counts["person"]):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            people.append((f"{slug(name)}-{i:06d}", name))
        return _Plan(sources, systems, units, people, self.counts["parade"])

    def source(self, plan: _Plan, index: int) -> Iterator[str]:
        entry_id, published = plan.sources[index]
        publisher = self.rng.choice(PUBLISHERS)
        lang = self.rng.choice(LANGS)
        title = self.sentence(6, 12, WORDS_RU if lang != "en" else WORDS).rstrip(".")
        yield f"id: {entry_id}\n"
        yield f"url: https://news.example.kz/{published[:4]}/{entry_id}/\n"
        yield f"title: {quote(title)}\n"
        yield f"publisher: {quote(publisher)}\n"
        if self.rng.random() < 0.6:
            yield f"author: {self.rng.choice(FIRST)} {self.rng.choice(LAST)}\n"
        yield f"published: {published}\n"
        yield f"language: {lang}\n"
        if self.rng.random() < 0.5:
            yield f"archive_url: https://web.archive.org/web/2025/https://news.example.kz/{entry_id}/\n"
            yield "accessed: 2025-06-01\n"
        yield "notes: >-\n"
        for line in self.paragraph(self.rng.randint(1, 3)):
            yield f"  {line}\n"

    def names(self, name: str, indent: str) -> Iterator[str]:
        yield f"{indent}names:\n"
        yield f"{indent}  - name: {cyrillic(name)}\n"
        yield f"{indent}    lang: kk\n"
        yield f"{indent}  - name: {cyrillic(name)}\n"
        yield f"{indent}    lang: ru\n"
        yield f"{indent}    note: {self.sentence(5, 10)}\n"

    def system(self, plan: _Plan, index: int) -> Iterator[str]:
        entry_id, name = plan.systems[index]
        cls = self.rng.choice(list(CLASS_CATEGORY))
        sources = self.cite(plan, self.rng.randint(1, 3))
        yield f"id: {entry_id}\n"
        yield f"name: {name}\n"
        yield from self.names(name, "")
        yield f"category: {CLASS_CATEGORY[cls].value}\n"
        yield f"class: {cls.value}\n"
        yield f"manufacturer: {self.name(3)} Engineering\n"
        yield f"origin: [{self.rng.choice(list(COUNTRIES))}]\n"
        yield "produced_in: [KZ]\n"
        if index and self.rng.random() < 0.4:
            parent_id, parent_name = plan.systems[self.rng.randrange(index)]
            yield "based_on:\n"
            yield f"  name: {parent_name}\n"
            yield f"  system: {parent_id}\n"
            yield f"  source: {sources[0]}\n"
        yield f"wikidata: Q{self.rng.randint(1000, 99_999_999)}\n"
        yield "description: >-\n"
        for line in self.paragraph(self.rng.randint(2, 4)):
            yield f"  {line}\n"
        yield "sources:\n"
        for source in sources:
            yield f"  - {source}\n"
        if self.rng.random() < 0.2:
            yield "claims:\n"
            yield "  - field: manufacturer\n"
            yield f"    value: {self.name(2)} Works\n"
            yield f"    source: {sources[-1]}\n"
            yield f"    quote: {quote(self.sentence(4, 8, WORDS_RU))}\n"
            yield "    rank: deprecated\n"
            yield f"    note: {self.sentence(6, 12)}\n"
        yield "notes: >-\n"
        for line in self.paragraph(self.rng.randint(1, 3)):
            yield f"  {line}\n"

    def unit(self, plan: _Plan, index: int) -> Iterator[str]:
        entry_id, name, country = plan.units[index]
        yield f"id: {entry_id}\n"
        yield f"name: {name}\n"
        yield from self.names(name, "")
        yield f"country: {country}\n"
        yield f"branch: {self.rng.choice(BRANCHES)}\n"
        yield f"honorific: named after {self.rng.choice(FIRST)} {self.rng.choice(LAST)}\n"
        yield f"home_base: {self.rng.choice(CITIES_KZ)}\n"
        yield f"wikidata: Q{self.rng.randint(1000, 99_999_999)}\n"
        yield "sources:\n"
        for source in self.cite(plan, self.rng.randint(0, 2)):
            yield f"  - {source}\n"
        yield "notes: >-\n"
        for line in self.paragraph(self.rng.randint(1, 3)):
            yield f"  {line}\n"

    def person(self, plan: _Plan, index: int) -> Iterator[str]:
        entry_id, name = plan.people[index]
        yield f"id: {entry_id}\n"
        yield f"name: {name}\n"
        yield from self.names(name, "")
        yield f"country: {self.rng.choice(list(COUNTRIES))}\n"
        sources = self.cite(plan, self.rng.randint(0, 1))
        yield "posts:\n"
        yield f"  - title: {self.rng.choice(RANKS)}\n"
        yield f"    since: {self.date(1995, 2020).isoformat()[:7]}\n"
        yield f"    source: {sources[0]}\n"
        yield "sources:\n"
        for source in sources:
            yield f"  - {source}\n"

    def role(self, plan: _Plan, role: str, source: str, indent: str = "") -> Iterator[str]:
        person_id, name = self.rng.choice(plan.people)
        rank = self.rng.choice(RANKS)
        yield f"{indent}{role}:\n"
        yield f"{indent}  person: {person_id}\n"
        yield f"{indent}  rank: {rank}\n"
        yield f"{indent}  source: {source}\n"
        yield f"{indent}  quote: {quote(f'{rank} {cyrillic(name)}')}\n"

    def count(self, value: int, noun: str) -> str:
        """The quotation for a count: the number as a source writes it."""
        return quote(f"{self.rng.choice(['более', 'около', 'свыше', ''])} {value} {noun}".strip())

    def parade(self, plan: _Plan, index: int) -> Iterator[str]:
        country = self.rng.choice(list(COUNTRIES))
        capital, lat, lon = COUNTRIES[country]
        city = (
            self.rng.choice(CITIES_KZ) if country == "KZ" and self.rng.random() < 0.5 else capital
        )
        day = self.date()
        entry_id = f"{day.isoformat()}-{slug(city)}-{index:06d}"
        sources = self.cite(plan, self.rng.randint(1, 3))
        yield f"id: {entry_id}\n"
        yield f"name: {city} parade {day.year}\n"
        yield "kind: military_parade\n"
        yield f"date: {day.isoformat()}\n"
        yield f"city: {city}\n"
        yield f"country: {country}\n"
        yield f"venue: {self.name()} Square\n"
        yield "coordinates:\n"
        yield f"  latitude: {lat + self.rng.uniform(-0.05, 0.05):.4f}\n"
        yield f"  longitude: {lon + self.rng.uniform(-0.05, 0.05):.4f}\n"
        yield "occasions:\n"
        yield f"  - {self.rng.choice(OCCASIONS)}\n"
        yield from self.role(plan, "reviewing_official", sources[0])
        yield from self.role(plan, "commander", sources[-1])
        for field, low, high, noun in (
            ("personnel", 1000, 12000, "военнослужащих"),
            ("equipment_units", 50, 300, "единиц техники"),
        ):
            value = self.rng.randint(low, high)
            yield f"{field}:\n"
            yield f"  value: {value}\n"
            yield f"  qualifier: {self.rng.choice(QUALIFIERS)}\n"
            yield f"  source: {self.rng.choice(sources)}\n"
            yield f"  quote: {self.count(value, noun)}\n"
        aircraft = self.rng.randint(5, 80)
        yield (
            f"aircraft: {{value: {aircraft}, qualifier: exact, source: {sources[0]}, "
            f"quote: {self.count(aircraft, 'самолётов и вертолётов')}}}\n"
        )
        yield "appearances:\n"
        for _ in range(self.rng.randint(3, 5)):
            system_id, system_name = self.rng.choice(plan.systems)
            identification = self.rng.choice(IDENTIFICATION)
            yield f"  - system: {system_id}\n"
            yield f"    reported_as: {system_name}\n"
            yield f"    segment: {self.rng.choice(SEGMENTS)}\n"
            yield f"    identification: {identification}\n"
            number = self.rng.randint(1, 12)
            app_source = self.rng.choice(sources)
            yield (
                f"    count: {{value: {number}, source: {app_source}, "
                f"quote: {self.count(number, cyrillic(system_name))}}}\n"
            )
            # no first_showing: two random parades cannot both be a system's first
            if identification == "disputed" or self.rng.random() < 0.5:
                yield f"    note: {self.sentence(6, 14)}\n"
            yield f"    sources: [{app_source}]\n"
            yield f"    quotes: [{{source: {app_source}, text: {quote(cyrillic(system_name))}}}]\n"
        yield "contingents:\n"
        for _ in range(self.rng.randint(1, 2)):
            unit_id, unit_name, unit_country = self.rng.choice(plan.units)
            yield f"  - country: {unit_country}\n"
            yield f"    unit: {unit_id}\n"
            yield f"    name: {unit_name}\n"
            marched = self.rng.randint(20, 200)
            con_source = self.rng.choice(sources)
            yield (
                f"    personnel: {{value: {marched}, source: {con_source}, "
                f"quote: {self.count(marched, 'военнослужащих')}}}\n"
            )
            yield f"    sources: [{con_source}]\n"
        if self.rng.random() < 0.3:
            claimed = day + dt.timedelta(days=1)
            yield "claims:\n"
            yield "  - field: date\n"
            yield f"    value: {claimed.isoformat()}\n"
            yield f"    source: {sources[-1]}\n"
            yield "    rank: deprecated\n"
            yield f"    quote: on {calendar.day_name[claimed.weekday()]}, {claimed:%B} {claimed.day}\n"
            yield f"    note: {self.sentence(6, 12)}\n"
        yield "sources:\n"
        for source in sources:
            yield f"  - {source}\n"
        yield "notes: >-\n"
        for line in self.paragraph(self.rng.randint(1, 2)):
            yield f"  {line}\n"

    def write(self) -> dict[str, int]:
        plan = self.plan()
        makers = {
            "source": self.source,
            "system": self.system,
            "unit": self.unit,
            "person": self.person,
        }
        makers["parade"] = self.parade
        written: dict[str, int] = {}
        # systems, units and parades first: they decide which sources get cited at random
        for kind in ("system", "unit", "person", "parade", "source"):
            folder = self.root / "catalog" / FOLDERS[kind]
            folder.mkdir(parents=True, exist_ok=True)
            for index in range(self.counts[kind]):
                text = "".join(makers[kind](plan, index))
                entry_id = text.split("\n", 1)[0].removeprefix("id: ")
                (folder / f"{entry_id}.yaml").write_text(
                    MODELINE.format(kind=kind) + text, encoding="utf-8"
                )
            written[kind] = self.counts[kind]
        return written


def generate(n: int, root: Path, seed: int = 0) -> dict[str, int]:
    """Write n entries under root/catalog/ (replacing any catalogue there); files per kind."""
    if n < len(SHARES):
        raise ValueError(f"n must be at least {len(SHARES)}: one entry of each kind")
    catalog = root / "catalog"
    if catalog.exists():
        shutil.rmtree(catalog)
    return _Writer(n, root, seed).write()


def gather(root: Path, target: Path) -> int:
    """Every entry under root/catalog/ as one YAML list in target (for yaml-to-sqlite); the count."""
    files = sorted((root / "catalog").glob("*/*.yaml"))
    with target.open("w", encoding="utf-8") as out:
        for path in files:
            lines = path.read_text(encoding="utf-8").splitlines()[1:]  # without the modeline
            out.write(f"- kind: {path.parent.name}\n")
            out.writelines(f"  {line}\n" for line in lines)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many entries")
    parser.add_argument("dir", type=Path, help="the folder to write catalog/ into")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    written = generate(args.n, args.dir, args.seed)
    print(", ".join(f"{count} {kind}s" for kind, count in written.items()), f"in {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
