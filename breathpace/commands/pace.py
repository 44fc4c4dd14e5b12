"""`breathpace pace [I-H-E-H] [--reset]`: see, set or clear the personal breath pace.

The personal pace (also found with Find my pace) replaces every routine's own pace, so
whenever this shows or sets one it says what that does to the routines' lengths.
"""

from __future__ import annotations

import click

from breathpace import paths
from breathpace.commands.errors import InputError
from breathpace.pace_effect import check_personal, describe, examples
from breathpace.routine.pattern import BreathPattern
from breathpace.safe_text import printable, quote
from breathpace.settings import (
    SettingsError,
    load_settings,
    save_settings,
    settings_without_pace,
)


@click.command("pace")
@click.argument("pattern", required=False, metavar="[I-H-E-H]")
@click.option("--reset", is_flag=True, help="Clear it: each routine uses its own pace again.")
def pace_cmd(pattern: str | None, reset: bool) -> None:
    """Show your personal breath pace, set it (e.g. `breathpace pace 5-0-7-0`), or
    --reset it so each routine breathes at its own pace again."""
    if pattern is not None and reset:
        raise InputError("give a pace or --reset, not both")
    pace = None
    if pattern is not None:
        try:
            pace = BreathPattern.parse(pattern)
            check_personal(pace)
        except ValueError as exc:
            raise InputError(f"PACE: {exc} (found {quote(pattern)})") from None
    where = printable(paths.settings_file())
    if reset:
        # Read without the pace: a pace the file cannot hold must not stop its own reset.
        try:
            settings, found = settings_without_pace()
        except SettingsError as exc:
            raise InputError(str(exc)) from None
        if found is None:
            click.echo("You have no personal pace: each routine uses its own pace.")
            return
        _save(save_settings, settings, where)
        click.echo(f"Cleared your personal pace {_as_found(found)} (in {where}).")
        click.echo("Each routine uses its own pace again (most use 4-0-6-0).")
        return
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise InputError(str(exc)) from None

    if pace is not None:
        _save(save_settings, settings.model_copy(update={"pace": str(pace)}), where)
        click.echo(f"Saved your personal pace {pace} in {where}.")
        _effect(pace)
        return
    if settings.pace is None:
        click.echo("You have no personal pace: each routine uses its own pace (most use 4-0-6-0).")
        click.echo(
            "Set one with `breathpace pace 5-0-7-0`, or find yours with Find my pace "
            "(`breathpace breathe`, then `f`)."
        )
        click.echo(f"It would be kept in {where}.")
        return
    click.echo(f"Your personal pace: {settings.pace} (from {where}).")
    _effect(BreathPattern.parse(settings.pace))
    click.echo(
        "Every routine plays at it instead of its own pace. Change it with "
        "`breathpace pace I-H-E-H`, clear it with `breathpace pace --reset`."
    )


def _effect(pace) -> None:
    first, *routines = describe(pace, examples())
    click.echo(first)
    for line in routines:
        click.echo(f"  {line}")


def _save(save, settings, where) -> None:
    try:
        save(settings)
    except OSError as exc:
        raise InputError(f"{where}: cannot be written ({exc.strerror or exc})") from None


def _as_found(value: object) -> str:
    """A pace read from the file as the person would recognise it: as written when it
    is one, quoted and cut short when it is not (a number, a 0.1 s breath, junk)."""
    from breathpace.pace_effect import check_personal
    from breathpace.routine.pattern import BreathPattern

    if isinstance(value, str):
        try:
            check_personal(BreathPattern.parse(value))
            return value
        except ValueError:
            return quote(value)
    return quote(repr(value))
