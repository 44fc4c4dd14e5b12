"""Where a track's chapters begin: at each exercise's first moment, to the millisecond.

The expected starts are read straight from the timeline's segments (the first segment
of an exercise, the first segment of the other side), not from the chapter code.
"""

from __future__ import annotations

import itertools

from breathpace.routine.load import parse_routine
from breathpace.timeline import Kind, compile
from breathpace.track.chapters import track_chapters

ROUTINE = """
format = 1
title = "Chapters"
pace = "2-0-3-0"
lead_in = 5

[[exercise]]
name = "Tilt"
reps = 2
phases = [
  { move = "tilt", breath = "exhale", seconds = 3, effort = true },
  { move = "release", breath = "inhale", seconds = 2 },
]

[[exercise]]
name = "Clam"
sides = "both"
sets = 2
reps = 2
rest = { seconds = 4 }
switch_rest = { seconds = 3 }
phases = [
  { move = "open", breath = "exhale", seconds = 3, effort = true },
  { move = "close", breath = "inhale", seconds = 2 },
]

[[exercise]]
name = "Reach"
sides = "alternate"
reps = 4
phases = [
  { move = "reach", breath = "exhale", seconds = 3, effort = true },
  { move = "back", breath = "inhale", seconds = 2 },
]

[[exercise]]
name = "Rest"
pattern = "4-0-6-0"
cycles = 2
"""


def first_start(timeline, test) -> int:
    return next(seg.start_ms for seg in timeline.segments if test(seg))


def test_a_chapter_for_the_lead_in_each_exercise_and_each_side_run():
    routine = parse_routine(ROUTINE)
    timeline = compile(routine)
    chapters = track_chapters(timeline, routine)
    side_runs = [
        seg
        for prev, seg in zip(timeline.segments, timeline.segments[1:], strict=False)
        if seg.exercise == 2 and seg.side is not None and seg.side != prev.side
    ]
    # Left, right, left, right: two sets of both sides.
    assert [s.side for s in side_runs] == ["left", "right", "left", "right"]
    want = [
        (0, "Get ready"),
        (first_start(timeline, lambda s: s.exercise == 1), "Tilt"),
        (first_start(timeline, lambda s: s.exercise == 2), "Clam, set 1, left side"),
        (side_runs[1].start_ms, "Clam, set 1, right side"),
        (side_runs[2].start_ms, "Clam, set 2, left side"),
        (side_runs[3].start_ms, "Clam, set 2, right side"),
        (first_start(timeline, lambda s: s.exercise == 3), "Reach, sides alternating"),
        (first_start(timeline, lambda s: s.exercise == 4), "Rest"),
    ]
    assert [(c.start_ms, c.title) for c in chapters] == want
    # The right side's chapter begins with the switch to it, where the cue sounds.
    assert timeline.at(chapters[3].start_ms).kind is Kind.SWITCH
    assert [c.side for c in chapters[2:6]] == ["left", "right", "left", "right"]


def test_chapters_cover_the_track_without_gap_or_overlap():
    routine = parse_routine(ROUTINE)
    timeline = compile(routine)
    chapters = track_chapters(timeline, routine)
    assert chapters[0].start_ms == 0
    assert chapters[-1].end_ms == timeline.duration_ms
    for before, after in itertools.pairwise(chapters):
        assert before.end_ms == after.start_ms > before.start_ms


def test_without_a_lead_in_the_first_exercise_starts_at_zero():
    routine = parse_routine(ROUTINE.replace("lead_in = 5", "lead_in = 0"))
    timeline = compile(routine)
    chapters = track_chapters(timeline, routine)
    assert (chapters[0].start_ms, chapters[0].title) == (0, "Tilt")


def test_chapter_starts_follow_the_pace():
    routine = parse_routine(ROUTINE)
    slow = compile(routine, tempo_scale=2)
    fast = track_chapters(compile(routine), routine)
    slower = track_chapters(slow, routine)
    assert [c.title for c in slower] == [c.title for c in fast]
    # The lead-in stays as it is; everything after it is twice as long.
    assert slower[2].start_ms - slower[1].start_ms == 2 * (fast[2].start_ms - fast[1].start_ms)
