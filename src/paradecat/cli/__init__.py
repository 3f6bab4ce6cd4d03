"""The paradecat command line: parse arguments, make one library call, set the exit code."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from .. import __version__
from . import publishing  # the publish and cache commands
from .common import (  # the options and helpers every command shares
    _Bar,
    _build,
    _check_root,
    _db_option,
    _no_cache_option,
    _quiet_option,
    _root_option,
    _validated_build,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paradecat")
def cli() -> None:
    """paradecat: the open catalogue of equipment, contingents and personnel shown at military parades."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="Output format (default: text; github when GITHUB_ACTIONS=true).",
)
@click.option(
    "--max-problems",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Show at most this many problems (and at most this many per file); 0 shows them all.",
)
@_no_cache_option
@_quiet_option
@_root_option
def validate(
    paths: Sequence[Path],
    fmt: str | None,
    max_problems: int,
    no_cache: bool,
    quiet: bool,
    root: Path,
) -> None:
    """Check the catalogue (or only PATHS) and print every problem at once.

    Unchanged files are not checked again: what each gives is kept in ROOT/.paradecat-cache/
    (--no-cache checks them all; 'paradecat cache clear' removes it). The answer is the same.

    Exit code 0: valid; 1: problems; 2: usage error.
    """
    from ..check import memo

    _check_root(root)
    limit = max_problems or None
    fmt = fmt or memo.default_format()
    # nothing changed since the last run: its answer, without loading the validator
    walked, tree = (None, None) if no_cache else memo.walk(root)
    key = memo.memo_key(root, [fmt, limit, *map(os.path.abspath, paths)], tree)
    kept = memo.recall(root, key)
    if kept is not None:
        if kept[0]:
            click.echo(kept[0])
        raise SystemExit(0 if kept[1] else 1)

    from ..check.report import render
    from ..check.validate import validate_catalog

    bar = _Bar("validating", quiet)
    try:
        result = validate_catalog(
            root,
            only=list(paths) or None,
            max_problems=limit,
            cache=not no_cache,
            keep_entries=False,
            progress=bar,
            walked=walked,
        )
    finally:
        bar.close()
    output = render(result.problems, result.files, fmt, limit)
    memo.remember(root, key, output, result.ok)
    if output:
        click.echo(output)
    raise SystemExit(0 if result.ok else 1)


@cli.command()
@_db_option
@_no_cache_option
@_quiet_option
@_root_option
def build(db: Path, no_cache: bool, quiet: bool, root: Path) -> None:
    """Validate, then build the SQLite database atomically (unchanged files from the cache; a
    database the last build wrote is patched, or left as it is when nothing changed)."""
    click.echo(_build(root, db, cache=not no_cache, quiet=quiet)[1])


@cli.command()
@_db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind; use 0.0.0.0 only behind a proxy you trust.",
)
@click.option(
    "--metadata",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Datasette metadata (default: ROOT/metadata.yml).",
)
@click.option("--no-build", is_flag=True, help="Serve the existing database without rebuilding it.")
@click.option(
    "--hashed-urls/--no-hashed-urls",
    default=True,
    show_default=True,
    help="Put the database's content hash in its URLs (/paradecat-1a2b3c4/…), cached for a year.",
)
@_root_option
def serve(
    db: Path,
    port: int,
    host: str,
    metadata: Path | None,
    no_build: bool,
    hashed_urls: bool,
    root: Path,
) -> None:
    """Build, then serve the catalogue with Datasette (immutable, read-only)."""
    from ..site.serve import run

    metadata = metadata or root / "metadata.yml"
    if not metadata.exists():
        raise click.UsageError(f"no metadata file at {metadata}")
    if no_build:
        if not db.exists():
            raise click.UsageError(f"{db} does not exist; run without --no-build")
        path = db
    else:
        path = _validated_build(root, db)
    click.echo(f"serving {path} on http://{host}:{port}/", err=True)
    run(path, metadata, host, port, hashed_urls=hashed_urls)


@cli.command()
@click.option(
    "--check", is_flag=True, help="Exit 1 when the committed files differ from the models."
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Where the schema files live.",
)
def schema(check: bool, directory: Path) -> None:
    """Write schema/<kind>.schema.json from the models (or check them with --check)."""
    from ..model.schema import check_schemas, write_schemas

    if check:
        drift = check_schemas(directory)
        for item in drift:
            click.echo(
                f"{item.path}: {item.reason} (run 'paradecat schema' and commit the result)",
                err=True,
            )
        if drift:
            raise SystemExit(1)
        click.echo(f"{directory}: schemas match the models")
        return
    for path in write_schemas(directory):
        click.echo(f"wrote {path}")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("kind", type=click.Choice(["source", "system", "unit", "person", "parade"]))
@click.argument("entry_id", metavar="ID")
@_root_option
@click.pass_context
def new(ctx: click.Context, kind: str, entry_id: str, root: Path) -> None:
    """Write a commented template for a new entry: paradecat new KIND ID [--FIELD VALUE ...].

    Any field can be given as an option (lists comma-separated), e.g.
    paradecat new unit 1st-brigade --name "1st Brigade" --country KZ --sources moscowtimes-2025-05-08
    """
    from ..contribute.scaffold import ScaffoldError, new_entry, parse_field_options

    _check_root(root)
    try:
        path = new_entry(root, kind, entry_id, parse_field_options(kind, ctx.args))
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"wrote {path}")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print docs/rules.md (every rule with examples).")
@click.option(
    "--check",
    "check_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Exit 1 when this file (docs/rules.md) differs from the rules.",
)
def rules(markdown: bool, check_file: Path | None) -> None:
    """List every rule: its code, severity, stage and what it checks."""
    from ..check.rulebook import render_markdown, render_text

    if check_file is not None:
        if not check_file.exists() or check_file.read_text(encoding="utf-8") != render_markdown():
            click.echo(
                f"{check_file} differs from the rules (run 'paradecat rules --markdown > {check_file}')",
                err=True,
            )
            raise SystemExit(1)
        click.echo(f"{check_file}: up to date")
        return
    click.echo(render_markdown() if markdown else render_text(), nl=not markdown)


@cli.command()
@click.argument("base", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown is the pull-request comment.",
)
@_root_option
def diff(base: str | None, fmt: str, root: Path) -> None:
    """What the working catalogue changes against BASE (default: the merge base with main)."""
    from ..contribute.diff import DiffError, render_markdown, render_text, review

    _check_root(root)
    try:
        result = review(root, base)
    except DiffError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        render_markdown(result.changes, result.base, result.summary)
        if fmt == "markdown"
        else render_text(result.changes, result.summary),
        nl=fmt != "markdown",
    )


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the release in (created if missing).",
)
@_no_cache_option
@_quiet_option
@_root_option
def export(out: Path, no_cache: bool, quiet: bool, root: Path) -> None:
    """Validate and build, then write the release: CSV and JSON per table, datapackage.json, db."""
    from ..db.export import (
        DATABASE_FILE,
        ExportError,
        Release,
        check_release_folder,
        export_release,
        publish_release,
    )
    from ..site.serve import load_metadata

    _check_root(root)

    def write(folder: Path) -> Release:
        db = _validated_build(
            root, folder / DATABASE_FILE, cache=not no_cache, quiet=quiet, fresh=True
        )
        return export_release(db, folder, load_metadata(root / "metadata.yml"))

    try:
        check_release_folder(out, root)
        release = publish_release(out, write)
    except (ExportError, OSError, ValueError) as exc:
        raise click.ClickException(f"{exc} (the previous release is untouched)") from exc
    click.echo(f"wrote {len(release.files)} files and {release.descriptor}")


cli.add_command(publishing.publish)
cli.add_command(publishing.cache)


def main() -> None:
    """Entry point for python -m paradecat."""
    cli()
