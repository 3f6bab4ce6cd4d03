"""The codes that are not cross-entry rules: what the loader and the schema and models report,
each with its stage, severity and PASS/FAIL examples (rulebook.py puts them with the rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..problems import Severity


@dataclass(frozen=True)
class RuleDoc:
    """One problem code: the stage that reports it, its severity and its documentation."""

    code: str
    stage: str
    severity: Severity
    doc: str
    scope: str = ""  # a cross-entry rule's: what its answer for a file depends on

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0]


def _doc(code: str, stage: str, text: str, severity: Severity = Severity.error) -> RuleDoc:
    return RuleDoc(code, stage, severity, text.strip())


LOADER_CODES = [
    _doc(
        "yaml-syntax",
        "loader",
        """
A file is not valid YAML.

Usually a tab used for indentation, an unclosed bracket or quote, a ': ' in an unquoted value, or
a control character pasted in with the text.

PASS: `title: "Kazakhstan: the parade"`
FAIL: `title: Kazakhstan: the parade` (a second ': ' in an unquoted value)
""",
    ),
    _doc(
        "yaml-duplicate-key",
        "loader",
        """
A key appears twice in the same mapping, at any depth (YAML would silently keep the last).

PASS: `city: Astana`
FAIL: `city: Astana` and, two lines later, `city: Nur-Sultan`
""",
    ),
    _doc(
        "yaml-anchor",
        "loader",
        """
Anchors (`&name`) and aliases (`*name`) are not allowed: they hide repetition and enable alias bombs.

PASS: `sources: [moscowtimes-2025-05-08]` written out where needed
FAIL: `sources: &s [moscowtimes-2025-05-08]` and later `sources: *s`
""",
    ),
    _doc(
        "yaml-tag",
        "loader",
        """
Tags are not allowed: only plain strings, numbers, true/false, null, lists and mappings.

PASS: `notes: built in Astana`
FAIL: `notes: !!python/object/apply:os.system ["echo hi"]`
""",
    ),
    _doc(
        "yaml-too-large",
        "loader",
        """
A file is over 1 MiB; it is rejected before it is read.

PASS: an entry of a few kilobytes
FAIL: a 50 MB file
""",
    ),
    _doc(
        "yaml-too-deep",
        "loader",
        """
Collections are nested more than 64 levels deep; checked before parsing, so it cannot crash libyaml.

PASS: `appearances: [{system: tor-m2k, …}]` (three levels)
FAIL: `notes: [[[[[…]]]]]` nested 10,000 levels
""",
    ),
    _doc(
        "yaml-multi-document",
        "loader",
        """
A file holds more than one YAML document; one entry per file.

PASS: one entry, no `---` line after it
FAIL: an entry, a `---` line, and another entry
""",
    ),
    _doc(
        "yaml-encoding",
        "loader",
        """
A file is not UTF-8 without a byte-order mark (invalid bytes, a BOM, or UTF-16).

PASS: a file saved as UTF-8
FAIL: a file saved as UTF-16, or with a BOM, or with Latin-1 bytes
""",
    ),
    _doc(
        "yaml-empty",
        "loader",
        """
A file holds no entry: it is empty or holds only comments.

PASS: a file with `id: …` and the other fields
FAIL: an empty file, or one with only `# comments`
""",
    ),
    _doc(
        "yaml-not-mapping",
        "loader",
        """
A file holds a list or a single value instead of a mapping of fields.

PASS: `id: tor-m2k` …
FAIL: `- tor-m2k`
""",
    ),
    _doc(
        "yaml-key-type",
        "loader",
        """
A key is not a string (a number, true/false or null), which YAML would silently merge or lose.

PASS: `"1": value` (quoted)
FAIL: `1: value`, `true: value`, `null: value`
""",
    ),
    _doc(
        "yaml-number",
        "loader",
        """
A number is not finite (.nan, .inf), has more than 30 digits, or is not written in plain decimal.

YAML 1.1 tools read `017` as 15 and YAML 1.2 ones as 17, so a number that not every reader
reads alike is refused, with the decimal to write: `017`, `+5`, `0o17`, `0x1F`, and a whole
number written with an exponent, `1e3` or `12e0`.

PASS: `latitude: 51.1227`, `value: 1000`
FAIL: `latitude: .nan`, `personnel: 1000000000000000000000000000000`, `value: 0x1F` (write 31)
""",
    ),
    _doc(
        "file-unreadable",
        "loader",
        """
A file cannot be read (permissions, or it vanished during validation).

PASS: a readable file
FAIL: a file with mode 000
""",
    ),
    _doc(
        "file-location",
        "files",
        """
A file is not at catalog/<kind>/<id>.yaml (a wrong folder, a .yml extension, a nested folder).

PASS: `catalog/systems/tor-m2k.yaml`
FAIL: `catalog/system/tor-m2k.yaml`, `catalog/systems/tor-m2k.yml`, `catalog/tor-m2k.yaml`
""",
    ),
    _doc(
        "file-symlink",
        "files",
        """
A symbolic link in catalog/: links could point outside the catalogue, so none are followed.

PASS: a regular file
FAIL: `catalog/sources/x.yaml -> ../../../outside.yaml`
""",
    ),
]

SCHEMA_CODES = [
    _doc(
        "missing-field",
        "schema",
        """
A required field is missing; the hint shows an example and what the field means.

PASS: a system with `name`, `category` and `class`
FAIL: a system without `class`
""",
    ),
    _doc(
        "unknown-field",
        "schema",
        """
A field the schema does not know, usually a typo; the hint names the closest allowed field.

PASS: `country: KZ`
FAIL: `contry: KZ` (hint: did you mean 'country'?)
""",
    ),
    _doc(
        "wrong-type",
        "schema",
        """
A value of the wrong type; the message says what was found and what is expected, with an example.

PASS: `first_showing: true`
FAIL: `first_showing: yes` (in YAML 1.2 `yes` is text)
""",
    ),
    _doc(
        "invalid-value",
        "schema",
        """
A value outside a controlled vocabulary (category, class, segment, identification, qualifier, rank, kind).

PASS: `segment: mechanized_column`
FAIL: `segment: mechanised_column` (hint: did you mean 'mechanized_column'?)
""",
    ),
    _doc(
        "invalid-format",
        "schema",
        """
A value that does not have the required form: ids, country codes, language tags, URLs, Wikidata ids.

PASS: `url: https://example.org/a`, `country: KZ`, `id: tor-m2k`
FAIL: `url: javascript:alert(1)`, `country: Russia`, `id: Tor M2K`
""",
    ),
    _doc(
        "invalid-date",
        "schema",
        """
A date that does not exist on the calendar.

PASS: `date: 2025-05-07`
FAIL: `date: 2025-02-30`
""",
    ),
    _doc(
        "out-of-range",
        "schema",
        """
A number outside its range: counts are whole numbers from 0 to 10,000,000; coordinates are degrees.

PASS: `personnel: 4000`
FAIL: `personnel: -5`, `latitude: 95`
""",
    ),
    _doc(
        "empty-value",
        "schema",
        """
An empty value: a blank field (a key with nothing after it, as a template leaves it) or an empty
string. A blank field is reported once, with what to write; a count left out means not known.

PASS: `name: Barys`, or no `commander` line at all
FAIL: `name: ""`, or `commander:` with nothing after it
""",
    ),
    _doc(
        "too-long",
        "schema",
        """
Text longer than the field allows (300 characters for names and titles, 5,000 for notes).

PASS: a note of a few sentences
FAIL: a 1 MB line pasted into `notes`
""",
    ),
    _doc(
        "schema",
        "schema",
        """
Any other JSON Schema violation (a fallback; the message is jsonschema's own).

PASS: an entry that follows the schema
FAIL: a construct no other code describes
""",
    ),
    _doc(
        "problems-truncated",
        "schema",
        """
A file has more schema problems than `--max-problems` (200 by default): those are described, and
this one problem stands for the rest, so that a file of thousands of mistakes is checked in
a moment. The output likewise shows the first 200 problems and says how many more there are.

PASS: a file with a few mistakes, each reported
FAIL: a file with 9,500 wrongly typed counts (run `paradecat validate --max-problems 0` for all)
""",
    ),
    _doc(
        "class-category",
        "model",
        """
A system's class belongs to another SIPRI category.

PASS: `category: air_defence_systems`, `class: short_range_sam_system`
FAIL: `category: armoured_vehicles`, `class: short_range_sam_system`
""",
    ),
    _doc(
        "claim-reason",
        "model",
        """
A deprecated claim must say in `note` why it is deprecated.

PASS: `rank: deprecated` with `note: 7 May 2025 was a Wednesday`
FAIL: `rank: deprecated` and no note
""",
    ),
    _doc(
        "appearance-reason",
        "model",
        """
A disputed identification must say in `note` what the sources disagree on.

PASS: `identification: disputed` with `note: another report lists Arlan and Alan separately`
FAIL: `identification: disputed` and no note
""",
    ),
    _doc(
        "source-unlocated",
        "model",
        """
A source has a url of its own, or says in `cited_in` which source cites it.

PASS: `url: https://www.belta.by/society/view/...`
PASS: `cited_in: sputnik-2025-05-09` for "BelTA reported ...", with no url
FAIL: neither `url` nor `cited_in`
""",
    ),
    _doc(
        "role-unnamed",
        "model",
        """
A person in a role (reviewing official, commander) names who: their entry, or a name.

PASS: `commander: {person: almas-tulegenov, rank: Colonel}`
PASS: `commander: {name: Bakyt Asanov}` for someone without an entry in catalog/people/
FAIL: `commander: {rank: Colonel}`
""",
    ),
    _doc(
        "id-duplicate",
        "catalogue",
        """
Two entries of one kind share an id; the file not named for the id is the duplicate.

PASS: one file per id
FAIL: catalog/systems/tor-m2k.yaml and catalog/systems/tor-m2k-copy.yaml both with `id: tor-m2k`
""",
    ),
]
