"""The site in a real browser: Debian's chromium, driven by Playwright, against `paradecat serve`.

Every request that leaves the loopback interface is blocked, so the pages must render offline,
the map's background tiles included (they are served from the installed basemap). Each test
saves a screenshot in its tmp dir.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright

from .conftest import REPO
from .servers import running_serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# outside hosts a page may try to reach and fail: none, everything is served by the site
ALLOWED_OFFLINE: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`paradecat serve` as a real process on a free loopback port; its base URL and database."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(REPO / "metadata.yml", root / "metadata.yml")
    with running_serve(root, root / "paradecat.db") as server:
        yield server.base, root / "paradecat.db"


@pytest.fixture(scope="module")
def site(served: tuple[str, Path]) -> str:
    return served[0]


def _one_value(db: Path, sql: str) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium (`make test` installs it; Playwright never downloads a browser)."""
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run `make test`, which installs it with apt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What a page asked for that it could not have: outside requests and local failures."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        unexpected = [u for u in self.blocked if urlsplit(u).hostname not in _allowed_hosts()]
        assert unexpected == [], "pages must render offline"
        assert self.failed == []
        assert self.errors == []


def _allowed_hosts() -> set[str]:
    return {f"{p}{host}" for host in ALLOWED_OFFLINE for p in ("", "a.", "b.", "c.")}


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[tuple[Page, Traffic]]:
    """A fresh page that may reach only the site, recording what it tried and what failed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site)
    traffic = Traffic()
    local = urlsplit(site).netloc

    def route(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local:
            route.continue_()
        else:
            traffic.blocked.append(request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "response",
        lambda r: traffic.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("pageerror", lambda exc: traffic.errors.append(str(exc)))
    yield page, traffic
    context.close()


def _screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_home_page_lists_the_tables(page: tuple[Page, Traffic], tmp_path: Path) -> None:
    tab, traffic = page
    tab.goto("/")
    for table in ("parades", "systems", "appearances", "contingents", "sources", "claims"):
        link = tab.locator(f'dl.pc-tables a[href="/paradecat/{table}"]')
        assert link.is_visible(), table
    assert tab.locator("#search-q").is_visible()
    _screenshot(tab, tmp_path, "home")
    traffic.check()


def test_search_in_cyrillic_finds_barys_and_its_hit_opens_its_page(
    page: tuple[Page, Traffic], tmp_path: Path
) -> None:
    tab, traffic = page
    tab.goto("/")
    tab.fill("#search-q", "Барыс")
    tab.press("#search-q", "Enter")
    tab.wait_for_url("**/-/search?q=*")
    heading = tab.locator("#search-results h2", has_text="Systems")
    assert heading.count() == 1
    _screenshot(tab, tmp_path, "search")
    tab.locator("#search-results a", has_text="Barys").first.click()
    tab.wait_for_url("**/paradecat/systems/barys")
    assert tab.locator("h1").inner_text().strip() == "Barys"
    traffic.check()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Қасым-Жомарт Тоқаев", "/paradecat/people/kassym-jomart-tokayev"),
        ("Токаев", "/paradecat/people/kassym-jomart-tokayev"),
        ("Kuchekbayev", "/paradecat/people/mereke-kuchekbayev"),
        ("Belousov", "/paradecat/people/andrey-belousov"),
        ("Астана", "/paradecat/parades/2025-05-07-astana"),
        ("37th", "/paradecat/units/37th-air-assault-brigade"),
        ("Panfilov", "/paradecat/units/37th-air-assault-brigade"),
    ],
)
def test_search_finds_the_names_the_pages_show(
    page: tuple[Page, Traffic], query: str, expected: str
) -> None:
    """Each of these returned nothing from the old search-all page."""
    tab, traffic = page
    tab.goto("/-/search?q=" + quote(query))
    link = tab.locator(f'#search-results a[href="{expected}"]')
    assert link.count() >= 1, query
    link.first.click()
    tab.wait_for_url(f"**{expected}")
    traffic.check()


def test_parade_pages_show_contingents_and_disputed_facts(
    page: tuple[Page, Traffic], tmp_path: Path
) -> None:
    tab, traffic = page
    tab.goto("/paradecat/parades/2025-05-09-moscow-red-square")
    rows = tab.locator("table.pc-contingents tbody tr")
    assert rows.count() >= 13
    # one row whose country is Kazakhstan (the quotations beside the sources name it too)
    countries = tab.locator("table.pc-contingents tbody tr td:first-child")
    assert [c for c in countries.all_inner_texts() if c.strip() == "Kazakhstan"] == ["Kazakhstan"]
    _screenshot(tab, tmp_path, "moscow")
    tab.goto("/paradecat/parades/2025-05-07-astana")
    assert tab.locator("strong.pc-number").first.inner_text() == "over 4,000"
    disputes = tab.locator("table.pc-disputes tbody tr")
    personnel = disputes.filter(has_text="people on parade")
    assert personnel.count() == 1
    # both sides of the dispute, each with its source
    assert "BaigeNews" in personnel.inner_text() and "Kazinform" in personnel.inner_text()
    assert tab.locator("table.pc-appearances tbody tr").count() >= 10
    _screenshot(tab, tmp_path, "astana")
    traffic.check()


def test_map_draws_a_marker_for_each_located_parade(
    page: tuple[Page, Traffic], tmp_path: Path, served: tuple[str, Path]
) -> None:
    tab, traffic = page
    located = _one_value(served[1], "select count(*) from parades where latitude is not null")
    assert located >= 2
    tab.goto("/paradecat/parades")
    tab.locator(".leaflet-marker-icon").first.wait_for(timeout=15_000)
    shown = 0
    for marker in tab.locator(".leaflet-marker-icon").all():
        # a cluster icon says how many parades it stands for; a plain marker is one
        text = marker.inner_text().strip()
        shown += int(text) if text.isdigit() else 1
    assert shown == located  # one marker for each parade with coordinates
    # the background is drawn from local tiles, and every tile the map asked for loaded
    tiles = tab.locator("img.leaflet-tile-loaded")
    tiles.first.wait_for(timeout=15_000)
    assert all("/-/basemap/" in (t.get_attribute("src") or "") for t in tiles.all())
    _screenshot(tab, tmp_path, "map")
    traffic.check()


def test_charts_render(
    page: tuple[Page, Traffic], tmp_path: Path, served: tuple[str, Path]
) -> None:
    tab, traffic = page
    counted = _one_value(served[1], "select count(*) from parades where personnel is not null")
    tab.goto("/-/dashboards/overview")
    # vega-embed draws SVG: one bar per parade with a personnel count, labelled with its value
    bars = tab.locator('#chart-personnel svg [aria-roledescription="bar"]')
    bars.first.wait_for(timeout=15_000)
    labels = [bars.nth(i).get_attribute("aria-label") or "" for i in range(bars.count())]
    assert len(labels) == counted, labels
    assert any("4000" in label for label in labels) and any("11500" in label for label in labels)
    for chart in ("categories", "origins"):
        # each chart fetches its own query: wait for it to be drawn before counting its bars
        chart_bars = tab.locator(f'#chart-{chart} svg [aria-roledescription="bar"]')
        chart_bars.first.wait_for(timeout=15_000)
        assert chart_bars.count() >= 3, chart
    # the metric: the number of systems, once its query has answered
    expect(tab.locator("#chart-systems")).to_have_text(re.compile(r"^\s*[1-9][0-9,]*\s*$"))
    _screenshot(tab, tmp_path, "charts")
    traffic.check()


@pytest.mark.parametrize("table", ["parades", "systems", "appearances", "sources", "claims"])
def test_table_rows_stay_readable(page: tuple[Page, Traffic], tmp_path: Path, table: str) -> None:
    """Long notes wrap in a wide column, so no row of a table page is taller than a third of a screen."""
    tab, traffic = page
    tab.goto(f"/paradecat/{table}")
    heights = tab.evaluate(
        "() => [...document.querySelectorAll('table.rows-and-columns tbody tr')]"
        ".map(tr => tr.getBoundingClientRect().height)"
    )
    assert heights and max(heights) <= 300, max(heights)
    _screenshot(tab, tmp_path, table)
    traffic.check()


def test_on_a_phone_each_cell_is_labelled_with_its_own_column(
    page: tuple[Page, Traffic], tmp_path: Path
) -> None:
    """Datasette labels row-page cells with the row's columns; the entry's tables use their own."""
    tab, traffic = page
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto("/paradecat/parades/2025-05-07-astana")
    labels = tab.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(
            td => getComputedStyle(td, '::before').content)""",
        "table.pc-disputes tbody tr:first-child td",
    )
    assert labels == ['"Fact"', '"Accepted value"', '"Other value"', '"Why"']
    first = tab.evaluate(
        "sel => getComputedStyle(document.querySelector(sel), '::before').content",
        "table.pc-appearances tbody tr:first-child td",
    )
    assert first == '"Reported as"'
    _screenshot(tab, tmp_path, "astana-phone")
    tab.set_viewport_size({"width": 1366, "height": 900})
    wide = tab.evaluate(
        "sel => getComputedStyle(document.querySelector(sel), '::before').content",
        "table.pc-disputes tbody tr:first-child td",
    )
    assert wide in ("none", "normal")  # no labels where the table has its header row
    traffic.check()
