"""Problem values and the accumulator that collects them; nothing here prints."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a problem is: errors fail validation, warnings do not."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalogue, located to file:line:column."""

    path: str
    line: int
    column: int
    code: str
    message: str
    pointer: str = ""
    severity: Severity = Severity.error
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The problem as plain JSON-ready data."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass
class Problems:
    """Collects problems from every stage so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Problems in file, line and column order, without exact duplicates."""
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.column, p.code, p.message))

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that fail validation."""
        return [p for p in self.items if p.severity is Severity.error]


def pointer_join(pointer: str, part: str | int) -> str:
    """Append one step to a JSON pointer (RFC 6901 escaping)."""
    text = str(part).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{text}"


def pointer_to_path(pointer: str) -> str:
    """A JSON pointer as the dotted path people read: /appearances/2/system -> appearances[2].system."""
    out = ""
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
