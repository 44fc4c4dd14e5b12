"""A long routine's timeline stays columns: playing it builds only the segments that
play, and keeps only the most recent of those, so a 400,000-segment routine costs the
player the same memory as a short one after start-up."""

from __future__ import annotations

from breathpace.audio.backends.silent import SilentBackend
from breathpace.clock import FakeClock
from breathpace.player import Player
from breathpace.routine.load import parse_routine
from breathpace.session.recorder import planned_rows
from breathpace.timeline import compile
from breathpace.timeline.table import KEPT

LONG = """\
format = 1
title = "Quick reps"
lead_in = 1
[[exercise]]
name = "Quick reps"
sets = 10
reps = 1000
sides = "both"
rest = { seconds = 1 }
phases = [
  { move = "lift", seconds = 0.02, effort = true },
  { move = "lower", seconds = 0.02 },
]
"""


def test_building_a_player_and_its_journal_rows_builds_no_segment():
    routine = parse_routine(LONG)
    clock = FakeClock(0.0)
    player = Player(routine, backend=SilentBackend(clock=clock))
    table = player.timeline.segments
    assert len(table) > 40_000
    assert planned_rows(player.timeline) == {
        (1, "left"): ("Quick reps", 10, 1000),
        (1, "right"): ("Quick reps", 10, 1000),
    }
    assert len(table._made) == 0


def test_playing_keeps_at_most_the_recent_segments_and_each_index_is_equal():
    routine = parse_routine(LONG)
    timeline = compile(routine)
    table = timeline.segments
    first = [table[i] for i in range(3 * KEPT)]
    assert len(table._made) <= KEPT + 1
    assert [table[i] for i in range(3 * KEPT)] == first  # made again: equal, by value
    walked = list(table)  # a whole walk (the mixer's) keeps nothing more
    assert len(table._made) <= KEPT + 1
    assert walked[: 3 * KEPT] == first
    assert [s.index for s in walked] == list(range(len(table)))
