"""Options and argument handling shared by the commands that take a ROUTINE.

The values are parsed and checked by `breathpace.session.options` (the one place, also
used by the interface); this module only declares the click options and turns a
`SessionError` into the commands' one-line exit-2 error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING

import click

from breathpace.commands.errors import InputError
from breathpace.routine.pattern import BreathPattern
from breathpace.session.errors import SessionError
from breathpace.session.routines import resolve_routine
from breathpace.session.values import parse_pace, parse_tempo

if TYPE_CHECKING:
    from breathpace.settings import Settings


@contextlib.contextmanager
def input_errors() -> Iterator[None]:
    """Bad input found while preparing a session: one line on stderr, exit 2."""
    try:
        yield
    except SessionError as exc:
        raise InputError(str(exc)) from None


def _parse_pace(ctx, param, value: str | None) -> BreathPattern | None:
    if value is None:
        return None
    with input_errors():
        return parse_pace(value)


def _parse_tempo(ctx, param, value: str | None) -> Fraction:
    with input_errors():
        return parse_tempo(value)


pace_option = click.option(
    "--pace",
    callback=_parse_pace,
    metavar="I-H-E-H",
    help="Breath pace inhale-hold-exhale-hold in seconds, e.g. 4-0-6-0.",
)
tempo_option = click.option(
    "--tempo",
    callback=_parse_tempo,
    metavar="SCALE",
    help="Stretch every breath and movement (1.2 = 20% slower).",
)


def resolve_or_exit(name_or_path: str):
    """Find and load a routine, or exit 2 with its one-line error."""
    with input_errors():
        return resolve_routine(name_or_path)


def settings_or_exit() -> Settings:
    """The settings file, or exit 2 naming the file and the key."""
    # Imported here: the settings name their backends from the audio registry, which
    # importing `check` or `preview` (that import this module) must not load.
    from breathpace.session.options import read_settings

    with input_errors():
        return read_settings()
