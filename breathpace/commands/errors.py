"""The one way every command reports bad input: a single line and exit status 2."""

from __future__ import annotations

import click

from breathpace.safe_text import printable


class InputError(click.ClickException):
    """Bad input from the person (a routine, a pace, a file): one line, exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        # The message may quote a file name or a value from a file: shown printable.
        click.echo(f"breathpace: {printable(self.format_message())}", err=True)
