"""What the figure shows at any moment of a session, from the timeline segment alone.

The player knows a position and the segment it falls in; the figure needs the pose the
body started the current movement in, the pose it is moving to and how far along it is.
A segment does not carry its phase number, so this module counts it from the segment's
place inside its rep (a hold given in breaths plays as several breath segments). Every
answer is a function of the routine, the timeline, the segment and the position: a seek,
a skip, a pause or a new pace lands on the right pose without replaying history.

Pure: no Textual, no numpy, no files.
"""

from __future__ import annotations

from dataclasses import dataclass

from breathpace.figures.track import START, phase_poses, rep_end_pose, rep_targets
from breathpace.routine.model import Breathing, Exercise, Length, Routine
from breathpace.timeline import Kind, Segment, Timeline

GET_READY = "Get into this position"


@dataclass(frozen=True)
class Shot:
    """One picture of the figure: which item's figure, from which pose to which, and how
    far (x, 0..1, before easing). `target` None is a still picture of `start`."""

    item: int
    """1-based item number whose `figure` is drawn."""
    start: str
    target: str | None
    x: float
    mirror: bool
    breathing: bool = False
    """A breathing block: the belly and ribs follow the breath (the caller's level)."""
    caption: str = ""
    """A line to show under the figure, e.g. "Get into this position"."""
    phase: int = -1
    """The phase number (0-based) inside the rep, for a rep's segment; -1 otherwise."""
    rep: int = 0
    begin_ms: int = 0
    """Where the movement began and how long it lasts (session ms), for a moving shot."""
    span_ms: int = 0

    @property
    def moving(self) -> bool:
        return self.target is not None and self.target != self.start and 0 < self.x < 1


def phase_segments(exercise: Exercise) -> tuple[int, ...]:
    """How many timeline segments each entry of `rep_targets(exercise)` plays as: one,
    or two per breath cycle for a hold given in breaths (the compiler expands those)."""
    if exercise.phases is not None:
        return tuple(
            2 * max(1, round(p.breaths))
            if p.resolved_breath == "hold" and p.breaths is not None
            else 1
            for p in exercise.phases
        )
    tempo = exercise.tempo_parsed
    assert tempo is not None

    def pause(override: Length | None, ms: int) -> list[int]:
        if override is None:
            return [1] if ms > 0 else []
        if override.breaths is not None:
            return [2 * max(1, round(override.breaths))]
        return [1]

    top = pause(exercise.hold_top, tempo.pause_after_concentric_ms)
    bottom = pause(exercise.hold_bottom, tempo.pause_after_eccentric_ms)
    if exercise.start == "concentric":
        return (1, *top, 1, *bottom)
    return (1, *bottom, 1, *top)


def _rep_offset(timeline: Timeline, seg: Segment) -> int:
    """How many segments of the same rep come before `seg`."""
    segments = timeline.segments
    i = seg.index
    while i > 0:
        prev = segments[i - 1]
        if (
            prev.kind is not Kind.PHASE
            or prev.exercise != seg.exercise
            or prev.side != seg.side
            or prev.set != seg.set
            or prev.rep != seg.rep
        ):
            break
        i -= 1
    return seg.index - i


def phase_of(exercise: Exercise, offset: int) -> int | None:
    """The phase number that the rep's segment number `offset` plays, or None when the
    rep has fewer segments (a timeline from another version of the routine)."""
    for phase, count in enumerate(phase_segments(exercise)):
        if offset < count:
            return phase
        offset -= count
    return None


def _item(routine: Routine, number: int) -> Exercise | Breathing | None:
    items = routine.exercise
    return items[number - 1] if 1 <= number <= len(items) else None


def shot(
    routine: Routine, timeline: Timeline, seg: Segment, position_ms: int, *, calm: bool = False
) -> Shot | None:
    """What to draw `position_ms` into the session; None when nothing (the end, or an
    item without a figure). `calm` shows where each phase goes, never the way there."""
    if seg.kind is Kind.END:
        return None
    number = 1 if seg.kind is Kind.LEAD_IN else seg.exercise
    item = _item(routine, number)
    if item is None or item.figure is None:
        return None
    first_side = getattr(item, "sides", None) == "right"
    if seg.kind in (Kind.LEAD_IN, Kind.WAIT, Kind.TRANSITION):
        breathing = isinstance(item, Breathing)
        return Shot(number, START, None, 0.0, first_side, breathing, GET_READY)
    if isinstance(item, Breathing):
        return Shot(number, START, None, 0.0, False, breathing=True)
    mirror = seg.side == "right"
    if seg.kind is Kind.SWITCH:
        return Shot(number, START, None, 0.0, mirror)
    x = (position_ms - seg.start_ms) / max(1, seg.duration_ms)
    x = min(1.0, max(0.0, x))
    if seg.kind is Kind.REST:
        # Between sets: ease back from where the last set ended to the start pose.
        prev = timeline.segments[seg.index - 1] if seg.index > 0 else None
        side = prev.side if prev is not None else None
        ended = START
        for _ in range(item.reps):
            ended = rep_end_pose(item, ended)
        if calm or ended == START:
            return Shot(number, START, None, 0.0, side == "right")
        mirror = side == "right"
        return Shot(number, ended, START, x, mirror, begin_ms=seg.start_ms, span_ms=seg.duration_ms)
    if seg.kind is not Kind.PHASE or seg.rep < 1:
        return Shot(number, START, None, 0.0, mirror)
    offset = _rep_offset(timeline, seg)
    phase = phase_of(item, offset)
    targets = rep_targets(item)
    if phase is None or targets[phase][0] != seg.move:
        # The timeline and the routine disagree (mid-reload): a still start pose is
        # never wrong for long, a guessed phase could be.
        return Shot(number, START, None, 0.0, mirror)
    start, target = phase_poses(item, phase, seg.rep, seg.side)
    if target is None or target == start:
        return Shot(number, start, None, 0.0, mirror, phase=phase, rep=seg.rep)
    if calm:
        return Shot(number, target, None, 0.0, mirror, phase=phase, rep=seg.rep)
    # A phase given in breaths with a hold plays as several segments: the movement
    # spans them all, so the fraction is taken over the whole phase.
    first, count = _phase_span(item, phase, seg.index - offset)
    begin = timeline.segments[first].start_ms
    end = timeline.segments[min(first + count, len(timeline.segments)) - 1].end_ms
    x = min(1.0, max(0.0, (position_ms - begin) / max(1, end - begin)))
    return Shot(
        number,
        start,
        target,
        x,
        mirror,
        phase=phase,
        rep=seg.rep,
        begin_ms=begin,
        span_ms=end - begin,
    )


def _phase_span(exercise: Exercise, phase: int, rep_first: int) -> tuple[int, int]:
    """(timeline index of the phase's first segment, how many segments it has)."""
    counts = phase_segments(exercise)
    return rep_first + sum(counts[:phase]), counts[phase]
