"""The rule catalogue: every problem code the validator can report, with its severity and examples.

Cross-entry rules document themselves in the rules package; the loader's and the schema's codes are
documented here. `paradecat rules` lists them all and docs/rules.md is generated from them.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ..model import Identification, Qualifier
from ..problems import Severity
from .rules import RULES


@dataclass(frozen=True)
class RuleDoc:
    """One problem code: the stage that reports it, its severity and its documentation."""

    code: str
    stage: str
    severity: Severity
    doc: str

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0]


def _doc(code: str, stage: str, text: str, severity: Severity = Severity.error) -> RuleDoc:
    return RuleDoc(code, stage, severity, text.strip())


_LOADER = [
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

_SCHEMA = [
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


def all_rules() -> list[RuleDoc]:
    """Every code, loader first, then files, schema and models, then the cross-entry rules."""
    cross = [RuleDoc(r.code, "rules", r.severity, r.doc) for r in RULES]
    return [*_LOADER, *_SCHEMA, *cross]


def render_text() -> str:
    """One line per rule: code, severity, stage and summary."""
    rules = all_rules()
    width = max(len(r.code) for r in rules)
    return "\n".join(
        f"{r.code:<{width}}  {r.severity.value:<7}  {r.stage:<9}  {r.summary}" for r in rules
    )


def render_markdown() -> str:
    """docs/rules.md: every rule with its PASS and FAIL examples."""
    lines = [
        "# Validation rules",
        "",
        "<!-- Generated by `paradecat rules --markdown`; edit the docstrings in",
        "src/paradecat/check/rules/ and src/paradecat/check/rulebook.py, not this file. -->",
        "",
        "Every problem `paradecat validate` reports carries one of these codes. Errors fail",
        "validation; warnings are printed but do not.",
        "",
        "| code | severity | stage | what it checks |",
        "| --- | --- | --- | --- |",
    ]
    rules = all_rules()
    lines += [
        f"| [`{r.code}`](#{r.code}) | {r.severity.value} | {r.stage} | {r.summary} |" for r in rules
    ]
    for r in rules:
        lines += ["", f"## {r.code}", "", f"*{r.severity.value}, {r.stage}*", ""]
        lines += [line.strip() for line in r.doc.splitlines()]
    lines += _vocabulary_markdown()
    return "\n".join(lines).rstrip() + "\n"


def _vocabulary_markdown() -> list[str]:
    """The meaning of each identification level and each count qualifier, from the models."""
    lines = [
        "",
        "# What the values mean",
        "",
        "A count that is not known is left out: never `0` (which a source must state, with its",
        "quotation) and never `null`.",
    ]
    for enum in (Identification, Qualifier):
        doc = inspect.getdoc(enum) or ""
        summary, _, details = doc.partition("\n\n")
        lines += ["", f"## {enum.__name__.lower()}", "", summary, ""]
        lines += [line.strip() for line in details.splitlines()]
    return lines
