"""`breathpace list`: the built-in routines and the person's own, with length and tags."""

from __future__ import annotations

import click

from breathpace import fmt, paths
from breathpace.library import builtin_routine_files, user_routine_files
from breathpace.routine.load import RoutineError, load_routine
from breathpace.timeline import compile


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only routines with this tag.")
def list_cmd(tags: tuple[str, ...]) -> None:
    """List built-in and your own routines: name, title, length and tags."""
    sections = (
        ("Built-in routines", builtin_routine_files()),
        (f"Your routines ({paths.user_routines_dir()})", user_routine_files()),
    )
    for heading, files in sections:
        rows = []
        for path in files:
            try:
                routine = load_routine(path)
            except RoutineError as exc:
                rows.append((path.stem, f"(invalid: {exc.detail})", "", ""))
                continue
            if tags and not set(tags) <= set(routine.tags):
                continue
            length = fmt.length(compile(routine).duration_ms)
            level = f"L{routine.level} " if routine.level else ""
            rows.append((path.stem, routine.title, length, level + ", ".join(routine.tags)))
        click.echo(f"{heading}:")
        if not rows:
            click.echo("  (none)")
        widths = [max((len(r[i]) for r in rows), default=0) for i in range(3)]
        for name, title, length, tag_text in rows:
            click.echo(
                f"  {name.ljust(widths[0])}  {title.ljust(widths[1])}  "
                f"{length.rjust(widths[2])}  {tag_text}".rstrip()
            )
        click.echo()
