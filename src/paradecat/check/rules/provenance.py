"""Every fact sourced: entries and counts cite sources, every source is cited, and contingents fit their parade's total."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...catalog import Catalog
from ...model import (
    QUANTITY_FIELDS,
    Parade,
    Qualifier,
    quantity_parts,
    quantity_upper_bound,
)
from ...problems import Problem, Severity
from .engine import Keyed, Keys, at, rule
from .index import CatalogueIndex

# --- provenance -------------------------------------------------------------------------------


@rule("source-missing")
def entries_cite_a_source(catalog: Catalog) -> Iterator[Problem]:
    """Every system, unit and parade cites at least one source.

    PASS: `sources: [moscowtimes-2025-05-08]`
    FAIL: no `sources`, or `sources: []`
    """
    for kind, entry in catalog.entries():
        if kind != "source" and not entry.sources:
            yield at(
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
                yield at(
                    catalog,
                    "parade",
                    parade.id,
                    pointer,
                    "count-unsourced",
                    f"the count {value} does not say which source gives it",
                    f"write it as {{value: {value}, qualifier: {q}, source: SOURCE-ID}}",
                )


def cite_keys(record: Any) -> set[str]:
    """The sources whose group a file is in: those it cites, and a valid source its own id."""
    keys = {ref for _, target, ref in record.refs if target == "source"}
    if record.kind == "source" and record.entry_id is not None:
        keys.add(record.entry_id)
    return keys


@rule("source-unused", Severity.warning, raw=True, scope="catalogue", space="cites", whole=True)
def sources_are_cited(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """Every source is cited by some entry (a warning: an uncited source is harmless but suspicious).

    PASS: catalog/sources/moscowtimes-2025-05-08.yaml and a parade with `sources: [moscowtimes-2025-05-08]`
    FAIL: a source file no entry names
    """
    # whole: reported only when every file was read, as one that could not be may cite it
    cited = {ref for record in index.loaded for _, target, ref in record.refs if target == "source"}
    sources = {entry_id for kind, entry_id in index.valid if kind == "source"}
    for source_id in sorted(sources - cited):
        if keys is not None and source_id not in keys:
            continue
        yield (
            source_id,
            index.raw_at(
                index.valid[("source", source_id)],
                "/id",
                "source-unused",
                f"no entry cites source '{source_id}'",
                "cite it where it supports a fact, or remove it",
            ),
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
            yield at(
                catalog,
                "parade",
                parade.id,
                "/personnel",
                "contingent-exceeds-total",
                f"the contingents' exact personnel add up to {total:,}, more than the parade's "
                f"total allows ({bound:,})",
                "check the counts, or qualify the total (e.g. qualifier: over)",
            )
