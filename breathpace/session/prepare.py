"""Preparing a session: routine, effective dose, theme and timeline, resolved once.

`prepare()` turns "a routine name (or a routine built on the spot) plus the session
options" into everything a session needs before a sound device is touched: the routine
as it will be played (its dose decided by `effective_dose`), the sound theme, and the
timeline compiled once. Bad input of any kind is a `SessionError` with one line naming
its source, raised before anything opens. `voice_clips` is the one place spoken cues
are synthesised (play, render and the interface).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breathpace.audio.theme import Theme, ThemeError, load_theme
from breathpace.library import Resolved, looks_like_path
from breathpace.routine.model import Routine
from breathpace.session.dose import Dose, dose_for
from breathpace.session.errors import SessionError
from breathpace.session.options import SessionOptions
from breathpace.session.routines import resolve_routine
from breathpace.session.start import StartAt, resume, start_from
from breathpace.timeline import Timeline, compile


@dataclass(frozen=True)
class Prepared:
    """A session ready to open: nothing in it touches a device or the journal."""

    name: str
    """The routine's name as the journal records it."""
    path: Path | None
    """The routine file (watched with --watch), or None for a routine built on the spot."""
    source: str
    """What the journal records as the session's source (the file, or e.g. "breathe")."""
    options: SessionOptions
    dose: Dose
    theme: Theme
    timeline: Timeline
    """The timeline, compiled once, at the effective dose."""
    start: StartAt = field(default_factory=StartAt)
    """Where it begins (`--from`, `--resume`): the start unless asked."""
    play_as: str | None = None
    """What the person typed to play it (`breathpace play X`), for the commands the
    summary suggests: a path when it was played by path; None for a routine built on
    the spot or chosen on a screen (its name then finds it)."""

    @property
    def routine(self) -> Routine:
        return self.dose.routine

    @property
    def notices(self) -> tuple[str, ...]:
        """What the person should read before it starts: their accepted dose changes,
        and where it begins when not at the start."""
        notes = tuple(f"your dose: {change}" for change in self.dose.changes)
        return notes + ((self.start.note,) if self.start.note else ())


def load_session_theme(options: SessionOptions, *, lenient: bool = False) -> Theme:
    """The theme the options name. `lenient` falls back to the default theme (the
    interface, where a bad theme in the settings must not keep a session from starting).
    Its samples are decoded now only when the session may play sound (not with
    `--audio none`): a bad sample is then one line before anything opens."""
    decode = options.audio != "none"
    try:
        return load_theme(options.theme, decode=decode)
    except ThemeError as exc:
        if lenient:
            return load_theme(None, decode=decode)
        raise SessionError(f"{options.theme_from}: {exc}") from None


def compile_timeline(routine: Routine, dose: Dose, where: str) -> Timeline:
    """The timeline at `dose`; a routine too long at this pace is bad input, one line."""
    try:
        return compile(routine, dose.pace, dose.tempo)
    except ValueError as exc:
        raise SessionError(f"{where}: {exc}") from None


def prepare(
    routine: str | Resolved,
    options: SessionOptions,
    *,
    personal_pace: bool = True,
    journal_dose: bool = True,
    source: str | None = None,
    lenient_theme: bool = False,
    from_item: str | None = None,
    resume_last: bool = False,
) -> Prepared:
    """Everything a session needs before a device opens, for a routine name, path, or
    an already found (or built) routine. `personal_pace=False` keeps the routine's own
    pattern (a breathing practice); `journal_dose=False` leaves out accepted dose
    changes (a practice built on the spot). `from_item` (a number or a name) begins at
    that item; `resume_last` carries on the routine's last unfinished session."""
    resolved = resolve_routine(routine) if isinstance(routine, str) else routine
    dose = dose_for(
        resolved.name,
        resolved.routine,
        options,
        personal_pace=personal_pace,
        journal=journal_dose,
    )
    theme = load_session_theme(options, lenient=lenient_theme)
    timeline = compile_timeline(dose.routine, dose, str(resolved.path))
    start = StartAt()
    if resume_last:
        start = resume(resolved.name, dose.routine, timeline)
    elif from_item is not None:
        start = start_from(dose.routine, timeline, from_item)
    return Prepared(
        play_as=routine if isinstance(routine, str) and looks_like_path(routine) else None,
        name=resolved.name,
        path=Path(resolved.path) if source is None else None,
        source=source if source is not None else str(resolved.path),
        options=options,
        dose=dose,
        theme=theme,
        timeline=timeline,
        start=start,
    )


def voice_clips(
    timeline: Timeline, sample_rate: int
) -> tuple[Mapping[str, Any] | None, str | None]:
    """Spoken cues for `timeline`: (clips, None), or (None, why not) when espeak-ng is
    missing or fails; the tones carry the session either way."""
    # Imported here: voice synthesis needs numpy, which `list`, `check` and `preview`
    # (that import this module for the dose) must not load.
    from breathpace.audio.voice import VoiceError, synthesize, voice_available, voice_lines

    if not voice_available():
        return None, "espeak-ng is not installed"
    try:
        return synthesize(voice_lines(timeline).values(), sample_rate), None
    except VoiceError as exc:
        return None, str(exc)
