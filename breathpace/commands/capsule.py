"""`breathpace capsule`: play the short movement capsule that fits the time of day.

The slot is the pure `breathpace.capsule.capsule_for` of the hour, and the capsule is
the slot's turn of the day among the person's capsules for it (`breathpace day` lists
them; the built-in three take turns by default), the same one the day plan shows. This
module only reads the local clock and the settings, finds the routine and hands it to
the session runner, so a capsule plays (and is journalled) like any other routine.
"""

from __future__ import annotations

import datetime as _dt
import sys

import click

from breathpace import fmt
from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.capsule import CAPSULE_VARIANTS, SLOTS, capsule_for, capsule_of_the_day
from breathpace.commands.options import input_errors, resolve_or_exit, settings_or_exit
from breathpace.commands.playing import play_prepared
from breathpace.safe_text import printable
from breathpace.session.dose import personal_dose
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare
from breathpace.timeline import compile


@click.command("capsule")
@click.argument("slot", required=False, type=click.Choice(SLOTS), metavar="[SLOT]")
@click.option("--plain", is_flag=True, help="No full-screen interface: one line per cue.")
@click.option(
    "--audio",
    type=click.Choice(AUDIO_KINDS),
    default=None,
    help="Sound backend (default: your setting, else auto).",
)
@click.option(
    "--print",
    "print_only",
    is_flag=True,
    help="Only say which capsule it would be and how long it takes; play nothing.",
)
@click.option(
    "--hour",
    type=click.IntRange(0, 23),
    default=None,
    hidden=True,
    help="Choose as if it were this hour (0-23) instead of the local time.",
)
@click.option(
    "--date",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    hidden=True,
    help="Choose as if it were this day (YYYY-MM-DD) instead of today.",
)
def capsule_cmd(
    slot: str | None,
    plain: bool,
    audio: str | None,
    print_only: bool,
    hour: int | None,
    on_date: _dt.datetime | None,
) -> None:
    """Play the 2-5 minute movement capsule for this time of day.

    SLOT is waking (04:00-10:59), sitting (11:00-17:59) or bedtime (18:00-03:59);
    without it the local time chooses.
    """
    now = _dt.datetime.now()
    if slot is None:
        slot = capsule_for(hour if hour is not None else now.hour)
    settings = settings_or_exit()
    choices = settings.day.capsules(slot) if settings.day else CAPSULE_VARIANTS[slot]
    name = capsule_of_the_day(choices, (on_date or now).date())
    resolved = resolve_or_exit(name)

    if print_only:
        dose = personal_dose(name, resolved.routine, settings.pace)
        length = fmt.length(compile(dose.routine, dose.pace, dose.tempo).duration_ms)
        click.echo(f"{slot}: {printable(name)} ({printable(resolved.routine.title)}, {length})")
        return

    # Played exactly as `breathpace play NAME` plays it (same options, dose, journal).
    with input_errors():
        prepared = prepare(resolved, session_options(Overrides(audio=audio)))
    sys.exit(play_prepared(prepared, plain=plain))
