"""The timing engine: a pure function from a routine and a pace to a Timeline.

Every length is turned into integer milliseconds once, and every segment's start is the
running integer sum of the lengths before it, so a session of ten thousand reps ends on
exactly the millisecond the arithmetic says, and any consumer (the mixer, the player,
the journal) can trust `start_ms` as absolute truth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from breathpace.routine.model import Breathing, Exercise, Length, Phase, Routine
from breathpace.routine.pattern import BreathPattern, seconds_to_ms
from breathpace.timeline.segment import Breath, Kind, Mark, Segment
from breathpace.timeline.timeline import Timeline

MAX_SESSION_MS = 4 * 3600 * 1000
MAX_SEGMENTS = 500_000
DEFAULT_SET_REST = Length(breaths=2)
DEFAULT_SWITCH = Length(seconds=5)
DEFAULT_TRANSITION = Length(seconds=10)
WAIT_COUNT_MS = 5000
END_MS = 3000
HALFWAY_MIN_MS = 4000
SIGH_FIRST_SHARE = Fraction(7, 10)


class TimelineTooLong(ValueError):
    """The routine would be longer than the 4-hour limit (or absurdly fine-grained)."""

    def __init__(self, at_ms: int | None = None, segments: int | None = None):
        self.at_ms = at_ms
        if segments is not None:
            msg = f"the routine has more than {MAX_SEGMENTS:,} segments"
        else:
            msg = "the routine is longer than the 4 hour limit"
        super().__init__(msg)


@dataclass(frozen=True, slots=True)
class _Step:
    """One segment-to-be inside a rep, before counters and start times are attached."""

    move: str
    breath: Breath
    ms: int
    effort: bool
    group: int | None = None  # steps sharing a group form one hold (for the halfway cue)
    is_hold: bool = False
    cue: str | None = None  # the phase's own cue, carried into each of its segments


def compile(
    routine: Routine,
    pace: BreathPattern | None = None,
    tempo_scale: Fraction | int | str = 1,
) -> Timeline:
    """Compile a routine into a timeline.

    `pace` replaces the routine's own default pace (lengths in breaths follow it);
    `tempo_scale` stretches every breath, movement and rest (2 = twice as slow). The
    countdowns (lead-in, get-ready, transitions) and the end keep their length.
    """
    scale = Fraction(tempo_scale)
    if scale <= 0:
        raise ValueError("tempo_scale must be greater than 0")
    builder = _Builder(scale)
    pace = pace or routine.pace_parsed
    items = routine.exercise
    first = items[0]

    if first.wait_for_ready:
        lead = max(seconds_to_ms(routine.lead_in), WAIT_COUNT_MS)
        builder.add(Kind.WAIT, lead, 1, first.name, move=f"get ready: {first.name}", fixed=True)
    elif routine.lead_in > 0:
        builder.add(
            Kind.LEAD_IN,
            seconds_to_ms(routine.lead_in),
            0,
            "Get ready",
            move=f"get ready: {first.name}",
            fixed=True,
        )

    for number, item in enumerate(items, start=1):
        if number > 1:
            prev = items[number - 2]
            kind = Kind.WAIT if item.wait_for_ready else Kind.TRANSITION
            length = _length_ms(prev.rest_after or DEFAULT_TRANSITION, pace)
            if item.wait_for_ready:
                length = max(length, WAIT_COUNT_MS)
            builder.add(kind, length, number, item.name, move=f"next: {item.name}", fixed=True)
        if isinstance(item, Breathing):
            _breathing(builder, number, item)
        else:
            _exercise(builder, number, item, pace)

    builder.add(
        Kind.END,
        END_MS,
        len(items) + 1,
        "Done",
        move="session complete",
        marks={Mark.PHASE_START, Mark.SESSION_END},
        fixed=True,
    )
    return Timeline(tuple(builder.segments), tuple(item.name for item in items))


class _Builder:
    def __init__(self, scale: Fraction):
        self.scale = scale
        self.t = 0
        self.segments: list[Segment] = []

    def add(
        self,
        kind: Kind,
        ms: int,
        exercise: int,
        name: str,
        *,
        side: str | None = None,
        set_: int = 0,
        sets: int = 0,
        rep: int = 0,
        reps: int = 0,
        move: str = "",
        breath: Breath = Breath.FREE,
        effort: bool = False,
        marks: set[Mark] | None = None,
        fixed: bool = False,
        cue: str | None = None,
    ) -> Segment:
        duration = ms if fixed else round(ms * self.scale)
        duration = max(duration, 1)
        if len(self.segments) >= MAX_SEGMENTS:
            raise TimelineTooLong(segments=len(self.segments))
        if self.t + duration > MAX_SESSION_MS:
            raise TimelineTooLong(at_ms=self.t)
        seg = Segment(
            index=len(self.segments),
            kind=kind,
            start_ms=self.t,
            duration_ms=duration,
            exercise=exercise,
            exercise_name=name,
            side=side,
            set=set_,
            sets=sets,
            rep=rep,
            reps=reps,
            move=move,
            breath=breath,
            effort=effort,
            marks=frozenset(marks if marks is not None else {Mark.PHASE_START}),
            cue=cue,
        )
        self.segments.append(seg)
        self.t += duration
        return seg

    def mark_last(self, *marks: Mark) -> None:
        last = self.segments[-1]
        self.segments[-1] = _replace(last, marks=last.marks | set(marks))

    def set_halfway(self, first_index: int, start_ms: int, end_ms: int) -> None:
        """Attach a halfway cue at the midpoint of [start, end) to the segment holding it."""
        half = start_ms + (end_ms - start_ms) // 2
        for i in range(first_index, len(self.segments)):
            seg = self.segments[i]
            if seg.start_ms <= half < seg.end_ms:
                self.segments[i] = _replace(seg, halfway_ms=half, marks=seg.marks | {Mark.HALFWAY})
                return


def _replace(seg: Segment, **changes) -> Segment:
    return replace(seg, **changes)


def _length_ms(length: Length, pace: BreathPattern) -> int:
    if length.seconds is not None:
        return seconds_to_ms(length.seconds)
    assert length.breaths is not None
    return round(length.breaths * pace.cycle_ms)


def _hold_cycles(
    move: str,
    breaths: float,
    pace: BreathPattern,
    effort: bool,
    group: int,
    cue: str | None = None,
):
    """A hold of several breaths: whole breath cycles while the body keeps its position."""
    cycles = max(1, round(breaths))
    inhale_ms = pace.inhale_ms + pace.hold_in_ms
    exhale_ms = pace.exhale_ms + pace.hold_out_ms
    steps = []
    for _ in range(cycles):
        steps.append(_Step(move, Breath.INHALE, inhale_ms, effort, group, True, cue))
        steps.append(_Step(move, Breath.EXHALE, exhale_ms, effort, group, True, cue))
    return steps


def _phase_steps(phase: Phase, pace: BreathPattern, group: int) -> list[_Step]:
    breath = Breath(phase.resolved_breath)
    if phase.seconds is not None:
        ms = seconds_to_ms(phase.seconds)
        hold = breath is Breath.HOLD
        return [_Step(phase.move, breath, ms, phase.effort, group, hold, phase.cue)]
    b = phase.breaths
    assert b is not None
    if breath is Breath.HOLD:
        return _hold_cycles(phase.move, b, pace, phase.effort, group, phase.cue)
    per_breath = {
        Breath.INHALE: pace.inhale_ms + pace.hold_in_ms,
        Breath.EXHALE: pace.exhale_ms + pace.hold_out_ms,
        Breath.FREE: pace.cycle_ms,
    }[breath]
    return [_Step(phase.move, breath, round(b * per_breath), phase.effort, group, cue=phase.cue)]


def _tempo_steps(ex: Exercise, pace: BreathPattern) -> list[_Step]:
    tempo = ex.tempo_parsed
    assert tempo is not None
    effort_breath = Breath(ex.effort_breath)
    other = Breath.INHALE if effort_breath is not Breath.INHALE else Breath.EXHALE
    c_breath, e_breath = (
        (effort_breath, other) if ex.effort == "concentric" else (other, effort_breath)
    )
    cues = ex.part_cues
    c_cue = cues.concentric if cues else None
    e_cue = cues.eccentric if cues else None
    conc = [
        _Step(
            ex.moves.concentric, c_breath, tempo.concentric_ms, ex.effort == "concentric", cue=c_cue
        )
    ]
    ecc = [
        _Step(ex.moves.eccentric, e_breath, tempo.eccentric_ms, ex.effort == "eccentric", cue=e_cue)
    ]

    def pause(
        override: Length | None, ms: int, move: str, group: int, cue: str | None
    ) -> list[_Step]:
        if override is None:
            return [_Step(move, Breath.HOLD, ms, False, group, True, cue)] if ms > 0 else []
        if override.breaths is not None:
            return _hold_cycles(move, override.breaths, pace, False, group, cue)
        return [_Step(move, Breath.HOLD, _length_ms(override, pace), False, group, True, cue)]

    top_cue = cues.hold_top if cues else None
    bottom_cue = cues.hold_bottom if cues else None
    top = pause(ex.hold_top, tempo.pause_after_concentric_ms, ex.moves.hold_top, 1, top_cue)
    bottom = pause(
        ex.hold_bottom, tempo.pause_after_eccentric_ms, ex.moves.hold_bottom, 2, bottom_cue
    )
    if ex.start == "concentric":
        return conc + top + ecc + bottom
    return ecc + bottom + conc + top


def _rep_steps(ex: Exercise, pace: BreathPattern) -> list[_Step]:
    if ex.phases is not None:
        steps: list[_Step] = []
        for group, phase in enumerate(ex.phases):
            steps.extend(_phase_steps(phase, pace, group))
        return steps
    return _tempo_steps(ex, pace)


def _exercise(b: _Builder, number: int, ex: Exercise, pace: BreathPattern) -> None:
    steps = _rep_steps(ex, pace)
    sides: list[str | None]
    if ex.sides in ("both", "alternate"):
        sides = ["left", "right"]
    elif ex.sides in ("left", "right"):
        sides = [ex.sides]
    else:
        sides = [None]
    rest_ms = _length_ms(ex.rest or DEFAULT_SET_REST, pace)
    switch_ms = _length_ms(ex.switch_rest or DEFAULT_SWITCH, pace)
    common = {"sets": ex.sets, "reps": ex.reps}

    def play_rep(side: str | None, set_: int, rep: int) -> None:
        holds: dict[int, list[Segment]] = {}
        for step in steps:
            seg = b.add(
                Kind.PHASE,
                step.ms,
                number,
                ex.name,
                side=side,
                set_=set_,
                rep=rep,
                move=step.move,
                breath=step.breath,
                effort=step.effort,
                cue=step.cue,
                **common,
            )
            if step.is_hold and step.group is not None:
                holds.setdefault(step.group, []).append(seg)
        if ex.halfway:
            for members in holds.values():
                start, end = members[0].start_ms, members[-1].end_ms
                if end - start >= HALFWAY_MIN_MS:
                    b.set_halfway(members[0].index, start, end)
        b.mark_last(Mark.REP_END)

    for set_ in range(1, ex.sets + 1):
        if set_ > 1:
            b.add(Kind.REST, rest_ms, number, ex.name, set_=set_, move="rest", **common)
        if ex.sides == "alternate":
            for rep in range(1, ex.reps + 1):
                for side in sides:
                    play_rep(side, set_, rep)
        else:
            for i, side in enumerate(sides):
                if i > 0:
                    b.add(
                        Kind.SWITCH,
                        switch_ms,
                        number,
                        ex.name,
                        side=side,
                        set_=set_,
                        move="switch sides",
                        **common,
                    )
                for rep in range(1, ex.reps + 1):
                    play_rep(side, set_, rep)
        b.mark_last(Mark.SET_END)
    b.mark_last(Mark.EXERCISE_END)


def _breathing_cycles(block: Breathing) -> list[BreathPattern]:
    base = block.pattern_parsed
    if block.ramp_to is None:
        if block.cycles is not None:
            return [base] * block.cycles
        assert block.minutes is not None
        target = round(Fraction(str(block.minutes)) * 60_000)
        return [base] * max(1, round(Fraction(target, base.cycle_ms)))

    rate0 = Fraction(60_000, base.cycle_ms)
    goal = Fraction(str(block.ramp_to))
    step = Fraction(str(block.ramp_step))
    patterns: list[BreathPattern] = []
    total = 0
    target = round(Fraction(str(block.minutes)) * 60_000) if block.minutes is not None else None
    k = 0
    while True:
        delta = goal - rate0
        moved = min(abs(delta), step * k)
        rate = rate0 + (moved if delta > 0 else -moved)
        cycle = base.scaled_to_cycle(round(60_000 / rate))
        if target is not None and patterns and total + cycle.cycle_ms // 2 > target:
            break
        patterns.append(cycle)
        total += cycle.cycle_ms
        k += 1
        if block.cycles is not None and k >= block.cycles:
            break
        if len(patterns) > MAX_SEGMENTS // 4:
            raise TimelineTooLong(segments=len(patterns) * 4)
    return patterns


def _breathing(b: _Builder, number: int, block: Breathing) -> None:
    cycles = _breathing_cycles(block)
    n = len(cycles)
    for rep, pat in enumerate(cycles, start=1):
        common = {"set_": 1, "sets": 1, "rep": rep, "reps": n}
        if block.sigh:
            first = round(pat.inhale_ms * SIGH_FIRST_SHARE)
            b.add(
                Kind.PHASE,
                first,
                number,
                block.name,
                move="breathe in",
                breath=Breath.INHALE,
                **common,
            )
            b.add(
                Kind.PHASE,
                pat.inhale_ms - first,
                number,
                block.name,
                move="top up",
                breath=Breath.INHALE,
                **common,
            )
        else:
            b.add(Kind.PHASE, pat.inhale_ms, number, block.name, breath=Breath.INHALE, **common)
        if pat.hold_in_ms:
            b.add(Kind.PHASE, pat.hold_in_ms, number, block.name, breath=Breath.HOLD, **common)
        move = "long sigh out" if block.sigh else ""
        b.add(
            Kind.PHASE, pat.exhale_ms, number, block.name, move=move, breath=Breath.EXHALE, **common
        )
        if pat.hold_out_ms:
            b.add(Kind.PHASE, pat.hold_out_ms, number, block.name, breath=Breath.HOLD, **common)
        b.mark_last(Mark.REP_END)
    b.mark_last(Mark.SET_END, Mark.EXERCISE_END)
