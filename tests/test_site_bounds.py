"""No request can make the site do unbounded work: facets, repeated parameters, query strings,
client errors, cache lifetimes and clients that leave. Against a real `paradecat serve`.
"""

from __future__ import annotations

import asyncio
import http.client
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paradecat.site import bounds
from paradecat.site.security import SecurityMiddleware

from .conftest import METADATA, REPO
from .servers import Server, running_serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("bounds")
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copy(METADATA, root / "metadata.yml")
    with running_serve(root, root / "paradecat.db") as running:
        yield running


def request(server: Server, path: str, method: str = "GET") -> tuple[int, dict[str, str], float]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    start = time.perf_counter()
    try:
        connection.request(method, path, body=b"a=b" if method == "POST" else None)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, time.perf_counter() - start


@pytest.mark.parametrize("key", bounds.FACET_KEYS)
def test_a_thousand_facets_are_refused_at_once(server: Server, key: str) -> None:
    # the probe that kept the server busy for 34 s, and its 11-facet little brother
    status, _, seconds = request(server, "/paradecat/systems?" + f"&{key}=category" * 1000)
    assert status == 414 and seconds < 1
    status, _, seconds = request(server, "/paradecat/systems?" + f"&{key}=category" * 11)
    assert status == 400 and seconds < 1
    assert request(server, "/")[0] == 200


@pytest.mark.parametrize(
    "query",
    [
        "_col=name&" * 41,
        "_nocol=name&" * 41,
        "_sort=name&_sort=id",
        "_where=1&" * 6,
        "name=x&" * 11,
        "_search=" + "a" * 201,
        "_through=not-json",
        '_through={"table":"appearances"}',
    ],
    ids=["col", "nocol", "sort", "where", "repeat", "search", "through", "through-keys"],
)
def test_every_repeated_parameter_is_bounded(server: Server, query: str) -> None:
    status, headers, seconds = request(server, f"/paradecat/systems?{query}")
    assert status == 400, query
    assert seconds < 1
    assert headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path",
    [
        "/paradecat/systems?_sort=nosuchcol",
        "/paradecat/systems?_sort_desc=nosuchcol",
        "/paradecat/parade_systems?_sort=nosuchcol",
        "/paradecat/systems.json?_col=nosuchcol",
        "/paradecat/systems?_facet=nosuchcol",
    ],
)
def test_a_client_error_is_a_4xx_and_logs_no_traceback(server: Server, path: str) -> None:
    before = server.log.read_text(errors="replace").count("Traceback")
    status, _, _ = request(server, path)
    assert 400 <= status < 500, path
    time.sleep(0.2)  # the log is written by the server process
    assert server.log.read_text(errors="replace").count("Traceback") == before


def test_a_post_to_the_read_only_catalogue_is_405(server: Server) -> None:
    status, headers, _ = request(server, "/paradecat/systems", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_a_cache_lifetime_is_clamped(server: Server) -> None:
    status, headers, _ = request(server, "/paradecat/systems?_ttl=99999999999999999999")
    assert status == 200
    assert headers["cache-control"] == f"max-age={bounds.MAX_TTL}"


def test_the_task_list_is_not_published(server: Server) -> None:
    assert request(server, "/-/threads.json")[0] == 404


def test_a_client_that_leaves_stops_the_work() -> None:
    """The page a client no longer waits for is not rendered: the app's task is cancelled."""
    events: list[str] = []

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        try:
            await asyncio.sleep(30)
            events.append("rendered")
        except asyncio.CancelledError:
            events.append("cancelled")
            raise

    async def leaving_client() -> dict[str, Any]:
        if not events:
            events.append("asked")
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(0.05)
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        events.append(message["type"])

    scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": []}
    start = time.perf_counter()
    asyncio.run(SecurityMiddleware(slow_app)(scope, leaving_client, send))
    assert events == ["asked", "cancelled"]
    assert time.perf_counter() - start < 5


def test_a_real_client_that_leaves_does_not_hold_the_server(server: Server) -> None:
    """Many clients that send a request and hang up at once: the site still answers promptly."""
    for _ in range(50):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET /paradecat/appearances?_facet=segment HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, seconds = request(server, "/")
    assert status == 200 and seconds < 2


def test_the_bounds_in_metadata_hold() -> None:
    """The facets metadata.yml declares stay within the bound a request is held to."""
    import yaml

    meta = yaml.safe_load(Path(METADATA).read_text(encoding="utf-8"))
    for name, table in meta["databases"]["paradecat"]["tables"].items():
        assert len(table.get("facets", [])) <= bounds.MAX_FACETS, name


def test_an_entity_page_lists_at_most_the_limit_and_links_the_rest(
    tmp_path: Path,
) -> None:
    """A system shown at 250 parades: its page lists 200, says 250, and links the table view."""
    from paradecat.check.validate import validate_catalog
    from paradecat.db.build import build_database
    from paradecat.site.rows import LIST_LIMIT
    from paradecat.site.serve import make_datasette

    catalog = tmp_path / "catalog"
    for folder in ("sources", "systems", "parades"):
        (catalog / folder).mkdir(parents=True)

    def modeline(kind: str) -> str:
        return f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"

    (catalog / "sources" / "s.yaml").write_text(
        modeline("source")
        + "id: s\nurl: https://example.org/report\npublisher: Example\nlanguage: en\n",
        encoding="utf-8",
    )
    (catalog / "systems" / "t-34.yaml").write_text(
        modeline("system")
        + "id: t-34\nname: T-34\ncategory: armoured_vehicles\nclass: tank\nsources: [s]\n",
        encoding="utf-8",
    )
    shown = LIST_LIMIT + 50
    for i in range(shown):
        (catalog / "parades" / f"p{i:04d}.yaml").write_text(
            modeline("parade") + f"id: p{i:04d}\nname: Parade {i}\nkind: military_parade\n"
            f"date: {2000 + i // 12:04d}-{i % 12 + 1:02d}-09\ncity: Astana\ncountry: KZ\n"
            "appearances:\n  - {system: t-34, reported_as: T-34, segment: mechanized_column,"
            " identification: confirmed, quotes: [{source: s, text: the T-34}]}\n"
            "sources: [s]\n",
            encoding="utf-8",
        )
    result = validate_catalog(tmp_path)
    assert result.ok, [p.message for p in result.problems if p.severity == "error"][:3]
    db = build_database(result.catalog, tmp_path / "p.db")

    async def page() -> str:
        ds: Any = make_datasette(db, METADATA)
        await ds.invoke_startup()
        response = await ds.client.get("/paradecat/systems/t-34")
        assert response.status_code == 200
        return str(response.text)

    html = asyncio.run(page())
    section = html.split('id="parades"', 1)[1].split('id="sources"', 1)[0]
    assert section.count('<td data-label="Parade">') == LIST_LIMIT
    assert f'<span class="pc-count">{shown}</span>' in html
    assert f"Showing the first {LIST_LIMIT} of {shown}." in section
    assert 'href="/paradecat/appearances?system_id=t-34"' in section
    # the earliest parade is worked out from all of them, not from the rows shown
    assert 'First in this catalogue: <a href="/paradecat/parades/p0000">' in section
