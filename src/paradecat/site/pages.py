"""The bodies of the system and parade pages, rendered with a synchronous Jinja environment.

Datasette renders its templates with Jinja in async mode, where every expression, call and
macro is awaited. The bodies of the two row pages call a macro for each source of each count,
person, contingent and appearance, and rendered that way took a third of a parade page's time.
Their templates (_parade_body.html, _system_body.html) are rendered here instead, from the
same folder, with autoescape on as in Datasette, and the result goes into Datasette's page as
`page_body`.
"""

from __future__ import annotations

import functools
from typing import Any

from datasette.utils import tilde_encode, to_css_class
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from .serve import TEMPLATES

# each table's entry: the key of the row in the page data (rows.PAGES), the kind in the page's
# CSS class, and the name of the body's template (_parade_body.html, _system_body.html)
ENTRIES = {"parades": "parade", "systems": "system"}


@functools.cache
def environment() -> Environment:
    """The Jinja environment for the page bodies: the site's templates, autoescaped."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.filters["tilde_encode"] = tilde_encode
    env.filters["to_css_class"] = to_css_class
    return env


def body(table: str, page: dict[str, Any], urls: Any, database: str) -> Markup:
    """The HTML of the body of `table`'s row page for the data `page` (from rows.PAGES)."""
    template = environment().get_template(f"_{ENTRIES[table]}_body.html")
    return Markup(template.render(page=page, urls=urls, database=database))


def heading(table: str, page: dict[str, Any]) -> dict[str, str]:
    """What _paradecat_row.html needs besides the body: the entry's name and kind."""
    entry = ENTRIES[table]
    return {"page_name": page[entry]["name"], "page_kind": entry}
