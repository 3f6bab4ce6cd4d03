"""The feed of entries added or changed, the sitemap and robots.txt, in process.

The feed's dates come from git: a copy of the catalogue is committed twice with known dates (all
files, then one changed), and the database built from that history must date every entry so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from paradecat.catalog import Catalog
from paradecat.db.build import build_database
from paradecat.load.history import file_history
from paradecat.site.discovery import FEED_LIMIT
from paradecat.site.serve import make_datasette

from .conftest import METADATA, REPO

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ADDED, CHANGED = "2025-05-01T10:00:00Z", "2025-06-02T12:30:00Z"
CHANGED_FILE = "catalog/parades/2025-05-07-astana.yaml"


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date or "", "GIT_COMMITTER_DATE": date or ""}
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run(
        ["git", "-C", str(root), *identity, *args], check=True, env=env, capture_output=True
    )


@pytest.fixture(scope="module")
def history_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git work tree holding the catalogue: every file added at ADDED, one changed at CHANGED."""
    root = tmp_path_factory.mktemp("history")
    shutil.copytree(REPO / "catalog", root / "catalog")
    _git(root, "init", "-q")
    _git(root, "add", "catalog")
    _git(root, "commit", "-q", "-m", "catalogue", date=ADDED)
    with (root / CHANGED_FILE).open("a", encoding="utf-8") as handle:
        handle.write("# a comment: the file changes, its data does not\n")
    _git(root, "commit", "-q", "-am", "change one parade", date=CHANGED)
    return root


@pytest.fixture(scope="module")
def history_db(
    catalog: Catalog, history_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return build_database(catalog, tmp_path_factory.mktemp("hdb") / "paradecat.db", history_root)


@pytest.fixture
async def ds(history_db: Path) -> Any:
    datasette = make_datasette(history_db, METADATA)
    await datasette.invoke_startup()
    return datasette


def test_file_history_dates_each_file_by_its_commits(history_root: Path) -> None:
    history = file_history(history_root)
    assert len(history) == len(list((history_root / "catalog").rglob("*.yaml")))
    assert history[CHANGED_FILE] == (ADDED, CHANGED)
    assert history["catalog/systems/barys.yaml"] == (ADDED, ADDED)


def test_a_shallow_clone_dates_nothing(history_root: Path, tmp_path: Path) -> None:
    """CI clones one commit deep unless told otherwise: that commit would seem to add every file."""
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history_root}", str(clone)],
        check=True,
        capture_output=True,
    )
    assert (clone / CHANGED_FILE).is_file()
    assert file_history(clone) == {}


def test_outside_git_every_date_is_unknown(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalog" / "units", tmp_path / "catalog" / "units")
    assert file_history(tmp_path) == {}


def test_entry_history_has_a_row_per_entry(history_db: Path, built_db: Path) -> None:
    conn = sqlite3.connect(history_db)
    rows = conn.execute("select entity_type, entity_id, file, added, updated from entry_history")
    dated = {(t, i): (f, a, u) for t, i, f, a, u in rows}
    counts = [
        conn.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("parades", "systems", "units", "people", "sources")
    ]
    assert len(dated) == sum(counts)
    assert dated[("parade", "2025-05-07-astana")] == (CHANGED_FILE, ADDED, CHANGED)
    assert {(a, u) for f, a, u in dated.values() if f != CHANGED_FILE} == {(ADDED, ADDED)}
    # built without a git history (the shared fixture): every entry listed, no date made up
    plain = sqlite3.connect(built_db)
    assert plain.execute(
        "select count(*), count(added), count(updated) from entry_history"
    ).fetchone() == (sum(counts), 0, 0)


async def test_the_feed_is_atom_with_one_entry_per_entry_page(ds: Any, history_db: Path) -> None:
    response = await ds.client.get("/-/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == CHANGED
    entries = feed.findall(f"{ATOM}entry")
    [(total,)] = (
        sqlite3.connect(history_db)
        .execute("select count(*) from entry_history where updated is not null")
        .fetchall()
    )
    assert len(entries) == min(FEED_LIMIT, total)
    # the changed parade comes first, with when it was added and when it changed
    first = entries[0]
    assert (first.findtext(f"{ATOM}updated"), first.findtext(f"{ATOM}published")) == (
        CHANGED,
        ADDED,
    )
    assert (
        first.find(f"{ATOM}link").get("href", "").endswith("/paradecat/parades/2025-05-07-astana")
    )  # type: ignore[union-attr]
    ids, links = set(), set()
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        ids.add(entry.findtext(f"{ATOM}id"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("rel") == "alternate"
        links.add(urlsplit(link.get("href", "")).path)
    assert len(ids) == len(links) == len(entries)  # one entry per page, each with a stable id
    for path in sorted(links):
        assert (await ds.client.get(path)).status_code == 200, path


async def test_the_feed_names_a_parade_as_the_database_does(ds: Any, history_db: Path) -> None:
    [(name,)] = (
        sqlite3.connect(history_db)
        .execute("select name from parades where id = '2025-05-07-astana'")
        .fetchall()
    )
    feed = ET.fromstring((await ds.client.get("/-/feed.atom")).content)
    assert feed.findall(f"{ATOM}entry")[0].findtext(f"{ATOM}title") == f"Parade: {name}"


async def test_the_sitemap_lists_every_entry_page_and_each_answers(
    ds: Any, history_db: Path
) -> None:
    response = await ds.client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = ET.fromstring(response.content)
    locs = [urlsplit(u.findtext(f"{SITEMAP}loc") or "").path for u in urlset]
    conn = sqlite3.connect(history_db)
    expected = {"/"}
    for table, key in (
        ("parades", "id"),
        ("systems", "id"),
        ("units", "id"),
        ("people", "id"),
        ("sources", "id"),
        ("countries", "code"),
    ):
        expected |= {
            f"/paradecat/{table}/{k}" for (k,) in conn.execute(f"select {key} from {table}")
        }
    assert len(locs) == len(set(locs)) and set(locs) == expected
    dated = {
        urlsplit(u.findtext(f"{SITEMAP}loc") or "").path: u.findtext(f"{SITEMAP}lastmod")
        for u in urlset
    }
    assert dated["/paradecat/parades/2025-05-07-astana"] == CHANGED
    for path in locs:
        assert (await ds.client.get(path)).status_code == 200, path


def _allowed(rules: list[tuple[str, str]], path: str) -> bool:
    """RFC 9309: the longest matching rule wins, Allow on a tie; `*` matches any characters."""
    best: tuple[int, bool] = (-1, True)
    for kind, pattern in rules:
        regex = "".join(".*" if c == "*" else re.escape(c) for c in pattern.rstrip("$"))
        if re.match(regex + ("$" if pattern.endswith("$") else ""), path):
            candidate = (len(pattern), kind == "allow")
            best = max(best, candidate)
    return best[1]


async def test_robots_allow_the_pages_and_keep_crawlers_off_expensive_urls(ds: Any) -> None:
    response = await ds.client.get("/robots.txt")
    assert response.status_code == 200
    lines = [line.split(":", 1) for line in response.text.splitlines() if ":" in line]
    fields = [(k.strip().lower(), v.strip()) for k, v in lines]
    assert ("user-agent", "*") in fields
    [sitemap] = [v for k, v in fields if k == "sitemap"]
    assert urlsplit(sitemap).path == "/sitemap.xml" and urlsplit(sitemap).scheme in (
        "http",
        "https",
    )
    rules = [(k, v) for k, v in fields if k in ("allow", "disallow")]
    sitemap_xml = ET.fromstring((await ds.client.get("/sitemap.xml")).content)
    for url in sitemap_xml:
        path = urlsplit(url.findtext(f"{SITEMAP}loc") or "").path
        assert _allowed(rules, path), path
    for path in (
        "/-/feed.atom",
        "/paradecat/parades?country=KZ",
        "/-/static-plugins/paradecat/paradecat.css",
    ):
        assert _allowed(rules, path), path
    for path in (
        "/paradecat/parades.csv",
        "/paradecat/parades.json",
        "/paradecat.db",
        "/paradecat?sql=select+1",
        "/paradecat/parades?_facet=kind",
        "/paradecat/parades?country=KZ&_sort=date",
        "/-/search?q=Barys",
    ):
        assert not _allowed(rules, path), path


async def test_under_hashed_urls_the_sitemap_answers_and_a_popup_link_redirects(
    history_db: Path,
) -> None:
    """`paradecat serve` puts the database's hash in its URLs: the sitemap gives those, and a map
    popup's link (written at build time, without the hash) leads there."""
    hashed = make_datasette(history_db, METADATA, hashed_urls=True)
    await hashed.invoke_startup()
    urlset = ET.fromstring((await hashed.client.get("/sitemap.xml")).content)
    paths = [urlsplit(u.findtext(f"{SITEMAP}loc") or "").path for u in urlset]
    assert all(re.match(r"^/paradecat-[0-9a-f]{7}/", p) for p in paths[1:])
    for path in paths[:20]:
        assert (await hashed.client.get(path)).status_code == 200, path
    [(popup,)] = (
        sqlite3.connect(history_db)
        .execute("select popup from parades where popup is not null order by id limit 1")
        .fetchall()
    )
    link = json.loads(popup)["link"]
    redirect = await hashed.client.get(link)
    assert redirect.status_code == 302
    assert (await hashed.client.get(redirect.headers["location"])).status_code == 200
