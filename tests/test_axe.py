"""Accessibility: axe-core, run in Debian's chromium on every kind of page, at a phone's width and
a laptop's, finds no serious or critical violation.

axe-core comes bundled with axe-playwright-python and is injected into the page from the
installed package, so the check runs offline like the rest of the browser tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Request, Route

from .test_browser import browser, served, site  # noqa: F401  (fixtures)

WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
SERIOUS = ("serious", "critical")
AXE = Axe()


def _value(db: Path, sql: str) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# each kind of page, and the SQL that picks the entry it shows from the built database
ENTRY_PAGES = {
    # the parade with the most appearances, contingents and disputes: every section is drawn
    "parade": """select p.id from parades p order by
        (select count(*) from appearances a where a.parade_id = p.id)
        + (select count(*) from contingents c where c.parade_id = p.id)
        + (select count(*) from claims c where c.entity_type = 'parade' and c.entity_id = p.id)
        desc, p.id limit 1""",
    "system": """select system_id from appearances group by system_id
        order by count(*) desc, system_id limit 1""",
    "source": """select source_id from citations group by source_id
        order by count(*) desc, source_id limit 1""",
    "unit": "select unit_id from contingents where unit_id is not null group by unit_id "
    "order by count(*) desc, unit_id limit 1",
    "person": "select reviewing_official_id from parades where reviewing_official_id is not null "
    "group by 1 order by count(*) desc, 1 limit 1",
    "country": "select country from parades group by country order by count(*) desc, 1 limit 1",
}
TABLES = {
    "parade": "parades",
    "system": "systems",
    "source": "sources",
    "unit": "units",
    "person": "people",
    "country": "countries",
}


def _paths(db: Path) -> dict[str, str]:
    """Every kind of page the site has, by name, and a path to one of each."""
    paths = {
        "home": "/",
        "table": "/paradecat/parades",
        "view": "/paradecat/disputed_facts",
        "search": "/-/search?q="
        + quote(_value(db, "select name from systems order by id limit 1")),
        "canned query": "/paradecat/systems_by_parade?parade_id="
        + quote(_value(db, ENTRY_PAGES["parade"])),
        "dashboard": "/-/dashboards/overview",
        "not found": "/paradecat/parades/no-such-parade",
    }
    for kind, sql in ENTRY_PAGES.items():
        paths[kind] = f"/paradecat/{TABLES[kind]}/{quote(_value(db, sql))}"
    return paths


PAGES = [
    "home",
    "table",
    "view",
    "parade",
    "system",
    "source",
    "unit",
    "person",
    "country",
    "search",
    "canned query",
    "dashboard",
    "not found",
]


@pytest.fixture
def tab(browser: Browser, site: str) -> Iterator[Page]:  # noqa: F811
    """A page that may reach only the site."""
    context = browser.new_context(base_url=site)
    local = urlsplit(site).netloc

    def route(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    yield context.new_page()
    context.close()


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(targets[:8]))
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_accessibility_violation(
    tab: Page,
    served: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
    kind: str,
    width: str,
) -> None:
    w, h = WIDTHS[width]
    tab.set_viewport_size({"width": w, "height": h})
    response = tab.goto(_paths(served[1])[kind])
    assert response is not None and response.status == (404 if kind == "not found" else 200)
    if kind == "dashboard":
        # the charts are drawn after their queries answer: check them as a reader sees them
        tab.locator('#chart-personnel svg [aria-roledescription="bar"]').first.wait_for()
    if kind == "table":
        tab.locator(".leaflet-marker-icon").first.wait_for(timeout=15_000)
    results = AXE.run(tab)
    tab.screenshot(path=str(tmp_path / f"{kind.replace(' ', '-')}-{width}.png"))
    violations = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not violations, _report(violations)
