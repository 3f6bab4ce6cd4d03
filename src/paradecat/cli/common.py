"""The options and helpers every command of the command line shares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ..check.memo import default_format

ROOT_HELP = "The folder that holds catalog/ (default: the current folder)."


def _root_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=False,
        help=ROOT_HELP,
    )(func)


_db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("paradecat.db"),
    show_default=True,
    help="Where to write the database.",
)


_no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file afresh, neither reading nor writing ROOT/.paradecat-cache/.",
)
_quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="Show no progress bar (one shows only on a terminal)."
)


class _Bar:
    """A progress bar on stderr for long work: only on a terminal, not under CI=true nor with
    --quiet, and only once the work has taken about a second (the output never changes)."""

    DELAY = 1.0

    def __init__(self, what: str, quiet: bool) -> None:
        import sys
        import time

        self.what = what
        self.enabled = not quiet and os.environ.get("CI") != "true" and sys.stderr.isatty()
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        import time

        if self.bar is None:
            if time.monotonic() - self.start < self.DELAY or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _check_root(root: Path) -> None:
    if not (root / "catalog").is_dir():
        raise click.UsageError(f"no catalog/ folder in {root.resolve()} (use --root DIR)")


def _validated_build(
    root: Path, db: Path, *, cache: bool = True, quiet: bool = False, fresh: bool = False
) -> Path:
    return _build(root, db, cache=cache, quiet=quiet, fresh=fresh)[0]


def _build(
    root: Path, db: Path, *, cache: bool = True, quiet: bool = False, fresh: bool = False
) -> tuple[Path, str]:
    """Validate, then build db (or patch the database the last build wrote there, or leave it as
    it is when nothing changed); the database, and the sentence that says which. fresh: db is in
    a new folder each time (a release), so nothing is kept for patching it."""
    from ..check.report import DEFAULT_MAX_PROBLEMS, render
    from ..check.validate import validate_catalog
    from ..db.build import BuildError, build_database
    from ..db.layout import Layout
    from ..db.patch import patch_database, up_to_date

    _check_root(root)
    # with the cache, a database the last build wrote is patched: only the changed entries are read
    layout = Layout(root, db) if cache and not fresh else None
    bar = _Bar("validating", quiet)
    try:
        result = validate_catalog(
            root,
            max_problems=DEFAULT_MAX_PROBLEMS,
            cache=cache,
            progress=bar,
            select=layout.select if layout is not None else None,
        )
    finally:
        bar.close()
    if not result.ok:
        click.echo(render(result.problems, result.files, default_format()), err=True)
        click.echo(
            f"not building {db}: the catalogue has errors; the previous database is untouched",
            err=True,
        )
        raise SystemExit(1)
    if result.partial and layout is not None:
        if up_to_date(result.valid, layout, root):
            count = len(result.valid)
            return (
                layout.target,
                f"{layout.target} is up to date: none of {count:,} entries changed",
            )
        try:
            path = patch_database(result.catalog, result.valid, layout, db, root)
            assert layout.plan is not None
            changed = len(layout.plan.rewrite) + len(layout.plan.removed)
            return (
                path,
                f"built {path} ({changed:,} of {len(result.valid):,} entries written again)",
            )
        except BuildError:
            layout.forget()  # a full build instead, from every entry
            result = validate_catalog(root, max_problems=DEFAULT_MAX_PROBLEMS, cache=cache)
    try:
        path = build_database(result.catalog, db, root, layout=layout, valid=result.valid)
        return path, f"built {path} ({len(result.valid):,} entries written)"
    except BuildError as exc:
        raise click.ClickException(f"{exc} (the previous database is untouched)") from exc
