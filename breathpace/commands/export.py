"""`breathpace export --csv FILE`: the journal as one CSV row per session."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from breathpace.commands.errors import InputError
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
    from breathpace.journal.db import JournalError, open_journal
    from breathpace.journal.export import write_csv

    try:
        journal = open_journal()
    except JournalError as exc:
        raise JournalUnavailable(str(exc)) from None
    if journal.notice:
        click.echo(f"breathpace: {printable(journal.notice)}", err=True)
    with journal, journal_errors(journal):
        if csv_path == "-":
            write_csv(journal, sys.stdout)
            return
        target = Path(csv_path)
        if target.is_dir():
            raise InputError(f"--csv: {target} is a folder; give a file name")
        if not target.parent.is_dir():
            raise InputError(f"--csv: {target.parent} does not exist")
        # Written beside the target and renamed, so a failed export leaves no half file.
        try:
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".breathpace-", suffix=".csv")
        except OSError as exc:
            raise InputError(
                f"--csv: cannot write in {target.parent} ({exc.strerror or exc})"
            ) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                n = write_csv(journal, fh)
                fh.flush()
                os.fsync(fh.fileno())  # a full disk may only say so here
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise InputError(
                f"--csv: {target} cannot be written ({exc.strerror or exc}); nothing was written"
            ) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    click.echo(f"Wrote {n} session{'' if n == 1 else 's'} to {printable(target)}.", err=True)
