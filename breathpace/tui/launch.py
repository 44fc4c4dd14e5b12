"""Entry points into the interface: `breathpace` (home) and `breathpace play` (a session).

Both open the audio backend before Textual draws anything, and both make sure a session
that is cut short (q, Ctrl-C, SIGTERM, SIGHUP, or a crash) is closed in the journal and
the terminal is given back in a normal state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from breathpace.settings import Settings


def build_player(routine, *, settings: Settings, backend: Any, personal_pace: bool = True, tempo=1):
    """A Player for a routine chosen inside the interface, set up from the settings.

    `personal_pace=False` keeps the routine's own pace (a breathing practice whose
    pattern is the point)."""
    from breathpace.audio.theme import ThemeError, load_theme
    from breathpace.player import Player
    from breathpace.routine.pattern import BreathPattern

    pace = BreathPattern.parse(settings.pace) if settings.pace and personal_pace else None
    try:
        theme = load_theme(settings.theme)
    except ThemeError:
        theme = load_theme(None)
    voice = None
    if settings.voice and backend.name != "silent":
        voice = _voice_clips(routine, pace, backend.sample_rate)
    return Player(
        routine,
        backend=backend,
        pace=pace,
        theme=theme,
        volume=settings.volume,
        tick=settings.tick,
        breath_tone=settings.breath_tone,
        voice=voice,
        tempo_scale=tempo,
    )


def _voice_clips(routine, pace, sample_rate: int):
    """Spoken cues when espeak-ng is there; without it the tones carry the session."""
    from breathpace.audio.voice import VoiceError, synthesize, voice_available, voice_lines
    from breathpace.timeline import compile

    if not voice_available():
        return None
    try:
        return synthesize(voice_lines(compile(routine, pace)).values(), sample_rate)
    except VoiceError:
        return None


def routine_with_dose(resolved):
    """The routine as it is played from the command line: with the person's accepted
    dose changes from the journal, when that part is installed."""
    import importlib.util

    if importlib.util.find_spec("breathpace.commands.play") is None:
        return resolved.routine
    from breathpace.commands.play import routine_to_play

    try:
        return routine_to_play(resolved)
    except Exception:  # a journal problem must never keep a routine from playing
        return resolved.routine


def load_settings_or_exit() -> Settings:
    from breathpace.commands.errors import InputError
    from breathpace.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        raise InputError(str(exc)) from None


def open_backend_or_exit(settings: Settings):
    from breathpace.audio.backends import BackendError, open_backend
    from breathpace.commands.errors import InputError

    try:
        return open_backend(settings.audio, settings.device)
    except BackendError as exc:
        raise InputError(str(exc)) from None


def run_home() -> None:
    """`breathpace` with no command: the home screen."""
    from breathpace.tui.app import BreathpaceApp

    settings = load_settings_or_exit()
    backend, notice = open_backend_or_exit(settings)
    app = BreathpaceApp(settings=settings, backend=backend, notice=notice)
    try:
        app.run()
    finally:
        _close_sessions(
            app, "crashed" if app.return_code and not app.exit_status else "interrupted"
        )
        backend.close()
    if app.exit_status:
        raise SystemExit(app.exit_status)


def run_breathe(*, settings: Settings | None = None, calm: bool = False) -> int:
    """`breathpace breathe` without a choice: the Breathe screen."""
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.breathe import BreatheScreen

    settings = settings or load_settings_or_exit()
    backend, notice = open_backend_or_exit(settings)
    app = BreathpaceApp(
        settings=settings,
        backend=backend,
        notice=notice,
        calm=calm or settings.reduced_motion,
        first=BreatheScreen,
    )
    app.breathe_only = True
    try:
        app.run()
    finally:
        _close_sessions(app)
        backend.close()
    return app.exit_status


def run_play(
    player,
    resolved,
    *,
    watch: bool,
    calm: bool,
    settings: Settings,
    notice: str | None,
    source: str | None = None,
    clock: Any = None,
) -> int:
    """Play one session full screen; returns the exit status (0 after q or the end)."""
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen
    from breathpace.tui.session import Session

    if source is None:
        source = str(resolved.path)  # as the plain mode records it
    session = Session(player, routine_name=resolved.name, source=source, mode="tui")
    watch_path: Path | None = Path(resolved.path) if watch else None

    def first() -> PlayerScreen:
        return PlayerScreen(session, watch=watch_path, calm=calm, standalone=True)

    app = BreathpaceApp(
        settings=settings,
        backend=getattr(player, "backend", None),
        clock=clock,
        first=first,
        calm=calm,
        notice=notice,
    )
    try:
        app.run()
    finally:
        # Whatever ended the app, the journal gets exactly one outcome. Textual
        # catches a crash inside the app, restores the terminal and sets return_code.
        crashed = app.exit_status == 0 and bool(app.return_code)
        _close_sessions(app, "crashed" if crashed else "interrupted")
    if app.exit_status == 0 and app.return_code:
        return int(app.return_code)
    return app.exit_status


def _close_sessions(app, outcome: str = "interrupted") -> None:
    for session in app.sessions:
        if session.started and not session.ended:
            session.end(outcome)


__all__ = [
    "build_player",
    "load_settings_or_exit",
    "open_backend_or_exit",
    "run_breathe",
    "run_home",
    "run_play",
]
