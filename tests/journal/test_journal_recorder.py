"""The recorder with the real Player on the silent backend and a fake clock: the journal
holds every completed rep the moment it is completed, and nothing that was not played."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import breathpace.audio.backends.silent as silent_mod
import breathpace.clock as clock_mod
import breathpace.player as player_mod
from breathpace import paths
from breathpace.routine.load import parse_routine
from breathpace.session.recorder import record_session
from breathpace.timeline.segment import Mark

ROUTINE = """
format = 1
title = "Two things"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Pelvic tilt"
sets = 2
reps = 3
rest = { seconds = 2 }
phases = [
  { move = "tilt", breath = "exhale", seconds = 1, effort = true },
  { move = "release", breath = "inhale", seconds = 1 },
]

[[exercise]]
name = "Clamshell"
sides = "both"
reps = 2
phases = [
  { move = "open", breath = "exhale", seconds = 1, effort = true },
  { move = "close", breath = "inhale", seconds = 1 },
]
"""


# The recorder writes on a thread of its own; the helpers below wait for it, so what
# they read is what the journal holds once the writes made so far have landed.
_current: list = []


def _flush() -> None:
    if _current:
        assert _current[-1].flush(5)


def progress() -> dict[tuple[str, str], tuple[int, int]]:
    _flush()
    conn = sqlite3.connect(paths.journal_file())
    rows = conn.execute("SELECT name, side, reps_done, sets_done FROM progress").fetchall()
    conn.close()
    return {(n, s): (r, d) for n, s, r, d in rows}


def session_row() -> tuple:
    _flush()
    conn = sqlite3.connect(paths.journal_file())
    row = conn.execute(
        "SELECT routine, mode, pace, tempo_scale, planned_ms, played_ms, ended_at, outcome "
        "FROM session"
    ).fetchone()
    conn.close()
    return row


def make():
    clock = clock_mod.FakeClock()
    backend = silent_mod.SilentBackend(clock=clock)
    player = player_mod.Player(parse_routine(ROUTINE), backend=backend)
    recorder = record_session(player, routine_name="two-things", source="t.toml", mode="test")
    _current[:] = [recorder]
    # As the session runner does: the recorder hears every event each poll returns.
    poll = player.poll

    def poll_and_record():
        events = poll()
        for event in events:
            recorder.on_event(event)
        return events

    player.poll = poll_and_record
    return player, clock, recorder


def play(player, clock, seconds: float, step: float = 0.1) -> None:
    for _ in range(round(seconds / step)):
        clock.advance(step)
        player.poll()
    if _current:
        _current[-1].flush(5)


def test_session_row_written_at_start_then_each_rep_as_it_completes():
    player, clock, recorder = make()
    assert recorder.flush(5)  # the row is written on the journal's own thread
    assert recorder.session_id > 0 and recorder.notice is None
    routine, mode, pace, scale, planned, played, ended, outcome = session_row()
    assert played == 0
    assert (routine, mode, pace, scale) == ("two-things", "test", "1-0-1-0", 1.0)
    assert planned == player.timeline.duration_ms and ended is None and outcome is None
    assert progress() == {
        ("Pelvic tilt", ""): (0, 0),
        ("Clamshell", "left"): (0, 0),
        ("Clamshell", "right"): (0, 0),
    }
    player.start()
    play(player, clock, 1.9)  # most of the first rep: not done yet
    assert progress()[("Pelvic tilt", "")] == (0, 0)
    play(player, clock, 0.2)  # into the second rep
    assert progress()[("Pelvic tilt", "")] == (1, 0)
    play(player, clock, 4.0)  # reps 2 and 3 of set 1
    assert progress()[("Pelvic tilt", "")] == (3, 1)
    assert session_row()[5] > 5000  # played time is kept current too
    recorder.close("quit")
    ended, outcome = session_row()[6:]
    assert ended is not None and outcome == "quit"
    recorder.close("completed")  # a second close changes nothing
    assert session_row()[7] == "quit"


def test_a_whole_session_is_complete():
    player, clock, recorder = make()
    player.start()
    play(player, clock, player.timeline.duration_ms / 1000 + 1, step=0.25)
    assert str(player.state) == "finished"
    recorder.close("completed")
    assert progress() == {
        ("Pelvic tilt", ""): (6, 2),
        ("Clamshell", "left"): (2, 1),
        ("Clamshell", "right"): (2, 1),
    }
    assert session_row()[7] == "completed"


def test_skipped_reps_are_not_counted_and_repeated_reps_count_once():
    player, clock, recorder = make()
    player.start()
    play(player, clock, 2.5)  # rep 1 done, in rep 2
    player.previous("rep")  # back to the start of rep 2
    player.previous("rep")  # back to rep 1
    play(player, clock, 2.5)  # rep 1 again: still one rep
    assert progress()[("Pelvic tilt", "")] == (1, 0)
    player.next("item")  # skip the rest of the tilts
    play(player, clock, 0.5)
    # rep 2 was left half-way: not counted, and nothing of set 2 either
    assert progress()[("Pelvic tilt", "")] == (1, 0)
    assert player.segment.exercise_name == "Clamshell"
    recorder.close("quit")


def test_a_broken_journal_never_stops_the_session():
    player, clock, recorder = make()
    player.start()
    play(player, clock, 2.5)
    recorder._journal.conn.execute("DROP TABLE progress")  # the worst that could happen
    play(player, clock, 2.5)  # the next rep's write fails: remembered, not raised
    assert recorder.error is not None and "\n" not in recorder.error
    play(player, clock, 2.5)
    assert str(player.state) == "playing"
    recorder.close("quit")


def test_a_live_reload_keeps_counting_with_the_new_plan():
    player, clock, recorder = make()
    player.start()
    play(player, clock, 4.1)  # two tilts done, into the third
    assert progress()[("Pelvic tilt", "")] == (2, 0)
    player.reload(parse_routine(ROUTINE.replace("reps = 3", "reps = 5")))
    player.poll()
    assert progress()[("Pelvic tilt", "")] == (2, 0)  # the reload itself counts nothing
    play(player, clock, 6.0)  # reps 3, 4 and 5 of set 1
    conn = sqlite3.connect(paths.journal_file())
    row = conn.execute(
        "SELECT reps, sets, reps_done, sets_done FROM progress WHERE name = 'Pelvic tilt'"
    ).fetchone()
    conn.close()
    assert row == (5, 2, 5, 1)
    recorder.close("quit")


def test_pace_changes_mid_session_neither_lose_nor_double_reps():
    player, clock, recorder = make()
    player.start()
    play(player, clock, 1.0)
    player.slower()
    play(player, clock, 5.0)
    player.faster()
    player.faster()
    play(player, clock, 60.0, step=0.25)
    assert str(player.state) == "finished"
    recorder.close("completed")
    assert progress() == {
        ("Pelvic tilt", ""): (6, 2),
        ("Clamshell", "left"): (2, 1),
        ("Clamshell", "right"): (2, 1),
    }


def rep_ends_before(timeline, position_ms: int) -> int:
    return sum(
        1
        for seg in timeline.segments
        if seg.is_rep and Mark.REP_END in seg.marks and seg.end_ms <= position_ms
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    actions=st.lists(
        st.one_of(
            st.tuples(st.just("play"), st.integers(1, 40)),
            st.tuples(
                st.sampled_from(["next", "previous"]), st.sampled_from(["rep", "set", "item"])
            ),
            st.tuples(st.just("pause"), st.just("")),
        ),
        max_size=12,
    )
)
def test_whatever_the_person_does_reps_only_grow_and_never_pass_the_plan(actions):
    from breathpace.journal.db import open_journal

    player, clock, recorder = make()
    player.start()
    skipped = False
    before: dict = {}
    for action, arg in actions:
        if action == "play":
            play(player, clock, arg / 4, step=0.25)
        elif action == "pause":
            player.toggle_pause()
        else:
            getattr(player, action)(arg)
            player.poll()
            skipped = True
        now = progress()
        for key, (done, _) in now.items():
            assert done >= before.get(key, (0, 0))[0]
        before = now
    planned = {("Pelvic tilt", ""): 6, ("Clamshell", "left"): 2, ("Clamshell", "right"): 2}
    for key, (done, sets_done) in before.items():
        assert done <= planned[key] and sets_done <= (2 if key[0] == "Pelvic tilt" else 1)
    if not skipped:
        # straight play (with pauses): exactly the reps whose end has been passed
        assert sum(done for done, _ in before.values()) == rep_ends_before(
            player.timeline, player.position_ms
        )
    recorder.close("quit")
    # a fresh journal for the next example
    with open_journal() as journal, journal.transaction() as conn:
        conn.execute("DELETE FROM session")


@pytest.mark.parametrize(
    ("level", "counted"),
    [
        # skipping on to the next rep from its last phase: the rep is taken as done
        ("rep", 1),
        # leaving the set or the exercise from the same place: it is not
        ("set", 0),
        ("item", 0),
    ],
)
def test_skipping_from_the_last_phase_of_a_rep(level, counted):
    player, clock, recorder = make()
    player.start()
    play(player, clock, 1.5)  # half-way through "release", the last phase of rep 1
    assert player.segment.move == "release" and player.segment.rep == 1
    player.next(level)
    player.poll()
    assert progress()[("Pelvic tilt", "")] == (counted, 0)
    recorder.close("quit")
