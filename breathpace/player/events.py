"""What a session says while it plays: the Player's state and its typed events.

They live in the player package, below everything that emits or hears them (the
session runner, its journal recorder, the screen and the plain mode), and apart from
the Player itself so that those can match on them (`isinstance`, `match`) without
importing numpy or an audio backend: this module imports only the pure timeline and
pattern types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from breathpace.routine.pattern import BreathPattern
from breathpace.timeline.segment import Segment


class PlayerState(StrEnum):
    READY = "ready"
    PLAYING = "playing"
    PAUSED = "paused"
    WAITING = "waiting"
    """Held at the start of a WAIT segment (wait_for_ready) until confirm_ready()."""
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True)
class SegmentChanged:
    segment: Segment
    previous: Segment | None


@dataclass(frozen=True)
class StateChanged:
    state: PlayerState


@dataclass(frozen=True)
class PaceChanged:
    pace: BreathPattern
    tempo_scale: Fraction
    pending: bool
    """True when requested (it applies at the next rep boundary), False when applied."""


@dataclass(frozen=True)
class Notice:
    """One line for the person (the runner gathers them; the renderers show them)."""

    text: str
    warning: bool = False
    """Something went wrong that the person should know of (the journal cannot be
    written); the session goes on."""


@dataclass(frozen=True)
class Reloaded:
    ok: bool
    error: str | None


Event = SegmentChanged | StateChanged | PaceChanged | Notice | Reloaded
