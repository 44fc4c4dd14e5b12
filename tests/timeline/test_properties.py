"""Properties of the timing engine over random valid routines, paces and tempo scales.

The engine's promise is exact, contiguous time: every consumer trusts `start_ms` as
absolute truth. These properties check that promise and the method's rules (breaths
follow the pace, holds in breaths become whole breath cycles, effort gets the exhale)
on routines no one wrote by hand.
"""

from __future__ import annotations

import itertools
import os
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from timeline_strategies import (
    breathing_blocks,
    compile_or_reject,
    exercises,
    half_breaths,
    pace_parts,
    paces,
    pattern_text,
    routine_dicts,
    routines,
    tempo_scales,
)

from breathpace.routine.model import Breathing, Exercise, Length, Routine
from breathpace.routine.pattern import BreathPattern, seconds_to_ms
from breathpace.timeline import Breath, Kind, Mark, Timeline, compile
from breathpace.timeline.compile import (
    DEFAULT_SET_REST,
    DEFAULT_SWITCH,
    DEFAULT_TRANSITION,
    END_MS,
    WAIT_COUNT_MS,
)
from breathpace.timeline.timeline import RESTART_GRACE_MS

#: Raise BREATHPACE_EXAMPLES for a deeper hunt; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("BREATHPACE_EXAMPLES", "100"))
PROPS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FIXED_KINDS = {Kind.LEAD_IN, Kind.WAIT, Kind.TRANSITION, Kind.END}


def _rep_key(seg):
    return (seg.exercise, seg.side, seg.set, seg.rep)


def _rep_starts(timeline: Timeline) -> list[int]:
    """Starts of segments that begin a new rep (new rep counters), by a plain scan."""
    starts = []
    last = None
    for seg in timeline.segments:
        if seg.is_rep and _rep_key(seg) != last:
            starts.append(seg.start_ms)
            last = _rep_key(seg)
    return starts


# --- the oracle: which unit each segment's length was given in -----------------------


def _unit(length, default) -> str:
    length = length or default
    return "breaths" if length.breaths is not None else "seconds"


def _hold_units(length) -> list[str]:
    cycles = max(1, round(length.breaths))
    return ["breaths"] * (2 * cycles)


def _rep_units(ex: Exercise) -> list[str]:
    """The unit of every segment of one rep, in order, read straight from the model."""
    if ex.phases is not None:
        units: list[str] = []
        for phase in ex.phases:
            if phase.breaths is not None and phase.resolved_breath == "hold":
                units += _hold_units(phase)
            else:
                units.append("breaths" if phase.breaths is not None else "seconds")
        return units
    tempo = ex.tempo_parsed

    def pause(override, ms):
        if override is None:
            return ["seconds"] if ms > 0 else []
        if override.breaths is not None:
            return _hold_units(override)
        return ["seconds"]

    ecc = ["seconds", *pause(ex.hold_bottom, tempo.pause_after_eccentric_ms)]
    conc = ["seconds", *pause(ex.hold_top, tempo.pause_after_concentric_ms)]
    return conc + ecc if ex.start == "concentric" else ecc + conc


def _exercise_units(ex: Exercise) -> list[str]:
    rep = _rep_units(ex)
    n_sides = 2 if ex.sides in ("both", "alternate") else 1
    units: list[str] = []
    for set_ in range(1, ex.sets + 1):
        if set_ > 1:
            units.append(_unit(ex.rest, DEFAULT_SET_REST))
        if ex.sides == "both":
            units += rep * ex.reps
            units.append(_unit(ex.switch_rest, DEFAULT_SWITCH))
            units += rep * ex.reps
        else:
            units += rep * ex.reps * n_sides
    return units


def _item_units(routine: Routine, timeline: Timeline) -> list[str]:
    """Per segment: fixed, wait, seconds, breaths (follows the pace) or pattern."""
    units: list[str] = []
    items = routine.exercise
    if items[0].wait_for_ready or routine.lead_in > 0:
        units.append("fixed")
    for number, item in enumerate(items, start=1):
        if number > 1:
            if item.wait_for_ready:
                units.append("wait")
            else:
                units.append(_unit(items[number - 2].rest_after, DEFAULT_TRANSITION))
        if isinstance(item, Breathing):
            n = sum(1 for s in timeline.segments if s.exercise == number and s.kind is Kind.PHASE)
            units += ["pattern"] * n
        else:
            units += _exercise_units(item)
    units.append("fixed")
    return units


# --- structure ---------------------------------------------------------------------


@PROPS
@given(routines, st.one_of(st.none(), paces), tempo_scales)
def test_segments_are_contiguous_exact_integers(routine, pace, scale):
    timeline = compile_or_reject(routine, pace, scale)
    segs = timeline.segments
    assert segs[0].start_ms == 0
    for i, seg in enumerate(segs):
        assert seg.index == i
        assert type(seg.start_ms) is int and type(seg.duration_ms) is int
        assert seg.duration_ms > 0
        if i:
            assert seg.start_ms == segs[i - 1].end_ms
            assert seg.start_ms > segs[i - 1].start_ms
    assert timeline.duration_ms == sum(s.duration_ms for s in segs)
    assert segs[-1].kind is Kind.END and Mark.SESSION_END in segs[-1].marks
    assert all(Mark.PHASE_START in s.marks for s in segs)


# --- an independent oracle: every segment's kind and start, from the model alone ---------


def _ms(seconds: float) -> int:
    return round(Fraction(str(seconds)) * 1000)


def _oracle_length(length, default, pace: BreathPattern) -> int:
    length = length or default
    if length.seconds is not None:
        return round(length.seconds * 1000)
    return round(length.breaths * pace.cycle_ms)


def _oracle_cycles(breaths: float, pace: BreathPattern) -> list[int]:
    """A hold in breaths: whole breath cycles (in, out), at least one."""
    n = max(1, round(breaths))
    return [pace.inhale_ms + pace.hold_in_ms, pace.exhale_ms + pace.hold_out_ms] * n


def _oracle_rep(ex: Exercise, pace: BreathPattern) -> list[int]:
    """The lengths of one rep's segments, in order."""
    if ex.phases is not None:
        out: list[int] = []
        for phase in ex.phases:
            breath = phase.breath or ("exhale" if phase.effort else "inhale")
            if phase.seconds is not None:
                out.append(round(phase.seconds * 1000))
            elif breath == "hold":
                out += _oracle_cycles(phase.breaths, pace)
            else:
                per = {
                    "inhale": pace.inhale_ms + pace.hold_in_ms,
                    "exhale": pace.exhale_ms + pace.hold_out_ms,
                    "free": pace.cycle_ms,
                }[breath]
                out.append(round(phase.breaths * per))
        return out
    ecc, ecc_pause, conc, conc_pause = (_ms(float(x)) for x in ex.tempo.split("-"))

    def pause(override, written: int) -> list[int]:
        if override is None:
            return [written] if written else []
        if override.breaths is not None:
            return _oracle_cycles(override.breaths, pace)
        return [round(override.seconds * 1000)]

    top = [conc, *pause(ex.hold_top, conc_pause)]
    bottom = [ecc, *pause(ex.hold_bottom, ecc_pause)]
    return top + bottom if ex.start == "concentric" else bottom + top


def _oracle_exercise(ex: Exercise, pace: BreathPattern) -> list[tuple[Kind, int]]:
    rep = [(Kind.PHASE, ms) for ms in _oracle_rep(ex, pace)]
    out: list[tuple[Kind, int]] = []
    for set_ in range(ex.sets):
        if set_:
            out.append((Kind.REST, _oracle_length(ex.rest, Length(breaths=2), pace)))
        if ex.sides == "alternate":
            out += rep * (2 * ex.reps)
        elif ex.sides == "both":
            switch = _oracle_length(ex.switch_rest, Length(seconds=5), pace)
            out += rep * ex.reps + [(Kind.SWITCH, switch)] + rep * ex.reps
        else:
            out += rep * ex.reps
    return out


def _oracle_breathing(block: Breathing) -> list[tuple[Kind, int]]:
    base = BreathPattern.parse(block.pattern)
    target = None if block.minutes is None else round(Fraction(str(block.minutes)) * 60_000)
    cycles: list[BreathPattern] = []
    if block.ramp_to is None:
        n = block.cycles or max(1, round(Fraction(target, base.cycle_ms)))
        cycles = [base] * n
    else:
        start = Fraction(60_000, base.cycle_ms)
        goal = Fraction(str(block.ramp_to))
        step = Fraction(str(block.ramp_step))
        total = 0
        for k in itertools.count():
            # the rate moves toward the goal by at most `step` a cycle, then stays there
            rate = max(goal, start - step * k) if goal < start else min(goal, start + step * k)
            cycle = round(60_000 / rate)
            # with minutes: stop before a cycle that would end more than half past the target
            if target is not None and cycles and cycle > 2 * (target - total) + 1:
                break
            cycles.append(base.scaled_to_cycle(cycle))
            total += cycle
            if block.cycles is not None and len(cycles) == block.cycles:
                break
    out: list[tuple[Kind, int]] = []
    for pat in cycles:
        if block.sigh:
            first = round(pat.inhale_ms * Fraction(7, 10))
            out += [(Kind.PHASE, first), (Kind.PHASE, pat.inhale_ms - first)]
        else:
            out.append((Kind.PHASE, pat.inhale_ms))
        out += [(Kind.PHASE, pat.hold_in_ms)] if pat.hold_in_ms else []
        out.append((Kind.PHASE, pat.exhale_ms))
        out += [(Kind.PHASE, pat.hold_out_ms)] if pat.hold_out_ms else []
    return out


def _oracle(routine: Routine) -> list[tuple[Kind, int]]:
    """(kind, length) of every segment at the routine's own pace, read from the model
    alone; a length the arithmetic makes 0 ms is played as 1 ms, never dropped."""
    pace = BreathPattern.parse(routine.pace)
    items = routine.exercise
    out: list[tuple[Kind, int]] = []
    if items[0].wait_for_ready:
        out.append((Kind.WAIT, max(_ms(routine.lead_in), 5000)))
    elif routine.lead_in > 0:
        out.append((Kind.LEAD_IN, _ms(routine.lead_in)))
    for number, item in enumerate(items):
        if number:
            gap = _oracle_length(items[number - 1].rest_after, Length(seconds=10), pace)
            if item.wait_for_ready:
                out.append((Kind.WAIT, max(gap, 5000)))
            else:
                out.append((Kind.TRANSITION, gap))
        if isinstance(item, Breathing):
            out += _oracle_breathing(item)
        else:
            out += _oracle_exercise(item, pace)
    out.append((Kind.END, 3000))
    return [(kind, max(1, ms)) for kind, ms in out]


@PROPS
@given(routines)
def test_the_oracle_predicts_every_segment(routine):
    """Every segment's kind and start time follow from the model alone (sets, sides,
    reps, holds, rests, breathing blocks with their ramps and sighs), computed here
    without the engine's code and never read from the timeline under test."""
    timeline = compile_or_reject(routine)
    expected = _oracle(routine)
    starts = list(itertools.accumulate((ms for _, ms in expected), initial=0))
    assert [s.kind for s in timeline.segments] == [kind for kind, _ in expected]
    assert [s.start_ms for s in timeline.segments] == starts[:-1]
    assert timeline.duration_ms == starts[-1]
    assert len(_item_units(routine, timeline)) == len(timeline)


@PROPS
@given(routines, paces)
def test_breaths_follow_the_pace(routine, pace):
    """Doubling every part of the pace doubles exactly the lengths given in breaths."""
    double = BreathPattern(
        pace.inhale_ms * 2, pace.hold_in_ms * 2, pace.exhale_ms * 2, pace.hold_out_ms * 2
    )
    a = compile_or_reject(routine, pace)
    b = compile_or_reject(routine, double)
    units = _item_units(routine, a)
    assert len(a) == len(b) == len(units)
    for sa, sb, unit in zip(a.segments, b.segments, units, strict=True):
        assert (sa.kind, sa.move, sa.breath, sa.rep, sa.set, sa.side) == (
            sb.kind,
            sb.move,
            sb.breath,
            sb.rep,
            sb.set,
            sb.side,
        )
        if unit == "breaths":
            assert sb.duration_ms == 2 * sa.duration_ms, (sa, sb)
        elif unit == "wait":
            assert WAIT_COUNT_MS <= sa.duration_ms <= sb.duration_ms
        else:
            assert sb.duration_ms == sa.duration_ms, (unit, sa, sb)


@PROPS
@given(routines, tempo_scales)
def test_tempo_scale_stretches_everything_but_the_countdowns(routine, scale):
    base = compile_or_reject(routine)
    scaled = compile_or_reject(routine, None, scale)
    assert len(base) == len(scaled)
    for sa, sb in zip(base.segments, scaled.segments, strict=True):
        assert sa.kind is sb.kind
        if sa.kind in FIXED_KINDS:
            assert sb.duration_ms == sa.duration_ms
        else:
            assert sb.duration_ms == max(1, round(sa.duration_ms * scale)), (scale, sa, sb)


@PROPS
@given(exercises(sides=None), paces, st.sampled_from(["both", "alternate"]))
def test_sides_double_the_work(ex, pace, sides):
    ex = {k: v for k, v in ex.items() if k not in ("sides", "wait_for_ready")}

    def rep_time(sides_value):
        data = dict(ex, **({"sides": sides_value} if sides_value else {}))
        routine = Routine.model_validate({"format": 1, "title": "t", "exercise": [data]})
        tl = compile_or_reject(routine, pace)
        reps = [s for s in tl.segments if s.is_rep]
        return sum(s.duration_ms for s in reps), {_rep_key(s) for s in reps}, tl

    one, keys_one, _ = rep_time(None)
    two, keys_two, tl = rep_time(sides)
    assert two == 2 * one
    assert len(keys_two) == 2 * len(keys_one)
    switches = [s for s in tl.segments if s.kind is Kind.SWITCH]
    assert len(switches) == (ex["sets"] if sides == "both" else 0)
    # Alternate sides swap every rep; both sides play all left reps, then all right.
    sides_in_order = [s.side for s in tl.segments if s.is_rep]
    changes = sum(1 for a, b in itertools.pairwise(sides_in_order) if a != b)
    per_rep = len(sides_in_order) // (2 * ex["sets"] * ex["reps"])
    if sides == "alternate":
        assert changes == 2 * ex["sets"] * ex["reps"] - 1
        assert sides_in_order[:per_rep] == ["left"] * per_rep
    else:
        assert changes == 2 * ex["sets"] - 1


# --- lookups and seeking ---------------------------------------------------------------


def _scan(timeline: Timeline, t: int):
    if t < 0:
        return timeline.segments[0]
    for seg in timeline.segments:
        if seg.start_ms <= t < seg.end_ms:
            return seg
    return timeline.segments[-1]


@PROPS
@given(routines, st.data())
def test_at_agrees_with_a_linear_scan(routine, data):
    timeline = compile_or_reject(routine)
    total = timeline.duration_ms
    boundaries = [s.start_ms for s in timeline.segments] + [total]
    times = data.draw(
        st.lists(
            st.one_of(
                st.integers(-1000, total + 5000),
                st.sampled_from(boundaries),
                st.sampled_from(boundaries).map(lambda t: t - 1),
            ),
            min_size=1,
            max_size=30,
        )
    )
    for t in times:
        assert timeline.at(t) == _scan(timeline, t), t
        assert timeline.segments[timeline.index_at(t)] is timeline.at(t)


@PROPS
@given(routines, st.data())
def test_segments_between_are_the_overlapping_ones(routine, data):
    timeline = compile_or_reject(routine)
    total = timeline.duration_ms
    a = data.draw(st.integers(0, total - 1))
    b = data.draw(st.integers(a + 1, total + 5000))
    expected = [s for s in timeline.segments if s.start_ms < b and s.end_ms > a]
    assert list(timeline.segments_between(a, b)) == expected


@PROPS
@given(routines, st.data())
def test_next_and_previous_rep_are_rep_starts(routine, data):
    timeline = compile_or_reject(routine)
    rep_starts = _rep_starts(timeline)
    starts = {s.start_ms for s in timeline.segments}
    # Every rep's start is a seek target, reached from just before it.
    for start in rep_starts:
        if start > 0:
            assert timeline.next_start(start - 1, "rep") == start
    t = data.draw(st.integers(0, timeline.duration_ms + 1000))
    nxt = timeline.next_start(t, "rep")
    if nxt is None:
        assert t >= timeline.segments[-1].start_ms
    else:
        assert nxt > t and nxt in starts
        assert not [s for s in rep_starts if t < s < nxt]
    prev = timeline.previous_start(t, "rep")
    assert prev <= t and (prev in starts)
    current = [s for s in rep_starts if s <= t]
    if current and t - current[-1] >= RESTART_GRACE_MS and t < timeline.duration_ms:
        seg = timeline.at(t)
        if seg.is_rep:
            assert prev == current[-1]
    # Next then previous (after the grace time) comes back to the same rep start.
    if nxt is not None and nxt + RESTART_GRACE_MS < timeline.duration_ms:
        assert timeline.previous_start(nxt + RESTART_GRACE_MS, "rep") >= nxt


@PROPS
@given(routines)
def test_item_and_set_targets(routine):
    timeline = compile_or_reject(routine)
    firsts: dict[int, int] = {}
    for seg in timeline.segments:
        if seg.kind is not Kind.LEAD_IN:
            firsts.setdefault(seg.exercise, seg.start_ms)
    item_starts = sorted(firsts.values())
    t = -1
    for expected in item_starts:
        assert timeline.next_start(t, "item") == expected
        t = expected
    assert timeline.next_start(t, "item") is None
    # Every first rep of a set is a set target.
    for seg in timeline.segments:
        if seg.is_rep and seg.rep == 1 and seg.start_ms > 0:
            first_of_set = next(
                s
                for s in timeline.segments
                if s.is_rep and (s.exercise, s.set) == (seg.exercise, seg.set)
            )
            assert timeline.next_start(first_of_set.start_ms - 1, "set") == first_of_set.start_ms


# --- exactness over thousands of reps ---------------------------------------------------


def _long_routine(sets: int, reps: int, a: float, b: float, rest_s: float, lead_in: float = 5):
    return Routine.model_validate(
        {
            "format": 1,
            "title": "Many reps",
            "lead_in": lead_in,
            "exercise": [
                {
                    "name": "Tiny reps",
                    "sets": sets,
                    "reps": reps,
                    "rest": {"seconds": rest_s},
                    "phases": [
                        {"move": "up", "seconds": a, "effort": True},
                        {"move": "down", "seconds": b},
                    ],
                }
            ],
        }
    )


def test_three_thousand_reps_end_on_the_exact_millisecond():
    # 3,000 reps of 1.3 s + 2.7 s: 3 h 20 min, inside the 4 hour limit.
    timeline = compile(_long_routine(3, 1000, 1.3, 2.7, 20))
    assert timeline.duration_ms == 5000 + 3000 * 4000 + 2 * 20_000 + END_MS
    last_rep = [s for s in timeline.segments if s.is_rep][-1]
    assert last_rep.end_ms == 5000 + 3000 * 4000 + 2 * 20_000


def test_five_thousand_float_unfriendly_reps_are_exact():
    # 0.1 + 0.2 is not 0.3 in floating point; five thousand of them must still be.
    timeline = compile(_long_routine(5, 1000, 0.1, 0.2, 0.7, lead_in=0.3))
    assert timeline.duration_ms == 300 + 5000 * 300 + 4 * 700 + END_MS
    reps = [s for s in timeline.segments if s.is_rep and s.move == "up"]
    assert len(reps) == 5000
    # Every rep starts exactly where the arithmetic says.
    for n, seg in enumerate(reps):
        set_index = n // 1000
        assert seg.start_ms == 300 + n * 300 + set_index * 700


@settings(max_examples=15, deadline=None)
@given(
    st.integers(1, 3000).map(lambda n: n / 1000),
    st.integers(1, 3000).map(lambda n: n / 1000),
    st.sampled_from([Fraction(1), Fraction(1, 3), Fraction(7, 5), Fraction(2)]),
)
def test_thousands_of_reps_are_exact_at_any_tempo(a, b, scale):
    timeline = compile_or_reject(_long_routine(2, 1000, a, b, 1.5), None, scale)
    up = round(seconds_to_ms(a) * scale)
    down = round(seconds_to_ms(b) * scale)
    rest = round(1500 * scale)
    assert timeline.duration_ms == 5000 + 2000 * (max(up, 1) + max(down, 1)) + rest + END_MS


# --- the method's breath rules ------------------------------------------------------


@PROPS
@given(paces, half_breaths, st.booleans())
def test_holds_in_breaths_are_whole_breath_cycles(pace, breaths, effort):
    routine = Routine.model_validate(
        {
            "format": 1,
            "title": "t",
            "lead_in": 0,
            "exercise": [
                {
                    "name": "Bridge",
                    "phases": [
                        {"move": "lift", "breaths": 1, "effort": True},
                        {"move": "hold", "breath": "hold", "breaths": breaths, "effort": effort},
                        {"move": "lower", "breaths": 1},
                    ],
                }
            ],
        }
    )
    segs = [s for s in compile(routine, pace).segments if s.move == "hold"]
    assert len(segs) % 2 == 0
    cycles = len(segs) // 2
    assert cycles >= 1 and abs(cycles - breaths) <= 0.5
    assert [s.breath for s in segs] == [Breath.INHALE, Breath.EXHALE] * cycles
    for inhale, exhale in zip(segs[::2], segs[1::2], strict=True):
        assert inhale.duration_ms == pace.inhale_ms + pace.hold_in_ms
        assert exhale.duration_ms == pace.exhale_ms + pace.hold_out_ms
    assert Breath.HOLD not in {s.breath for s in segs}


@PROPS
@given(paces, st.sampled_from(["hold_top", "hold_bottom"]), half_breaths)
def test_tempo_holds_in_breaths_are_whole_breath_cycles(pace, key, breaths):
    routine = Routine.model_validate(
        {
            "format": 1,
            "title": "t",
            "exercise": [{"name": "Bridge", "tempo": "3-1-2-1", key: {"breaths": breaths}}],
        }
    )
    label = "hold" if key == "hold_top" else "rest"
    segs = [s for s in compile(routine, pace).segments if s.is_rep and s.move == label]
    cycles = len(segs) // 2
    assert len(segs) == 2 * cycles and cycles >= 1
    assert sum(s.duration_ms for s in segs) == cycles * pace.cycle_ms


@PROPS
@given(
    pace_parts(),
    st.integers(40, 150).map(lambda n: n / 10),
    st.sampled_from([0.1, 0.05, 0.03]),
    st.booleans(),
)
def test_ramp_steps_are_small_and_reach_the_target(parts, target, step, sigh):
    pattern = BreathPattern.parse(pattern_text(parts))
    start_rate = 60_000 / pattern.cycle_ms
    needed = int(abs(target - start_rate) / step) + 3
    assume(needed <= 400)
    block = {
        "name": "Ramp",
        "pattern": pattern_text(parts),
        "cycles": needed,
        "ramp_to": target,
        "ramp_step": step,
        "sigh": sigh,
    }
    routine = Routine.model_validate({"format": 1, "title": "t", "exercise": [block]})
    cycle_ms = _cycle_lengths(compile(routine), 1)
    assert len(cycle_ms) == needed
    rates = [60_000 / ms for ms in cycle_ms]
    assert abs(rates[0] - start_rate) < 1e-9
    # Each cycle is rounded to whole milliseconds: allow that rounding, nothing more.
    tolerance = max(r * r for r in rates) * 0.5 / 60_000 * 2
    for r0, r1 in itertools.pairwise(rates):
        assert abs(r1 - r0) <= step + tolerance
        assert (r1 - r0) * (target - start_rate) >= -tolerance  # always toward the target
    assert abs(rates[-1] - target) <= tolerance


def _cycle_lengths(timeline: Timeline, number: int) -> list[int]:
    cycles: dict[int, int] = {}
    for seg in timeline.segments:
        if seg.exercise == number and seg.kind is Kind.PHASE:
            cycles[seg.rep] = cycles.get(seg.rep, 0) + seg.duration_ms
    return [cycles[k] for k in sorted(cycles)]


@PROPS
@given(breathing_blocks())
def test_a_breathing_block_is_whole_cycles(block):
    block = {k: v for k, v in block.items() if k != "wait_for_ready"}
    routine = Routine.model_validate({"format": 1, "title": "t", "exercise": [block]})
    timeline = compile(routine)
    segs = [s for s in timeline.segments if s.exercise == 1 and s.kind is Kind.PHASE]
    n = segs[-1].reps
    assert [s.rep for s in segs if Mark.REP_END in s.marks] == list(range(1, n + 1))
    assert {Mark.REP_END, Mark.SET_END, Mark.EXERCISE_END} <= segs[-1].marks
    by_rep: dict[int, list] = {}
    for seg in segs:
        by_rep.setdefault(seg.rep, []).append(seg)
    for cycle in by_rep.values():
        assert cycle[0].breath is Breath.INHALE
        assert Mark.REP_END in cycle[-1].marks
        breaths = [s.breath for s in cycle]
        assert Breath.EXHALE in breaths
        assert breaths.index(Breath.EXHALE) > 0
    pattern = BreathPattern.parse(block["pattern"])
    lengths = _cycle_lengths(timeline, 1)
    if "ramp_to" not in block:
        assert set(lengths) == {pattern.cycle_ms}
    if "cycles" in block:
        assert n == block["cycles"]
    else:
        target = round(block["minutes"] * 60_000)
        total = sum(lengths)
        # A timed block ends on the whole cycle nearest the time asked for.
        assert n >= 1
        assert total - lengths[-1] // 2 - 1 <= target or n == 1
        if "ramp_to" not in block:
            # ... and never has fewer than one cycle, however short the time asked for.
            assert abs(total - target) <= pattern.cycle_ms / 2 or (n == 1 and total > target)


@PROPS
@given(paces, st.booleans(), half_breaths)
def test_effort_with_the_default_breath_is_an_exhale(pace, in_seconds, length):
    effort_phase = {"move": "push", "effort": True}
    effort_phase.update({"seconds": length} if in_seconds else {"breaths": length})
    routine = Routine.model_validate(
        {
            "format": 1,
            "title": "t",
            "exercise": [
                {"name": "A", "phases": [effort_phase, {"move": "back", "breaths": 1}]},
                {"name": "B", "tempo": "2-0-2-0"},
                {"name": "C", "tempo": "2-0-2-0", "effort": "eccentric", "start": "concentric"},
            ],
        }
    )
    timeline = compile(routine, pace)
    efforts = [s for s in timeline.segments if s.effort]
    assert {s.exercise for s in efforts} == {1, 2, 3}
    assert all(s.breath is Breath.EXHALE for s in efforts)
    # The non-effort phase without a breath is an inhale.
    assert {s.breath for s in timeline.segments if s.is_rep and not s.effort} == {Breath.INHALE}
    assert {s.move for s in efforts if s.exercise == 3} == {"lower"}


@PROPS
@given(routine_dicts(items=st.lists(exercises(), min_size=1, max_size=3)))
def test_rep_and_set_marks(data):
    routine = Routine.model_validate(data)
    timeline = compile_or_reject(routine)
    for number, ex in enumerate(routine.exercise, start=1):
        segs = [s for s in timeline.segments if s.exercise == number and s.is_rep]
        rep_ends = [s for s in segs if Mark.REP_END in s.marks]
        n_sides = 2 if ex.sides in ("both", "alternate") else 1
        assert len(rep_ends) == ex.sets * ex.reps * n_sides
        assert len([s for s in segs if Mark.SET_END in s.marks]) == ex.sets
        assert Mark.EXERCISE_END in segs[-1].marks
        for seg in segs:
            assert 1 <= seg.rep <= ex.reps and 1 <= seg.set <= ex.sets
            assert (seg.reps, seg.sets) == (ex.reps, ex.sets)


def _hold_groups_ms(ex: Exercise, pace: BreathPattern) -> list[int]:
    """The length of every hold in one rep (a hold in breaths is its whole cycles)."""

    def length(override, seconds_ms):
        if override is None:
            return seconds_ms
        if override.breaths is not None:
            return max(1, round(override.breaths)) * pace.cycle_ms
        return seconds_to_ms(override.seconds)

    if ex.phases is not None:
        return [
            length(p if p.breaths is not None else None, seconds_to_ms(p.seconds or 0))
            for p in ex.phases
            if p.resolved_breath == "hold"
        ]
    tempo = ex.tempo_parsed
    groups = [
        length(ex.hold_top, tempo.pause_after_concentric_ms),
        length(ex.hold_bottom, tempo.pause_after_eccentric_ms),
    ]
    return [g for g in groups if g > 0]


@PROPS
@given(routine_dicts(items=st.lists(exercises(max_sets=2, max_reps=3), min_size=1, max_size=3)))
def test_halfway_cues_sit_inside_long_holds(data):
    routine = Routine.model_validate(data)
    pace = routine.pace_parsed
    timeline = compile_or_reject(routine)
    for number, ex in enumerate(routine.exercise, start=1):
        segs = [s for s in timeline.segments if s.exercise == number and s.is_rep]
        cued = [s for s in segs if Mark.HALFWAY in s.marks]
        for seg in cued:
            assert seg.halfway_ms is not None and seg.start_ms <= seg.halfway_ms < seg.end_ms
        if not ex.halfway:
            assert cued == []
            continue
        long_holds = sum(1 for ms in _hold_groups_ms(ex, pace) if ms >= 4000)
        n_reps = ex.sets * ex.reps * (2 if ex.sides in ("both", "alternate") else 1)
        assert len(cued) == long_holds * n_reps
    assert all(Mark.HALFWAY not in s.marks for s in timeline.segments if not s.is_rep)


@PROPS
@given(routines)
def test_locate_finds_every_rep(routine):
    timeline = compile_or_reject(routine)
    firsts: dict[tuple, int] = {}
    for seg in timeline.segments:
        if seg.is_rep:
            firsts.setdefault(_rep_key(seg), seg.start_ms)
    for (exercise, side, set_, rep), start in firsts.items():
        assert timeline.locate(exercise, side, set_, rep) == start
    assert timeline.locate(len(routine.exercise) + 5, None, 1, 1) is None


@PROPS
@given(routines)
def test_item_numbers_and_spans(routine):
    timeline = compile_or_reject(routine)
    n = len(routine.exercise)
    assert timeline.items == tuple(item.name for item in routine.exercise)
    numbers = [s.exercise for s in timeline.segments]
    assert numbers == sorted(numbers)  # items play in order, never interleaved
    assert set(numbers) - {0} == set(range(1, n + 2))
    assert all(s.kind is Kind.LEAD_IN for s in timeline.segments if s.exercise == 0)
    spans = [timeline.item_span(k) for k in range(1, n + 1)]
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end == start
    assert spans[-1][1] == timeline.segments[-1].start_ms
    assert timeline.remaining_ms(0) == timeline.duration_ms
    assert timeline.remaining_ms(timeline.duration_ms + 1) == 0
