"""Session options: the person's settings with the command line laid over them.

Every command that plays or renders a session takes the same handful of options (sound
backend and device, pace, tempo, theme, volume, voice, tick, breath tone, calm, watch).
Each defaults from the settings file; a value given on the command line wins. They are
merged and checked here, once, and a bad value is reported with where it came from: the
settings file and its key, or the command-line option.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from breathpace import paths
from breathpace.audio.backends import KINDS
from breathpace.routine.pattern import BreathPattern
from breathpace.safe_text import printable
from breathpace.session.errors import SessionError
from breathpace.session.values import check_volume, parse_pace, parse_tempo
from breathpace.settings import Settings, SettingsError, load_settings

#: The sound backends a person can choose, from the one registry (which is light: it
#: imports no audio library).
AUDIO_KINDS = KINDS


@dataclass(frozen=True)
class Overrides:
    """What the command line said; None means "not given: use the settings"."""

    audio: str | None = None
    device: str | None = None
    pace: str | BreathPattern | None = None
    tempo: Fraction | None = None
    theme: str | None = None
    volume: float | None = None
    voice: bool | None = None
    tick: bool | None = None
    breath_tone: bool | None = None
    calm: bool | None = None
    watch: bool = False


@dataclass(frozen=True)
class SessionOptions:
    """The options a session is played with, merged and checked."""

    settings: Settings
    audio: str
    audio_from: str
    """Where `audio` came from, for its error message: "--audio KIND" or "<file>: audio"."""
    device: str | None
    pace: BreathPattern | None
    """The pace asked for (command line or settings); None keeps the routine's own."""
    pace_from: str | None
    """Where `pace` came from: "--pace", "settings", or None when there is none."""
    tempo: Fraction
    theme: str
    theme_from: str
    """Where `theme` came from, for its error message: "--theme" or "<file>: theme"."""
    volume: float
    voice: bool
    tick: bool
    breath_tone: bool
    calm: bool
    watch: bool
    device_from: str = "--device"
    """Where `device` came from, for its error message: "--device" or "<file>: device"."""


def settings_source(key: str) -> str:
    """How an error names a settings key: `/home/…/settings.toml: pace`."""
    return f"{printable(str(paths.settings_file()))}: {key}"


def read_settings() -> Settings:
    """The settings file, or SessionError naming the file and the key."""
    try:
        return load_settings()
    except SettingsError as exc:
        raise SessionError(str(exc)) from None


def session_options(
    overrides: Overrides | None = None, *, settings: Settings | None = None
) -> SessionOptions:
    """The settings (read from the file unless given) with `overrides` laid over them."""
    given = overrides or Overrides()
    settings = settings if settings is not None else read_settings()

    if given.audio is not None and given.audio not in AUDIO_KINDS:
        raise SessionError(
            f"--audio: unknown backend {given.audio!r} (choose from {', '.join(AUDIO_KINDS)})"
        )
    pace: BreathPattern | None
    if isinstance(given.pace, BreathPattern):
        pace, pace_from = given.pace, "--pace"
    elif given.pace is not None:
        pace, pace_from = parse_pace(given.pace), "--pace"
    elif settings.pace is not None:
        pace, pace_from = parse_pace(settings.pace, settings_source("pace")), "settings"
    else:
        pace, pace_from = None, None

    if given.volume is not None:
        volume = check_volume(given.volume)
    else:
        volume = check_volume(settings.volume, settings_source("volume"))

    def pick(value, default):
        return default if value is None else value

    return SessionOptions(
        settings=settings,
        audio=given.audio or settings.audio,
        audio_from=f"--audio {given.audio}" if given.audio else settings_source("audio"),
        device=pick(given.device, settings.device),
        pace=pace,
        pace_from=pace_from,
        tempo=parse_tempo(given.tempo),
        theme=given.theme or settings.theme,
        theme_from="--theme" if given.theme else settings_source("theme"),
        volume=volume,
        voice=pick(given.voice, settings.voice),
        tick=pick(given.tick, settings.tick),
        breath_tone=pick(given.breath_tone, settings.breath_tone),
        calm=bool(given.calm) or settings.reduced_motion,
        watch=given.watch,
        device_from="--device" if given.device is not None else settings_source("device"),
    )
