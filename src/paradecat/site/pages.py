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
from urllib.parse import quote

import pycountry
from datasette.utils import tilde_encode, to_css_class
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..db.dates import human_date
from ..model.words import in_words
from .entities import FIELD_WORDS
from .rows import IDENTIFICATION_WORDS
from .serve import TEMPLATES

# each table's entry: the key of the row in the page data (rows.PAGES), the kind in the page's
# CSS class, and the name of the body's template (_parade_body.html, _system_body.html)
ENTRIES = {
    "parades": "parade",
    "systems": "system",
    "sources": "source",
    "units": "unit",
    "people": "person",
    "countries": "country",
}


@functools.cache
def environment() -> Environment:
    """The Jinja environment for the page bodies: the site's templates, autoescaped."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.filters["tilde_encode"] = tilde_encode
    env.filters["to_css_class"] = to_css_class
    env.filters["human_date"] = human_date
    env.filters["language_name"] = language_name
    env.filters["script_name"] = script_name
    env.filters["words"] = in_words
    env.filters["field_words"] = field_words
    env.globals["IDENTIFICATION_WORDS"] = IDENTIFICATION_WORDS
    return env


class _OnceUrls:
    """Datasette's `urls` for one page: each table's URL worked out once, not once a link (a
    country's page links 60 entries, and the URL of their table took a third of its body)."""

    def __init__(self, urls: Any) -> None:
        self._urls = urls
        self._tables: dict[tuple[str, str], str] = {}

    def table(self, database: str, table: str, format: str | None = None) -> str:
        if format is not None:
            return str(self._urls.table(database, table, format=format))
        key = (database, table)
        if key not in self._tables:
            self._tables[key] = self._urls.table(database, table)
        return self._tables[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._urls, name)


def body(table: str, page: dict[str, Any], urls: Any, database: str) -> Markup:
    """The HTML of the body of `table`'s row page for the data `page` (from rows.PAGES)."""
    template = environment().get_template(f"_{ENTRIES[table]}_body.html")
    return Markup(template.render(page=page, urls=_OnceUrls(urls), database=database))


def heading(table: str, page: dict[str, Any]) -> dict[str, str]:
    """What _paradecat_row.html needs besides the body: the entry's name and kind."""
    entry = ENTRIES[table]
    return {"page_name": page[entry]["name"], "page_kind": entry}


# the folder of catalog/ that holds each table's entries, one YAML file per entry named by its id
FOLDERS = {
    "parades": "parades",
    "systems": "systems",
    "sources": "sources",
    "units": "units",
    "people": "people",
}


def actions(repository: str | None, table: str, key: str, name: str) -> dict[str, str | None]:
    """Where a reader can improve the entry (its YAML file in the repository) or report a
    correction (the repository's correction form, its title filled in)."""
    if not repository:
        return {"page_edit_url": None, "page_report_url": None}
    repository = repository.rstrip("/")
    folder = FOLDERS.get(table)
    edit = f"{repository}/edit/main/catalog/{folder}/{quote(key)}.yaml" if folder else None
    title = quote(f"Correction: {name}")
    report = f"{repository}/issues/new?template=correction.yml&title={title}"
    return {"page_edit_url": edit, "page_report_url": report}


def language_name(code: object) -> str:
    """'Russian' for 'ru', 'Kazakh' for 'kk-Latn'; the code itself where pycountry does not
    know it."""
    text = "" if code is None else str(code).split("-")[0]
    language = pycountry.languages.get(alpha_2=text) if len(text) == 2 else None
    if language is None and len(text) == 3:
        language = pycountry.languages.get(alpha_3=text)
    return str(language.name) if language is not None else text


def script_name(code: object) -> str:
    """'Cyrillic' for 'Cyrl' (ISO 15924); nothing for a script left undetermined ('Zyyy')."""
    text = "" if code is None else str(code)
    if text in ("", "Zyyy", "Zzzz"):
        return ""
    script = pycountry.scripts.get(alpha_4=text)
    return str(script.name) if script is not None else text


def field_words(field: object) -> str:
    """A field of an entry as a reader says it: 'people on parade' for 'personnel'."""
    text = "" if field is None else str(field)
    return FIELD_WORDS.get(text, text.replace("_", " "))
