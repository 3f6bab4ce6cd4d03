"""One search across everything: every hit a titled link to its page, kinds as facets, any
script, and no query that breaks it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from paradecat.site import search
from paradecat.site.serve import make_datasette

from .conftest import METADATA


@pytest.fixture
async def ds(built_db: Path) -> Any:
    datasette = make_datasette(built_db, METADATA)
    await datasette.invoke_startup()
    return datasette


HIT = re.compile(r'<li><a href="(/paradecat/[^"]+)">([^<]+)</a>')


async def hits(ds: Any, **params: str) -> tuple[str, list[tuple[str, str]]]:
    response = await ds.client.get("/-/search", params=params)
    assert response.status_code == 200
    return response.text, HIT.findall(response.text)


async def test_every_hit_is_a_titled_link_that_opens(ds: Any) -> None:
    html, found = await hits(ds, q="Astana")
    assert found and all(title.strip() for _, title in found)
    for href, _ in found:
        assert (await ds.client.get(href.replace("&amp;", "&"))).status_code == 200, href
    # a place is a link to its parades
    assert ("/paradecat/parades?city=Astana", "Astana") in found
    assert "<title>Astana: search: paradecat</title>" in html


async def test_kinds_are_facets(ds: Any) -> None:
    html, _ = await hits(ds, q="Astana")
    facets = dict(re.findall(r"kind=(\w+)\">\w+ \((\d+)\)", html))
    assert {"parade", "system", "source"} <= set(facets)
    html, found = await hits(ds, q="Astana", kind="parade")
    assert found and all(href.startswith("/paradecat/parades/") for href, _ in found)
    assert f"<strong>Parades ({facets['parade']})</strong>" in html


async def test_a_miss_says_what_was_tried(ds: Any) -> None:
    html, found = await hits(ds, q="Zzyzx")
    assert found == [] and "Nothing found for “Zzyzx”" in html and "“Ззызкс”" in html


@pytest.mark.parametrize(
    "q", ['"', "*", "AND", "NEAR(", "a:b", "%", "_", "\\", "' or 1=1 --", "x" * 500]
)
async def test_no_query_breaks_it(ds: Any, q: str) -> None:
    html, _ = await hits(ds, q=q)
    assert "Search the catalogue" in html


def test_a_name_is_tried_in_the_other_script() -> None:
    assert search.forms("Токаев")[:2] == ["Токаев", "Tokayev"]
    assert "Тоқаев" not in search.forms("Токаев")
    assert search.forms("Barys") == ["Barys", "Барыс"]
    assert search.match_expression(['a"b']) == '"a""b"*'
    assert search.like_patterns(["50%_"]) == ["%50\\%\\_%"]
    assert search.like_patterns(["ж" * 60]) == []  # over SQLite's 100-byte pattern limit
