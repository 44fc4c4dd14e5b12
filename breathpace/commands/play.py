"""`breathpace play ROUTINE`: a guided session, full screen or `--plain`.

Every option defaults from the settings file; the command line overrides it. The sound
device is opened, and the Player built, before anything is drawn, so a device problem
is one line on stderr (exit 2) or, with `--audio auto`, a notice and a silent session.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from fractions import Fraction

import click

from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.commands.errors import InputError
from breathpace.commands.options import resolve_or_exit, tempo_option


def routine_to_play(resolved, say=None):
    """The one place where a found routine becomes the routine that is played: the
    file's routine with the person's accepted dose changes from the journal."""
    from breathpace.commands.options import dosed

    routine, changes = dosed(resolved)
    if say is not None:
        for change in changes:
            say(f"your dose: {change}")
    return routine


@click.command("play")
@click.argument("routine")
@click.option("--plain", is_flag=True, help="No full screen: one line per segment on stdout.")
@click.option("--audio", type=click.Choice(AUDIO_KINDS), default=None, help="Sound backend.")
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
) -> None:
    """Play ROUTINE (a built-in name, your routine's name, or a path)."""
    try:
        code = _play(
            routine, plain, audio, device, pace, tempo, theme, volume, voice, tick,
            breath_tone, watch, calm,
        )  # fmt: skip
    except KeyboardInterrupt:
        # Ctrl-C while the device was still opening: nothing to close or record yet.
        code = 130
    sys.exit(code)


def _play(
    name, plain, audio, device, pace_text, tempo, theme_name, volume, voice, tick,
    breath_tone, watch, calm,
) -> int:  # fmt: skip
    from breathpace.audio.backends import BackendError, open_backend
    from breathpace.audio.theme import ThemeError, load_theme
    from breathpace.routine.pattern import BreathPattern
    from breathpace.settings import SettingsError, blame, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise InputError(str(exc)) from None
    resolved = resolve_or_exit(name)

    pace_text = pace_text if pace_text is not None else settings.pace
    pace = None
    if pace_text is not None:
        try:
            pace = BreathPattern.parse(pace_text)
        except ValueError as exc:
            raise InputError(f"--pace: {exc} (found {pace_text!r})") from None
    if volume is None:
        volume = settings.volume
    if not (math.isfinite(volume) and 0 <= volume <= 1):
        raise InputError(f"--volume: must be between 0 and 1 (found {volume:g})")
    audio = audio or settings.audio
    device = device if device is not None else settings.device
    voice = settings.voice if voice is None else voice
    tick = settings.tick if tick is None else tick
    breath_tone = settings.breath_tone if breath_tone is None else breath_tone
    calm = calm or settings.reduced_motion
    try:
        theme = load_theme(theme_name or settings.theme)
    except ThemeError as exc:
        raise InputError(f"{blame('--theme', theme_name, 'theme')}: {exc}") from None

    lines: list[str] = []
    routine = routine_to_play(resolved, say=lines.append)

    # Compile once before touching the device: a routine too long at this pace is bad
    # input, reported like any other.
    from breathpace.timeline import compile

    try:
        timeline = compile(routine, pace, tempo)
    except ValueError as exc:
        raise InputError(f"{resolved.path}: {exc}") from None

    try:
        backend, notice = open_backend(audio, device)
    except BackendError as exc:
        raise InputError(f"--audio {audio}: {exc}") from None
    try:
        clips = None
        if voice and backend.name != "silent":
            clips, voice_notice = _voice_clips(timeline, backend.sample_rate)
            if voice_notice:
                lines.append(voice_notice)
        from breathpace.player import Player

        player = Player(
            routine,
            backend=backend,
            pace=pace,
            tempo_scale=tempo,
            theme=theme,
            volume=volume,
            tick=tick,
            breath_tone=breath_tone,
            voice=clips,
        )
        notice = "\n".join([*lines, notice] if notice else lines) or None
        if plain or importlib.util.find_spec("breathpace.tui.launch") is None:
            from breathpace.plain import run_plain

            return run_plain(player, resolved, notice=notice, mode="plain", watch=watch)
        from breathpace.tui.launch import run_play

        return run_play(player, resolved, watch=watch, calm=calm, settings=settings, notice=notice)
    finally:
        backend.close()


def _voice_clips(timeline, sample_rate: int):
    from breathpace.audio.voice import VoiceError, synthesize, voice_available, voice_lines

    if not voice_available():
        return None, "Voice: espeak-ng is not installed; the tones carry on."
    try:
        return synthesize(voice_lines(timeline).values(), sample_rate), None
    except VoiceError as exc:
        return None, f"Voice: {exc}; the tones carry on."
