"""`paradecat diff` as a review summary: the facts of new entries, new claims, sources to check
and what a change moves elsewhere, on real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from paradecat.cli import cli
from paradecat.contribute.diff import code, md

from .conftest import REPO
from .test_contributor import git

MOSCOW_2012 = """\
id: 2012-05-09-moscow-red-square
name: Moscow Victory Day Parade 2012
kind: military_parade
date: 2012-05-09
city: Moscow
country: RU
venue: Red Square
personnel:
  value: 10000
  qualifier: over
  source: moscowtimes-2025-05-08
equipment_units:
  value: 114
  qualifier: about
aircraft: 72
formations: 1
contingents:
  - country: KZ
    unit: kyrgyz-national-guard
    personnel:
      value: 75
      qualifier: at_least
  - country: RU
    name: "Guards | *Honour* company"
appearances:
  - system: tor-m2k
    reported_as: Tor-M2
    segment: mechanized_column
    identification: probable
    count: 4
  - system: buk
    reported_as: Buk
    segment: mechanized_column
    identification: confirmed
claims:
  - field: personnel
    value: 10500
    qualifier: about
    rank: normal
    source: defenceblog-2025-05-08
sources: [moscowtimes-2025-05-08]
"""

BELTA = """\
id: belta-home
url: https://www.belta.by/
title: Parade in Minsk
publisher: BelTA
published: 2025-07-03
language: ru
"""

NEW_SYSTEM = """\
id: polonez-m
name: Polonez-M
category: artillery
class: multiple_rocket_launcher
origin: [BY]
sources: [belta-home]
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def history(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def write(root: Path, entry: str, text: str) -> None:
    (root / "catalog" / f"{entry}.yaml").write_text(text, encoding="utf-8")


def diff(root: Path, *args: str) -> str:
    code_, output = invoke("diff", "HEAD", "--root", str(root), *args)
    assert code_ == 0, output
    return output


def earliest(root: Path, system: str) -> str:
    """The date of the earliest parade in the catalogue that shows the system."""
    dates = []
    for path in (root / "catalog" / "parades").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(a.get("system") == system for a in data.get("appearances", [])):
            dates.append(str(data["date"]))
    return min(dates)


def edit(root: Path, entry: str, old: str, new: str) -> None:
    path = root / "catalog" / f"{entry}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def block(output: str, entry: str) -> list[str]:
    """The lines of one entry: its own lines and the indented facts under them."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{entry}: "))
    mine = ("  ", f"{entry}: ")
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(mine)), len(lines)
    )
    return lines[start:end]


def test_a_new_parade_shows_its_date_place_counts_contingents_and_systems(history: Path) -> None:
    write(history, "parades/2012-05-09-moscow-red-square", MOSCOW_2012)
    lines = block(diff(history), "parades/2012-05-09-moscow-red-square")
    assert lines == [
        "parades/2012-05-09-moscow-red-square: added",
        "  name: Moscow Victory Day Parade 2012",
        "  kind: military_parade",
        "  date: 2012-05-09",
        "  place: Moscow, RU, Red Square",
        "  counts: over 10,000 personnel (moscowtimes-2025-05-08); about 114 equipment units; "
        "72 aircraft; 1 formation",
        "  contingent: KZ, unit kyrgyz-national-guard, at least 75 personnel",
        '  contingent: RU, "Guards | *Honour* company"',
        '  shown: tor-m2k as "Tor-M2", mechanized_column, probable, 4',
        '  shown: buk as "Buk", mechanized_column, confirmed',
        "  claim: personnel 10500 (about), rank normal, source defenceblog-2025-05-08",
    ]


def test_an_earlier_parade_moves_a_systems_first_showing(history: Path) -> None:
    buk = earliest(history, "buk")
    write(history, "parades/2012-05-09-moscow-red-square", MOSCOW_2012)
    output = diff(history)
    assert (
        "system tor-m2k: first shown in this catalogue 2025-05-07 -> 2012-05-09 "
        "(2012-05-09-moscow-red-square)"
    ) in output.splitlines()
    assert f"system buk: first shown in this catalogue {buk} -> 2012-05-09" in output
    # systems the new parade does not show keep their first showing, and are not listed
    assert "system barys:" not in output


def test_removing_the_earliest_parade_moves_first_showings_later(history: Path) -> None:
    write(history, "parades/2012-05-09-moscow-red-square", MOSCOW_2012)
    git(history, "add", "-A")
    git(history, "commit", "-qm", "2017")
    (history / "catalog" / "parades" / "2012-05-09-moscow-red-square.yaml").unlink()
    output = diff(history)
    assert "parades/2012-05-09-moscow-red-square: removed" in output.splitlines()
    assert (
        "system tor-m2k: first shown in this catalogue 2012-05-09 -> 2025-05-07 (2025-05-07-astana)"
    ) in output.splitlines()


def test_a_system_shown_for_the_first_time_and_a_contradicted_first_showing(
    history: Path,
) -> None:
    edit(
        history,
        "parades/2025-05-07-astana",
        "    reported_as: Tor\n",
        "    reported_as: Tor\n    first_showing: true\n",
    )
    git(history, "commit", "-qam", "astana says the Tor was first shown there")
    parade = MOSCOW_2012.replace("system: buk", "system: polonez-m")
    write(history, "parades/2012-05-09-moscow-red-square", parade)
    write(history, "sources/belta-home", BELTA)
    write(history, "systems/polonez-m", NEW_SYSTEM)
    lines = diff(history).splitlines()
    assert (
        "system polonez-m: first shown in this catalogue (not shown) -> 2012-05-09 "
        "(2012-05-09-moscow-red-square)"
    ) in lines
    assert (
        "system tor-m2k: 2025-05-07-astana says it was first shown there, but it was shown "
        "earlier, 2012-05-09 (2012-05-09-moscow-red-square)"
    ) in lines


def test_new_system_and_source_show_their_key_facts_and_a_bare_home_page(history: Path) -> None:
    write(history, "sources/belta-home", BELTA)
    write(history, "systems/polonez-m", NEW_SYSTEM)
    output = diff(history)
    assert block(output, "sources/belta-home") == [
        "sources/belta-home: added",
        "  title: Parade in Minsk",
        "  publisher: BelTA",
        "  published: 2025-07-03",
        "  url: https://www.belta.by/",
        "  warning: url https://www.belta.by/ is a bare home page, not the document cited",
    ]
    assert block(output, "systems/polonez-m") == [
        "systems/polonez-m: added",
        "  name: Polonez-M",
        "  category: artillery",
        "  class: multiple_rocket_launcher",
        "  origin: BY",
    ]


def test_a_changed_source_with_a_bare_home_page_is_flagged(history: Path) -> None:
    edit(
        history,
        "sources/moscowtimes-2025-05-08",
        "url: https://www.themoscowtimes.com/2025/05/08/",
        "url: https://www.themoscowtimes.com/#2025/05/08/",
    )
    output = diff(history)
    assert "warning:" not in output  # a fragment names a part of the page: not a home page
    edit(
        history,
        "sources/moscowtimes-2025-05-08",
        "url: https://www.themoscowtimes.com/#2025/05/08/",
        "archive_url: https://web.archive.org/\nurl: https://www.themoscowtimes.com/#2025/05/08/",
    )
    lines = block(diff(history), "sources/moscowtimes-2025-05-08")
    assert lines[-1] == (
        "  warning: archive_url https://web.archive.org/ is a bare home page, not the document cited"
    )


def test_a_new_claim_in_a_changed_entry_is_listed_and_old_claims_are_not(history: Path) -> None:
    edit(
        history,
        "parades/2025-05-07-astana",
        "claims:\n",
        "claims:\n  - field: aircraft\n    value: 70\n    qualifier: over\n"
        "    source: kpl-2025-05-09\n",
    )
    edit(history, "parades/2025-05-07-astana", "    value: 24\n", "    value: 25\n")
    output = diff(history)
    claims = [line for line in output.splitlines() if "claim:" in line]
    assert claims == [
        "  claim: aircraft 70 (over), rank normal, source kpl-2025-05-09",
        "  changed claim: formations 25, rank normal, source astanatimes-2025-04-08",
    ]
    # the field-by-field lines stay as they were
    assert "parades/2025-05-07-astana: claims[0].field date -> aircraft" in output


def test_markdown_is_a_pull_request_comment(history: Path) -> None:
    write(history, "parades/2012-05-09-moscow-red-square", MOSCOW_2012)
    write(history, "sources/belta-home", BELTA)
    write(history, "systems/polonez-m", NEW_SYSTEM)
    edit(history, "parades/2025-05-07-astana", "  value: 4000\n", "  value: 4100\n")
    output = diff(history, "--format", "markdown")
    lines = output.splitlines()
    assert lines[0].startswith("**paradecat diff** against `") and lines[0].endswith(
        ": 3 added, 1 changed."
    )
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "### Sources to check",
        "### Elsewhere in the catalogue",
        "### New parades",
        "#### `parades/2012-05-09-moscow-red-square`: Moscow Victory Day Parade 2012",
        "### New systems",
        "### New sources",
        "### Changed entries",
        "### New claims",
    ]
    assert "- **date:** 2012-05-09" in lines
    assert "- **place:** Moscow, RU, Red Square" in lines
    assert "| system | reported as | segment | identification | count |" in lines
    assert "| `tor-m2k` | Tor-M2 | `mechanized_column` | `probable` | 4 |" in lines
    # free text is escaped, the pipe for the table, and absent values are a dash
    assert "| `RU` | — | Guards \\| \\*Honour\\* company | — |" in lines
    assert (
        "- system `tor-m2k`: first shown in this catalogue 2025-05-07 → 2012-05-09 "
        "(`2012-05-09-moscow-red-square`)"
    ) in lines
    assert (
        "- `sources/belta-home`: `url` <https://www.belta.by/> is a bare home page, "
        "not the document cited."
    ) in lines
    assert (
        "- `systems/polonez-m`: Polonez-M; **category:** `artillery`; "
        "**class:** `multiple_rocket_launcher`; **origin:** `BY`"
    ) in lines
    assert "| `parades/2025-05-07-astana` | `personnel` | 4000 (over) | 4100 (over) |" in lines
    assert (
        "| `parades/2012-05-09-moscow-red-square` | `personnel` | 10500 | `about` | `normal` "
        "| `defenceblog-2025-05-08` |"
    ) in lines
    assert "None" not in output and "[]" not in output and "{" not in output


def test_markdown_escaping_of_values() -> None:
    assert md("a *b* [c](d) <e> `f` _g_\nh") == "a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\` \\_g\\_ h"
    assert code("tor-m2k") == "`tor-m2k`"
    assert code("a`b") == "``a`b``"


def test_no_change_and_a_change_without_facts_stay_terse(history: Path) -> None:
    assert diff(history) == "no changes to the catalogue\n"
    assert "no changes to the catalogue" in diff(history, "--format", "markdown")
    edit(history, "parades/2025-05-07-astana", "city: Astana", "city: Nur-Sultan")
    assert diff(history) == "parades/2025-05-07-astana: city Astana -> Nur-Sultan\n"


def test_entries_that_are_not_valid_do_not_break_the_summary(history: Path) -> None:
    write(
        history,
        "parades/2099-01-01-broken",
        "id: 2099-01-01-broken\ndate: soon\npersonnel: many\nappearances: oops\n"
        "contingents: [1, {country: [KZ]}]\nclaims: [{value: true}]\n",
    )
    write(history, "sources/broken", "- just\n- a list\n")
    output = diff(history)
    assert block(output, "parades/2099-01-01-broken") == [
        "parades/2099-01-01-broken: added",
        "  date: soon",
        "  counts: many personnel",
        "  contingent: KZ",
        "  claim: (no field) true, rank normal, source (no source)",
    ]
    assert "sources/broken: added" in output
    assert "first shown" not in output  # a parade without a valid date shows nothing


def test_the_installed_command_prints_the_summary(history: Path) -> None:
    write(history, "parades/2012-05-09-moscow-red-square", MOSCOW_2012)
    result = subprocess.run(
        [sys.executable, "-m", "paradecat", "diff", "HEAD", "--root", str(history)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "  place: Moscow, RU, Red Square" in result.stdout.splitlines()
    result = subprocess.run(
        [sys.executable, "-m", "paradecat", "diff", "no-such-rev", "--root", str(history)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Error:" in result.stderr


def test_deep_folders_and_a_linked_catalogue_are_not_followed(history: Path) -> None:
    """The diff walks catalog/ as validate does: 1,000 nested folders end no run in a
    RecursionError, and a catalog/ that is a link elsewhere is refused."""
    fd = os.open(history / "catalog" / "systems", os.O_RDONLY)
    try:
        for _ in range(1000):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    try:
        assert diff(history).strip() == "no changes to the catalogue"
    finally:
        # rm, not shutil.rmtree, which recurses; pytest's own cleanup would fail on this tree
        subprocess.run(["rm", "-rf", str(history / "catalog" / "systems" / "d")], check=True)
    elsewhere = history.parent / f"{history.name}-elsewhere"
    (history / "catalog").rename(elsewhere)
    (history / "catalog").symlink_to(elsewhere, target_is_directory=True)
    code_, output = invoke("diff", "HEAD", "--root", str(history))
    assert code_ == 1 and "Traceback" not in output
    assert "catalog/ is a symbolic link" in output


HOSTILE_TEXT = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [click](https://evil.example/a) "
    '![x](https://evil.example/b.png) <https://evil.example/c> <a href="https://evil.example/d">d</a> '
    "&lt;b&gt; **bold** `code` # heading | pipe"
)


def test_markdown_carries_no_html_and_no_links_from_the_data(history: Path) -> None:
    """Rendered as GitHub renders a comment (CommonMark and tables), hostile text stays text."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    text = md(HOSTILE_TEXT).replace('"', '\\"')
    write(
        history,
        "sources/hostile-home",
        BELTA.replace("Parade in Minsk", HOSTILE_TEXT.replace('"', "'")).replace(
            "id: belta-home", "id: hostile-home"
        ),
    )
    write(
        history,
        "systems/polonez-m",
        NEW_SYSTEM.replace("name: Polonez-M", f'name: "{HOSTILE_TEXT}"').replace(
            "belta-home", "hostile-home"
        ),
    )
    edit(history, "parades/2025-05-07-astana", "city: Astana", f'city: "{HOSTILE_TEXT}"')
    assert text  # the escaped form is what the comment shows
    html = MarkdownIt("commonmark").enable("table").render(diff(history, "--format", "markdown"))

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)
            self.hrefs += [v or "" for k, v in attrs if k in ("href", "src")]

    tags = Tags()
    tags.feed(html)
    assert tags.tags <= {
        "p",
        "strong",
        "code",
        "h3",
        "h4",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
    }
    # the only link is the source's own URL, shown as itself
    assert set(tags.hrefs) == {"https://www.belta.by/"}, tags.hrefs
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "alert(1)" in html  # the text is shown, escaped
