"""What the sources really say: sources that point at a document, zero counts a source states,
and a quotation for every count, appearance and claim, never one passage for two different values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...catalog import Catalog
from ...model import (
    ENTRY_MODELS,
    QUANTITY_FIELDS,
    Parade,
    QualifiedCount,
    Qualifier,
    quantity_parts,
)
from ...model.fields import bare_home_page
from ...problems import Problem, Severity
from .engine import Keyed, Keys, at, rule
from .index import CatalogueIndex

# The switch: quotations are asked for with a warning while the catalogue still has facts
# without one; set it to True once none is left, and a fact without its quotation is an error.
QUOTES_REQUIRED = True
QUOTE_SEVERITY = Severity.error if QUOTES_REQUIRED else Severity.warning


@rule("source-home-page", Severity.warning)
def sources_point_at_documents(catalog: Catalog) -> Iterator[Problem]:
    """A source's url is the document itself, not the outlet's home page.

    PASS: `url: https://www.belta.by/society/view/parad-v-minske-123456-2025/`
    FAIL: `url: https://www.belta.by/` (a home page proves nothing; for an outlet known only
    from another report, leave url out and write `cited_in: SOURCE-ID`)
    """
    for source in sorted(catalog.sources.values(), key=lambda s: s.id):
        if source.url and bare_home_page(source.url):
            yield at(
                catalog,
                "source",
                source.id,
                "/url",
                "source-home-page",
                f"'{source.url}' is a home page, not the document",
                "give the article's own address; for an outlet known only from another report, "
                "remove url and add 'cited_in: SOURCE-ID'",
            )


@dataclass(frozen=True)
class _Fact:
    """One fact that a quotation should support."""

    pointer: str  # where the fact is, and where a problem about it points
    what: str  # how a message names it
    value: str  # what the fact says, to tell two facts apart
    quotes: tuple[str, ...]  # the passages quoted for it
    hint: str  # how to add its quotation
    zero: bool = False  # an exact count of 0
    number: int | None = None  # the number of a count or of a numeric claim


_QUOTE_KEY = "quote: …"
_QUOTES_LIST = "quotes: [{source: …, text: …}]"


def _count_fact(pointer: str, what: str, q: int | QualifiedCount | None) -> _Fact | None:
    if q is None:
        return None
    value, qualifier, _ = quantity_parts(q)
    quote = q.quote if isinstance(q, QualifiedCount) else None
    return _Fact(
        pointer,
        what,
        f"{qualifier} {value}",
        (quote,) if quote else (),
        "write the count as {value, source, quote}",
        zero=value == 0 and qualifier is Qualifier.exact,
        number=value,
    )


def _parade_facts(parade: Parade) -> Iterator[_Fact]:
    """Every count and appearance of a parade, with the passages quoted for it."""
    for name in QUANTITY_FIELDS:
        fact = _count_fact(f"/{name}", f"the {name.replace('_', ' ')} count", getattr(parade, name))
        if fact:
            yield fact
    for i, app in enumerate(parade.appearances):
        quotes = tuple(q.text for q in app.quotes)
        yield _Fact(
            f"/appearances/{i}",
            f"the appearance of {app.system}",
            app.system,
            quotes,
            f"add '{_QUOTES_LIST}'",
        )
        fact = _count_fact(f"/appearances/{i}/count", f"the count of {app.system}", app.count)
        if fact:
            yield fact
    for i, con in enumerate(parade.contingents):
        pointer = f"/contingents/{i}/personnel"
        fact = _count_fact(pointer, f"the personnel of contingent {i + 1}", con.personnel)
        if fact:
            yield fact


def _claim_facts(entry: Any) -> Iterator[_Fact]:
    """Every claim of an entry, with the passage quoted for it."""
    for i, claim in enumerate(entry.claims):
        qualifier = claim.qualifier or ""
        yield _Fact(
            f"/claims/{i}",
            f"the claim on {claim.field}",
            f"{claim.field}: {qualifier} {claim.value}",
            (claim.quote,) if claim.quote else (),
            f"add '{_QUOTE_KEY}' to the claim",
            number=claim.value
            if isinstance(claim.value, int) and not isinstance(claim.value, bool)
            else None,
        )


def _facts(catalog: Catalog) -> list[tuple[str, str, _Fact]]:
    """(kind, id, fact) for every count, appearance and claim in the catalogue (worked out once
    for the rules that ask, when the catalogue changes no more: it has its entries' list)."""
    if "entries" not in catalog.memo:
        return list(_all_facts(catalog))
    if "facts" not in catalog.memo:
        catalog.memo["facts"] = list(_all_facts(catalog))
    found: list[tuple[str, str, _Fact]] = catalog.memo["facts"]
    return found


def _all_facts(catalog: Catalog) -> Iterator[tuple[str, str, _Fact]]:
    for parade in sorted(catalog.parades.values(), key=lambda p: p.id):
        for fact in _parade_facts(parade):
            yield "parade", parade.id, fact
    for kind, entry in catalog.entries():
        for fact in _claim_facts(entry):
            yield kind, entry.id, fact


def _numbered(facts: Iterator[_Fact]) -> list[list[Any]]:
    return [
        [f.pointer, f.what, f.value, f.number, list(f.quotes)]
        for f in facts
        if f.number is not None and f.quotes
    ]


def quote_facts(kind: str, entry: Any) -> dict[str, Any]:
    """What quote-reused reads of an entry: its quoted numbers, the parade's and the claims'."""
    out: dict[str, Any] = {}
    if kind == "parade" and (parade_facts := _numbered(_parade_facts(entry))):
        out["qp"] = parade_facts
    if claim_facts := _numbered(_claim_facts(entry)):
        out["qc"] = claim_facts
    return out


@rule("count-zero", Severity.warning)
def zero_counts_are_quoted(catalog: Catalog) -> Iterator[Problem]:
    """A count of 0 is a fact a source states, with its quotation; a count not known is left out.

    PASS: `personnel: {value: 0, source: x, quote: "no troops took part"}`
    PASS: no `personnel` at all (not known)
    FAIL: `personnel: 0` with no quotation
    """
    for kind, entry_id, fact in _facts(catalog):
        if fact.zero and not fact.quotes:
            yield at(
                catalog,
                kind,
                entry_id,
                fact.pointer,
                "count-zero",
                f"{fact.what} is 0, and no quotation says so",
                "if the number is not known, remove the line (a count left out means not "
                "known); if a source says none, write {value: 0, source: …, quote: …}",
            )


@rule("quote-missing", QUOTE_SEVERITY)
def facts_are_quoted(catalog: Catalog) -> Iterator[Problem]:
    """Every count, appearance and claim carries the source's own words that support it.

    PASS: `aircraft: {value: 66, source: qazinform-2025-05-07-live, quote: "66 самолётов и вертолётов"}`
    PASS: an appearance with `quotes: [{source: defenceblog-2025-05-08, text: "Buk and Tor"}]`
    FAIL: `aircraft: 66` (a warning while the catalogue still has unquoted facts)
    """
    for kind, entry_id, fact in _facts(catalog):
        if not fact.quotes and not fact.zero:  # count-zero asks for the zero's quotation
            yield at(
                catalog,
                kind,
                entry_id,
                fact.pointer,
                "quote-missing",
                f"{fact.what} has no quotation",
                f"{fact.hint}: the source's own words, verbatim, under about 300 characters",
            )


_NUMBER = re.compile(r"\d[\d\s.,\u00a0\u202f]*")


def _numbers_in(text: str) -> int:
    """How many numbers a passage writes in digits (4,000 and 4 000 are one)."""
    return len({re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text)})


def quote_keys(record: Any) -> set[str]:
    """The quotations whose group an entry is in: those its counts and claims quote."""
    groups = ("qp", "qc") if record.kind == "parade" else ("qc",)
    return {quote for g in groups for fact in record.facts.get(g, ()) for quote in fact[4]}


@rule("quote-reused", scope="catalogue", space="quote")
def quotes_support_one_value(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """A passage that gives one number supports one number: the same quotation for two different
    counts is a copy-and-paste mistake. A passage may support several facts that it lists.

    PASS: "over 4,000 troops, 200 units of equipment and 66 aircraft" for three counts
    PASS: one passage naming two systems ("Cobra II and ARMA ... renamed Aybar and Taimas")
    FAIL: "more than 200 units of equipment" on both the equipment count (over 200) and the
    aircraft count (66)
    """
    # Only a quotation used more than once can support two values: count them first, then
    # take the facts quoting those in the order of _facts (the parades' counts by parade id,
    # then every kind's claims by id), as the first use is the one the others are told of.
    uses_of: Counter[str] = Counter()
    for _, record in index.view.items():
        for group in ("qp", "qc"):
            for fact in record.facts.get(group, ()):
                uses_of.update(fact[4])
    shared = {quote for quote, n in uses_of.items() if n > 1 and (keys is None or quote in keys)}
    if not shared:
        return
    order = {kind: i for i, kind in enumerate(ENTRY_MODELS)}
    keyed: list[tuple[tuple[int, int, str], int, tuple[str, str, list[Any]]]] = []
    for (kind, entry_id), record in index.view.items():
        for group, rank in (("qp", (0, 0)), ("qc", (1, order[kind]))):
            if group == "qp" and kind != "parade":
                continue
            for n, fact in enumerate(record.facts.get(group, ())):
                if not shared.isdisjoint(fact[4]):
                    keyed.append(((*rank, entry_id), n, (kind, entry_id, fact)))
    keyed.sort(key=lambda item: (item[0], item[1]))
    ordered = [item[2] for item in keyed]
    values: dict[str, list[tuple[str, str, list[Any]]]] = {}
    for kind, entry_id, fact in ordered:
        for quote in fact[4]:
            values.setdefault(quote, []).append((kind, entry_id, fact))
    for quote, uses in values.items():
        numbers = _numbers_in(quote)
        distinct: dict[int, tuple[str, str, list[Any]]] = {}
        for use in uses:
            number = use[2][3]
            distinct.setdefault(number, use)
            if len(distinct) > max(numbers, 1) and distinct[number] is use:
                first = next(iter(distinct.values()))
                kind, entry_id, fact = use
                yield (
                    quote,
                    index.at(
                        kind,
                        entry_id,
                        fact[0],
                        "quote-reused",
                        f"this quotation already supports {first[2][1]} ({first[2][2]}) in "
                        f"{first[1]}; it gives {numbers or 'no'} number{'s' if numbers != 1 else ''}, "
                        f"not {len(distinct)} different ones",
                        "quote the passage that gives this value",
                    ),
                )
