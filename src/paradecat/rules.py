"""Cross-entry rules: one function each, with a code, a severity and a docstring holding PASS and FAIL examples."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pycountry

from .hints import suggestion
from .loader import Document
from .models import (
    ENTRY_MODELS,
    QUANTITY_FIELDS,
    REF_KEYWORD,
    SLUG_PATTERN,
    BasedOn,
    Entry,
    Parade,
    Person,
    QualifiedCount,
    Qualifier,
    System,
    Unit,
    claimable_fields,
    quantity_parts,
    quantity_upper_bound,
)
from .problems import Problem, Severity, pointer_join
from .schema import resolve_ref, schema_for
from .validate import Catalog

Check = Callable[[Catalog], Iterator[Problem]]
SLUG_RE = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Rule:
    """A cross-entry check: its code, severity, documentation and function."""

    code: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        """The rule's documentation, PASS and FAIL examples included."""
        return (self.check.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.splitlines()[0] if self.doc else ""


RULES: list[Rule] = []


def rule(code: str, severity: Severity = Severity.error) -> Callable[[Check], Check]:
    """Register a rule function under a code."""

    def register(check: Check) -> Check:
        RULES.append(Rule(code, severity, check))
        return check

    return register


def run_rules(catalog: Catalog) -> list[Problem]:
    """Every rule's problems for the catalogue."""
    out: list[Problem] = []
    for item in RULES:
        for problem in item.check(catalog):
            out.append(
                problem
                if problem.severity == item.severity
                else _with_severity(problem, item.severity)
            )
    return out


def _with_severity(problem: Problem, severity: Severity) -> Problem:
    return Problem(
        problem.path,
        problem.line,
        problem.column,
        problem.code,
        problem.message,
        problem.pointer,
        severity,
        problem.hint,
    )


def _at(
    catalog: Catalog,
    kind: str,
    entry_id: str,
    pointer: str,
    code: str,
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
) -> Problem:
    doc = catalog.document(kind, entry_id)
    line, col = doc.locate(pointer, key=key)
    return Problem(doc.path, line, col, code, message, pointer=pointer, hint=hint)


# --- identity ---------------------------------------------------------------------------------


@rule("id-mismatch")
def id_matches_file_name(catalog: Catalog) -> Iterator[Problem]:
    """The file name is the id.

    PASS: catalog/systems/tor-m2k.yaml holds `id: tor-m2k`
    FAIL: catalog/systems/tor.yaml holds `id: tor-m2k`
    """
    for kind, entry in catalog.entries():
        doc = catalog.document(kind, entry.id)
        stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != entry.id:
            how = " (they differ only in letter case)" if stem.lower() == entry.id.lower() else ""
            hint = f"rename the file to {entry.id}.yaml"
            if SLUG_RE.match(stem):
                hint += f", or set 'id: {stem}'"
            yield _at(
                catalog,
                kind,
                entry.id,
                "/id",
                "id-mismatch",
                f"id '{entry.id}' does not match the file name '{stem}.yaml'{how}",
                hint,
            )


@rule("modeline")
def file_starts_with_modeline(catalog: Catalog) -> Iterator[Problem]:
    """Every file starts with the schema modeline, so editors validate and autocomplete it.

    PASS: first line `# yaml-language-server: $schema=../../schema/system.schema.json`
    FAIL: first line `id: tor-m2k`
    """
    for kind, entry in catalog.entries():
        expected = f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
        doc = catalog.document(kind, entry.id)
        if doc.first_line.strip() != expected:
            names_schema = doc.first_line.startswith("# yaml-language-server: $schema=")
            message = (
                "the modeline names another kind's schema"
                if names_schema
                else "the first line is not the schema modeline"
            )
            yield Problem(
                doc.path, 1, 1, "modeline", message, hint=f"make the first line: {expected}"
            )


# --- references -------------------------------------------------------------------------------


@dataclass
class _RefPlan:
    """The parts of one subschema below which a reference can occur, for raw_references."""

    target: Any = None  # the kind a string here refers to
    properties: dict[str, _RefPlan] = field(default_factory=dict)
    objects: list[_RefPlan] = field(default_factory=list)  # anyOf branches of type object
    items: _RefPlan | None = None

    def holds_refs(self) -> bool:
        return bool(self.target or self.properties or self.objects or self.items)


# id(subschema), id(root) -> (subschema, root, its plan): schemas never change, and resolving
# a $ref copies the definition, so each subschema is planned once
_PLANS: dict[tuple[int, int], tuple[Any, Any, _RefPlan]] = {}


def _plan(schema: dict[str, Any], root: dict[str, Any]) -> _RefPlan:
    key = (id(schema), id(root))
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is schema and cached[1] is root:
        return cached[2]
    plan = _RefPlan()
    _PLANS[key] = (schema, root, plan)  # a recursive schema meets this plan while it is filled
    resolved = resolve_ref(schema, root)
    plan.target = resolved.get(REF_KEYWORD)
    for name, sub in resolved.get("properties", {}).items():
        if (sub_plan := _plan(sub, root)).holds_refs():
            plan.properties[name] = sub_plan
    for branch in resolved.get("anyOf", []):
        if (
            resolve_ref(branch, root).get("type") == "object"
            and (branch_plan := _plan(branch, root)).holds_refs()
        ):
            plan.objects.append(branch_plan)
    items = resolved.get("items")
    if isinstance(items, dict) and (items_plan := _plan(items, root)).holds_refs():
        plan.items = items_plan
    return plan


def _collect(data: Any, plan: _RefPlan, pointer: str, out: list[tuple[str, str, str]]) -> None:
    if plan.target and isinstance(data, str):
        out.append((pointer, plan.target, data))
    elif isinstance(data, dict):
        properties = plan.properties
        for key, value in data.items():
            sub = properties.get(key)
            if sub is not None:
                child = (
                    f"{pointer}/{key}"
                    if "~" not in key and "/" not in key
                    else pointer_join(pointer, key)
                )
                _collect(value, sub, child, out)
        for branch in plan.objects:
            _collect(data, branch, pointer, out)
    elif isinstance(data, list) and plan.items is not None:
        for i, item in enumerate(data):
            _collect(item, plan.items, f"{pointer}/{i}", out)


def raw_references(
    data: Any, schema: dict[str, Any], root: dict[str, Any], pointer: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(pointer, target kind, id) for every reference in raw data, found from the schema's ref marks.

    It walks the parsed YAML rather than the models, so references are checked even in files
    that have other errors. Only the parts of the schema that can hold a reference are
    walked (not names, notes or coordinates), from a plan made once per schema.
    """
    found: list[tuple[str, str, str]] = []
    _collect(data, _plan(schema, root), pointer, found)
    yield from found


def document_references(kind: str, doc: Document) -> Iterator[tuple[str, str, str]]:
    """Every reference one document makes."""
    root = schema_for(kind)
    return raw_references(doc.data, root, root)


@rule("ref-unresolved")
def references_resolve(catalog: Catalog) -> Iterator[Problem]:
    """Every reference names an entry that exists: systems, units and sources.

    PASS: `system: tor-m2k` with catalog/systems/tor-m2k.yaml present
    FAIL: `system: tor-m2` when no such system exists (hint: did you mean 'tor-m2k'?)
    """
    for kind, doc in catalog.loaded:
        # a search is linear in the ids: 50,000 bad references against 3,000 sources took 75 s
        searches = 50
        for pointer, target, ref in document_references(kind, doc):
            if ref not in catalog.known_ids[target]:
                folder = ENTRY_MODELS[target].folder
                searches -= 1
                close = suggestion(ref, catalog.known_ids[target]) if searches >= 0 else None
                hint = close or f"add catalog/{folder}/{ref}.yaml, or correct the id"
                line, col = doc.locate(pointer)
                yield Problem(
                    doc.path,
                    line,
                    col,
                    "ref-unresolved",
                    f"unknown {target} '{ref}'",
                    pointer=pointer,
                    hint=hint,
                )


@rule("based-on-cycle")
def based_on_has_no_cycle(catalog: Catalog) -> Iterator[Problem]:
    """A system is not based on itself, directly or through other systems.

    PASS: barys based_on {name: Paramount Mbombe 6}
    FAIL: a based_on b, and b based_on a
    """
    parent = {s.id: s.based_on.system for s in catalog.systems.values() if s.based_on}
    done: set[str] = set()
    # every system is walked once, so a ring of thousands of systems costs linear time
    for start in catalog.systems:
        path: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in done and current not in path:
            path[current] = len(path)
            current = parent.get(current)
        done.update(path)
        if current is None or current not in path:
            continue
        ring = list(path)[path[current] :]
        for i, member in enumerate(ring):
            chain = [*ring[i:], *ring[:i], member]
            if len(chain) > 10:
                chain = [*chain[:4], f"… {len(chain) - 6} more …", *chain[-2:]]
            yield _at(
                catalog,
                "system",
                member,
                "/based_on/system",
                "based-on-cycle",
                f"'based_on' goes round in a circle: {' -> '.join(chain)}",
                "based_on names the design this one derives from; remove one link",
            )


# --- countries and languages ------------------------------------------------------------------

_NOT_ISO = {"UK": "GB", "EL": "GR", "KO": "XK"}


def _country_codes(entry: Entry) -> Iterator[tuple[str, str]]:
    if isinstance(entry, (Parade, Unit)):
        yield "/country", entry.country
    if isinstance(entry, System):
        for i, code in enumerate(entry.origin):
            yield f"/origin/{i}", code
        for i, code in enumerate(entry.produced_in):
            yield f"/produced_in/{i}", code
    if isinstance(entry, Parade):
        for i, con in enumerate(entry.contingents):
            yield f"/contingents/{i}/country", con.country


@rule("country-unknown")
def countries_are_iso_codes(catalog: Catalog) -> Iterator[Problem]:
    """Every country is a real ISO 3166-1 alpha-2 code (checked with pycountry).

    PASS: `country: KZ`
    FAIL: `country: UK` (hint: the United Kingdom is GB)
    """
    for kind, entry in catalog.entries():
        for pointer, code in _country_codes(entry):
            if pycountry.countries.get(alpha_2=code) is None:
                if code in _NOT_ISO:
                    hint = f"the ISO code is '{_NOT_ISO[code]}'"
                else:
                    hint = "use the ISO 3166-1 alpha-2 code; see https://www.iso.org/obp/ui/#search"
                yield _at(
                    catalog,
                    kind,
                    entry.id,
                    pointer,
                    "country-unknown",
                    f"'{code}' is not an ISO 3166-1 alpha-2 country code",
                    hint,
                )


def _language_tags(entry: Entry) -> Iterator[tuple[str, str]]:
    if hasattr(entry, "language"):
        yield "/language", entry.language
    for i, name in enumerate(getattr(entry, "names", [])):
        yield f"/names/{i}/lang", name.lang
    if isinstance(entry, Parade):
        for role in ("reviewing_official", "commander"):
            person = getattr(entry, role)
            for i, name in enumerate(person.names if person else []):
                yield f"/{role}/names/{i}/lang", name.lang
        for c, con in enumerate(entry.contingents):
            for i, name in enumerate(con.commander.names if con.commander else []):
                yield f"/contingents/{c}/commander/names/{i}/lang", name.lang


@rule("lang-unknown")
def languages_are_iso_codes(catalog: Catalog) -> Iterator[Problem]:
    """Every language tag starts with a real ISO 639 language code.

    PASS: `lang: kk`, `lang: kk-Latn`
    FAIL: `lang: kz` (Kazakh is 'kk')
    """
    for kind, entry in catalog.entries():
        for pointer, tag in _language_tags(entry):
            primary = tag.split("-", 1)[0]
            found = (
                pycountry.languages.get(alpha_2=primary)
                if len(primary) == 2
                else pycountry.languages.get(alpha_3=primary)
            )
            if found is None:
                hint = (
                    "Kazakh is 'kk'"
                    if primary == "kz"
                    else "use an ISO 639-1 code such as en, ru or kk"
                )
                yield _at(
                    catalog,
                    kind,
                    entry.id,
                    pointer,
                    "lang-unknown",
                    f"'{tag}' does not start with an ISO 639 language code",
                    hint,
                )


# --- provenance -------------------------------------------------------------------------------


@rule("source-missing")
def entries_cite_a_source(catalog: Catalog) -> Iterator[Problem]:
    """Every system, unit and parade cites at least one source.

    PASS: `sources: [moscowtimes-2025-05-08]`
    FAIL: no `sources`, or `sources: []`
    """
    for kind, entry in catalog.entries():
        if kind != "source" and not entry.sources:
            yield _at(
                catalog,
                kind,
                entry.id,
                "/sources",
                "source-missing",
                f"the {kind} cites no source",
                "add 'sources: [SOURCE-ID]' naming a file in catalog/sources/",
            )


def _counts(parade: Parade) -> Iterator[tuple[str, Any, list[str]]]:
    """(pointer, quantity, sources that could back it) for every count in a parade."""
    for field_name in QUANTITY_FIELDS:
        yield f"/{field_name}", getattr(parade, field_name), parade.sources
    for i, app in enumerate(parade.appearances):
        yield f"/appearances/{i}/count", app.count, app.sources or parade.sources
    for i, con in enumerate(parade.contingents):
        yield f"/contingents/{i}/personnel", con.personnel, con.sources or parade.sources


@rule("count-unsourced")
def counts_cite_their_source(catalog: Catalog) -> Iterator[Problem]:
    """Every count names the source of its number, unless only one source could have given it.

    PASS: `personnel: {value: 4000, qualifier: over, source: moscowtimes-2025-05-08}`
    PASS: `personnel: 80` in a contingent whose only source is `inbusiness-2025-05-09`
    FAIL: `aircraft: 66` in a parade that cites three sources
    """
    for parade in catalog.parades.values():
        for pointer, quantity, sources in _counts(parade):
            if quantity is None:
                continue
            value, qualifier, source = quantity_parts(quantity)
            if source is None and len(set(sources)) != 1:
                q = qualifier.value if qualifier else "exact"
                yield _at(
                    catalog,
                    "parade",
                    parade.id,
                    pointer,
                    "count-unsourced",
                    f"the count {value} does not say which source gives it",
                    f"write it as {{value: {value}, qualifier: {q}, source: SOURCE-ID}}",
                )


@rule("source-unused", Severity.warning)
def sources_are_cited(catalog: Catalog) -> Iterator[Problem]:
    """Every source is cited by some entry (a warning: an uncited source is harmless but suspicious).

    PASS: catalog/sources/moscowtimes-2025-05-08.yaml and a parade with `sources: [moscowtimes-2025-05-08]`
    FAIL: a source file no entry names
    """
    if not catalog.complete:
        return  # a file that could not be parsed may be the one that cites it
    cited = {
        ref
        for kind, doc in catalog.loaded
        for _, target, ref in document_references(kind, doc)
        if target == "source"
    }
    for source_id in sorted(set(catalog.sources) - cited):
        yield _at(
            catalog,
            "source",
            source_id,
            "/id",
            "source-unused",
            f"no entry cites source '{source_id}'",
            "cite it where it supports a fact, or remove it",
        )


# --- counts -----------------------------------------------------------------------------------


@rule("contingent-exceeds-total")
def contingents_fit_the_total(catalog: Catalog) -> Iterator[Problem]:
    """The exact personnel of the contingents never exceeds an upper bound on the parade's total.

    PASS: parade `personnel: 500`, contingents of 80 and 120
    PASS: parade `personnel: {value: 11500, qualifier: over}` (no upper bound)
    FAIL: parade `personnel: 100`, contingents of 80 and 60
    """
    for parade in catalog.parades.values():
        bound = quantity_upper_bound(parade.personnel)
        if bound is None:
            continue
        exact = [quantity_parts(c.personnel) for c in parade.contingents]
        total = sum(v for v, q, _ in exact if v is not None and q is Qualifier.exact)
        if total > bound:
            yield _at(
                catalog,
                "parade",
                parade.id,
                "/personnel",
                "contingent-exceeds-total",
                f"the contingents' exact personnel add up to {total:,}, more than the parade's "
                f"total allows ({bound:,})",
                "check the counts, or qualify the total (e.g. qualifier: over)",
            )


# --- claims -----------------------------------------------------------------------------------


@rule("claim-field-unknown")
def claims_name_real_fields(catalog: Catalog) -> Iterator[Problem]:
    """A claim names a field that the entry has.

    PASS: a parade claim with `field: personnel`
    FAIL: a parade claim with `field: personel` (hint: did you mean 'personnel'?)
    """
    for kind, entry in catalog.entries():
        fields = claimable_fields(ENTRY_MODELS[kind])
        for i, claim in enumerate(entry.claims):
            if claim.field not in fields:
                hint = suggestion(claim.field, fields) or f"fields: {', '.join(fields)}"
                yield _at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/field",
                    "claim-field-unknown",
                    f"a {kind} has no field '{claim.field}'",
                    hint,
                )


def accepted_value(entry: Entry, field_name: str) -> tuple[Any, Qualifier | None]:
    """The accepted value of a field as (plain value, qualifier for counts)."""
    attr = "class_" if field_name == "class" else field_name
    value = getattr(entry, attr, None)
    if (
        isinstance(value, (int, QualifiedCount))
        and not isinstance(value, bool)
        and field_name in (*QUANTITY_FIELDS, "count")
    ):
        number, qualifier, _ = quantity_parts(value)
        return number, qualifier
    if isinstance(value, Enum):
        return value.value, None
    if isinstance(value, (BasedOn, Person)):
        return value.name, None  # a nested record is claimed about by its name
    if isinstance(value, (str, int, float, bool)):
        return value, None
    return None, None


@rule("claim-equals-value")
def claims_differ_from_accepted(catalog: Catalog) -> Iterator[Problem]:
    """A claim differs from the accepted value; a claim that agrees is a citation, not a disagreement.

    PASS: `personnel: {value: 4000, qualifier: over}` and a claim of 4500 (about)
    FAIL: `date: 2025-05-07` and a claim on date with value 2025-05-07
    """
    for kind, entry in catalog.entries():
        for i, claim in enumerate(entry.claims):
            value, qualifier = accepted_value(entry, claim.field)
            if value is None:
                continue
            same_qualifier = (
                claim.qualifier is None or qualifier is None or claim.qualifier == qualifier
            )
            if str(value) == str(claim.value) and same_qualifier:
                yield _at(
                    catalog,
                    kind,
                    entry.id,
                    f"/claims/{i}/value",
                    "claim-equals-value",
                    f"the claim repeats the accepted {claim.field} ({value})",
                    "cite the source in 'sources' instead, or correct the claimed value",
                )


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


@rule("claim-weekday")
def claimed_weekdays_match_dates(catalog: Catalog) -> Iterator[Problem]:
    """A claim's quote that names a weekday agrees with the date the claim records.

    PASS: `value: 2025-05-08`, `quote: on Thursday, May 8` (8 May 2025 was a Thursday)
    FAIL: `value: 2025-05-07`, `quote: on Thursday, May 7` (7 May 2025 was a Wednesday)
    """
    for kind, entry in catalog.entries():
        for i, claim in enumerate(entry.claims):
            if not claim.quote or not isinstance(claim.value, str):
                continue
            try:
                day = dt.date.fromisoformat(claim.value)
            except ValueError:
                continue
            actual = _WEEKDAYS[day.weekday()]
            for named in _WEEKDAY_RE.findall(claim.quote):
                if named.lower() != actual:
                    yield _at(
                        catalog,
                        kind,
                        entry.id,
                        f"/claims/{i}/value",
                        "claim-weekday",
                        f"the quote says {named.capitalize()}, but {claim.value} was a "
                        f"{actual.capitalize()}",
                        "record the date the source gives, and say in the note which part is wrong",
                    )


# --- cross-entry consistency ------------------------------------------------------------------


@rule("contingent-unit-country")
def contingent_country_matches_unit(catalog: Catalog) -> Iterator[Problem]:
    """A contingent's country is the country of the unit it came from.

    PASS: `country: KZ` with `unit: 37th-air-assault-brigade` (a KZ unit)
    FAIL: `country: RU` with `unit: 37th-air-assault-brigade`
    """
    for parade in catalog.parades.values():
        for i, con in enumerate(parade.contingents):
            unit = catalog.units.get(con.unit or "")
            if unit and unit.country != con.country:
                yield _at(
                    catalog,
                    "parade",
                    parade.id,
                    f"/contingents/{i}/country",
                    "contingent-unit-country",
                    f"the contingent is {con.country} but unit '{unit.id}' belongs to {unit.country}",
                    f"set 'country: {unit.country}', or name the right unit",
                )
