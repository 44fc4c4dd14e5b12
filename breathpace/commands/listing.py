"""`breathpace list`: the built-in routines and the person's own, with length and tags.

The rows come from `breathpace.session.routines`, as on the home screen: lengths at
the person's effective dose (accepted changes and personal pace), the dose `play` uses.
"""

from __future__ import annotations

import click

from breathpace import fmt, paths
from breathpace.commands.options import settings_or_exit
from breathpace.session.routines import Entry, routine_entries


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only routines with this tag.")
def list_cmd(tags: tuple[str, ...]) -> None:
    """List built-in and your own routines: name, title, length and tags."""
    settings_pace = settings_or_exit().pace
    builtin, user = routine_entries(settings_pace)
    sections = (
        ("Built-in routines", builtin),
        (f"Your routines ({paths.user_routines_dir()})", user),
    )
    for heading, entries in sections:
        rows = [row for entry in entries if (row := _row(entry, tags)) is not None]
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
    if settings_pace:
        click.echo(f"Lengths at your pace {settings_pace}, from settings.")


def _row(entry: Entry, tags: tuple[str, ...]) -> tuple[str, str, str, str] | None:
    if entry.routine is None:
        return (entry.name, f"(invalid: {entry.detail})", "", "")
    routine = entry.routine
    if tags and not set(tags) <= set(routine.tags):
        return None
    level = f"L{routine.level} " if routine.level else ""
    return (
        entry.name,
        routine.title,
        fmt.length(entry.length_ms or 0),
        level + ", ".join(routine.tags),
    )
