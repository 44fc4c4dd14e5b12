"""The timing engine: a pure function from a routine and a pace to a Timeline.

Every length is turned into integer milliseconds once, and every segment's start is the
running integer sum of the lengths before it, so a session of ten thousand reps ends on
exactly the millisecond the arithmetic says, and any consumer (the mixer, the player,
the journal) can trust `start_ms` as absolute truth.

A rep is worked out once per exercise and side (its segments' lengths, marks and
halfway cue relative to the rep's start) and then laid down for every rep of a set in
one go, as columns of a SegmentTable: ten thousand reps cost a few list operations,
not ten thousand rounds of object building.
"""

from __future__ import annotations

from array import array
from fractions import Fraction
from typing import Any, NamedTuple, TypedDict

from breathpace.routine.model import Breathing, Exercise, Length, Phase, Routine
from breathpace.routine.pattern import BreathPattern, seconds_to_ms
from breathpace.timeline.segment import Breath, Kind, Mark
from breathpace.timeline.table import SegmentTable, Shape
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


class _Step(NamedTuple):  # a named tuple, not a dataclass: see _Part
    """One segment-to-be inside a rep, before counters and start times are attached."""

    move: str
    breath: Breath
    ms: int
    effort: bool
    group: int | None = None  # steps sharing a group form one hold (for the halfway cue)
    is_hold: bool = False
    cue: str | None = None  # the phase's own cue, carried into each of its segments


def pace_for(routine: Routine, pace: BreathPattern | None) -> BreathPattern:
    """The breath pace `routine` is played at: `pace` when one replaces the routine's
    own (the personal pace, `--pace`, a change during the session), else the routine's
    own. The one rule: the dose, the player and the compiler all ask here."""
    return pace or routine.pace_parsed


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
    pace = pace_for(routine, pace)
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
    return builder.timeline(tuple(item.name for item in items))


# Plain named tuples: a dataclass costs about a millisecond of code generation at import,
# and every command that loads a routine imports this module.
class _Part(NamedTuple):
    """One segment of a rep-to-be: its Segment fields and its halfway offset."""

    fields: dict[str, Any]
    halfway: int | None = None  # offset of the halfway cue from the segment's start


class _Unit(NamedTuple):
    """A run of segments laid down again and again (one rep, or a rep on both sides)."""

    shapes: array  # shape id of each segment
    offsets: tuple[int, ...]  # each segment's start from the unit's start
    durations: tuple[int, ...]
    ms: int


class _Dose(TypedDict):
    """The sets and reps every segment of an exercise carries."""

    sets: int
    reps: int


def _fields(
    kind: Kind,
    duration: int,
    exercise: int,
    name: str,
    *,
    side: str | None = None,
    sets: int = 0,
    reps: int = 0,
    move: str = "",
    breath: Breath = Breath.FREE,
    effort: bool = False,
    marks: frozenset[Mark] | set[Mark] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """A segment's repeating fields, as Segment keywords (always in the same order).

    `more` passes any further Segment field through unchanged (an optional field added
    to Segment needs no change here)."""
    return {
        "kind": kind,
        "duration_ms": duration,
        "exercise": exercise,
        "exercise_name": name,
        "side": side,
        "sets": sets,
        "reps": reps,
        "move": move,
        "breath": breath,
        "effort": effort,
        "marks": _marks(marks if marks is not None else _PHASE_START),
        **more,
    }


_PHASE_START = frozenset({Mark.PHASE_START})
_MARK_SETS: dict[frozenset[Mark], frozenset[Mark]] = {}


def _marks(marks) -> frozenset[Mark]:
    """One shared frozenset per distinct set of marks."""
    key = frozenset(marks)
    return _MARK_SETS.setdefault(key, key)


class _Builder:
    """Lays segments down as table columns, keeping the running integer start time."""

    def __init__(self, scale: Fraction):
        self.scale = scale
        self.t = 0
        self.shapes: list[Shape] = []
        self._shape_ids: dict[tuple, int] = {}
        self.shape = array("I")
        self.start = array("q")
        self.set = array("I")
        self.rep = array("I")

    def scaled(self, ms: int, fixed: bool = False) -> int:
        duration = ms if fixed or self.scale == 1 else round(ms * self.scale)
        return max(duration, 1)

    def shape_id(self, fields: dict[str, Any], halfway: int | None = None) -> int:
        key = (*fields.items(), halfway)
        sid = self._shape_ids.get(key)
        if sid is None:
            sid = self._shape_ids[key] = len(self.shapes)
            self.shapes.append((fields, halfway))
        return sid

    def _room(self, duration: int) -> None:
        if len(self.start) >= MAX_SEGMENTS:
            raise TimelineTooLong(segments=len(self.start))
        if self.t + duration > MAX_SESSION_MS:
            raise TimelineTooLong(at_ms=self.t)

    def _append(self, sid: int, duration: int, set_: int, rep: int) -> None:
        self._room(duration)
        self.shape.append(sid)
        self.start.append(self.t)
        self.set.append(set_)
        self.rep.append(rep)
        self.t += duration

    def add(
        self,
        kind: Kind,
        ms: int,
        exercise: int,
        name: str,
        *,
        set_: int = 0,
        rep: int = 0,
        fixed: bool = False,
        **fields: Any,
    ) -> None:
        """One segment; `fields` are _fields' keywords (side, move, breath, marks...)."""
        duration = self.scaled(ms, fixed)
        self._append(
            self.shape_id(_fields(kind, duration, exercise, name, **fields)), duration, set_, rep
        )

    def unit(self, parts: list[_Part]) -> _Unit:
        offsets, durations, t = [], [], 0
        for part in parts:
            offsets.append(t)
            durations.append(part.fields["duration_ms"])
            t += part.fields["duration_ms"]
        shapes = array("I", (self.shape_id(p.fields, p.halfway) for p in parts))
        return _Unit(shapes, tuple(offsets), tuple(durations), t)

    def repeat(self, unit: _Unit, count: int, set_: int, first_rep: int = 1) -> None:
        """Lay `unit` down `count` times, numbering the reps from `first_rep`."""
        k = len(unit.offsets)
        if len(self.start) + k * count > MAX_SEGMENTS or self.t + unit.ms * count > MAX_SESSION_MS:
            # Over a limit somewhere inside: go one segment at a time so the error says
            # exactly where, as a segment-by-segment build would.
            for rep in range(first_rep, first_rep + count):
                for sid, duration in zip(unit.shapes, unit.durations, strict=True):
                    self._append(sid, duration, set_, rep)
            return
        t, step, offsets = self.t, unit.ms, unit.offsets
        self.shape.extend(unit.shapes * count)
        self.start.extend([t + r * step + o for r in range(count) for o in offsets])
        self.set.extend(array("I", [set_]) * (k * count))
        self.rep.extend([rep for rep in range(first_rep, first_rep + count) for _ in offsets])
        self.t += step * count

    def mark_last(self, *marks: Mark) -> None:
        values, halfway = self.shapes[self.shape[-1]]
        changed = dict(values, marks=_marks(values["marks"] | set(marks)))
        self.shape[-1] = self.shape_id(changed, halfway)

    def timeline(self, items: tuple[str, ...]) -> Timeline:
        table = SegmentTable(self.shapes, self.shape, self.start, self.set, self.rep, self.t)
        return Timeline(table, items)


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
    common = _Dose(sets=ex.sets, reps=ex.reps)

    def rep_parts(side: str | None) -> list[_Part]:
        """One rep on one side, its start at 0: lengths, marks and the halfway cues."""
        fields = [
            _fields(
                Kind.PHASE,
                b.scaled(step.ms),
                number,
                ex.name,
                side=side,
                move=step.move,
                breath=step.breath,
                effort=step.effort,
                cue=step.cue,
                **common,
            )
            for step in steps
        ]
        fields[-1] = dict(fields[-1], marks=_marks(fields[-1]["marks"] | {Mark.REP_END}))
        starts, t = [], 0
        for f in fields:
            starts.append(t)
            t += f["duration_ms"]
        halfway: dict[int, int] = {}
        if ex.halfway:
            holds: dict[int, list[int]] = {}
            for i, step in enumerate(steps):
                if step.is_hold and step.group is not None:
                    holds.setdefault(step.group, []).append(i)
            for members in holds.values():
                start = starts[members[0]]
                end = starts[members[-1]] + fields[members[-1]]["duration_ms"]
                if end - start >= HALFWAY_MIN_MS:
                    half = start + (end - start) // 2
                    i = max(i for i in range(members[0], len(fields)) if starts[i] <= half)
                    halfway[i] = half - starts[i]
                    fields[i] = dict(fields[i], marks=_marks(fields[i]["marks"] | {Mark.HALFWAY}))
        return [_Part(f, halfway.get(i)) for i, f in enumerate(fields)]

    units: dict[str | None, _Unit]
    if ex.sides == "alternate":
        units = {"alternate": b.unit([p for side in sides for p in rep_parts(side)])}
    else:
        units = {side: b.unit(rep_parts(side)) for side in sides}

    for set_ in range(1, ex.sets + 1):
        if set_ > 1:
            b.add(Kind.REST, rest_ms, number, ex.name, set_=set_, move="rest", **common)
        if ex.sides == "alternate":
            b.repeat(units["alternate"], ex.reps, set_)
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
                b.repeat(units[side], ex.reps, set_)
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
    limit = round(Fraction(str(block.minutes)) * 60_000) if block.minutes is not None else None
    k = 0
    while True:
        delta = goal - rate0
        moved = min(abs(delta), step * k)
        rate = rate0 + (moved if delta > 0 else -moved)
        cycle = base.scaled_to_cycle(round(60_000 / rate))
        if limit is not None and patterns and total + cycle.cycle_ms // 2 > limit:
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
    common = _Dose(sets=1, reps=n)
    # A steady block is one cycle laid down n times; a ramp changes the cycle as it
    # goes, so each run of equal cycles becomes one unit.
    rep = 1
    for pat, count in _runs(cycles):
        parts = []
        if block.sigh:
            first = round(pat.inhale_ms * SIGH_FIRST_SHARE)
            parts.append((first, "breathe in", Breath.INHALE))
            parts.append((pat.inhale_ms - first, "top up", Breath.INHALE))
        else:
            parts.append((pat.inhale_ms, "", Breath.INHALE))
        if pat.hold_in_ms:
            parts.append((pat.hold_in_ms, "", Breath.HOLD))
        parts.append((pat.exhale_ms, "long sigh out" if block.sigh else "", Breath.EXHALE))
        if pat.hold_out_ms:
            parts.append((pat.hold_out_ms, "", Breath.HOLD))
        fields = [
            _fields(
                Kind.PHASE, b.scaled(ms), number, block.name, move=move, breath=breath, **common
            )
            for ms, move, breath in parts
        ]
        fields[-1] = dict(fields[-1], marks=_marks(fields[-1]["marks"] | {Mark.REP_END}))
        b.repeat(b.unit([_Part(f) for f in fields]), count, 1, rep)
        rep += count
    b.mark_last(Mark.SET_END, Mark.EXERCISE_END)


def _runs(patterns: list[BreathPattern]) -> list[tuple[BreathPattern, int]]:
    """Consecutive equal patterns as (pattern, how many)."""
    runs: list[tuple[BreathPattern, int]] = []
    for pat in patterns:
        if runs and runs[-1][0] == pat:
            runs[-1] = (pat, runs[-1][1] + 1)
        else:
            runs.append((pat, 1))
    return runs
