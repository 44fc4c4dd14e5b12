"""`breathpace render ROUTINE -o FILE.wav`: a guided audio track to play anywhere.

The mixer renders the session in blocks of a few seconds straight into the WAV file,
so memory stays flat however long the session is, and the file holds exactly the
samples the live player would have played.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import click

from breathpace.commands.errors import InputError
from breathpace.commands.options import pace_option, resolve_or_exit, tempo_option

BLOCK_SECONDS = 10


@click.command("render")
@click.argument("routine")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The WAV file to write.",
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
    """Render ROUTINE (a built-in name, your routine's name, or a path) to a WAV file."""
    resolved = resolve_or_exit(routine)

    from breathpace.audio.mixer import SAMPLE_RATE, Mixer
    from breathpace.audio.theme import ThemeError, load_theme
    from breathpace.audio.wavfile import WavWriter
    from breathpace.timeline import compile

    try:
        sound = load_theme(theme)
    except ThemeError as exc:
        raise InputError(f"--theme: {exc}") from None
    try:
        timeline = compile(resolved.routine, pace, tempo)
    except ValueError as exc:
        raise InputError(f"{resolved.path}: {exc}") from None

    clips = None
    if voice:
        clips = _voice_clips(timeline, SAMPLE_RATE)

    mixer = Mixer(timeline, sound, SAMPLE_RATE, tick=tick, breath_tone=breath_tone, voice=clips)
    block = BLOCK_SECONDS * SAMPLE_RATE
    try:
        with WavWriter(output, SAMPLE_RATE) as out:
            for start in range(0, mixer.total_frames, block):
                out.write(mixer.render(start, min(block, mixer.total_frames - start)))
    except OSError as exc:
        raise InputError(f"{output}: cannot be written ({exc.strerror or exc})") from None
    seconds = mixer.total_frames / SAMPLE_RATE
    click.echo(
        f"wrote {output} ({int(seconds // 60)} min {seconds % 60:.0f} s, "
        f"{SAMPLE_RATE} Hz mono, theme {sound.name})"
    )


def _voice_clips(timeline, sample_rate: int):
    from breathpace.audio.voice import VoiceError, synthesize, voice_available, voice_lines

    if not voice_available():
        click.echo("breathpace: --voice: espeak-ng is not installed; tones only", err=True)
        return None
    try:
        return synthesize(voice_lines(timeline).values(), sample_rate)
    except VoiceError as exc:
        click.echo(f"breathpace: --voice: {exc}; tones only", err=True)
        return None
