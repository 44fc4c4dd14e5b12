"""`breathpace export --csv FILE`: the journal as one CSV row per session."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO, cast

import click

from breathpace.commands.errors import InputError
from breathpace.outfile import OutputPathError, atomic_output, check_output
from breathpace.safe_text import printable


@click.command("export")
@click.option(
    "--csv",
    "csv_path",
    required=True,
    metavar="FILE",
    help="Write the journal as CSV to FILE ('-' for standard output).",
)
def export_cmd(csv_path: str) -> None:
    """Export the journal (sessions, check-ins and next-day answers) as CSV."""
    from breathpace.commands.history import JournalUnavailable, journal_errors
    from breathpace.journal.db import JournalError, open_journal_for_reading
    from breathpace.journal.export import write_csv

    if csv_path != "-":
        try:
            check_output(csv_path)  # refused before the journal is even opened
        except OutputPathError as exc:
            raise InputError(f"--csv: {exc}") from None
    try:
        journal = open_journal_for_reading()  # a full disk must not stop an export
    except JournalError as exc:
        raise JournalUnavailable(str(exc)) from None
    for line in journal.notices:
        click.echo(f"breathpace: {printable(line)}", err=True)
    with journal, journal_errors(journal):
        if csv_path == "-":
            write_csv(journal, sys.stdout)
            return
        target = Path(csv_path)
        try:
            # Only an absent path or a plain file; written beside it and renamed, so a
            # failed export leaves the old file (and its mode) as it was.
            with atomic_output(target, binary=False, newline="", suffix=".csv") as fh:
                n = write_csv(journal, cast(TextIO, fh))  # opened as text
        except OutputPathError as exc:
            raise InputError(f"--csv: {exc}") from None
        except OSError as exc:
            raise InputError(
                f"--csv: {target} cannot be written ({exc.strerror or exc}); nothing was written"
            ) from None
    click.echo(f"Wrote {n} session{'' if n == 1 else 's'} to {printable(target)}.", err=True)
