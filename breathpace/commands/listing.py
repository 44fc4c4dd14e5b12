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
    builtin_files, user_files = builtin_routine_files(), user_routine_files()
    # A file of the person's own with a built-in's name replaces it everywhere (their
    # edited copy wins); both rows say so, so nobody wonders which one `play` uses.
    shadowed = {p.stem for p in builtin_files} & {p.stem for p in user_files}
    sections = (
        ("Built-in routines", builtin_files, "(replaced by yours)"),
        (
            f"Your routines ({paths.user_routines_dir()})",
            user_files,
            "(yours, replaces the built-in)",
        ),
    )
    for heading, files, mark in sections:
        rows = []
        for path in files:
            try:
                routine = load_routine(path)
            except RoutineError as exc:
                invalid = f"(invalid: {exc.detail})"
                rows.append(
                    (path.stem, f"{invalid} {mark}" if path.stem in shadowed else invalid, "", "")
                )
                continue
            if tags and not set(tags) <= set(routine.tags):
                continue
            length = fmt.length(compile(routine).duration_ms)
            level = f"L{routine.level} " if routine.level else ""
            title = f"{routine.title} {mark}" if path.stem in shadowed else routine.title
            rows.append((path.stem, title, length, level + ", ".join(routine.tags)))
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
