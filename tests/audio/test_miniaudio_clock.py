"""The miniaudio backend's clock, driven without a device: a simulated sound card
pulls blocks on its own schedule while a fake monotonic clock says when.

The card holds three 25 ms periods; each block is asked for when the card's buffer
falls to that, and a block that comes after its time to play leaves silence in the
card (an underrun). The backend must skip exactly that many tape frames, so the tape
heard afterwards is back on wall time, and its position must never jump.
(The same with a real sound server: tests/e2e/test_audio_clock.py.)
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from breathpace.audio.backends import miniaudio_backend as mb

RATE = 44100
BLOCK = mb.PERIOD_MS * RATE // 1000  # the card asks for one device period at a time
BUFFER_S = mb.PERIODS * BLOCK / RATE


class Card:
    """Plays blocks back to back in real time; inserts silence when one is late."""

    def __init__(self, backend, monkeypatch):
        self.backend = backend
        self.now = 100.0
        self.play_at = self.now + BUFFER_S  # when the next handed block starts playing
        self.silence = 0.0
        self.stall: tuple[float, float] | None = None  # no callback between these times
        # How much later than its buffer wants the card asks: a grid of requests that
        # slipped (callbacks a few ms late that were never caught up) leaves less sound
        # queued for good, without running dry.
        self.lag = 0.0
        self.handed = 0
        monkeypatch.setattr(mb.time, "monotonic", lambda: self.now)

    def run(self, seconds: float) -> None:
        end = self.now + seconds
        while self.now < end:
            asked = self.play_at - BUFFER_S + self.lag
            if self.stall is not None and self.stall[0] <= asked < self.stall[1]:
                asked = self.stall[1]
            self.now = max(self.now, asked)
            if self.now > self.play_at:  # the card ran dry: silence the stream never saw
                self.silence += self.now - self.play_at
                self.play_at = self.now
            data = self.backend._generator.send(BLOCK)
            assert len(data) == 4 * BLOCK
            self.play_at += BLOCK / RATE
            self.handed += BLOCK

    def playing_frame(self) -> float:
        """The stream frame the card plays now (no underrun: tape and stream agree)."""
        return self.handed - (self.play_at - self.now) * RATE


@pytest.fixture
def playing(monkeypatch):
    backend = mb.MiniaudioBackend(RATE)
    backend.attach(lambda start, n: np.ones(n, np.float32))
    card = Card(backend, monkeypatch)
    backend.play_from(0)
    return backend, card


def test_steady_play_skips_nothing_and_the_clock_runs_with_wall_time(playing):
    backend, card = playing
    card.run(2.0)
    first = backend.position_frames()
    card.run(3.0)
    assert backend.underruns == 0 and backend.skipped_frames == 0
    assert backend.position_frames() - first == pytest.approx(3.0 * RATE, abs=BLOCK)


@pytest.mark.parametrize("dry_s", [0.2, 0.5])
def test_an_underrun_is_skipped_exactly_and_the_position_never_jumps(playing, dry_s):
    backend, card = playing
    card.run(3.0)
    before_pos, before_wall = backend.position_frames(), card.now
    positions = []
    # A stall the card's buffer cannot cover: it runs dry for about `dry_s`.
    card.stall = (card.now, card.now + BUFFER_S + dry_s)
    for _ in range(100):
        card.run(0.05)
        positions.append(backend.position_frames())
    assert card.silence > 0.1
    assert backend.underruns == 1
    # The frames the card played as silence are the frames skipped (to a frame).
    assert backend.skipped_frames == pytest.approx(card.silence * RATE, abs=2)
    # The clock kept to wall time through it all: no jump, no lasting lag.
    assert all(b >= a for a, b in itertools.pairwise(positions))
    assert backend.position_frames() - before_pos == pytest.approx(
        (card.now - before_wall) * RATE, abs=BLOCK
    )
    # Frames handed over equal wall time again (plus the card's buffer).
    assert backend._frame - backend.position_frames() == pytest.approx(
        BUFFER_S * RATE, abs=2 * BLOCK
    )


@pytest.mark.parametrize("lag_s", [0.012, 0.025])
def test_a_fill_that_settles_lower_without_running_dry_skips_nothing(playing, lag_s):
    """Through PulseAudio, a few callbacks each a few ms late (the TUI starting on a busy
    machine) leave the lead lower for good with no sound lost. Skipping there put every
    later cue early by that much; the clock must stay with what the card plays."""
    backend, card = playing
    card.run(3.0)
    before = backend.position_frames() - card.playing_frame()
    card.lag = lag_s
    positions = []
    for _ in range(80):
        card.run(0.05)
        positions.append(backend.position_frames())
    assert card.silence == 0
    assert backend.underruns == 0 and backend.skipped_frames == 0
    assert all(b >= a for a, b in itertools.pairwise(positions))
    after = backend.position_frames() - card.playing_frame()
    assert after == pytest.approx(before, abs=0.002 * RATE)


def test_a_stopped_process_resumes_where_it_was_without_a_skip(playing):
    backend, card = playing
    card.run(3.0)
    before = backend.position_frames()
    card.stall = (card.now, card.now + 5.0)
    card.run(7.0)
    assert backend.skipped_frames == 0
    # Five seconds asleep are not played through: the sound carries on from there.
    assert backend.position_frames() - before < 3.0 * RATE


def test_an_open_stream_keeps_the_heap_out_of_the_collectors_full_passes(monkeypatch, tmp_path):
    """A full collection over every object held the GIL past the device's buffer (the
    TUI's late cues): while a stream is open, what exists at each start is frozen, the
    trace notes the collector's longer passes, and closing hands the heap back."""
    import gc

    class Device:  # stands for miniaudio's device: only `close` is called here
        closed = False

        def close(self):
            self.closed = True

    monkeypatch.setenv("BREATHPACE_AUDIO_TRACE", str(tmp_path / "trace.json"))
    before = gc.get_freeze_count()
    backend = mb.MiniaudioBackend(RATE)
    backend.attach(lambda start, n: np.zeros(n, np.float32))
    backend.play_from(0)
    assert gc.get_freeze_count() == before  # no device, nothing to protect
    backend._device = device = Device()
    backend._t0 = 0.0
    backend.play_from(0)
    frozen = gc.get_freeze_count()
    assert frozen > 1000
    made_since = [[i] for i in range(5000)]
    backend.play_from(10)  # a resume freezes what the screen made meanwhile
    assert gc.get_freeze_count() >= frozen + len(made_since)
    monkeypatch.setattr(mb, "TRACE_GC_S", -1.0)  # note every pass, however short
    gc.collect()
    backend.close()
    assert device.closed and gc.get_freeze_count() == 0
    assert backend._note_collection not in gc.callbacks
    passes = json.loads((tmp_path / "trace.json").read_text())["collections_ms"]
    assert [generation for _, _, generation in passes] == [2]
