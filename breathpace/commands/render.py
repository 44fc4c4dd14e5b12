"""`breathpace render ROUTINE -o FILE`: a guided audio track to play anywhere.

The mixer renders the session in blocks of a few seconds straight into the file (WAV,
MP3, FLAC or Ogg Vorbis, as its name says; see `breathpace.track`), so memory stays
flat however long the session is, and the file holds exactly the samples the live
player would have played, with chapters and figures where the format carries them.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import click

from breathpace.audio.mixer import SAMPLE_RATE
from breathpace.commands.errors import InputError
from breathpace.commands.options import input_errors, pace_option, tempo_option
from breathpace.outfile import OutputPathError, check_output
from breathpace.safe_text import printable
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare, voice_clips
from breathpace.track.build import session_mixer, write_session
from breathpace.track.encode import FormatError, track_format


@click.command("render")
@click.argument("routine")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write: .wav, .mp3, .flac or .ogg (absent, or a plain file to replace).",
)
@pace_option
@tempo_option
@click.option("--theme", default=None, metavar="NAME|FILE", help="Sound theme (default: soft).")
@click.option("--tick", is_flag=True, help="A soft tick each second.")
@click.option("--breath-tone", is_flag=True, help="A quiet tone that follows the breath.")
@click.option("--voice", is_flag=True, help="Speak the cues (needs espeak-ng).")
def render_cmd(
    routine: str,
    output: Path,
    pace,
    tempo: Fraction,
    theme: str | None,
    tick: bool,
    breath_tone: bool,
    voice: bool,
) -> None:
    """Render ROUTINE (a built-in name, your routine's name, or a path) to an audio file:
    WAV, or MP3 / FLAC / Ogg Vorbis with chapters (and, in MP3, a figure per chapter)."""
    try:
        check_output(output)  # a folder, device, FIFO or link: refused before any work
    except OutputPathError as exc:
        raise InputError(f"--output: {exc}") from None
    try:
        track_format(output)
    except FormatError as exc:
        raise InputError(str(exc)) from None
    overrides = Overrides(pace=pace, tempo=tempo, theme=theme)
    with input_errors():
        # The same effective dose as `play` (personal pace, accepted changes); render's
        # sound switches are its own flags, off unless given.
        options = session_options(overrides)
        prepared = prepare(routine, options)
    timeline, sound = prepared.timeline, prepared.theme

    clips = None
    if voice:
        clips, problem = voice_clips(timeline, SAMPLE_RATE)
        if problem:
            click.echo(f"breathpace: --voice: {printable(problem)}; tones only", err=True)

    mixer = session_mixer(prepared, tick=tick, breath_tone=breath_tone, voice=clips)
    try:
        write_session(output, prepared, mixer)
    except OutputPathError as exc:
        raise InputError(f"--output: {exc}") from None
    except OSError as exc:
        raise InputError(f"{output}: cannot be written ({exc.strerror or exc})") from None
    seconds = mixer.total_frames / SAMPLE_RATE
    click.echo(
        f"wrote {printable(output)} ({int(seconds // 60)} min {seconds % 60:.0f} s, "
        f"{SAMPLE_RATE} Hz mono, theme {sound.name}, {prepared.dose.describe()})"
    )
