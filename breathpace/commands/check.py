"""`breathpace check FILE...`: validate routine files as an author edits them."""

from __future__ import annotations

import sys

import click

from breathpace.library import routine_names
from breathpace.routine.lint import lint
from breathpace.routine.load import RoutineError, load_routine
from breathpace.safe_text import printable


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, readable=False))
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
def check_cmd(files: tuple[str, ...], quiet: bool) -> None:
    """Validate routine FILES: exit 0 when all are valid (warnings are printed), 2 if not."""
    failed = 0
    known = routine_names()
    for name in files:
        # Anything the file system hands over is tried: a missing or unreadable file,
        # a FIFO or a device all get load_routine's one line, never click's usage error.
        try:
            routine = load_routine(name)
        except RoutineError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        except Exception as exc:  # pragma: no cover - a bug must still not show a traceback
            failed += 1
            click.echo(
                f"error: {printable(name)}: could not be checked ({type(exc).__name__})", err=True
            )
            continue
        warnings = lint(routine, known | _siblings(name))
        for warning in warnings:
            click.echo(f"warning: {printable(name)}: {printable(warning)}", err=True)
        if not quiet:
            note = f" ({len(warnings)} warning{'s' * (len(warnings) != 1)})" if warnings else ""
            click.echo(f"ok: {printable(name)}: {printable(routine.title)}{note}")
    if failed:
        sys.exit(2)


def _siblings(name: str) -> set[str]:
    """Routines next to the checked file count as known (an author's folder of levels)."""
    from pathlib import Path

    return {p.stem for p in Path(name).parent.glob("*.toml")}
