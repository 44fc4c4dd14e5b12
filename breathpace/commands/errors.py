"""The one way every command reports bad input: a single line and exit status 2."""

from __future__ import annotations

import click


class InputError(click.ClickException):
    """Bad input from the person (a routine, a pace, a file): one line, exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"breathpace: {self.format_message()}", err=True)
