"""Datasette configuration and start: immutable, read-only, facets declared instead of suggested."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from datasette.app import Datasette

# suggest_facets off: a 10k-row table page took 208 ms with it on and 35 ms with it off.
SETTINGS: dict[str, Any] = {
    "suggest_facets": False,
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 200,
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "allow_download": True,
    "default_cache_ttl": 60,
    # long notes made a table page one screen per row; the row page shows the full text
    "truncate_cells_html": 300,
}


def load_metadata(path: Path, repository_url: str | None = None) -> dict[str, Any]:
    """The Datasette metadata from metadata.yml, its footer links made from `repository_url`
    (or from the one given here)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a mapping")
    return with_repository(data, repository_url)


def with_repository(metadata: dict[str, Any], repository_url: str | None = None) -> dict[str, Any]:
    """The metadata whose source_url (the footer's "Data source") is the repository, and whose
    about_url (its "About") is the repository's README."""
    repository = repository_url or metadata.get("repository_url")
    if not repository:
        return metadata
    return {
        **metadata,
        "repository_url": repository,
        "source_url": repository,
        "about_url": f"{repository}#readme",
    }


DATABASE_NAME = "paradecat"
TEMPLATES = Path(__file__).parent / "templates"


def make_datasette(db_path: Path, metadata_path: Path, *, hashed_urls: bool = False) -> Datasette:
    """An in-process Datasette configured exactly as `paradecat serve` runs it.

    The database is immutable and always named "paradecat", whatever the file is called, so
    the metadata stays the same. `paradecat serve` puts the database's hash in its URLs
    (`/paradecat-1a2b3c4/systems`, see caching.py); in process they stay `/paradecat/...`
    unless hashed_urls is true.
    """
    from datasette.plugins import pm

    from . import caching, security
    from .published import ImmutableDatabase, PublishedDatasette

    # installed as an entry point too; registered here so that no way of running the site lacks
    # it: it wraps ds.app() (safe redirects, security headers) and caps what SQL can build
    if not pm.is_registered(security):
        pm.register(security, name="paradecat_security")
    if not pm.is_registered(caching):
        pm.register(caching, name="paradecat_caching")
    # the site's templates come first, so its home page and row pages win over the defaults
    ds = PublishedDatasette(
        metadata=load_metadata(metadata_path), settings=SETTINGS, template_dir=str(TEMPLATES)
    )
    ds.paradecat_hashed_urls = hashed_urls
    ds.add_database(ImmutableDatabase(ds, str(db_path)), name=DATABASE_NAME)
    # Datasette adds an in-memory database when started without files; the site shows only ours
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    return ds


def run(
    db_path: Path, metadata_path: Path, host: str, port: int, *, hashed_urls: bool = True
) -> None:
    """Serve the catalogue with uvicorn until interrupted."""
    import asyncio

    import uvicorn

    ds = make_datasette(db_path, metadata_path, hashed_urls=hashed_urls)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on")
