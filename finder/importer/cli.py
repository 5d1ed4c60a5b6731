"""The directory's commands: `init-db [--demo|--empty]`, `remove-demo`, `import FILE` and
`export FILE` (flask --app finder ...)."""

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import schema
from . import FORMATS, ImportRefused, ImportResult, export_csv, import_file
from .demo import holdings, load_demo_if_empty, remove_demo


@click.command("init-db")
@click.option(
    "--demo/--empty",
    default=True,
    help="Load the fictional demo directory into an empty database (the default), or not.",
)
@with_appcontext
def init_db_command(demo: bool) -> None:
    """Create the schema, or upgrade it to the newest revision; load the demo into an empty
    database unless --empty."""
    _report_upgrade(_upgrade())
    if demo and (added := load_demo_if_empty()):
        click.echo(f"Loaded {added:,} demo programs (fictional; every page says so).")
    click.echo(holdings())


@click.command("remove-demo")
@with_appcontext
def remove_demo_command() -> None:
    """Remove the demo programs, with their features, prices and reports, and nothing else."""
    _require_schema()
    removed = remove_demo()
    click.echo(f"Removed {removed:,} demo programs." if removed else "There were no demo programs.")
    click.echo(holdings())


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option(
    "--complete-source",
    is_flag=True,
    help="The file is the whole directory of its source: deactivate what it no longer lists.",
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows of a file with errors.")
@click.option(
    "--verified-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The source's date: when its listings were last verified (for rows and SAMHSA file "
    "names that carry none).",
)
@with_appcontext
def import_command(file, dry_run, fmt, complete_source, skip_invalid, verified_on) -> None:
    """Import programs from FILE (our CSV format or SAMHSA's facility listing)."""
    _require_schema(create=not dry_run)
    progress = _Progress()
    try:
        result = import_file(
            file,
            actor=_actor(),
            fmt=fmt,
            complete_source=complete_source,
            skip_invalid=skip_invalid,
            verified_on=verified_on.date() if verified_on else None,
            dry_run=dry_run,
            progress=progress,
        )
    except ImportRefused as refused:
        _report(refused.result)
        click.echo(
            f"Refused: {len(refused.result.errors)} errors, nothing was imported. "
            "Fix them, or import the valid rows with --skip-invalid.",
            err=True,
        )
        sys.exit(1)
    finally:
        progress.close()
    _report(result)
    if dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        click.echo(f"Imported as batch {result.batch_id}.")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Write the active programs to FILE in our CSV format ("-": standard output)."""
    _require_schema()
    if str(file) == "-":
        export_csv(sys.stdout)
        return
    count = export_csv(file)
    click.echo(f"Exported {count} programs to {file}.")


def _upgrade() -> schema.Upgrade:
    try:
        return schema.upgrade()
    except schema.CommandError as exc:
        raise click.ClickException(str(exc)) from None


def _report_upgrade(upgrade: schema.Upgrade) -> None:
    if upgrade.before is None:
        click.echo(f"Created the database schema (revision {upgrade.after}).")
    elif upgrade.before == upgrade.after:
        click.echo(f"The database schema is up to date (revision {upgrade.after}).")
    else:
        click.echo(f"Upgraded the database schema from {upgrade.before} to {upgrade.after}.")


def _require_schema(create: bool = False) -> None:
    """Create the schema of an empty database when asked; refuse an out-of-date one."""
    status = schema.status()
    if status == "empty" and create:
        _report_upgrade(_upgrade())
    elif status == "empty":
        raise click.ClickException(
            "The database has no schema yet: run `flask --app finder init-db --empty` first."
        )
    elif status != "current":
        raise click.ClickException(
            "The database schema is not this version's: run `flask --app finder db upgrade` first."
        )


def _report(result: ImportResult) -> None:
    click.echo(
        f"{result.filename}: {result.size:,} bytes, sha256 {result.sha256}, "
        f"format {result.format}, encoding {result.encoding_label}, {result.rows} rows"
    )
    if result.verified_on:
        click.echo(f"Last verified: {result.verified_on.isoformat()}")
    if result.dateless:
        click.echo(UNDATED.format(n=result.undated, s="" if result.undated == 1 else "s"))
    for problem in result.problems:
        click.echo(f"{problem.level}: {problem}")
    for name, kept in (("errors", result.errors), ("warnings", result.warnings)):
        if kept.omitted:
            click.echo(
                f"... and {kept.omitted:,} more {name} not shown (the first {kept.kept:,} are)"
            )
    s = result.summary
    click.echo(
        f"added {s.added}, changed {s.changed}, unchanged {s.unchanged}, "
        f"deactivated {s.deactivated}, skipped rows {s.skipped_rows}, "
        f"errors {len(result.errors)}, warnings {s.warnings}"
    )


UNDATED = (
    "{n} program{s} with no verification date: the file gives none, and no --verified-on was "
    "given. Without the source's date, listings will say when they were imported and that the "
    "source's date is unknown; give it with --verified-on YYYY-MM-DD if you know it."
)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


class _Progress:
    """A progress bar on a terminal; elsewhere (logs, pipes) a line per flushed batch."""

    def __init__(self):
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stdout.isatty():
            click.echo(f"written {done} of {total} programs")
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Writing programs")
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
