"""The home page, the maps, the not-found page and every page's language, in a real browser.

At a desktop's 1366 px and a phone's 390 px: the home page is the catalogue (its cards open the
entries' pages, search is on the first screen, and on a desktop the map too), a map's popup
links to its parade, the maps say which parades they cannot show, and a page that does not
exist offers the way home and a search. With PARADECAT_SCREENSHOTS=1 the home page's
screenshots are written into docs/img/ for the README.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import REPO
from .test_browser import Traffic, _screenshot, browser, page, served, site

__all__ = ["browser", "page", "served", "site"]  # the fixtures, shared with test_browser.py

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _at(tab: Page, width: str) -> tuple[int, int]:
    """Give the page a desktop's or a phone's viewport; its width and height."""
    w, h = WIDTHS[width]
    tab.set_viewport_size({"width": w, "height": h})
    return w, h


def _above_the_fold(tab: Page, selector: str) -> bool:
    box = tab.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] + min(box["height"], 40) <= tab.viewport_size["height"]  # type: ignore[index]


def _home_screenshot(tab: Page, tmp_path: Path, name: str) -> Path:
    """The first screen of the home page; into docs/img/ when PARADECAT_SCREENSHOTS=1."""
    folder = REPO / "docs" / "img" if os.environ.get("PARADECAT_SCREENSHOTS") == "1" else tmp_path
    path = folder / f"{name}.png"
    tab.screenshot(path=str(path))
    assert 10_000 < path.stat().st_size < 300_000
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_is_the_catalogue(
    page: tuple[Page, Traffic], tmp_path: Path, served: tuple[str, Path], width: str
) -> None:
    tab, traffic = page
    db = served[1]
    w, _h = _at(tab, width)
    tab.goto("/")
    assert _above_the_fold(tab, "#search-q")
    tab.locator("#pc-home-map[data-markers]").wait_for(timeout=15_000)
    if width == "desktop":
        assert _above_the_fold(tab, "#pc-home-map")
        assert _above_the_fold(tab, ".pc-parade-card")
        assert _above_the_fold(tab, ".pc-system-card")
        assert _above_the_fold(tab, ".pc-browse a")
    _home_screenshot(tab, tmp_path, f"home-{w}")
    # the latest parades, newest first, each with its date in words
    latest = _rows(db, "select id, name from parades order by date desc, id limit 6")
    cards = tab.locator(".pc-parade-card")
    assert cards.count() == len(latest)
    assert [a.inner_text() for a in tab.locator(".pc-parade-card > a").all()] == [
        n for _, n in latest
    ]
    assert cards.first.locator(".pc-card-when").inner_text().split()[0].endswith("day")
    # browsing by country and year links the country pages and the parades of each year
    [(host, _)] = _rows(
        db, "select country, count(*) n from parades group by country order by n desc limit 1"
    )
    assert tab.locator(f'.pc-browse a[href="/paradecat/countries/{host}"]').count() == 1
    years = {str(y) for (y,) in _rows(db, "select distinct year from parades")}
    linked = tab.locator('.pc-browse a[href*="/paradecat/parades?year="]').all_inner_texts()
    assert set(linked) == years
    # join tables are for analysts: only in their section, below the catalogue
    for table in ("person_names", "unit_names", "system_names"):
        assert tab.locator(f'.pc-home a[href="/paradecat/{table}"]').count() == 0
        assert tab.locator(f'.pc-analysts a[href="/paradecat/{table}"]').count() == 1
    # a parade card opens its parade, a system card its system
    card_link = cards.first.locator("a")
    card_link.click()
    tab.wait_for_url(f"**/paradecat/parades/{latest[0][0]}")
    assert tab.locator("h1").inner_text().strip() == latest[0][1]
    tab.go_back()
    [(system_id, system_name)] = _rows(
        db,
        """select s.id, s.name from appearances a join systems s on s.id = a.system_id
           group by s.id order by count(distinct a.parade_id) desc, s.name limit 1""",
    )
    tab.locator(".pc-system-card > a").first.click()
    tab.wait_for_url(f"**/paradecat/systems/{system_id}")
    assert tab.locator("h1").inner_text().strip() == system_name
    traffic.check()


def test_the_home_page_links_its_feed(page: tuple[Page, Traffic]) -> None:
    tab, traffic = page
    tab.goto("/")
    link = tab.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert link.count() == 1
    response = tab.request.get(link.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    traffic.check()


def _open_popup(tab: Page, name: str) -> None:
    """Open the home map's popup for one parade as a reader does: click its cluster until the
    cluster opens (zoomed in, or spread out where parades share a place), then its marker."""
    marker = tab.locator(f'#pc-home-map .leaflet-marker-icon[title="{name}"]')
    for _ in range(10):
        if marker.count() and marker.first.is_visible():
            marker.first.click()
            return
        tab.locator("#pc-home-map .marker-cluster").first.click()
        tab.wait_for_timeout(700)  # the cluster's zoom or spread animation
    pytest.fail(f"no marker for {name}")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_home_map_popup_links_to_its_parade(
    page: tuple[Page, Traffic], tmp_path: Path, served: tuple[str, Path], width: str
) -> None:
    tab, traffic = page
    w, _h = _at(tab, width)
    located = _rows(served[1], "select id, name from parades where latitude is not null")
    tab.goto("/")
    tab.locator("#pc-home-map[data-markers]").wait_for(timeout=15_000)
    assert tab.locator("#pc-home-map").get_attribute("data-markers") == str(len(located))
    # a parade in the biggest cluster (Red Square): the reader has to zoom in to reach it
    [(parade_id, name, date, city)] = _rows(
        served[1],
        """select id, name, date, city from parades where latitude is not null
           group by latitude, longitude order by count(*) desc, id limit 1""",
    )
    _open_popup(tab, name)
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert popup.locator("strong").inner_text() == name
    text = popup.inner_text()
    assert city in text and date[:4] in text and "null" not in text
    _screenshot(tab, tmp_path, f"home-popup-{w}")
    popup.locator("a").click()
    tab.wait_for_url(f"**/paradecat/parades/{parade_id}")
    assert tab.locator("h1").inner_text().strip() == name
    traffic.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_parades_map_is_near_the_top_and_its_markers_link_their_parades(
    page: tuple[Page, Traffic], tmp_path: Path, served: tuple[str, Path], width: str
) -> None:
    tab, traffic = page
    w, h = _at(tab, width)
    tab.goto("/paradecat/parades")
    marker = tab.locator("#pc-map .leaflet-marker-icon:not(.marker-cluster)").first
    marker.wait_for(timeout=15_000)
    box = tab.locator("#pc-map").bounding_box()
    assert box is not None and box["y"] < h * 0.6  # it used to start 822 px down (1,681 on a phone)
    marker.click()
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    title = popup.locator("strong").inner_text()
    # the title, the date and the place: not the row's 24 columns ("aircraft null")
    assert "aircraft" not in popup.inner_text() and "null" not in popup.inner_text()
    [(parade_id,)] = _rows(served[1], f"select id from parades where name = '{title}'")
    _screenshot(tab, tmp_path, f"parades-popup-{w}")
    popup.locator("a").click()
    tab.wait_for_url(f"**/paradecat/parades/{parade_id}")
    assert tab.locator("h1").inner_text().strip() == title
    traffic.check()


@pytest.mark.parametrize("path", ["/", "/paradecat/parades"])
def test_a_map_says_which_parades_it_cannot_show(
    page: tuple[Page, Traffic], served: tuple[str, Path], path: str
) -> None:
    tab, traffic = page
    [(unlocated,)] = _rows(served[1], "select count(*) from parades where latitude is null")
    assert unlocated > 0
    tab.goto(path)
    link = tab.locator(".pc-map-note a")
    assert link.inner_text() == f"{unlocated:,} parades have no known location"
    link.click()
    tab.wait_for_load_state()
    rows = tab.locator("table.rows-and-columns tbody tr")
    assert rows.count() == unlocated
    # their empty coordinates are not shown, and no map is drawn with nothing on it (it threw
    # "Bounds are not valid.")
    assert tab.locator("table.rows-and-columns th.col-latitude").count() == 0
    assert tab.locator(".leaflet-container").count() == 0
    traffic.check()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/no-such-page", "/paradecat/parades/no-such-parade"])
def test_the_not_found_page_offers_home_and_search(
    page: tuple[Page, Traffic], tmp_path: Path, width: str, path: str
) -> None:
    tab, traffic = page
    w, _h = _at(tab, width)
    response = tab.goto(path)
    assert response is not None and response.status == 404
    traffic.failed.clear()  # the 404 is what this test asks for
    assert tab.locator("h1").inner_text() == "Page not found"
    assert tab.locator('a.pc-home-link[href="/"]').is_visible()
    assert _above_the_fold(tab, 'form[role="search"] input[name="q"]')
    _screenshot(tab, tmp_path, f"not-found-{w}")
    tab.fill('form[role="search"] input[name="q"]', "Barys")
    tab.press('form[role="search"] input[name="q"]', "Enter")
    tab.wait_for_url("**/-/search?q=Barys")
    assert tab.locator('#search-results a[href="/paradecat/systems/barys"]').count() >= 1
    traffic.check()


# one page of each type the site has
PAGE_TYPES = [
    "/",
    "/paradecat",
    "/paradecat/parades",
    "/paradecat/parades/2025-05-07-astana",
    "/paradecat/systems/barys",
    "/paradecat/units/37th-air-assault-brigade",
    "/paradecat/people/kassym-jomart-tokayev",
    "/paradecat/countries/KZ",
    "/paradecat/system_names",
    "/paradecat/parade_systems",
    "/paradecat?sql=select+1",
    "/-/search?q=Barys",
    "/-/dashboards/overview",
    "/no-such-page",
]


def test_every_page_type_says_its_language(
    page: tuple[Page, Traffic], served: tuple[str, Path]
) -> None:
    tab, traffic = page
    [(source,)] = _rows(served[1], "select id from sources order by id limit 1")
    for path in [*PAGE_TYPES, f"/paradecat/sources/{source}", "/paradecat/systems_by_parade"]:
        tab.goto(path)
        assert tab.evaluate("document.documentElement.lang") == "en", path
    traffic.failed = [f for f in traffic.failed if "/no-such-page" not in f]
    traffic.check()
