"""`breathpace capsule`: play the short movement capsule that fits the time of day.

The choice of capsule is the pure `breathpace.capsule.capsule_for`; this module only
reads the local clock, finds the routine and hands it to `play`, so a capsule plays
(and is journalled) exactly like any other routine.
"""

from __future__ import annotations

import datetime as _dt

import click

from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.capsule import SLOTS, capsule_for, capsule_routine
from breathpace.commands.options import resolve_or_exit


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
@click.pass_context
def capsule_cmd(
    ctx: click.Context,
    slot: str | None,
    plain: bool,
    audio: str | None,
    print_only: bool,
    hour: int | None,
) -> None:
    """Play the 2-5 minute movement capsule for this time of day.

    SLOT is waking (04:00-10:59), sitting (11:00-17:59) or bedtime (18:00-03:59);
    without it the local time chooses.
    """
    if slot is None:
        slot = capsule_for(hour if hour is not None else _dt.datetime.now().hour)
    name = capsule_routine(slot)
    resolved = resolve_or_exit(name)

    if print_only:
        from breathpace import fmt
        from breathpace.timeline import compile

        length = fmt.length(compile(resolved.routine).duration_ms)
        click.echo(f"{slot}: {name} ({resolved.routine.title}, {length})")
        return

    try:
        from breathpace.commands.play import play_cmd
    except ModuleNotFoundError as exc:
        if exc.name != "breathpace.commands.play":
            raise
        raise click.ClickException(
            "playing is not available in this installation (no `play` command); "
            f"try `breathpace capsule {slot} --print`"
        ) from None

    # Pass only what `play` accepts, so an option it lacks never breaks the capsule. The
    # arguments go through play's own parser (not ctx.invoke with keywords), so its option
    # callbacks and defaults apply exactly as on the command line.
    accepted = {param.name for param in play_cmd.params}
    args = [name]
    if plain and "plain" in accepted:
        args.append("--plain")
    if audio is not None:
        if "audio" not in accepted:
            raise click.UsageError("--audio: the play command here has no audio choice")
        args += ["--audio", audio]
    with play_cmd.make_context("play", args, parent=ctx) as play_ctx:
        play_cmd.invoke(play_ctx)
