"""`breathpace check ROUTINE...`: validate routines and figure files as an author edits them.

A ROUTINE is a file or a routine name, as for `play` and `preview`. Every problem in a
file is printed, one line each, so an author fixes them in one pass instead of one run
per mistake.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import click

from breathpace.figures.load import FigureError, load_figure, looks_like_figure, read_figure_text
from breathpace.library import find, load_routine, routine_names
from breathpace.routine.lint import lint
from breathpace.routine.load import RoutineError
from breathpace.safe_text import printable


@click.command("check")
@click.argument("files", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
def check_cmd(files: tuple[str, ...], quiet: bool) -> None:
    """Validate routine or figure FILES (a file, or a routine name as for `play`): exit 0
    when all are valid (warnings are printed), 2 if not. Every problem is printed, one
    line each. A file in a `figures` folder, or one with poses and no exercises, is a
    figure."""
    failed = 0
    known = routine_names()
    for name in files:
        # Anything the file system hands over is tried: a missing or unreadable file,
        # a FIFO or a device all get load_routine's one line, never click's usage error.
        try:
            path = _locate(name)
            if _is_figure(path):
                figure = load_figure(path)
                if not quiet:
                    poses = printable(", ".join(figure.poses))
                    click.echo(
                        f"ok: {printable(str(path))}: {printable(figure.title)} (poses: {poses})"
                    )
                continue
            routine = load_routine(path)
        except (RoutineError, FigureError) as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(f"error: {printable(exc.source)}: {problem}", err=True)
            continue
        except Exception as exc:  # pragma: no cover - a bug must still not show a traceback
            failed += 1
            click.echo(
                f"error: {printable(name)}: could not be checked ({type(exc).__name__})", err=True
            )
            continue
        warnings = lint(routine, known | _siblings(path))
        for warning in warnings:
            click.echo(f"warning: {printable(str(path))}: {printable(warning)}", err=True)
        if not quiet:
            note = f" ({len(warnings)} warning{'s' * (len(warnings) != 1)})" if warnings else ""
            click.echo(f"ok: {printable(str(path))}: {printable(routine.title)}{note}")
    if failed:
        sys.exit(2)


def _locate(name: str) -> Path:
    """The file a ROUTINE argument means. A bare name is a routine name first (as for
    `play`); a bare name that is no routine but an existing file is still that file."""
    try:
        path, _builtin = find(name)
    except RoutineError:
        if Path(name).exists():
            return Path(name)
        raise
    return path


def _is_figure(path: Path) -> bool:
    """A figure file by where it lives or by what it says; anything unreadable is left
    to the routine loader, so routine errors keep their words."""
    if path.parent.name == "figures" and path.suffix == ".toml":
        return True
    try:
        data = tomllib.loads(read_figure_text(path))
    except (FigureError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return looks_like_figure(data)


def _siblings(path: Path) -> set[str]:
    """Routines next to the checked file count as known (an author's folder of levels)."""
    return {p.stem for p in path.parent.glob("*.toml")}
