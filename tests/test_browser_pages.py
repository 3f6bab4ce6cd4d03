"""The entry pages as a reader meets them, in Debian's chromium at a phone's width and a laptop's.

Each test takes what it expects from the built database (`served[1]`) and checks what the page
shows: cells labelled by their own table's columns, no ids or contributors' words in the text,
badges explained, what was shown before what is disputed, dates in words, whether the event took
place, counts "not known", charts that say a count is a lower bound, named links and headings
that do not skip a level.
"""

from __future__ import annotations

import datetime
import itertools
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from paradecat.model.words import in_words

from .test_browser import Traffic, _screenshot, browser, page, served, site  # noqa: F401
from .test_reader_text import ID_TOKEN, ids_a_note_could_use

WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}


def _rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _one(db: Path, sql: str, *params: Any) -> Any:
    found = _rows(db, sql, *params)
    assert found, sql
    return found[0][0]


@pytest.fixture(params=list(WIDTHS))
def tab(
    request: pytest.FixtureRequest,
    page: tuple[Page, Traffic],  # noqa: F811
) -> Iterator[Page]:
    """A page at a phone's width or a laptop's that may reach only the site; at the end, it
    asked for nothing outside it and nothing failed."""
    browser_tab, traffic = page
    width, height = WIDTHS[request.param]
    browser_tab.set_viewport_size({"width": width, "height": height})
    yield browser_tab
    traffic.check()


def _width(tab: Page) -> str:
    size = tab.viewport_size
    assert size is not None
    return "phone" if size["width"] < 600 else "desktop"


# the parade with the most to show (appearances, contingents, disputes), as the axe test picks it
BUSIEST_PARADE = """select p.id from parades p order by
    (select count(*) from appearances a where a.parade_id = p.id)
    + (select count(*) from contingents c where c.parade_id = p.id)
    + (select count(*) from claims c where c.entity_type = 'parade' and c.entity_id = p.id)
    desc, p.id limit 1"""
# a parade with disputes, appearances and contingents, so that their order can be seen
ALL_SECTIONS = """select p.id from parades p
    where exists (select 1 from appearances a where a.parade_id = p.id)
    and exists (select 1 from contingents c where c.parade_id = p.id)
    and exists (select 1 from claims c where c.entity_type = 'parade' and c.entity_id = p.id)
    order by p.date desc, p.id limit 1"""


def _entry_paths(db: Path) -> dict[str, str]:
    """A page of each kind of entry: the busiest parade, system, source, unit, person, country."""
    picks = {
        "parades": BUSIEST_PARADE,
        "systems": "select system_id from appearances group by 1 order by count(*) desc, 1 limit 1",
        "sources": "select source_id from citations group by 1 order by count(*) desc, 1 limit 1",
        "units": "select unit_id from contingents where unit_id is not null group by 1 "
        "order by count(*) desc, 1 limit 1",
        "people": "select reviewing_official_id from parades where reviewing_official_id "
        "is not null group by 1 order by count(*) desc, 1 limit 1",
        "countries": "select country from parades group by 1 order by count(*) desc, 1 limit 1",
    }
    return {table: f"/paradecat/{table}/{quote(_one(db, sql))}" for table, sql in picks.items()}


# ---- defect 1: on a phone, each cell is labelled with its own table's column -----------------


@pytest.mark.parametrize("table", ["parades", "systems"])
def test_every_cell_is_labelled_with_its_own_tables_column(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
    table: str,
) -> None:
    tab.goto(_entry_paths(served[1])[table])
    tables = tab.evaluate(
        """() => [...document.querySelectorAll('.pc-page table.rows-and-columns')]
            .filter(t => !t.closest('.pc-raw')).map(t => ({
            heads: [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()),
            rows: [...t.querySelectorAll('tbody tr')].slice(0, 5).map(tr =>
                [...tr.children].map(td => getComputedStyle(td, '::before').content))}))"""
    )
    assert len(tables) >= (2 if table == "parades" else 1)
    for found in tables:
        for labels in found["rows"]:
            assert len(labels) == len(found["heads"])
            if _width(tab) == "phone":
                # each label is its own column's heading (or the start of it)
                for label, head in zip(labels, found["heads"], strict=True):
                    assert label.startswith('"') and head.startswith(label.strip('"')), (
                        label,
                        head,
                    )
            else:
                assert set(labels) <= {"none", "normal"}  # the header row labels the columns
    _screenshot(tab, tmp_path, f"{table}-{_width(tab)}")


# ---- defect 5: no ids, file names or contributors' words in what a reader reads ------------


def _reader_text(tab: Page) -> str:
    """What a reader sees of the entry in the catalogue's words: the article, without what is
    folded away (innerText leaves out the contents of a closed <details>) and without the
    sources' own words, quoted (“s-350” is what a source called the S-350), or web addresses."""
    return re.sub(r"“[^”]*”|https?://\S+", "", str(tab.locator("article.pc-page").inner_text()))


@pytest.mark.parametrize("table", ["parades", "systems", "sources", "units", "people", "countries"])
def test_reader_text_has_no_ids_or_contributors_words(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    table: str,
) -> None:
    db = served[1]
    tab.goto(_entry_paths(db)[table])
    text = _reader_text(tab)
    ids = ids_a_note_could_use(db)
    found = sorted({t for t in ID_TOKEN.findall(text) if t in ids})
    assert found == [], found
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []  # field names ("first_showing")
    assert re.findall(r"\bseed \d+|\.ya?ml\b", text) == []
    # the contributors' notes are there, one click away, behind "Sources and notes"
    notes = tab.locator("details.pc-notes")
    if notes.count():
        summary = notes.first.locator("summary")
        assert "note" in summary.inner_text().lower()


def test_notes_naming_sources_by_id_show_the_publisher(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
) -> None:
    """A parade's notes that name a source by its id read, once opened, with its publisher."""
    db = served[1]
    sources = dict(_rows(db, "select id, coalesce(publisher, title) from sources"))
    parades = _rows(db, "select id, notes from parades where notes is not null order by id")
    named = [
        (p, s) for p, notes in parades for s in sources if re.search(rf"\b{re.escape(s)}\b", notes)
    ]
    assert named, "no parade's notes name a source by its id"
    parade, source = named[0]
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    notes = tab.locator("details#notes")
    notes.locator("summary").click()
    text = notes.inner_text()
    assert sources[source] in text
    assert not re.search(rf"(?<![\w./-]){re.escape(source)}(?![\w/-])", text)


@pytest.mark.parametrize("table", ["parades", "systems"])
def test_categories_and_classes_read_in_words(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    table: str,
) -> None:
    db = served[1]
    if table == "systems":
        system = _one(db, "select id from systems where class like '%_sam_%' order by id limit 1")
        tab.goto(f"/paradecat/systems/{quote(system)}")
        category, cls = _rows(db, "select category, class from systems where id = ?", system)[0]
        lede = tab.locator("p.pc-lede").inner_text()
        assert in_words("category", category) in lede and in_words("class", cls) in lede
        assert cls.replace("_", " ") not in lede  # not "short range sam system"
    else:
        parade = _one(db, BUSIEST_PARADE)
        tab.goto(f"/paradecat/parades/{quote(parade)}")
        classes = {
            in_words("class", r[0])
            for r in _rows(
                db,
                "select s.class from appearances a join systems s on s.id = a.system_id "
                "where a.parade_id = ?",
                parade,
            )
        }
        shown = tab.locator("table.pc-appearances").inner_text()
        assert all(c in shown for c in classes), classes


def test_disputes_badges_say_what_they_mean(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    db = served[1]
    parade = _one(db, BUSIEST_PARADE)
    ranks = [
        r[0]
        for r in _rows(
            db,
            "select rank from claims where entity_type = 'parade' and entity_id = ? "
            "order by field, id",
            parade,
        )
    ]
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    rows = tab.locator("table.pc-disputes tbody tr")
    assert rows.count() == len(ranks)
    words = {"normal": "other value reported", "deprecated": "rejected", "preferred": "preferred"}
    for i, rank in enumerate(ranks):
        row = rows.nth(i)
        assert row.locator("td").nth(1).locator(".pc-badge").inner_text() == "accepted"
        assert row.locator("td").nth(2).locator(".pc-badge").inner_text() == words[rank]
        if rank == "deprecated":
            assert row.locator("td").nth(3).inner_text().startswith("Rejected, because ")
        assert "deprecated" not in row.inner_text() and "normal" not in row.inner_text()
    legend = tab.locator("table.pc-disputes").locator("xpath=../following-sibling::dl[1]")
    for word in ("accepted", "other value reported", "rejected"):
        assert legend.get_by_text(word, exact=True).count() == 1
    # the identification badges are explained below the systems shown, each value the page uses
    used = {
        r[0]
        for r in _rows(db, "select identification from appearances where parade_id = ?", parade)
    }
    ident = tab.locator("dl.pc-legend", has_text="confirmed")
    assert used <= set(ident.locator("dt").all_inner_texts())
    _screenshot(tab, tmp_path, f"disputes-{_width(tab)}")


# ---- defect 8: the parade pages ----------------------------------------------------------


def _human(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_a_parade_shows_what_was_shown_before_the_disputes(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    db = served[1]
    parade = _one(db, ALL_SECTIONS)
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    order = tab.evaluate("() => [...document.querySelectorAll('article h2[id]')].map(h => h.id)")
    assert order.index("appearances") < order.index("disputed")
    assert order.index("contingents") < order.index("disputed")
    assert order.index("counts") < order.index("appearances")
    # the date in words, the ISO date kept for machines
    date = _one(db, "select date from parades where id = ?", parade)
    when = tab.locator("p.pc-lede time").first
    assert when.get_attribute("datetime") == date
    assert when.inner_text() == _human(date)
    _screenshot(tab, tmp_path, f"parade-order-{_width(tab)}")


@pytest.mark.parametrize("status", ["held", "planned"])
def test_whether_the_event_took_place_is_said_at_the_top(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    status: str,
) -> None:
    db = served[1]
    parade = _one(db, "select id from parades where status = ? order by date desc limit 1", status)
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    said = tab.locator("p.pc-status")
    assert said.locator("strong").inner_text().rstrip(".") == in_words("status", status)
    # near the top: above the first section of the page
    top = said.bounding_box()
    counts = tab.locator("h2#counts").bounding_box()
    assert top is not None and counts is not None and top["y"] < counts["y"]
    shown = _one(db, "select count(*) from appearances where parade_id = ?", parade)
    marched = _one(db, "select count(*) from contingents where parade_id = ?", parade)
    if status == "held" and not shown and not marched:
        assert "No equipment and no contingent" in said.inner_text()
    elif status == "held":
        assert f"{shown:,} system" in said.inner_text() or not shown


def test_a_parade_with_no_known_count_says_not_known(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
) -> None:
    db = served[1]
    parade = _one(
        db,
        "select id from parades where coalesce(personnel, equipment_units, aircraft, formations) "
        "is null order by date desc, id limit 1",
    )
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    assert tab.locator("h2#counts").is_visible()
    assert tab.locator("p.pc-unknown").inner_text().startswith("Not known")


@pytest.mark.parametrize("counted", [True, False])
def test_the_count_column_is_there_only_where_a_count_is_known(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    counted: bool,
) -> None:
    db = served[1]
    parade = _one(
        db,
        f"""select p.id from parades p where exists (select 1 from appearances a
            where a.parade_id = p.id) and {"" if counted else "not"} exists (select 1 from
            appearances a where a.parade_id = p.id and a.count is not null)
            order by p.date desc, p.id limit 1""",
    )
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    heads = tab.locator("table.pc-appearances thead th").all_inner_texts()
    assert ("Count" in heads) is counted
    if counted:
        cells = tab.locator('table.pc-appearances td[data-label="Count"]').all_inner_texts()
        assert cells and all(c.strip() for c in cells)  # a count, or "not known": never empty
        known = _rows(
            db,
            "select count, count_qualifier from appearances where parade_id = ? "
            "and count is not null",
            parade,
        )
        for value, qualifier in known:
            words = {"over": "over ", "about": "about ", "at_least": "at least "}.get(
                qualifier or "", ""
            )
            assert any(c.startswith(f"{words}{value:,}") for c in cells), (value, qualifier)
    else:
        assert tab.get_by_text("How many of each were shown: not known").is_visible()


def test_a_system_listed_twice_at_a_parade_says_how_the_rows_differ(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    db = served[1]
    twice = _rows(
        db,
        "select parade_id, system_id from appearances group by 1, 2 having count(*) > 1 "
        "order by 1 desc limit 1",
    )
    assert twice, "no parade lists a system twice"
    parade, system = twice[0]
    tab.goto(f"/paradecat/parades/{quote(parade)}")
    rows = tab.locator("table.pc-appearances tbody tr").filter(
        has=tab.locator(f'a[href="/paradecat/systems/{quote(system)}"]')
    )
    n = _one(
        db, "select count(*) from appearances where parade_id = ? and system_id = ?", parade, system
    )
    assert rows.count() == n
    texts = rows.all_inner_texts()
    assert len(set(texts)) == n  # no two rows alike
    for row in rows.all():
        assert f"Listed {n} times at this event" in row.inner_text()
    _screenshot(tab, tmp_path, f"twice-{_width(tab)}")


# ---- defect 10: the charts ----------------------------------------------------------------


def test_charts_say_a_count_is_a_lower_bound_and_stay_on_the_site(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    db = served[1]
    tab.goto("/-/dashboards/overview")
    bars = tab.locator('#chart-personnel svg [aria-roledescription="bar"]')
    bars.first.wait_for(timeout=15_000)
    labels = [b.get_attribute("aria-label") or "" for b in bars.all()]
    lower = _one(
        db,
        "select count(*) from parades where personnel is not null "
        "and personnel_qualifier in ('over', 'at_least')",
    )
    assert lower > 0
    assert sum("The count is: lower bound" in label for label in labels) == lower
    # each of those bars is labelled with the count as its source gives it ("over 4,000")
    for (value,) in _rows(
        db,
        "select personnel from parades where personnel_qualifier = 'over'",
    ):
        assert any(f"People: over {value:,}" in label for label in labels), value
    chart_text = tab.locator("#card-personnel").inner_text() + tab.locator("p").first.inner_text()
    assert "lower bound" in chart_text
    # the origins chart says it counts a system once per country, and how many systems there are
    assert "counts once for each" in tab.locator("#card-origins").inner_text()
    distinct = _one(
        db, "select count(distinct system_id) from system_countries where role = 'origin'"
    )
    tab.locator("#chart-origin_systems").filter(has_text=f"{distinct:,}").wait_for()
    # no menu that opens the chart in the Vega Editor, off the site
    tab.locator('#chart-categories svg [aria-roledescription="bar"]').first.wait_for()
    assert tab.locator(".vega-actions, details[title='Click to view actions']").count() == 0
    assert tab.locator("a[href*='vega.github.io']").count() == 0
    _screenshot(tab, tmp_path, f"charts-{_width(tab)}")


# ---- defect 11: named links, heading levels, contrast --------------------------------------


@pytest.mark.parametrize("table", ["parades", "systems", "sources"])
def test_no_link_is_named_only_by_an_arrow(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    table: str,
) -> None:
    tab.goto(_entry_paths(served[1])[table])
    names = tab.evaluate(
        """() => [...document.querySelectorAll('a[href]')].map(a =>
            (a.getAttribute('aria-label') || a.textContent || a.title || '').trim())"""
    )
    assert names and [n for n in names if n in ("", "↗")] == []
    # the arrows that open a source say which source they open
    arrows = tab.locator("a.pc-external", has_text="↗")
    assert arrows.count() > 0 or table == "sources"  # a source's page shows its address
    for arrow in arrows.all()[:50]:
        assert (arrow.get_attribute("aria-label") or "").startswith(
            ("Open the source: ", "Archived")
        ) or arrow.inner_text().strip() != "↗"


def _page_paths(db: Path) -> list[str]:
    return [
        "/",
        "/paradecat",
        "/paradecat/parades",
        "/paradecat/disputed_facts",
        "/paradecat/systems_by_parade?parade_id=" + quote(_one(db, BUSIEST_PARADE)),
        "/-/search?q=" + quote(_one(db, "select name from systems order by id limit 1")),
        "/-/dashboards/overview",
        *_entry_paths(db).values(),
    ]


def test_headings_never_skip_a_level(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
) -> None:
    for path in _page_paths(served[1]):
        tab.goto(path)
        levels = tab.evaluate(
            "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels and levels[0] == 1, path
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], (path, levels)


_CONTRAST = """sel => [...document.querySelectorAll(sel)].slice(0, 20).map(el => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => { const v = c.map(x => x / 255).map(x => x <= 0.03928 ? x / 12.92
        : Math.pow((x + 0.055) / 1.055, 2.4)); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    let bg = el, back = 'rgba(0, 0, 0, 0)';
    while (bg && (back = getComputedStyle(bg).backgroundColor) === 'rgba(0, 0, 0, 0)') bg = bg.parentElement;
    if (!bg) back = 'rgb(255, 255, 255)';
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(back))].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
})"""


@pytest.mark.parametrize(
    "path, selector",
    [
        ("/paradecat/parades", "table.rows-and-columns td em"),  # the foreign keys' labels
        ("/paradecat/parades", "form input[type=submit]"),
        ("entry", ".pc-muted"),
    ],
)
def test_muted_text_has_a_contrast_of_at_least_4_5(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    path: str,
    selector: str,
) -> None:
    tab.goto(_entry_paths(served[1])["parades"] if path == "entry" else path)
    ratios = tab.evaluate(_CONTRAST, selector)
    assert ratios and min(ratios) >= 4.5, ratios
