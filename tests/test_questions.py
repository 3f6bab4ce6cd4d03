"""The ready-made questions in a real browser: a parameter that names an entry is a choice of the
catalogue's entries by name (it was a box that wanted an id), the answer's ids link to their
entries' pages, and the page is titled with the question, not its SQL. At 390 px and 1366 px.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .test_browser import browser, served, site  # noqa: F401  (fixtures)

WIDTHS = (390, 1366)


def _page(browser: Browser, site: str, width: int) -> Page:  # noqa: F811 (the fixtures)
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site)
    return context.new_page()


def _rows(db: Path, sql: str) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_parade_is_chosen_by_name_and_the_answer_links_to_it(
    browser: Browser,  # noqa: F811
    served: tuple[str, Path],  # noqa: F811
    width: int,
    tmp_path: Path,
) -> None:
    base, db = served
    tab = _page(browser, base, width)
    tab.goto("/paradecat/systems_by_parade")
    title = tab.title()
    assert title.startswith("Systems by parade") and "select" not in title.lower()
    assert tab.locator("h1").inner_text().strip() == "Systems by parade"
    choice = tab.locator("select#qp-parade")
    assert choice.is_visible()
    parades = _rows(db, "select id, name from parades order by date desc, id")
    values = choice.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert values == ["", *[p for p, _ in parades]]  # "every parade", then each, newest first
    parade, name = next(p for p in parades if p[0].endswith("-astana"))
    assert name in choice.locator(f'option[value="{parade}"]').inner_text()
    choice.select_option(parade)
    tab.locator('.pc-question-form input[type="submit"]').click()
    tab.wait_for_url(f"**/systems_by_parade?parade={parade}")
    shown = _rows(db, f"select system_id from appearances where parade_id = '{parade}'")
    assert tab.locator("table.rows-and-columns tbody tr").count() == len(shown)
    system = tab.locator("td.col-system_id a").first
    href = system.get_attribute("href")
    assert href is not None and href.startswith("/paradecat/systems/")
    tab.screenshot(path=str(tmp_path / f"question-{width}.png"), full_page=True)
    tab.locator("td.col-parade_id a").first.click()
    tab.wait_for_url(f"**/paradecat/parades/{parade}")
    assert tab.locator("h1").inner_text().strip() == name
    tab.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_country_question_offers_the_countries_that_took_part(
    browser: Browser,  # noqa: F811
    served: tuple[str, Path],  # noqa: F811
    width: int,
) -> None:
    base, db = served
    tab = _page(browser, base, width)
    tab.goto("/paradecat/parades_of_a_country")
    # '' is not "every country" in this question's SQL: the empty choice asks for one
    assert tab.locator("select#qp-country option").first.inner_text() == "Choose a country"
    assert tab.locator(".zero-results").inner_text().startswith("Choose above")
    took_part = _rows(
        db,
        "select name from countries where code in (select country from parades "
        "union select country from contingents) order by name",
    )
    labels = tab.locator("select#qp-country option").all_inner_texts()[1:]
    assert labels == [n for (n,) in took_part]
    tab.locator("select#qp-country").select_option(label="Kazakhstan")
    tab.locator('.pc-question-form input[type="submit"]').click()
    tab.wait_for_url("**/parades_of_a_country?country=KZ")
    hosted = _rows(db, "select count(*) from parades where country = 'KZ'")[0][0]
    assert tab.locator("table.rows-and-columns tbody tr").count() >= hosted > 0
    tab.locator("td.col-parade_id a").first.click()
    tab.wait_for_url("**/paradecat/parades/*")
    tab.context.close()


def test_the_sql_is_behind_a_disclosure_and_search_hits_link_by_kind(
    browser: Browser,  # noqa: F811
    site: str,  # noqa: F811
) -> None:
    tab = _page(browser, site, 1366)
    tab.goto("/paradecat/search_all_names?q=Barys")
    sql = tab.locator("details.pc-sql pre")
    assert not sql.is_visible()
    tab.locator("details.pc-sql summary").click()
    assert "systems_fts" in sql.inner_text()
    link = tab.locator('td.col-id a[href="/paradecat/systems/barys"]')
    assert link.count() == 1
    link.click()
    tab.wait_for_url("**/paradecat/systems/barys")
    tab.context.close()
