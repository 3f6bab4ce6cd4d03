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


# Characters a terminal or a review acts on instead of showing: C0 and C1 controls (ESC starts a
# sequence that can clear a screen or retitle a window), the line and paragraph separators, and
# the bidirectional overrides and isolates that reorder a line so that it reads as another.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *map(ord, BIDI_CONTROLS))
}


def visible(text: str) -> str:
    """Text with every control and bidirectional override shown as an escape (ESC as \\x1b)."""
    return text.translate(_INVISIBLE)


def hidden_controls(text: str, allowed: str = "\t\n") -> list[str]:
    """The control and bidirectional-override characters in text, as escapes, in order."""
    return [visible(c) for c in text if ord(c) in _INVISIBLE and c not in allowed]
