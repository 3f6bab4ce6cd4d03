"""Feeds and discovery: an Atom feed of the entries added or changed, a sitemap of every entry's
page, and robots rules.

datasette-atom and datasette-sitemap build these from a SQL query's rows, and SQL cannot know the
database's hashed URL (`/paradecat-1a2b3c4/…`, caching.py) or the site's address, so every link
would be a redirect or relative. They are built here instead, from the same database, once per
database file (home.cached), with the site's own URLs made absolute for the request's host.
The dates are the entries' git history (`entry_history`, written at build time): an entry with
no known history is in the sitemap, without a date, and not in the feed.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from xml.etree import ElementTree as ET

from datasette.utils import tilde_encode
from datasette.utils.asgi import Response

from ..db.dates import human_date
from .entities import _ENTRY_PAGES, ENTRY_WORDS
from .home import DATABASE, cached

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_PATH = "/-/feed.atom"
FEED_LIMIT = 50  # the latest entries; the sitemap lists them all
SITEMAP_LIMIT = 50_000  # what one sitemap file may hold (sitemaps.org)

_PAGES_SQL = """
select 'parades', p.id, h.updated from parades p
  left join entry_history h on h.entity_type = 'parade' and h.entity_id = p.id
union all select 'systems', s.id, h.updated from systems s
  left join entry_history h on h.entity_type = 'system' and h.entity_id = s.id
union all select 'units', u.id, h.updated from units u
  left join entry_history h on h.entity_type = 'unit' and h.entity_id = u.id
union all select 'people', pe.id, h.updated from people pe
  left join entry_history h on h.entity_type = 'person' and h.entity_id = pe.id
union all select 'sources', so.id, h.updated from sources so
  left join entry_history h on h.entity_type = 'source' and h.entity_id = so.id
union all select 'countries', c.code, null from countries c"""

_FEED_SQL = """
select h.entity_type, h.entity_id, h.file, h.added, h.updated,
       coalesce(p.name, s.name, u.name, pe.name, so.title, so.publisher) as name,
       p.date, p.city
from entry_history h
left join parades p on h.entity_type = 'parade' and p.id = h.entity_id
left join systems s on h.entity_type = 'system' and s.id = h.entity_id
left join units u on h.entity_type = 'unit' and u.id = h.entity_id
left join people pe on h.entity_type = 'person' and pe.id = h.entity_id
left join sources so on h.entity_type = 'source' and so.id = h.entity_id
where h.updated is not null
order by h.updated desc, h.entity_type, h.entity_id limit :limit"""


def entry_pages(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    """Every entry's page, as (table, key, when its file last changed or None)."""
    return [tuple(row) for row in conn.execute(f"{_PAGES_SQL} limit {SITEMAP_LIMIT}")]


def latest_changes(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The entries changed last, newest first, with what the feed says of each."""
    cursor = conn.execute(_FEED_SQL, {"limit": FEED_LIMIT})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _page(datasette: Any, request: Any, table: str, key: str) -> str:
    path = datasette.urls.row(DATABASE, table, tilde_encode(key))
    return str(datasette.absolute_url(request, path))


async def sitemap(request: Any, datasette: Any) -> Response:
    """/sitemap.xml: the home page and every entry's page, with when its file last changed."""
    pages = await cached(datasette.get_database(DATABASE), "pages", entry_pages)
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = datasette.absolute_url(
        request, datasette.urls.instance()
    )
    for table, key, updated in pages:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = _page(datasette, request, table, key)
        if updated:
            ET.SubElement(url, "lastmod").text = updated
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/xml; charset=utf-8")


def _summary(change: dict[str, Any]) -> str:
    what = ", ".join(x for x in (human_date(change["date"]), change["city"]) if x)
    added, updated = (human_date(change[k][:10]) for k in ("added", "updated"))
    when = f"Added on {added}." if added == updated else f"Changed on {updated} (added on {added})."
    return f"{what}. {when}" if what else when


async def feed(request: Any, datasette: Any) -> Response:
    """/-/feed.atom: the entries whose files were added or changed last, newest first."""
    changes = await cached(datasette.get_database(DATABASE), "feed", latest_changes)
    home = datasette.absolute_url(request, datasette.urls.instance())
    repository = (datasette.metadata("repository_url") or "").rstrip("/")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    title = datasette.metadata("title") or "paradecat"
    add(root, "title", f"{title}: entries added or changed")
    add(root, "id", f"{repository}/commits/main/catalog" if repository else home)
    # Atom requires a date: with no dated entry (built outside git) the epoch, not a made-up one
    add(root, "updated", changes[0]["updated"] if changes else "1970-01-01T00:00:00Z")
    add(root, "link", rel="self", href=datasette.absolute_url(request, FEED_PATH))
    add(root, "link", rel="alternate", type="text/html", href=home)
    add(add(root, "author"), "name", f"{title} contributors")
    for change in changes:
        table, word = _ENTRY_PAGES[change["entity_type"]][0], ENTRY_WORDS[change["entity_type"]]
        page = _page(datasette, request, table, change["entity_id"])
        entry = add(root, "entry")
        add(entry, "title", f"{word}: {change['name'] or change['entity_id']}")
        # the entry's file in the repository: the same whatever the site's address or hash
        add(entry, "id", f"{repository}/blob/main/{change['file']}" if repository else page)
        add(entry, "updated", change["updated"])
        add(entry, "published", change["added"])
        add(entry, "link", rel="alternate", type="text/html", href=page)
        add(entry, "summary", _summary(change))
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# what crawlers may fetch: every page, but not the exports, the database file, arbitrary SQL,
# facets or sorting (each a new URL for the same rows), nor Datasette's own /-/ pages, whose
# search results are endless; rules follow RFC 9309 (`*` matches anything, the longest rule wins)
ROBOTS_RULES = """User-agent: *
Allow: /
Allow: {feed}
Allow: /-/static/
Allow: /-/static-plugins/
Allow: /-/dashboards/
Disallow: /-/
Disallow: /*.csv
Disallow: /*.json
Disallow: /*.db
Disallow: /*?sql=
Disallow: /*&sql=
Disallow: /*_facet
Disallow: /*_sort
"""


async def robots(request: Any, datasette: Any) -> Response:
    """/robots.txt: the rules above, and where the sitemap is."""
    sitemap_url = datasette.absolute_url(request, "/sitemap.xml")
    body = ROBOTS_RULES.format(feed=FEED_PATH) + f"\nSitemap: {sitemap_url}\n"
    return Response.text(body)


ROUTES = [
    (r"^/-/feed\.atom$", feed),
    (r"^/sitemap\.xml$", sitemap),
    (r"^/robots\.txt$", robots),
]
