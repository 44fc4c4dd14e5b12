"""What one stretch of a session is: the record every consumer of the timeline reads.

A segment is immutable and carries everything the player, the mixer, the screen, the
plain mode and the journal need, so none of them has to look back at the routine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    LEAD_IN = "lead-in"
    PHASE = "phase"
    REST = "rest"
    SWITCH = "switch-sides"
    TRANSITION = "transition"
    WAIT = "wait"
    END = "end"


class Breath(StrEnum):
    INHALE = "inhale"
    EXHALE = "exhale"
    HOLD = "hold"
    FREE = "free"


class Mark(StrEnum):
    """Cue marks. PHASE_START sounds at the segment's start; the *_END marks sound at its
    end (the next segment's start); HALFWAY sounds at `Segment.halfway_ms`."""

    PHASE_START = "phase-start"
    REP_END = "rep-end"
    SET_END = "set-end"
    EXERCISE_END = "exercise-end"
    SESSION_END = "session-end"
    HALFWAY = "halfway"


@dataclass(frozen=True, slots=True)
class Segment:
    """One contiguous stretch of the session with one breath and one movement."""

    index: int
    """Position in the timeline, from 0."""
    kind: Kind
    start_ms: int
    """Absolute start, integer milliseconds from the session start."""
    duration_ms: int
    exercise: int
    """1-based item number; 0 for the lead-in, len(items)+1 for the end."""
    exercise_name: str
    side: str | None
    """"left", "right" or None."""
    set: int
    sets: int
    rep: int
    """1-based rep within the set (and side); 0 outside reps."""
    reps: int
    move: str
    """Movement label shown with the breath word, e.g. "lift", "rest", "switch sides"."""
    breath: Breath
    effort: bool
    marks: frozenset[Mark]
    halfway_ms: int | None = None
    """Absolute time of the halfway cue, when the segment has one."""
    cue: str | None = None
    """The cue of the phase this segment plays (a phase's `cue`, or the tempo part's entry
    in `part_cues`); None when that phase has none and outside phases. It is always this
    phase's own words, never another phase's, so it can be shown and spoken as is."""

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    @property
    def is_rep(self) -> bool:
        return self.kind is Kind.PHASE and self.rep > 0

    @property
    def phase_word(self) -> str:
        """INHALE / EXHALE / HOLD / BREATHE, or the kind's own word outside phases."""
        if self.kind is Kind.PHASE:
            return {
                Breath.INHALE: "INHALE",
                Breath.EXHALE: "EXHALE",
                Breath.HOLD: "HOLD",
                Breath.FREE: "BREATHE",
            }[self.breath]
        return {
            Kind.LEAD_IN: "GET READY",
            Kind.REST: "REST",
            Kind.SWITCH: "SWITCH SIDES",
            Kind.TRANSITION: "NEXT",
            Kind.WAIT: "GET READY",
            Kind.END: "DONE",
        }[self.kind]
