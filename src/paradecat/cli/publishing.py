"""The `publish` and `cache` commands of the command line (see paradecat.cli).

`publish` writes the deployable site folder, or deploys it with `datasette publish`; `cache`
manages the validation cache.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import _check_root, _root_option, _validated_build


def _write_site(root: Path, out: Path, repository_url: str | None) -> None:
    """Validate and build into a fresh folder, write the site beside it, and swap it into place."""
    from ..db.export import DATABASE_FILE, ExportError, Release, check_release_folder
    from ..db.export import publish_release as swap_into_place
    from ..site.publish import DOCKERFILE, PublishError, write_site

    _check_root(root)

    def write(folder: Path) -> Release:
        db = _validated_build(root, folder / DATABASE_FILE, fresh=True)
        return write_site(db, folder, root / "metadata.yml", root, repository_url)

    try:
        check_release_folder(out, root, marker=DOCKERFILE)
        swap_into_place(out, write)
    except (ExportError, PublishError, OSError, ValueError) as exc:
        raise click.ClickException(f"{exc} (the previous folder is untouched)") from exc


def _datasette_publish(
    options: tuple[Path, str | None], platform: str, args: list[str], dry_run: Path | None
) -> None:
    import subprocess
    import sys
    import tempfile

    from ..site.publish import cloudrun_dry_run, datasette_plan

    with tempfile.TemporaryDirectory(prefix="paradecat-site-") as tmp:
        site = Path(tmp) / "site"
        _write_site(options[0], site, options[1])
        with datasette_plan(site) as plan:
            if dry_run is not None and platform == "cloudrun":
                click.echo(f"wrote {cloudrun_dry_run(plan, args[1], dry_run.resolve())}")
                return
            datasette = str(Path(sys.executable).parent / "datasette")
            extra = ["--generate-dir", str(dry_run.resolve())] if dry_run is not None else []
            command = [datasette, "publish", platform, *plan.arguments(), *args, *extra]
            if subprocess.run(command, cwd=plan.folder).returncode != 0:
                raise click.ClickException(f"datasette publish {platform} failed")
    if dry_run is not None:
        click.echo(f"wrote {dry_run / 'Dockerfile'}")


_dry_run_option = click.option(
    "--generate",
    "--dry-run",
    "generate",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write what would be deployed into this folder and stop: no account, no network.",
)


@click.group(invoke_without_command=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the ready-to-deploy folder here (created if missing).",
)
@click.option(
    "--repository-url",
    default=None,
    help="The repository the footer links to (default: repository_url in metadata.yml).",
)
@_root_option
@click.pass_context
def publish(ctx: click.Context, out: Path | None, repository_url: str | None, root: Path) -> None:
    """Publish the site: write a folder that any container platform runs (--out DIR), or deploy
    it to Fly (publish fly APP) or to Cloud Run (publish cloudrun SERVICE).

    The folder holds the built database, metadata.yml, paradecat as a wheel, requirements.txt
    (pinned by hash) and a Dockerfile whose command is `paradecat serve --no-build`.
    """
    ctx.obj = (root, repository_url)
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise click.UsageError(
            "give --out DIR, or a platform: publish fly APP, publish cloudrun SERVICE"
        )
    _write_site(root, out, repository_url)
    click.echo(
        f"wrote the site into {out}: deploy it with `fly deploy` or `gcloud run deploy --source`"
    )


@publish.command()
@click.argument("app")
@click.option("--region", default=None, help="Fly region, e.g. ams (default: Fly's choice).")
@_dry_run_option
@click.pass_obj
def fly(
    options: tuple[Path, str | None], app: str, region: str | None, generate: Path | None
) -> None:
    """Deploy to Fly as APP with datasette-publish-fly (needs flyctl and FLY_API_TOKEN)."""
    args = ["--app", app, *(["--region", region] if region else [])]
    _datasette_publish(options, "fly", args, generate)


@publish.command()
@click.argument("service")
@_dry_run_option
@click.pass_obj
def cloudrun(options: tuple[Path, str | None], service: str, generate: Path | None) -> None:
    """Deploy to Cloud Run as SERVICE with `datasette publish cloudrun` (needs gcloud)."""
    _datasette_publish(options, "cloudrun", ["--service", service], generate)


@click.group()
def cache() -> None:
    """The validation cache in ROOT/.paradecat-cache/."""


@cache.command("clear")
@_root_option
def cache_clear(root: Path) -> None:
    """Remove the validation cache (the next run checks every file again)."""
    from ..check.cache import clear_cache
    from ..check.memo import CACHE_DIR

    removed = clear_cache(root)
    click.echo(f"{'removed' if removed else 'no cache at'} {root / CACHE_DIR}")
