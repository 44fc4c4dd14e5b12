"""`breathpace play ROUTINE`: a guided session, full screen or `--plain`.

Every option defaults from the settings file; the command line overrides it
(`breathpace.session.options`). The session is prepared (routine, dose, theme, timeline)
and the sound device opened before anything is drawn, so bad input or a device problem
is one line on stderr (exit 2) or, with `--audio auto`, a notice and a silent session.
"""

from __future__ import annotations

import sys
from fractions import Fraction

import click

from breathpace.commands.options import input_errors, tempo_option
from breathpace.commands.playing import audio_option, play_prepared
from breathpace.session.errors import SessionError
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare


@click.command("play")
@click.argument("routine")
@click.option("--plain", is_flag=True, help="No full screen: one line per segment on stdout.")
@audio_option
@click.option("--device", default=None, help="Audio output device, by name or number.")
@click.option("--pace", default=None, metavar="I-H-E-H", help="Breath pace, e.g. 4-0-6-0.")
@tempo_option
@click.option("--theme", default=None, metavar="NAME|FILE", help="Sound theme (soft, clear…).")
@click.option("--volume", type=float, default=None, help="Volume from 0 to 1.")
@click.option("--voice/--no-voice", default=None, help="Speak the cues (needs espeak-ng).")
@click.option("--tick/--no-tick", default=None, help="A soft tick each second.")
@click.option(
    "--breath-tone/--no-breath-tone", default=None, help="A quiet tone that follows the breath."
)
@click.option("--watch", is_flag=True, help="Reload the routine file when it is saved.")
@click.option("--calm", is_flag=True, help="No animation: a steady bar and words.")
@click.option(
    "--from",
    "from_item",
    default=None,
    metavar="N|NAME",
    help="Start at item N (its number, or the exercise's name).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Carry on the last unfinished session of ROUTINE from its last finished rep.",
)
def play_cmd(
    routine: str,
    plain: bool,
    audio: str | None,
    device: str | None,
    pace: str | None,
    tempo: Fraction,
    theme: str | None,
    volume: float | None,
    voice: bool | None,
    tick: bool | None,
    breath_tone: bool | None,
    watch: bool,
    calm: bool,
    from_item: str | None,
    resume: bool,
) -> None:
    """Play ROUTINE (a built-in name, your routine's name, or a path)."""
    overrides = Overrides(
        audio=audio,
        device=device,
        pace=pace,
        tempo=tempo,
        theme=theme,
        volume=volume,
        voice=voice,
        tick=tick,
        breath_tone=breath_tone,
        calm=calm,
        watch=watch,
    )
    with input_errors():
        if resume and from_item is not None:
            raise SessionError("--resume: give it without --from (it starts where you stopped)")
        prepared = prepare(
            routine, session_options(overrides), from_item=from_item, resume_last=resume
        )
    sys.exit(play_prepared(prepared, plain=plain))
