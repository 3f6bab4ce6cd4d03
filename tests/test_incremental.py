"""A warm cache after any sequence of changes answers what a cold run answers (issue 16).

The cache works out again only the groups a change touches (check/incremental.py). Here a
generated catalogue goes through a seeded sequence of changes aimed at every kind of group:
quotations copied to another count, first showings claimed twice, references broken and
mended, files deleted and restored, duplicate ids, a based_on ring, a unit's country changed
under its contingents, a file that stops parsing and parses again. After each change, the output
with the warm cache is byte for byte the output of --no-cache.
"""

from __future__ import annotations

import functools
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradecat.cli import cli

from .generated import generate

REPO = Path(__file__).parent.parent
_PARENT = re.compile(r"(based_on:\n(?:  [^\n]*\n)*?  system: )[^\n]+")
STEPS = 60


def _generate(root: Path, n: int) -> None:
    generate(n, root)


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["validate", "--max-problems", "0", *args], catch_exceptions=False
    )
    return result.exit_code, result.output


class Catalogue:
    """The generated files, and the changes made to them."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.deleted: dict[Path, bytes] = {}
        self.original: dict[Path, bytes] = {}

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / "catalog" / folder).glob("*.yaml"))

    def pick(self, folder: str) -> Path:
        return self.rng.choice(self.files(folder))

    def edit(self, path: Path, change: Callable[[str], str]) -> None:
        self.original.setdefault(path, path.read_bytes())
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    # --- the changes ---------------------------------------------------------------------------

    def copy_quote(self) -> str:
        """One parade's personnel quotation on another parade's personnel count."""
        donor, taker = self.pick("parades"), self.pick("parades")
        quote = re.findall(r'quote: "[^"]*военнослужащих"', donor.read_text(encoding="utf-8"))
        if quote:
            self.edit(
                taker, lambda t: re.sub(r'quote: "[^"]*военнослужащих"', quote[0], t, count=1)
            )
        return f"copy a quotation {donor.name} -> {taker.name}"

    def first_showing(self) -> str:
        parade = self.pick("parades")
        self.edit(
            parade,
            lambda t: re.sub(
                r"(\n  - system: [^\n]+\n)",
                r"\1    first_showing: true\n",
                t,
                count=self.rng.randint(1, 3),
            ),
        )
        return f"first showings in {parade.name}"

    def break_reference(self) -> str:
        parade = self.pick("parades")
        self.edit(parade, lambda t: re.sub(r"(\n  - system: [^\n]+)", r"\1x", t, count=1))
        return f"a system reference broken in {parade.name}"

    def delete(self) -> str:
        path = self.pick(self.rng.choice(["sources", "systems", "units", "parades"]))
        self.deleted[path] = path.read_bytes()
        path.unlink()
        return f"delete {path.name}"

    def restore(self) -> str:
        if self.deleted:
            path = self.rng.choice(sorted(self.deleted))
            path.write_bytes(self.deleted.pop(path))
            return f"restore {path.name}"
        if self.original:
            path = self.rng.choice(sorted(self.original))
            if path.exists():
                path.write_bytes(self.original.pop(path))
                return f"revert {path.name}"
        return "nothing to restore"

    def duplicate(self) -> str:
        path = self.pick(self.rng.choice(["sources", "systems", "units"]))
        copy = path.with_name(self.rng.choice(["a-", "zz-"]) + path.name)
        shutil.copyfile(path, copy)
        return f"duplicate {path.name} as {copy.name}"

    def rename(self) -> str:
        path = self.pick(self.rng.choice(["sources", "systems", "parades"]))
        target = path.with_name("renamed-" + path.name)
        path.rename(target)
        return f"rename {path.name}"

    def ring(self) -> str:
        """A system's parent made to be based on it: a based_on ring."""
        for child in self.rng.sample(self.files("systems"), 20):
            found = re.search(r"based_on:\n(?:  [^\n]*\n)*?  system: ([^\n]+)", child.read_text())
            parent = self.root / "catalog" / "systems" / f"{found.group(1)}.yaml" if found else None
            if parent is not None and parent.exists() and "based_on:" in parent.read_text():
                link = r"\1" + child.stem
                self.edit(parent, functools.partial(re.sub, _PARENT, link))
                return f"a ring {child.name} <-> {parent.name}"
        return "no ring"

    def unit_country(self) -> str:
        unit = self.pick("units")
        self.edit(
            unit,
            lambda t: re.sub(
                r"\ncountry: \w+", "\ncountry: " + self.rng.choice(["KZ", "RU", "MN"]), t
            ),
        )
        return f"country of {unit.name}"

    def break_yaml(self) -> str:
        path = self.pick(self.rng.choice(["parades", "systems"]))
        self.edit(path, lambda t: t + "\nbroken: [unclosed\n")
        return f"YAML broken in {path.name}"

    def schema_error(self) -> str:
        path = self.pick(self.rng.choice(["units", "parades", "sources"]))
        self.edit(path, lambda t: t + "\nfield_nobody_knows: 1\n")
        return f"an unknown field in {path.name}"


CHANGES = [
    name
    for name in vars(Catalogue)
    if not name.startswith("_") and name not in {"files", "pick", "edit"}
]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_warm_cache_follows_any_sequence_of_changes(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "catalogue"
    _generate(root, 160)
    monkeypatch.chdir(root)
    catalogue = Catalogue(root, random.Random(seed))
    assert _validate() == _validate("--no-cache")
    seen = set()
    for step in range(STEPS):
        name = (
            CHANGES[step % len(CHANGES)] if step < len(CHANGES) else catalogue.rng.choice(CHANGES)
        )
        what = getattr(catalogue, name)()
        expected = _validate("--no-cache")
        assert _validate() == expected, f"step {step}: {what}: the cache changed the answer"
        seen.update(re.findall(r"error\[([a-z-]+)\]|warning\[([a-z-]+)\]", expected[1]))
    codes = {code for pair in seen for code in pair if code}
    # the changes reached the groups they aim at
    assert {"quote-reused", "ref-unresolved", "id-duplicate", "first-showing-twice"} <= codes, codes


def _steps(root: Path, steps: list[Callable[[], None]]) -> list[str]:
    outputs = []
    for n, step in enumerate(steps):
        step()
        expected = _validate("--no-cache")
        assert _validate() == expected, f"step {n}: the cache changed the answer"
        outputs.append(expected[1])
    return outputs


def test_a_file_that_comes_to_hold_an_id_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duplicate with other facts counts once the file it duplicates has an error."""
    root = tmp_path / "catalogue"
    _generate(root, 120)
    monkeypatch.chdir(root)
    parades = sorted((root / "catalog" / "parades").glob("*.yaml"))
    holder, other = parades[0], parades[1]
    shadow = holder.with_name("a-" + holder.name)
    text = other.read_text(encoding="utf-8").replace(f"id: {other.stem}", f"id: {holder.stem}")
    # the duplicate is later, and claims the first showing of every system the other one shows
    text = re.sub(r"\ndate: [^\n]+", "\ndate: 2025-12-31", text)
    text = re.sub(r"(\n  - system: [^\n]+\n)", r"\1    first_showing: true\n", text)

    def add_shadow() -> None:
        shadow.write_text(text, encoding="utf-8")

    def break_holder() -> None:
        holder.write_text(holder.read_text(encoding="utf-8") + "\nfield_nobody_knows: 1\n")

    def mend_holder() -> None:
        holder.write_text(holder.read_text(encoding="utf-8").replace("field_nobody_knows: 1", ""))

    outputs = _steps(root, [lambda: None, add_shadow, break_holder, mend_holder])
    assert "id-duplicate" in outputs[1] and "first-showing" not in outputs[1]
    assert "first-showing" in outputs[2]  # the duplicate holds the id: its showings count
    assert "first-showing" not in outputs[3]


def test_a_hint_follows_the_ids_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unresolved reference's "did you mean" names the closest id there is now."""
    root = tmp_path / "catalogue"
    _generate(root, 120)
    monkeypatch.chdir(root)
    parade = sorted((root / "catalog" / "parades").glob("*.yaml"))[0]
    system = re.search(r"\n  - system: ([^\n]+)", parade.read_text(encoding="utf-8"))
    assert system is not None
    target = root / "catalog" / "systems" / f"{system.group(1)}.yaml"
    kept = target.read_bytes()

    def break_reference() -> None:
        text = parade.read_text(encoding="utf-8")
        parade.write_text(
            text.replace(f"system: {system.group(1)}\n", f"system: {system.group(1)}x\n", 1)
        )

    outputs = _steps(
        root,
        [lambda: None, break_reference, target.unlink, lambda: target.write_bytes(kept)],
    )
    assert f"did you mean '{system.group(1)}'" in outputs[1]
    assert f"did you mean '{system.group(1)}'" not in outputs[2]
    assert f"did you mean '{system.group(1)}'" in outputs[3]
