"""Every built-in exercise shows its body: a figure for each movement exercise, a pose for
each phase that moves, a resting figure for each breathing block; and the figure that
follows a played session never jumps between two segments of the same side."""

from __future__ import annotations

import pytest

from breathpace.figures.follow import GET_READY, phase_of, phase_segments, shot
from breathpace.figures.track import START, rep_targets
from breathpace.library import builtin_routine_files, load_figure_named, load_routine
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Breathing, Exercise
from breathpace.timeline import Kind, compile

ROUTINES = {path.stem: load_routine(path) for path in builtin_routine_files()}

#: Phases that move the breath but not the body, so they name no pose (the figure holds
#: still where the phase before left it). Each with the reason.
STILL_MOVES = {
    "rest": "Knee rocks: rest where the knees swayed to",
    "rest in the middle": "Knee rocks / sways: rest with the knees back in the middle",
    "settle": "90/90 switch: settle into the shape just reached",
    "steady": "bridge march and split squat with a turn: stay where you are for a breath",
    "grow tall": "seated twist: lengthen the spine before turning, no visible change",
    "stay turned, taller": "seated twist: stay turned for a breath",
    "rest on your back": "side to side roll: rest where the roll arrived",
    "rest on your side": "side to side roll: rest where the roll arrived",
    "rest seated": "sit to stand: sit for a breath before the next rep",
    "ribs soften": "tabletop breaths: the dead bug's tabletop is held while breathing",
    "widen": "tabletop breaths: the dead bug's tabletop is held while breathing",
}
#: Exercises whose every phase holds still, with the reason.
STILL_EXERCISES = {"Tabletop breaths": "breathing while holding the dead bug's tabletop"}


def _items():
    for name, routine in ROUTINES.items():
        for item in routine.exercise:
            yield pytest.param(name, item, id=f"{name}:{item.name}")


@pytest.mark.parametrize(("routine", "item"), list(_items()))
def test_every_item_names_a_figure_that_loads(routine, item):
    assert item.figure is not None, f"{routine}: {item.name} has no figure"
    figure = load_figure_named(item.figure)
    if isinstance(item, Breathing):
        assert figure.breathing, f"{routine}: {item.name}: {item.figure} is not a resting figure"
    else:
        assert not figure.breathing


@pytest.mark.parametrize(("routine", "item"), list(_items()))
def test_every_moving_phase_names_a_pose(routine, item):
    if isinstance(item, Breathing):
        return
    if item.tempo is not None:
        assert item.poses is not None, f"{routine}: {item.name}: tempo without poses"
    else:
        for phase in item.phases:
            if phase.pose is None and phase.resolved_breath != "hold":
                assert phase.move in STILL_MOVES, (
                    f"{routine}: {item.name}: phase {phase.move!r} names no pose"
                )
    targets = [target for _, target in rep_targets(item)]
    if item.name in STILL_EXERCISES:
        assert all(t is None for t in targets)
    else:
        # The body really moves: some phase goes somewhere other than the start.
        assert any(t not in (None, START) for t in targets), f"{routine}: {item.name}"


@pytest.mark.parametrize("name", sorted(ROUTINES))
def test_the_followed_figure_never_jumps_within_a_side(name):
    """Each PHASE segment maps to the phase with its own move label, and where one
    segment ends the next one (same item, same side, same set) starts in the pose the
    first one reached."""
    routine = ROUTINES[name]
    timeline = compile(routine)
    previous = None
    for seg in timeline.segments:
        item = (
            routine.exercise[seg.exercise - 1]
            if 1 <= seg.exercise <= len(routine.exercise)
            else None
        )
        s = shot(routine, timeline, seg, seg.start_ms)
        if seg.kind is Kind.END:
            assert s is None
            continue
        assert s is not None
        if seg.kind in (Kind.LEAD_IN, Kind.WAIT, Kind.TRANSITION):
            assert (s.start, s.target, s.caption) == (START, None, GET_READY)
        if isinstance(item, Exercise) and seg.kind is Kind.PHASE:
            assert s.phase >= 0, f"{seg.index}: {seg.move}"
            assert rep_targets(item)[s.phase][0] == seg.move
            assert s.mirror is (seg.side == "right")
            if previous is not None:
                prev_seg = previous[0]
                same = (prev_seg.exercise, prev_seg.side, prev_seg.set) == (
                    seg.exercise,
                    seg.side,
                    seg.set,
                )
                if same and prev_seg.kind is Kind.PHASE:
                    end = shot(routine, timeline, prev_seg, prev_seg.end_ms)
                    reached = end.target if end.target is not None and end.x >= 1 else end.start
                    assert s.start == reached, f"{name} segment {seg.index}"
            previous = (seg, s)
        else:
            previous = None


def test_a_hold_in_breaths_counts_as_its_breath_segments():
    routine = parse_routine(
        """
format = 1
title = "t"
[[exercise]]
name = "Bridge"
figure = "glute-bridge"
reps = 2
sides = "both"
tempo = "2-0-2-0"
start = "concentric"
hold_top = { breaths = 2 }
poses = { concentric = "top" }
"""
    )
    item = routine.exercise[0]
    assert phase_segments(item) == (1, 4, 1)
    assert [phase_of(item, i) for i in range(7)] == [0, 1, 1, 1, 1, 2, None]
    timeline = compile(routine)
    lifts = [s for s in timeline.segments if s.kind is Kind.PHASE and s.move == "lift"]
    assert len(lifts) == 4
    for seg in lifts:
        mid = shot(routine, timeline, seg, seg.start_ms + seg.duration_ms // 2)
        assert (mid.start, mid.target, mid.mirror) == ("start", "top", seg.side == "right")
        assert mid.x == pytest.approx(0.5, abs=0.01)
    holds = [s for s in timeline.segments if s.kind is Kind.PHASE and s.move == "hold"]
    assert {(shot(routine, timeline, s, s.start_ms).start) for s in holds} == {"top"}


def test_a_moving_phase_given_in_held_breaths_moves_across_all_its_segments():
    routine = parse_routine(
        """
format = 1
title = "t"
[[exercise]]
name = "Slow bridge"
figure = "glute-bridge"
phases = [
  { move = "rise slowly", breath = "hold", breaths = 2, pose = "top" },
  { move = "lower", breaths = 1, pose = "start" },
]
"""
    )
    timeline = compile(routine)
    rising = [s for s in timeline.segments if s.move == "rise slowly"]
    assert len(rising) == 4
    begin, end = rising[0].start_ms, rising[-1].end_ms
    for seg in rising:
        s = shot(routine, timeline, seg, seg.start_ms)
        assert s.target == "top"
        assert s.x == pytest.approx((seg.start_ms - begin) / (end - begin))


def test_calm_shows_the_target_still():
    routine = ROUTINES["glute-bridge"]
    timeline = compile(routine)
    lift = next(s for s in timeline.segments if s.move == "lift")
    s = shot(routine, timeline, lift, lift.start_ms + 10, calm=True)
    assert (s.start, s.target) == ("top", None)
