"""The Player's pure core, driven directly: no backend, no clock, no sound.

The core is told tape positions and answers with effects and events. At a sample rate
of 1000 a frame is a millisecond, so the tape and timeline frames below read as the
times of the routine (see the timeline sketch under ROUTINE).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breathpace.frames import frame_of, ms_of
from breathpace.player.core import (
    JUMP_S,
    Core,
    DiscardFrom,
    Pause,
    Plan,
    PlayFrom,
    Stretch,
    same_place,
)
from breathpace.player.events import (
    Notice,
    PaceChanged,
    PlayerState,
    SegmentChanged,
    StateChanged,
)
from breathpace.player.states import (
    TRANSITIONS,
    IllegalTransition,
    Trigger,
    allows,
    transition,
)
from breathpace.routine.load import parse_routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import Kind, compile

ROUTINE = """
format = 1
title = "Test"
pace = "2-0-3-0"
lead_in = 2

[[exercise]]
name = "Tilt"
sets = 2
reps = 2
rest = { seconds = 4 }
phases = [
  { move = "tilt", breath = "exhale", breaths = 1, effort = true },
  { move = "release", breath = "inhale", breaths = 1 },
]

[[exercise]]
name = "Bridge"
wait_for_ready = true
sets = 1
reps = 2
sides = "both"
tempo = "2-0-1-0"
"""
# Timeline (ms): lead-in 0; Tilt set 1 rep 1 at 2000 (exhale 3 s, inhale 2 s), rep 2 at
# 7000; rest 12000; set 2 at 16000, 21000; WAIT at 26000 (10 s); Bridge left 36000, 39000;
# switch 42000; right 47000, 50000; END 53000-56000.
SR = 1000
S = PlayerState
T = Trigger


def plan_for(pace: str | None = None, scale=1, sr: int = SR) -> Plan:
    routine = parse_routine(ROUTINE)
    override = BreathPattern.parse(pace) if pace else None
    timeline = compile(routine, override, Fraction(scale))
    return Plan.of(
        timeline,
        sr,
        pace=override or routine.pace_parsed,
        pace_override=override,
        tempo_scale=Fraction(scale),
    )


def started(**kw) -> Core:
    """A started core on a device clock (a wall clock would read big leaps as sleep)."""
    kw.setdefault("wall_clock", False)
    core = Core(plan_for(), SR, **kw)
    core.start(0)
    return core


def segments(events) -> list:
    return [e.segment for e in events if isinstance(e, SegmentChanged)]


# ------------------------------------------------------------------ the table


def test_the_table_names_states_by_the_enum_and_every_trigger_is_used():
    assert all(
        isinstance(s, PlayerState) and isinstance(n, PlayerState)
        for (s, _), n in TRANSITIONS.items()
    )
    assert {t for _, t in TRANSITIONS} == set(Trigger)


def test_stopped_is_final_and_every_other_state_can_stop():
    assert not [key for key in TRANSITIONS if key[0] is S.STOPPED]
    for state in PlayerState:
        if state is not S.STOPPED:
            assert transition(state, T.STOP) is S.STOPPED


def test_every_state_is_reachable_from_ready():
    seen, todo = {S.READY}, [S.READY]
    while todo:
        state = todo.pop()
        for (src, _), dst in TRANSITIONS.items():
            if src is state and dst not in seen:
                seen.add(dst)
                todo.append(dst)
    assert seen == set(PlayerState)


def test_an_illegal_transition_is_a_clear_error():
    assert not allows(S.PAUSED, T.PAUSE)
    with pytest.raises(IllegalTransition) as info:
        transition(S.PAUSED, T.PAUSE)
    assert str(info.value) == "PAUSE cannot happen while paused (it can while: playing)"
    with pytest.raises(IllegalTransition, match="RESUME cannot happen while stopped"):
        transition(S.STOPPED, T.RESUME)


@pytest.mark.parametrize(
    ("state", "trigger", "after"),
    [
        (S.READY, T.START, S.PLAYING),
        (S.READY, T.START_AT_WAIT, S.WAITING),
        (S.PLAYING, T.CLOCK_JUMP, S.PAUSED),
        (S.PAUSED, T.SEEK, S.PAUSED),
        (S.WAITING, T.SEEK, S.PLAYING),
        (S.FINISHED, T.SEEK, S.PLAYING),
        (S.FINISHED, T.RELOAD, S.PAUSED),
        (S.WAITING, T.RELOAD, S.WAITING),
        (S.PLAYING, T.REACH_WAIT, S.WAITING),
    ],
)
def test_rows_of_the_table(state, trigger, after):
    assert transition(state, trigger) is after


# ---------------------------------------------------------------- the core


def test_start_plays_from_tape_zero_and_sync_reports_segments_exactly():
    core = Core(plan_for(), SR, wall_clock=False)
    core.start(0)
    assert core.take_effects() == [PlayFrom(0)]
    events = core.take_events()
    assert events[0] == SegmentChanged(core.timeline.segments[0], None)
    assert StateChanged(S.PLAYING) in events
    core.sync(1999)
    assert core.take_events() == []
    core.sync(2000)
    (changed,) = core.take_events()
    assert changed.segment.exercise == 1 and changed.segment.start_ms == 2000
    assert core.position_ms == 2000 and core.played_ms == 2000


def test_a_slow_sync_reports_every_segment_in_order():
    core = started()
    core.take_events()
    core.sync(12500)
    got = segments(core.take_events())
    assert [s.index for s in got] == list(range(1, got[-1].index + 1))
    assert got[-1].kind is Kind.REST


def test_pause_holds_and_resume_never_reuses_tape():
    core = started()
    core.sync(3000)
    core.take_effects()
    core.pause()
    assert core.take_effects() == [Pause()]
    assert core.state is S.PAUSED and core.stretches == ()
    # The audio thread had rendered ahead of the clock: that tape is not used again.
    core.rendered_until = 3400
    core.resume(3000)
    (play,) = core.take_effects()
    assert play == PlayFrom(3400)
    assert core.stretches[0].tl_start == 3000
    core.sync(play.tape + 500)
    assert core.position_ms == 3500 and core.played_ms == 3500


def test_a_silent_clock_that_leaps_pauses_where_it_was():
    core = started(wall_clock=True)
    for tape in range(100, 3001, 100):
        core.sync(tape)
    core.take_events()
    core.sync(3000 + int(JUMP_S * SR) + 1)
    assert core.state is S.PAUSED and core.position_ms == 3000
    assert any(isinstance(e, Notice) and "clock jumped" in e.text for e in core.take_events())
    streaming = started(wall_clock=False)
    streaming.sync(3000 + int(JUMP_S * SR) + 1)
    assert streaming.state is S.PLAYING


def test_play_holds_at_a_wait_until_confirmed():
    core = started()
    core.sync(30000)
    assert core.state is S.WAITING and core.position_ms == 26000
    assert Pause() in core.take_effects()
    assert core.segment.kind is Kind.WAIT
    core.confirm_ready(26000)
    (play,) = core.take_effects()
    assert core.state is S.PLAYING
    core.sync(play.tape + 10000)
    assert core.position_ms == 36000 and core.segment.exercise == 2


def test_seeks_land_on_rep_set_and_item_starts():
    core = started()
    core.sync(2500)
    core.next(2500, "rep")
    assert core.position_ms == 7000
    core.next(core.stretches[0].tape_start, "set")
    assert core.position_ms == 16000
    core.next(core.stretches[0].tape_start, "item")
    assert core.segment.kind is Kind.WAIT
    assert core.state is S.PLAYING  # a seek is a wish to go on: the wait is passed over
    core.previous(core.stretches[0].tape_start + 5000, "rep")
    assert core.position_ms == 21000  # held at the wait: the rep before it
    assert core.state is S.PLAYING


def test_a_seek_while_paused_stays_paused_and_past_the_end_finishes():
    core = started()
    core.sync(3000)
    core.pause()
    core.next(3000, "rep")
    assert core.state is S.PAUSED and core.position_ms == 7000
    core.take_effects()
    for _ in range(5):
        core.next(3000, "item")
        if core.state is not S.PAUSED:
            break
    assert core.state is S.FINISHED and core.position_ms == core.timeline.duration_ms
    assert core.take_effects() == [Pause()]


def test_a_pending_pace_switches_on_the_tape_frame_of_the_next_rep_boundary():
    core = started()
    core.sync(3000)
    core.take_events()
    slow = plan_for("4-0-6-0")
    core.request(slow, 3000)
    assert core.take_events() == [PaceChanged(slow.pace, Fraction(1), pending=True)]
    first, switch = core.stretches
    assert switch.plan is slow and switch.switch_from_ms == 7000
    assert switch.tape_start == 7000  # the tape frame where the old timeline hits 7000
    assert switch.tl_start == same_place(first.plan.timeline, 7000, slow.timeline)
    core.sync(6999)
    assert core.plan is not slow
    core.sync(7000)
    assert core.plan is slow and core.pending is None
    events = core.take_events()
    assert PaceChanged(slow.pace, Fraction(1), pending=False) in events
    assert core.position_ms == switch.tl_start
    # Same item, set and rep in the new timeline.
    assert (core.segment.exercise, core.segment.set, core.segment.rep) == (1, 1, 2)


def test_a_switch_never_lands_on_tape_already_rendered():
    core = started()
    core.sync(6000)
    core.rendered_until = 7200  # the audio thread is past the 7000 boundary already
    core.request(plan_for("4-0-6-0"), 6000)
    switch = core.stretches[-1]
    assert switch.tape_start >= 7200
    old = core.timeline
    assert switch.switch_from_ms == old.next_start(7200, "rep")


def test_a_buffering_backend_is_told_to_discard_from_the_switch():
    core = started(discards_ahead=True)
    core.sync(3000)
    core.take_effects()
    core.request(plan_for("4-0-6-0"), 3000)
    assert core.take_effects() == [DiscardFrom(7000)]
    core.sound_changed()
    assert core.take_effects() == [DiscardFrom(0)]


def test_asking_for_what_plays_drops_the_waiting_switch():
    core = started()
    core.sync(3000)
    core.request(plan_for("4-0-6-0"), 3000)
    assert len(core.stretches) == 2
    core.request(plan_for(), 3000)
    assert core.pending is None and len(core.stretches) == 1


def test_a_pending_pace_applies_at_once_before_start():
    core = Core(plan_for(), SR)
    slow = plan_for("4-0-6-0")
    core.request(slow, 0)
    assert core.plan is slow and core.pending is None


def test_stop_is_final():
    core = started()
    core.sync(3000)
    core.stop()
    assert core.state is S.STOPPED and core.take_effects()[-1] == Pause()
    with pytest.raises(IllegalTransition):
        core.resume(3000)


# ----------------------------------------------------------------- properties

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("sync"), st.integers(0, 4000)),
        st.tuples(st.just("pause"), st.just(0)),
        st.tuples(st.just("resume"), st.just(0)),
        st.tuples(st.just("confirm"), st.just(0)),
        st.tuples(st.just("next"), st.sampled_from(["rep", "set", "item"])),
        st.tuples(st.just("previous"), st.sampled_from(["rep", "set", "item"])),
        st.tuples(st.just("pace"), st.sampled_from([None, "4-0-6-0", "1-0-2-0"])),
        st.tuples(st.just("render"), st.integers(0, 3000)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_tape_only_moves_forward_and_stretches_map_it_monotonically(ops):
    plans = {None: plan_for(), "4-0-6-0": plan_for("4-0-6-0"), "1-0-2-0": plan_for("1-0-2-0")}
    core = Core(plans[None], SR, wall_clock=False)
    core.start(0)
    core.take_effects()
    clock = 0
    last_play = 0
    for op, arg in ops:
        if op == "sync":
            clock += arg
            core.sync(clock)
        elif op == "render":
            # The audio thread renders ahead of the clock, never behind what it rendered.
            core.rendered_until = max(core.rendered_until, clock + arg)
        elif op == "pause" and core.state is S.PLAYING:
            core.pause()
        elif op == "resume" and core.state is S.PAUSED:
            core.resume(clock)
        elif op == "confirm" and core.state is S.WAITING:
            core.confirm_ready(clock)
        elif op == "next":
            core.next(clock, arg)
        elif op == "previous":
            core.previous(clock, arg)
        elif op == "pace":
            core.request(plans[arg], clock)
        for effect in core.take_effects():
            if isinstance(effect, PlayFrom):
                # Tape frames are never reused: a new stretch starts on tape that was
                # neither heard (the clock) nor rendered, and never before an earlier one.
                assert effect.tape >= max(last_play, clock, core.rendered_until)
                last_play = effect.tape
                clock = max(clock, effect.tape)
        starts = [s.tape_start for s in core.stretches]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        for s in core.stretches:
            assert 0 <= s.tl_start <= s.tl_stop <= s.plan.end_frame
            heard = [s.tl_at(t) for t in range(s.tape_start - 3, s.tape_stop + 3, 97)]
            assert heard == sorted(heard)
            assert s.tl_at(s.tape_start) == s.tl_start and s.tl_at(s.tape_stop) == s.tl_stop
        assert 0 <= core.position_ms <= core.timeline.duration_ms
        assert isinstance(core.state, PlayerState)


@settings(max_examples=150, deadline=None)
@given(
    at=st.integers(0, 55999),
    level=st.sampled_from(["rep", "set", "item"]),
    forward=st.booleans(),
    paused=st.booleans(),
)
def test_a_seek_lands_on_the_start_of_the_segment_asked_for(at, level, forward, paused):
    core = started()
    core.sync(at)  # may stop at the wait; then it is WAITING
    if paused and core.state is S.PLAYING:
        core.pause()
    here, before = core.position_ms, core.state
    timeline = core.timeline
    if forward:
        core.next(at, level)
        target = timeline.next_start(here, level)
    else:
        core.previous(at, level)
        target = timeline.previous_start(here, level)
    if target is None:
        assert core.state is S.FINISHED and core.position_ms == timeline.duration_ms
        return
    assert core.position_ms == target
    assert core.segment.start_ms == target
    assert core.state is (S.PAUSED if before is S.PAUSED else S.PLAYING)


@given(ms=st.integers(0, 10**7), sr=st.sampled_from([8000, 22050, 44100, 48000, 96000]))
def test_ms_of_inverts_frame_of(ms, sr):
    frame = frame_of(ms, sr)
    assert ms_of(frame, sr) == ms
    assert frame_of(ms_of(frame, sr), sr) <= frame


def test_a_stretch_holds_at_its_stop():
    s = Stretch(tape_start=100, tl_start=5000, tl_stop=5200, plan=plan_for())
    assert [s.tl_at(t) for t in (0, 100, 150, 300, 10_000)] == [5000, 5000, 5050, 5200, 5200]
    assert s.tape_stop == 300


@pytest.mark.slow
def test_the_core_imports_no_numpy_and_no_audio():
    import subprocess
    import sys

    probe = (
        "import sys, breathpace.player.core, breathpace.player.states; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'miniaudio') "
        "or m.startswith(('breathpace.audio', 'breathpace.clock', 'breathpace.player.player', "
        "'breathpace.player.audio'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
