"""The entry kinds: each kind's model, its folder, and the fields a claim may name."""

from __future__ import annotations

from .base import Entry
from .parade import Parade
from .person import Person
from .source import Source
from .system import System
from .unit import Unit

ENTRY_MODELS: dict[str, type[Entry]] = {
    m.kind_name: m for m in (Source, System, Unit, Person, Parade)
}
FOLDER_KINDS: dict[str, str] = {m.folder: m.kind_name for m in ENTRY_MODELS.values()}
QUANTITY_FIELDS = ("personnel", "equipment_units", "aircraft", "formations")


def claimable_fields(model: type[Entry]) -> list[str]:
    """Fields of an entry a claim may name: every field, by its YAML key, except bookkeeping."""
    skip = {"id", "sources", "claims", "notes"}
    return [f.alias or name for name, f in model.model_fields.items() if name not in skip]
