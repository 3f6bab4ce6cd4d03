"""Validate the catalogue: JSON Schema per file, then the models, then cross-entry rules."""

from __future__ import annotations

import gc
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
from pydantic import ValidationError as ModelError

from .fastschema import fast_valid
from .fieldsets import share_field_sets
from .hints import SCHEMA_TYPE_WORDS, example_text, suggestion, type_name
from .loader import CatalogFile, Document, LoadResult, find_files
from .models import (
    COUNTRY_PATTERN,
    DATE_PATTERN,
    ENTRY_MODELS,
    FOLDER_KINDS,
    LANG_PATTERN,
    MAX_COUNT,
    PARTIAL_DATE_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
    WIKIDATA_PATTERN,
    Entry,
    Parade,
    Source,
    System,
    Unit,
)
from .problems import Problem, Problems, pointer_join
from .reading import load_files
from .schema import resolve_ref, schema_for


@dataclass
class Catalog:
    """Every valid entry, indexed by kind and id, with the parsed documents for locating problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    parades: dict[str, Parade] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    # every parsed document, valid or not, so that references are checked even in files with errors
    loaded: list[tuple[str, Document]] = field(default_factory=list)
    # false when some file could not be parsed at all, so catalogue-wide conclusions are unsafe
    complete: bool = True

    def table(self, kind: str) -> dict[str, Any]:
        """The entries of one kind, by id."""
        tables: dict[str, dict[str, Any]] = {
            "source": self.sources,
            "system": self.systems,
            "unit": self.units,
            "parade": self.parades,
        }
        return tables[kind]

    def entries(self) -> Iterator[tuple[str, Entry]]:
        """Every entry with its kind, in a stable order."""
        for kind in ENTRY_MODELS:
            for entry_id in sorted(self.table(kind)):
                yield kind, self.table(kind)[entry_id]

    def document(self, kind: str, entry_id: str) -> Document:
        """The parsed file an entry came from."""
        return self.documents[(kind, entry_id)]


@dataclass
class ValidationResult:
    """What validation found: the catalogue it could read and every problem."""

    catalog: Catalog
    problems: list[Problem]
    files: int

    @property
    def ok(self) -> bool:
        """True when nothing fails validation."""
        return not any(p.severity == "error" for p in self.problems)


if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError


@cache
def _validator(kind: str) -> Draft202012Validator:
    # imported here: only files that jsonschema-rs rejects need it (30 ms of every start)
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema_for(kind), format_checker=FormatChecker(formats=["date"]))


def _pointer(parts: Sequence[Any]) -> str:
    pointer = ""
    for part in parts:
        pointer = pointer_join(pointer, part)
    return pointer


_PATTERN_WORDS: dict[str, tuple[str, str]] = {
    SLUG_PATTERN: (
        "is not a valid id",
        "use lower-case letters, digits and hyphens, e.g. 'tor-m2k'",
    ),
    PARTIAL_DATE_PATTERN: (
        "is not a date in YYYY-MM-DD, YYYY-MM or YYYY form",
        "write the date as YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known",
    ),
    DATE_PATTERN: (
        "is not a date in YYYY-MM-DD form",
        "write the date as YYYY-MM-DD, e.g. 2025-05-07",
    ),
    COUNTRY_PATTERN: (
        "is not an ISO 3166-1 alpha-2 country code",
        "use two capital letters, e.g. KZ",
    ),
    LANG_PATTERN: ("is not a BCP 47 language tag", "use a tag such as en, ru, kk or kk-Latn"),
    URL_PATTERN: (
        "is not an http(s) URL",
        "sources must be web addresses starting with https:// or http://",
    ),
    WIKIDATA_PATTERN: ("is not a Wikidata item id", "use the Q-number, e.g. Q1063997"),
}


def _slugify(value: str) -> str:
    # accents are dropped, not turned into hyphens: 'café', in NFC or NFD, suggests 'cafe'
    plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in plain)
    return "-".join(part for part in out.split("-") if part)


@lru_cache(maxsize=256)
def _country_hint(value: str) -> str | None:
    try:
        country = pycountry.countries.lookup(value)
    except LookupError:
        try:
            country = pycountry.countries.search_fuzzy(value)[0]
        except LookupError:
            return None
    return f"did you mean '{country.alpha_2}' ({country.name})?"


def _branch_type(schema: dict[str, Any], root: dict[str, Any]) -> str:
    return str(resolve_ref(schema, root).get("type", "object"))


class _SchemaDescriber:
    """Turns one jsonschema error into located problems with a plain message and a hint."""

    def __init__(self, doc: Document, kind: str) -> None:
        self.doc = doc
        self.root = schema_for(kind)
        # a fuzzy country search takes about 7 ms: 30,000 bad codes in one file took 210 s
        self.country_searches = 20

    def problem(
        self, pointer: str, code: str, message: str, hint: str | None, *, key: bool = False
    ) -> Problem:
        line, col = self.doc.locate(pointer, key=key)
        return Problem(self.doc.path, line, col, code, message, pointer=pointer, hint=hint)

    def describe(self, error: SchemaError) -> Iterator[Problem]:
        pointer = _pointer(error.absolute_path)
        kind = error.validator
        value = error.instance
        schema = error.schema if isinstance(error.schema, dict) else {}
        if kind == "required" and isinstance(value, dict):
            props = schema.get("properties", {})
            for name in error.validator_value:
                if name not in value:
                    sub = resolve_ref(props.get(name, {}), self.root)
                    example = example_text(sub) or "…"
                    hint = f"add '{name}: {example}'"
                    if sub.get("description"):
                        hint += f" ({sub['description']})"
                    yield self.problem(
                        pointer_join(pointer, name) if pointer else f"/{name}",
                        "missing-field",
                        f"missing required field '{name}'",
                        hint,
                    )
                    # locate the missing field at its parent mapping
            return
        if kind == "additionalProperties" and isinstance(value, dict):
            allowed = list(schema.get("properties", {}))
            for name in value:
                if name not in allowed:
                    hint = suggestion(name, allowed) or f"allowed fields: {', '.join(allowed)}"
                    yield self.problem(
                        pointer_join(pointer, name),
                        "unknown-field",
                        f"unknown field '{name}'",
                        hint,
                        key=True,
                    )
            return
        if kind == "anyOf":
            yield from self.describe_any_of(error, pointer)
            return
        if kind == "type":
            expected = error.validator_value
            names = expected if isinstance(expected, list) else [expected]
            words = " or ".join(SCHEMA_TYPE_WORDS.get(str(t), str(t)) for t in names)
            shape = example_text(schema)
            type_hint = f"for example: {shape}" if shape else None
            if "boolean" in names and isinstance(value, str):
                type_hint = f"YAML 1.2 reads '{value}' as text: write true or false"
            yield self.problem(
                pointer,
                "wrong-type",
                f"expected {words}, found {type_name(value)}",
                type_hint,
            )
            return
        if kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            close = suggestion(str(value), allowed)
            hint = (
                f"{close} Allowed: {', '.join(allowed)}"
                if close
                else f"allowed: {', '.join(allowed)}"
            )
            yield self.problem(pointer, "invalid-value", f"'{value}' is not an allowed value", hint)
            return
        if kind == "pattern":
            words, hint = _PATTERN_WORDS.get(
                error.validator_value, ("does not match the required form", "")
            )
            if error.validator_value == SLUG_PATTERN and isinstance(value, str) and _slugify(value):
                hint = f"did you mean '{_slugify(value)}'?"
            searchable = isinstance(value, str) and len(value) <= 100
            if error.validator_value == COUNTRY_PATTERN and searchable and self.country_searches:
                self.country_searches -= 1
                hint = _country_hint(value) or hint
            yield self.problem(pointer, "invalid-format", f"'{value}' {words}", hint or None)
            return
        if kind == "format":
            yield self.problem(
                pointer,
                "invalid-date",
                f"'{value}' is not a real calendar date",
                "check the day and month (YYYY-MM-DD)",
            )
            return
        if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = error.validator_value
            side = "below the minimum" if "inimum" in kind else "above the maximum"
            low, high = schema.get("minimum"), schema.get("maximum")
            range_hint: str | None = None
            if schema.get("type") == "integer" and high == MAX_COUNT:
                range_hint = f"counts are whole numbers from 0 to {MAX_COUNT:,}"
            elif None not in (low, high):
                range_hint = f"the allowed range is {low:,} to {high:,}"
            yield self.problem(
                pointer, "out-of-range", f"{value:,} is {side} {bound:,}", range_hint
            )
            return
        if kind == "minLength":
            yield self.problem(
                pointer, "empty-value", "the value is empty", "write the value, or remove the field"
            )
            return
        if kind == "maxLength":
            yield self.problem(
                pointer,
                "too-long",
                f"the text is {len(value):,} characters long; the limit is {error.validator_value:,}",
                "shorten it; put long commentary in the source, not the catalogue",
            )
            return
        yield self.problem(pointer, "schema", error.message, None)

    def describe_any_of(self, error: SchemaError, pointer: str) -> Iterator[Problem]:
        value = error.instance
        branches = error.validator_value
        value_type = "object" if isinstance(value, dict) else None
        if value_type:
            for index, branch in enumerate(branches):
                if _branch_type(branch, self.root) == value_type:
                    sub = [e for e in error.context or () if e.relative_schema_path[0] == index]
                    for inner in sub:
                        yield from self.describe(inner)
                    return
        words = " or ".join(
            "a mapping {" + ", ".join(resolve_ref(b, self.root).get("properties", {})) + "}"
            if _branch_type(b, self.root) == "object"
            else SCHEMA_TYPE_WORDS.get(_branch_type(b, self.root), "?")
            for b in branches
        )
        schema = error.schema if isinstance(error.schema, dict) else {}
        example = example_text(schema)
        number_branch = next((b for b in branches if b.get("type") == "integer"), None)
        if number_branch and isinstance(value, int) and not isinstance(value, bool):
            sub = [e for e in error.context or () if e.validator in ("minimum", "maximum")]
            if sub:
                yield from self.describe(sub[0])
                return
        yield self.problem(
            pointer,
            "wrong-type",
            f"expected {words}, found {type_name(value)}",
            f"for example: {example}" if example else None,
        )


def schema_problems(doc: Document, kind: str) -> list[Problem]:
    """Every JSON Schema problem in one document, located."""
    if fast_valid(doc.data, kind):
        return []
    errors = list(_validator(kind).iter_errors(doc.data))
    if not errors:
        return []
    describer = _SchemaDescriber(doc, kind)
    return [p for e in errors for p in describer.describe(e)]


def model_problems(doc: Document, kind: str) -> tuple[Entry | None, list[Problem]]:
    """Build the typed entry; rules the schema cannot express come back as located problems."""
    try:
        return ENTRY_MODELS[kind].model_validate(doc.data), []
    except ModelError as exc:
        problems = []
        for err in exc.errors():
            parts = [p for p in err["loc"] if isinstance(p, int) or not p[:1].isupper()]
            ctx = err.get("ctx") or {}
            # a check on a whole record names the field it is about, so the problem points there
            pointer = _pointer([*parts, ctx["field"]] if "field" in ctx else parts)
            line, col = doc.locate(pointer)
            code = err["type"] if "-" in err["type"] else "model"
            message = err["msg"].removeprefix("Value error, ")
            hint = ctx.get("hint")
            problems.append(Problem(doc.path, line, col, code, message, pointer=pointer, hint=hint))
        return None, problems


def _display(path: Path) -> str:
    """The path as the user can open it: relative to the current folder when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path.absolute()) if rel.startswith("..") else rel


def _file_problem(file: CatalogFile) -> Problem | None:
    """Files the catalogue does not accept, whatever they hold."""
    if file.path.is_symlink():
        return Problem(
            file.display,
            1,
            1,
            "file-symlink",
            "symbolic links are not allowed in catalog/",
            hint="replace the link with the file itself",
        )
    if file.folder not in FOLDER_KINDS:
        hint = suggestion(file.folder, FOLDER_KINDS) if file.folder else None
        return Problem(
            file.display,
            1,
            1,
            "file-location",
            f"'{file.display}' is not in a kind folder",
            hint=hint or f"put entries in catalog/<{'|'.join(FOLDER_KINDS)}>/ID.yaml",
        )
    if file.path.suffix != ".yaml" or len(Path(file.rel).parts) != 3:
        return Problem(
            file.display,
            1,
            1,
            "file-location",
            f"'{file.display}' is not an entry file",
            hint=f"entries are catalog/{file.folder}/ID.yaml, with the .yaml extension",
        )
    return None


def _in_folder(folder: str, name: str) -> str:
    """What _display gives for a file, from what it gave for the file's folder."""
    return name if folder == "." else f"{folder}/{name}"


def _check_file(
    file: CatalogFile,
    rejected: Problem | None,
    loads: Iterator[LoadResult],
    catalog: Catalog,
    problems: Problems,
) -> None:
    """Check and index one file of the catalogue (loads yields the next accepted file read)."""
    if rejected:
        problems.add(rejected)
        catalog.complete = False
        return
    kind = FOLDER_KINDS[file.folder]
    loaded = next(loads)
    problems.extend(loaded.problems)
    doc = loaded.document
    # the file exists even when it cannot be read, so references to it are not reported too
    catalog.known_ids[kind].add(Path(file.rel).stem)
    if doc is None:
        catalog.complete = False
        return
    catalog.loaded.append((kind, doc))
    entry_id = doc.data.get("id")
    if isinstance(entry_id, str):
        catalog.known_ids[kind].add(entry_id)
    found = schema_problems(doc, kind)
    if found:
        problems.extend(found)
        return
    entry, found = model_problems(doc, kind)
    problems.extend(found)
    if entry is None:
        return
    share_field_sets(entry)
    if (kind, entry.id) in catalog.documents:
        first = catalog.documents[(kind, entry.id)]
        if Path(first.path).stem != entry.id and Path(doc.path).stem == entry.id:
            # the file named for the id keeps it; the other one is the duplicate
            first, doc = doc, first
            catalog.documents[(kind, entry.id)] = first
            catalog.table(kind)[entry.id] = entry
        line, col = doc.locate("/id")
        problems.add(
            Problem(
                doc.path,
                line,
                col,
                "id-duplicate",
                f"{kind} id '{entry.id}' is already used by {first.path}",
                pointer="/id",
                hint="choose another id and rename the file to match",
            )
        )
        return
    catalog.table(kind)[entry.id] = entry
    catalog.documents[(kind, entry.id)] = doc


def validate_catalog(root: Path, only: Sequence[Path] | None = None) -> ValidationResult:
    """Validate every file under root/catalog/; with only, report just the problems in those files."""
    from .rules import run_rules

    problems = Problems()
    catalog = Catalog(known_ids={kind: set() for kind in ENTRY_MODELS})
    folders: dict[Path, str] = {}
    # Collections while the catalogue grows cost about a third of the loading time: each one
    # traverses every document kept so far, and nothing loaded here forms reference cycles.
    # Frozen afterwards, the catalogue is never traversed again (refcounting still frees it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found: list[tuple[CatalogFile, Problem | None]] = []
        for file in find_files(root):
            if file.path.name.startswith("."):
                continue
            if file.path.parent not in folders:
                folders[file.path.parent] = _display(file.path.parent)
            display = _in_folder(folders[file.path.parent], file.path.name)
            file = CatalogFile(file.path, display, file.folder, file.rel)
            found.append((file, _file_problem(file)))
        files = len(found)
        loads = load_files([(f.path, f.display) for f, rejected in found if rejected is None])
        found.reverse()
        while found:  # each file's paths are let go once it is checked (100,000 took 60 MB)
            file, rejected = found.pop()
            _check_file(file, rejected, loads, catalog, problems)
        assert next(loads, None) is None  # every file read was checked; the reader has finished
        problems.extend(run_rules(catalog))
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    found_problems = problems.sorted()
    if only is not None:
        wanted = {_display(p) for p in only}
        found_problems = [
            p
            for p in found_problems
            if p.path in wanted or any(p.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    return ValidationResult(catalog, found_problems, files)
