"""`breathpace list`: the built-in routines and the person's own, with length and tags.

The rows come from `breathpace.session.routines`, as on the home screen: lengths at
the person's effective dose (accepted changes and personal pace), the dose `play` uses.
"""

from __future__ import annotations

import shutil
import sys

import click

from breathpace import fmt, paths
from breathpace.commands.options import settings_or_exit
from breathpace.safe_text import cut, printable
from breathpace.session.routines import Entry, routine_entries

#: Widest name and title column. A longer one is cut with "…", so one routine with a
#: long name does not push every other row (and the tags) off the screen.
NAME_WIDTH = 28
TITLE_WIDTH = 44
#: On a terminal, tags get what is left of the terminal, but never less than this.
MIN_TAGS_WIDTH = 20


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only routines with this tag.")
def list_cmd(tags: tuple[str, ...]) -> None:
    """List built-in and your own routines: name, title, length and tags."""
    settings_pace = settings_or_exit().pace
    builtin, user = routine_entries(settings_pace)
    # A file of the person's own with a built-in's name replaces it everywhere (their
    # edited copy wins); both rows say so, so nobody wonders which one `play` uses.
    shadowed = {e.name for e in builtin} & {e.name for e in user}
    sections = (
        ("Built-in routines", builtin, "(replaced by yours)"),
        (f"Your routines ({paths.user_routines_dir()})", user, "(yours, replaces the built-in)"),
    )
    for heading, entries, mark in sections:
        rows = [
            row
            for entry in entries
            if (row := _row(entry, tags, mark if entry.name in shadowed else "")) is not None
        ]
        click.echo(f"{heading}:")
        if not rows:
            click.echo("  (none)")
        valid = [r for r in rows if r[2]]
        widths = [
            max((len(r[i]) for r in (rows if i == 0 else valid)), default=0) for i in range(3)
        ]
        tags_width = _tags_width(widths)
        for name, title, length, tag_text in rows:
            tag_text = cut(tag_text, tags_width) if tags_width else tag_text
            click.echo(
                f"  {name.ljust(widths[0])}  {title.ljust(widths[1])}  "
                f"{length.rjust(widths[2])}  {tag_text}".rstrip()
            )
        click.echo()
    if settings_pace:
        click.echo(f"Lengths at your pace {printable(settings_pace)}, from settings.")


def _row(entry: Entry, tags: tuple[str, ...], mark: str = "") -> tuple[str, str, str, str] | None:
    """One row; `mark` follows the title (after the cut, so a long title never hides it)."""
    # A file name is not checked by anyone: it may hold control characters.
    name = cut(printable(entry.name), NAME_WIDTH)
    after = f" {mark}" if mark else ""
    if entry.routine is None:
        # The whole reason, last on its row (it widens no column): it is one line
        # already, with any quoted value cut short.
        return (name, f"(invalid: {entry.detail}){after}", "", "")
    routine = entry.routine
    if tags and not set(tags) <= set(routine.tags):
        return None
    level = f"L{routine.level} " if routine.level else ""
    title = cut(printable(routine.title), TITLE_WIDTH) + after
    length = fmt.length(entry.length_ms or 0)
    return (name, title, length, printable(level + ", ".join(routine.tags)))


def _tags_width(widths: list[int]) -> int | None:
    """What is left of the terminal line for the tags; None (whole) when not a terminal,
    where a script or a file wants every tag (the format caps them anyway)."""
    if not sys.stdout.isatty():
        return None
    columns = shutil.get_terminal_size((100, 24)).columns
    return max(MIN_TAGS_WIDTH, columns - 2 - sum(w + 2 for w in widths))
