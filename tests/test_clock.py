"""The clocks and the silent backend that stands on them."""

import pytest

from breathpace.audio.backends import SilentBackend, open_backend
from breathpace.clock import FakeClock, MonotonicClock


def test_fake_clock_moves_only_when_told():
    clock = FakeClock(5.0)
    assert clock.now() == 5.0
    clock.advance(0.25)
    assert clock.now() == 5.25
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_monotonic_clock_never_goes_back():
    clock = MonotonicClock()
    a = clock.now()
    b = clock.now()
    assert b >= a


def test_silent_backend_counts_frames_from_play_and_holds_on_pause():
    clock = FakeClock()
    backend = SilentBackend(clock=clock)
    assert backend.position_frames() == 0
    backend.play_from(1000)
    clock.advance(1.0)
    assert backend.position_frames() == 1000 + 44100
    backend.pause()
    clock.advance(10)
    assert backend.position_frames() == 1000 + 44100
    backend.play_from(5)
    for _ in range(10):
        clock.advance(0.1)
    assert backend.position_frames() == 5 + 44100
    assert backend.failed() is None


def test_open_backend_none_is_silent_with_a_notice():
    clock = FakeClock()
    backend, notice = open_backend("none", clock=clock)
    assert backend.name == "silent"
    assert backend.clock is clock
    assert "silent" in notice


def test_open_backend_rejects_unknown_kinds():
    from breathpace.audio.backends import BackendError

    with pytest.raises(BackendError, match="unknown audio backend"):
        open_backend("cassette")
