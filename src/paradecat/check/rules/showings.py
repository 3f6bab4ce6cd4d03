"""First showings: `first_showing: true` (a source says the parade showed a system for the first time) agrees with the rest of the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .engine import Keyed, Keys, rule
from .index import CatalogueIndex

# --- first showings ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Shown:
    """One parade's appearance of a system, in date order (then parade id, then position)."""

    date: str
    parade: str
    index: int
    first: bool

    @property
    def pointer(self) -> str:
        return f"/appearances/{self.index}/first_showing"

    def named(self, other: _Shown) -> str:
        when = "on the same day" if other.date == self.date else f"on {other.date}"
        return f"parade '{other.parade}' ({when})"


def showing_facts(parade: Any) -> dict[str, Any]:
    """What the first-showing rules read of a parade: its date and each appearance's system."""
    return {
        "d": parade.date,
        "s": [[app.system, app.first_showing is True] for app in parade.appearances],
    }


def showing_keys(record: Any) -> set[str]:
    """The systems whose group a parade is in: those it shows."""
    return {system for system, _ in record.facts.get("s", ())} if record.kind == "parade" else set()


def _showings(index: CatalogueIndex) -> dict[str, list[_Shown]]:
    """Each system's parades in date order: one item per parade, flagged when any of its appearances says first showing."""
    kept = index.memo.get("showings")
    if kept is None:
        kept = index.memo["showings"] = _all_showings(index)
    return kept


def _all_showings(index: CatalogueIndex) -> dict[str, list[_Shown]]:
    found: dict[tuple[str, str], _Shown] = {}
    for parade_id, record in index.of_kind("parade"):
        date = record.facts["d"]
        for i, (system, first) in enumerate(record.facts["s"]):
            key = (system, parade_id)
            seen = found.get(key)
            # a system listed twice at one parade is one showing; the flagged listing speaks for it
            if seen is None or (first and not seen.first):
                found[key] = _Shown(date, parade_id, i, first)
    by_system: dict[str, list[_Shown]] = {}
    for (system, _), shown in found.items():
        by_system.setdefault(system, []).append(shown)
    for shown_list in by_system.values():
        shown_list.sort()
    return by_system


@rule("first-showing-twice", scope="catalogue", space="show")
def first_showing_only_once(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """A system has its first showing at one parade only: `first_showing: true` is set once per system.

    The error is at every `first_showing` after the earliest one, and names the parade that
    claims it first.

    PASS: `first_showing: true` for barys-8x8 at the 2025-05-07 Astana parade only
    FAIL: `first_showing: true` for barys-8x8 at the 2025-05-07 Astana parade and again at the
    2026-05-07 one
    """
    for system, shown in _showings(index).items():
        if keys is not None and system not in keys:
            continue
        flagged = [s for s in shown if s.first]
        for later in flagged[1:]:
            yield (
                system,
                index.at(
                    "parade",
                    later.parade,
                    later.pointer,
                    "first-showing-twice",
                    f"system '{system}' already has its first showing at {later.named(flagged[0])}",
                    "a system is shown for the first time once: check the sources, and keep "
                    "first_showing only where they say so of the earlier parade",
                ),
            )


@rule("first-showing-later", scope="catalogue", space="show")
def first_showing_is_earliest(index: CatalogueIndex, keys: Keys) -> Iterator[Keyed]:
    """A parade marked as a system's first showing is not later than another parade that showed it.

    A source may call a showing the first while the catalogue records an earlier parade with
    the same system; both cannot be true. (When the earlier parade is marked as the first
    showing too, `first-showing-twice` reports it instead.)

    PASS: `first_showing: true` for barys-8x8 at its earliest parade in the catalogue
    FAIL: `first_showing: true` for barys-8x8 on 2026-05-07 while a 2025-05-07 parade shows it
    """
    for system, shown in _showings(index).items():
        if keys is not None and system not in keys:
            continue
        first = next((s for s in shown if s.first), None)
        if first is None or shown[0].date >= first.date:
            continue
        earlier = shown[0]
        yield (
            system,
            index.at(
                "parade",
                first.parade,
                first.pointer,
                "first-showing-later",
                f"system '{system}' is marked as first shown here, but {first.named(earlier)} "
                "already showed it",
                f"check the sources: if '{earlier.parade}' did show it, remove first_showing here; "
                "if not, correct that parade's appearance",
            ),
        )
