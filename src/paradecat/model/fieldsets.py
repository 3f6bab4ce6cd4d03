"""Share pydantic's per-model set of given fields between models, to save a third of the memory.

check/validate.py calls share_field_sets on every entry it accepts, so the models of a validated
catalogue are read-only: assigning to a field raises TypeError; model_copy(update=...) works.
"""

from __future__ import annotations

from functools import cache
from typing import Any, get_args

from pydantic import BaseModel


class FieldSet(set[str]):
    """The fields a model was given (pydantic's __pydantic_fields_set__), shared by every model
    given the same ones.

    pydantic keeps a set in each model, 216 to 1,200 bytes, and a catalogue of 100,000 entries
    has 700,000 models but only a few dozen different sets: a third of its memory. Shared, the
    set must not change, so the models of a validated catalogue are read-only. A copy is an
    ordinary set: model_copy() gives a model that can change.
    """

    def __copy__(self) -> set[str]:
        return set(self)

    def _refuse(self, *args: object) -> None:
        raise TypeError(
            "the models of a validated catalogue are read-only (use model_copy(update=...))"
        )

    add = discard = remove = pop = clear = update = _refuse  # type: ignore[assignment]
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]


_FIELD_SETS: dict[frozenset[str], FieldSet] = {}


def _holds_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in get_args(annotation))


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that can hold models, directly or in a list."""
    return tuple(
        name for name, info in model.model_fields.items() if _holds_models(info.annotation)
    )


def share_field_sets(model: BaseModel) -> None:
    """Give the model and every model inside it the shared FieldSet of the fields it was given."""
    given = frozenset(model.__pydantic_fields_set__)
    shared = _FIELD_SETS.get(given)
    if shared is None:
        shared = _FIELD_SETS.setdefault(given, FieldSet(given))
    object.__setattr__(model, "__pydantic_fields_set__", shared)
    values = model.__dict__
    for name in _nested_fields(type(model)):
        value = values[name]
        if isinstance(value, BaseModel):
            share_field_sets(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    share_field_sets(item)
