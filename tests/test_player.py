"""The Player with a fake clock: position, controls, pace changes, waits, time jumps.

Most tests use the silent backend on a FakeClock. The tests of what is *heard* use
`PullCard`, which plays the sound card's part: it is the clock (frames pulled so far)
and pulls blocks from the player's source exactly as a device callback would.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from breathpace.audio.backends import Capabilities
from breathpace.audio.mixer import Mixer, frame_of
from breathpace.audio.theme import load_theme
from breathpace.clock import FakeClock
from breathpace.player import (
    JUMP_S,
    Notice,
    PaceChanged,
    Player,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)
from breathpace.routine.load import parse_routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import Kind, compile
from tests.fakes import FakeRig

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


def routine(text: str = ROUTINE):
    return parse_routine(text)


def make(text: str = ROUTINE, **kw):
    rig = FakeRig()
    clock = rig.clock
    player = rig.player(routine(text), **kw)
    return player, clock, collecting(player)


def collecting(player) -> list:
    """Every event the player's polls return, in order, from now on."""
    events: list = []
    poll = player.poll

    def poll_and_keep():
        got = poll()
        events.extend(got)
        return got

    player.poll = poll_and_keep
    return events


def run(player, clock, seconds: float, step: float = 0.05):
    """Advance the clock in small steps, polling like a front end does."""
    n = round(seconds / step)
    for _ in range(n):
        clock.advance(step)
        player.poll()


def segment_events(events):
    return [e for e in events if isinstance(e, SegmentChanged)]


def test_segments_advance_exactly_with_the_clock():
    player, clock, events = make()
    timeline = player.timeline
    player.start()
    player.poll()
    assert player.state is PlayerState.PLAYING
    for t_ms in (0, 1999, 2000, 3500, 4999, 5000, 6999, 7000, 8500, 10000, 11999, 12000):
        clock.advance(t_ms / 1000 - clock.now())
        player.poll()
        assert player.position_ms == t_ms
        assert player.segment == timeline.at(t_ms), t_ms
    seen = [e.segment.index for e in segment_events(events)]
    assert seen == list(range(timeline.index_at(12000) + 1))
    for e in segment_events(events)[1:]:
        assert e.previous.index == e.segment.index - 1


def test_a_slow_poll_still_reports_every_segment_in_order():
    player, clock, events = make()
    player.start()
    clock.advance(1.9)
    player.poll()
    clock.advance(1.9)  # below the jump threshold, but two segments pass
    player.poll()
    clock.advance(1.9)
    player.poll()
    idx = [e.segment.index for e in segment_events(events)]
    assert idx == [0, 1, 2]
    assert player.position_ms == 5700


def test_pause_holds_the_position_and_played_time_excludes_it():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)
    player.pause()
    assert player.state is PlayerState.PAUSED
    held = player.position_ms
    assert held == 3000
    clock.advance(60)
    player.poll()
    assert player.position_ms == held
    player.resume()
    run(player, clock, 1.0)
    assert player.position_ms == 4000
    assert player.played_ms == 4000
    states = [e.state for e in events if isinstance(e, StateChanged)]
    assert states == [PlayerState.PLAYING, PlayerState.PAUSED, PlayerState.PLAYING]


def test_toggle_pause_and_progress():
    player, clock, _ = make()
    player.toggle_pause()  # READY -> start
    assert player.state is PlayerState.PLAYING
    run(player, clock, 14.0)
    player.toggle_pause()
    assert player.state is PlayerState.PAUSED
    assert player.progress == pytest.approx(14000 / player.timeline.duration_ms)
    assert player.remaining_ms == player.timeline.duration_ms - 14000
    player.toggle_pause()
    assert player.state is PlayerState.PLAYING


def test_next_and_previous_rep_set_and_item():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)  # set 1 rep 1, exhale
    player.next("rep")
    assert player.position_ms == 7000
    assert (player.segment.set, player.segment.rep) == (1, 2)
    run(player, clock, 0.5)
    player.next("set")
    assert player.position_ms == 16000
    assert (player.segment.set, player.segment.rep) == (2, 1)
    run(player, clock, 3.0)  # 19000, past the restart grace
    player.previous("rep")
    assert player.position_ms == 16000
    player.previous("rep")  # within the grace: the rep before (the rest is not a rep)
    assert player.position_ms == 7000
    player.next("item")
    assert player.segment.kind is Kind.WAIT
    player.poll()
    assert player.state is PlayerState.WAITING
    player.next("item")
    assert player.segment.kind is Kind.END
    player.next("rep")
    player.poll()
    assert player.state is PlayerState.FINISHED
    assert player.position_ms == player.timeline.duration_ms
    # A seek reports the segment it left, so a skipped rep never reads as played.
    jumps = [e for e in segment_events(events) if e.previous is not None]
    assert any(e.segment.index != e.previous.index + 1 for e in jumps)


def test_seek_while_paused_stays_paused():
    player, clock, _ = make()
    player.start()
    run(player, clock, 1.0)
    player.pause()
    player.next("rep")
    assert player.state is PlayerState.PAUSED
    assert player.position_ms == 2000
    clock.advance(5)
    player.poll()
    assert player.position_ms == 2000


def test_a_seek_before_start_is_where_the_session_begins():
    player, clock, events = make()
    player.next("set")  # set 1 (after the lead-in)
    assert player.position_ms == 2000
    player.next("set")
    assert player.state is PlayerState.READY
    assert events == []
    player.start()
    player.poll()
    assert player.position_ms == 16000
    assert events[0] == SegmentChanged(player.timeline.at(16000), None)
    run(player, clock, 1.0)
    assert player.position_ms == 17000


def test_played_time_counts_each_frame_once_across_a_pace_switch():
    player, clock, _ = make()
    player.start()
    run(player, clock, 3.0)
    player.slower()
    run(player, clock, 6.0)  # the switch happened at 7 s of the clock
    assert player.tempo_scale == Fraction(11, 10)
    assert player.played_ms == 9000
    player.next("rep")  # a skip is not played time
    run(player, clock, 1.0)
    assert player.played_ms == 10000


def test_wait_for_ready_holds_until_confirmed():
    player, clock, events = make()
    player.start()
    run(player, clock, 27.0)
    assert player.state is PlayerState.WAITING
    assert player.position_ms == 26000
    assert player.segment.kind is Kind.WAIT
    clock.advance(100)
    player.poll()
    assert player.position_ms == 26000
    player.confirm_ready()
    assert player.state is PlayerState.PLAYING
    run(player, clock, 10.0)
    assert player.position_ms == 36000
    assert player.segment.exercise_name == "Bridge"
    assert player.segment.side == "left"
    waiting = [e for e in events if isinstance(e, StateChanged)]
    assert [e.state for e in waiting] == [
        PlayerState.PLAYING,
        PlayerState.WAITING,
        PlayerState.PLAYING,
    ]


def test_a_routine_that_starts_with_a_wait_waits_at_once():
    text = ROUTINE.replace('name = "Tilt"', 'name = "Tilt"\nwait_for_ready = true')
    player, clock, _ = make(text)
    player.start()
    assert player.state is PlayerState.WAITING
    clock.advance(50)
    player.poll()
    assert player.position_ms == 0
    player.confirm_ready()
    run(player, clock, 1.0)
    assert player.position_ms == 1000


def test_slower_applies_at_the_next_rep_boundary():
    player, clock, events = make()
    player.start()
    run(player, clock, 2.5)  # set 1 rep 1
    player.slower()
    player.poll()
    change = [e for e in events if isinstance(e, PaceChanged)]
    assert change == [PaceChanged(player.pace, Fraction(11, 10), pending=True)]
    assert player.tempo_scale == 1  # not yet
    run(player, clock, 4.45)  # 6950: still the old rep 1
    assert player.tempo_scale == 1
    assert player.position_ms == 6950
    run(player, clock, 0.05)  # 7000 on the old timeline = rep 2 of the new one
    assert player.tempo_scale == Fraction(11, 10)
    new = compile(player.routine, None, Fraction(11, 10))
    assert player.timeline == new
    rep2 = new.locate(1, None, 1, 2)
    assert player.position_ms == rep2
    assert (player.segment.set, player.segment.rep) == (1, 2)
    assert isinstance(events[-1], PaceChanged) and events[-1].pending is False
    run(player, clock, 1.0)
    assert player.position_ms == rep2 + 1000
    # Every segment was reported once, in order, across the switch.
    seg_events = segment_events(events)
    assert [(e.segment.set, e.segment.rep, e.segment.breath) for e in seg_events[1:4]] == [
        (1, 1, "exhale"),
        (1, 1, "inhale"),
        (1, 2, "exhale"),
    ]
    assert seg_events[3].previous.index == seg_events[3].segment.index - 1


def test_faster_and_set_pace_accumulate_before_the_boundary():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)
    player.faster()
    player.faster()
    player.set_pace(BreathPattern.parse("3-0-4-0"))
    assert player.pending_pace == (BreathPattern.parse("3-0-4-0"), Fraction(8, 10))
    run(player, clock, 4.0)  # crosses 7000
    assert player.pace == BreathPattern.parse("3-0-4-0")
    assert player.tempo_scale == Fraction(4, 5)
    assert player.pending_pace is None
    new = compile(player.routine, BreathPattern.parse("3-0-4-0"), Fraction(4, 5))
    assert player.position_ms == new.locate(1, None, 1, 2) + 0
    assert [e.pending for e in events if isinstance(e, PaceChanged)] == [True] * 3 + [False]


def test_pace_change_while_waiting_applies_at_once():
    player, clock, _ = make()
    player.start()
    run(player, clock, 27.0)
    assert player.state is PlayerState.WAITING
    player.slower()
    assert player.tempo_scale == Fraction(11, 10)
    assert player.segment.kind is Kind.WAIT
    assert player.position_ms == player.segment.start_ms


def test_reload_keeps_the_place():
    player, clock, events = make()
    player.start()
    run(player, clock, 17.0)  # set 2 rep 1 (starts 16000)
    assert (player.segment.set, player.segment.rep) == (2, 1)
    changed = routine(
        ROUTINE.replace("reps = 2\nrest", "reps = 3\nrest").replace("2-0-3-0", "3-0-3-0")
    )
    player.reload(changed)
    player.poll()
    assert Reloaded(ok=True, error=None) in events
    assert player.routine is changed
    seg = player.segment
    assert (seg.exercise, seg.set, seg.rep) == (1, 2, 1)
    assert player.position_ms == player.timeline.locate(1, None, 2, 1)
    assert player.state is PlayerState.PLAYING
    start = player.position_ms
    run(player, clock, 1.0)
    assert player.position_ms == start + 1000


def test_reload_falls_back_to_the_start_of_the_item():
    player, clock, _ = make()
    player.start()
    run(player, clock, 22.0)  # set 2 rep 2
    fewer = routine(ROUTINE.replace("sets = 2", "sets = 1"))
    player.reload(fewer)
    assert player.position_ms == player.timeline.item_span(1)[0]


def test_reload_that_cannot_compile_keeps_playing():
    # Fits the 4-hour limit at its own pace, not at the half-speed being played.
    long = ROUTINE.replace("reps = 2\nrest", "reps = 400\nrest").replace("sets = 2", "sets = 6")
    player, clock, events = make(tempo_scale=2)
    player.start()
    run(player, clock, 3.0)
    before = player.timeline
    player.reload(routine(long))
    player.poll()
    bad = [e for e in events if isinstance(e, Reloaded)]
    assert bad and bad[-1].ok is False and "4 hour" in bad[-1].error
    assert player.timeline is before
    assert player.state is PlayerState.PLAYING
    run(player, clock, 1.0)
    assert player.position_ms == 4000


def test_a_clock_jump_pauses_before_the_jump():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)
    clock.advance(JUMP_S + 5)  # the lid was closed
    player.poll()
    assert player.state is PlayerState.PAUSED
    assert player.position_ms == 3000
    notices = [e for e in events if isinstance(e, Notice)]
    assert len(notices) == 1
    # No burst: nothing after the segment playing before the jump was reported.
    assert segment_events(events)[-1].segment.index == player.timeline.index_at(3000)
    player.resume()
    run(player, clock, 1.0)
    assert player.position_ms == 4000


def test_finished_at_the_end():
    player, clock, events = make()
    player.start()
    run(player, clock, 27.0)
    player.confirm_ready()
    run(player, clock, 40.0)
    assert player.state is PlayerState.FINISHED
    assert player.position_ms == player.timeline.duration_ms
    assert player.segment.kind is Kind.END
    assert player.progress == 1.0
    assert events[-1] == StateChanged(PlayerState.FINISHED)
    clock.advance(10)
    assert player.poll() == []


def test_stop_ends_and_its_event_comes_with_the_next_poll():
    player, clock, events = make()
    player.start()
    run(player, clock, 1.0)
    player.stop()
    assert player.state is PlayerState.STOPPED
    player.poll()
    assert events[-1] == StateChanged(PlayerState.STOPPED)
    player.next()
    player.resume()
    assert player.state is PlayerState.STOPPED


def test_volume_and_mute():
    player, _, _ = make(volume=0.5)
    assert player.volume == 0.5
    player.set_volume(3)
    assert player.volume == 1.0
    player.set_volume(-1)
    assert player.volume == 0.0
    assert player.muted is False
    player.toggle_mute()
    assert player.muted is True


# --------------------------------------------------------------- what is heard


class PullCard:
    """Plays the sound card's part: it pulls blocks from the source as a device callback
    does, and the frames pulled so far are the clock."""

    name = "pullcard"
    sample_rate = 44100
    # Streams like miniaudio: renders what it pulls and never re-renders it.
    capabilities = Capabilities(renders=True, discards_ahead=False, lists_devices=False)

    def __init__(self):
        self.source = None
        self.frame = 0
        self.playing = False
        self.tape: list[np.ndarray] = []

    def attach(self, source):
        self.source = source

    def play_from(self, frame):
        self.frame = frame
        self.playing = True

    def pause(self):
        self.playing = False

    def position_frames(self):
        return self.frame

    def failed(self):
        return None

    def close(self):
        self.playing = False

    def pull(self, n):
        block = self.source(self.frame, n) if self.playing else np.zeros(n, np.float32)
        if self.playing:
            self.frame += n
        self.tape.append(block)
        return block


@pytest.fixture(scope="module")
def theme():
    return load_theme("soft")


def test_the_sound_switches_to_the_new_pace_on_the_exact_frame(theme):
    card = PullCard()
    player = Player(routine(), backend=card, theme=theme, volume=1.0)
    player.start()
    old = player.timeline
    block = 441
    while card.frame < frame_of(2500):
        card.pull(block)
        player.poll()
    player.slower()
    while player.tempo_scale == 1:
        card.pull(block)
        player.poll()
    assert card.frame == frame_of(7000)  # the clock says "switched" on the very frame
    for _ in range(20):
        card.pull(block)
        player.poll()
    new = player.timeline
    heard = np.concatenate(card.tape)
    boundary = frame_of(7000)  # rep 2 of the old timeline: the switch point on the tape
    new_rep2 = frame_of(new.locate(1, None, 1, 2))
    old_mixer = Mixer(old, theme)
    new_mixer = Mixer(new, theme)
    np.testing.assert_array_equal(heard[:boundary], old_mixer.render(0, boundary))
    after = heard[boundary:]
    np.testing.assert_array_equal(after, new_mixer.render(new_rep2, len(after)))
    assert np.abs(after[:50]).max() > 0  # the rep's cue starts right on the switch frame


def test_pause_and_resume_continue_the_sound_where_it_stopped(theme):
    card = PullCard()
    player = Player(routine(), backend=card, theme=theme, volume=1.0)
    player.start()
    for _ in range(100):
        card.pull(441)
        player.poll()
    player.pause()
    for _ in range(10):
        card.pull(441)
    player.resume()
    for _ in range(100):
        card.pull(441)
        player.poll()
    heard = np.concatenate(card.tape)
    mixer = Mixer(player.timeline, theme)
    np.testing.assert_array_equal(heard[:44100], mixer.render(0, 44100))
    np.testing.assert_array_equal(heard[44100:48510], np.zeros(4410, np.float32))
    np.testing.assert_array_equal(heard[48510:], mixer.render(44100, 44100))
    assert player.position_ms == 2000


def test_mute_silences_and_volume_scales(theme):
    card = PullCard()
    player = Player(routine(), backend=card, theme=theme, volume=0.5)
    player.start()
    block = card.pull(4410)
    reference = Mixer(player.timeline, theme).render(0, 4410)
    np.testing.assert_allclose(block[1024:], reference[1024:] * 0.5, rtol=1e-6)
    player.toggle_mute()
    card.pull(4410)
    muted = card.pull(4410)
    assert not muted.any()


def test_a_lost_device_becomes_a_notice_and_the_session_goes_on_silently(theme):
    class LosingCard(PullCard):
        lost = False

        def failed(self):
            return "The sound device was lost." if self.lost else None

    card = LosingCard()
    clock = FakeClock()
    player = Player(routine(), backend=card, theme=theme, clock=clock)
    events = collecting(player)
    player.start()
    for _ in range(30):
        card.pull(4410)
        player.poll()
    assert player.position_ms == 3000
    card.lost = True
    player.poll()
    assert any(isinstance(e, Notice) and "lost" in e.text for e in events)
    assert player.backend.name == "silent"
    assert player.state is PlayerState.PLAYING
    clock.advance(1.0)
    player.poll()
    assert player.position_ms == 4000


def test_a_seek_applies_a_waiting_pace_at_once():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)
    player.slower()
    player.next("set")
    player.poll()
    assert player.tempo_scale == Fraction(11, 10)
    assert player.position_ms == player.timeline.locate(1, None, 2, 1)
    assert [e.pending for e in events if isinstance(e, PaceChanged)] == [True, False]


def test_asking_for_the_pace_that_plays_cancels_the_waiting_change():
    player, clock, events = make()
    player.start()
    run(player, clock, 3.0)
    player.slower()
    player.faster()
    player.poll()
    assert player.pending_pace is None
    assert events[-1] == PaceChanged(player.pace, Fraction(1), pending=False)
    run(player, clock, 5.0)
    assert player.tempo_scale == 1
    assert player.position_ms == 8000


def test_a_pace_waiting_through_a_pause_still_applies_at_the_next_rep():
    player, clock, _ = make()
    player.start()
    run(player, clock, 3.0)
    player.set_pace(BreathPattern.parse("3-0-4-0"))
    run(player, clock, 1.0)
    player.pause()
    clock.advance(20)
    player.resume()
    run(player, clock, 2.95)  # 6950 on the old timeline
    assert player.pending_pace is not None
    run(player, clock, 0.05)
    assert player.pace == BreathPattern.parse("3-0-4-0")
    assert player.position_ms == player.timeline.locate(1, None, 1, 2)


def test_next_from_a_wait_skips_the_count_and_plays_on():
    player, clock, _ = make()
    player.start()
    run(player, clock, 27.0)
    assert player.state is PlayerState.WAITING
    player.next("rep")
    assert player.state is PlayerState.PLAYING
    assert player.position_ms == 36000
    run(player, clock, 1.0)
    assert player.position_ms == 37000


def test_reload_while_waiting_keeps_waiting_at_the_wait():
    player, clock, _ = make()
    player.start()
    run(player, clock, 27.0)
    player.reload(routine(ROUTINE.replace("reps = 2\nrest", "reps = 3\nrest")))
    player.poll()
    assert player.state is PlayerState.WAITING
    assert player.segment.kind is Kind.WAIT
    assert player.position_ms == player.segment.start_ms
    clock.advance(5)
    player.poll()
    assert player.position_ms == player.segment.start_ms
