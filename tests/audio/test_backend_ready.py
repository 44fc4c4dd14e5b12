"""A device that opens is not yet a device that plays: `ready()` and the waits on it.

A sound server may take seconds to wake a sink (PulseAudio's null sink refills its
first buffer after about 2 s). The full screen draws meanwhile and starts the session
only once the device plays; everything else waits in `open_backend`.
"""

from __future__ import annotations

import time

import pytest

from breathpace.audio.backends import BackendError, wait_until_ready
from breathpace.audio.backends import miniaudio_backend as mb

RATE = 44100
BLOCK = mb.PERIOD_MS * RATE // 1000


def opened_backend(
    seconds_ago: float, callbacks: int, pulled_for: float = 0.1
) -> mb.MiniaudioBackend:
    """A backend as `open_miniaudio` leaves it, with no device behind it, whose device
    pulled `callbacks` blocks, the last `pulled_for` seconds after the first."""
    backend = mb.MiniaudioBackend()
    now = time.monotonic()
    backend._opened_at = now - seconds_ago
    backend._callbacks = callbacks
    if callbacks:
        backend._t0 = now - pulled_for
        backend._last_callback = now
    return backend


def test_not_ready_until_the_stream_pulls_steadily():
    assert not opened_backend(0.1, 0).ready()
    assert not opened_backend(0.1, mb.PROBE_CALLBACKS - 1).ready()
    backend = opened_backend(0.1, mb.PROBE_CALLBACKS)
    assert backend.ready() and backend.failed() is None


def test_blocks_that_only_fill_the_buffer_are_not_yet_playing():
    # Asked for together, at once: the device filled its buffer and has not yet
    # played any of it.
    assert not opened_backend(0.1, 2 * mb.PROBE_CALLBACKS, pulled_for=0.0).ready()


class FreshServer:
    """A sound server just started: the buffer's first fill asked for at once (several
    blocks together; PulseAudio asks for one), the first refill `wake_s` later (1.2-2 s
    measured on a new null sink), then one block a period."""

    def __init__(self, backend: mb.MiniaudioBackend, monkeypatch, wake_s: float) -> None:
        self.backend = backend
        self.now = 100.0
        self.asks = [self.now] * (mb.PERIODS + 1)
        refill = self.now + wake_s
        self.asks += [refill + i * mb.PERIOD_MS / 1000 for i in range(200)]
        monkeypatch.setattr(mb.time, "monotonic", lambda: self.now)
        backend._opened_at = self.now

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while self.asks and self.asks[0] <= end:
            self.now = self.asks.pop(0)
            assert len(self.backend._generator.send(BLOCK)) == 4 * BLOCK
        self.now = end


@pytest.mark.parametrize("wake_s", [1.2, 1.8, 2.4])
def test_a_freshly_started_server_is_waited_for_not_reported_lost(monkeypatch, wake_s):
    backend = mb.MiniaudioBackend(RATE)
    backend.attach(lambda start, n: mb.np.zeros(n, mb.np.float32))
    server = FreshServer(backend, monkeypatch, wake_s)
    waited = 0.0
    while not backend.ready():  # as `wait_until_ready` and the full screen wait
        server.advance(0.005)
        waited += 0.005
    assert waited == pytest.approx(wake_s, abs=0.01)
    backend.play_from(0)
    for _ in range(600):  # 3 s of a session, polled as the player polls
        server.advance(0.005)
        assert backend.failed() is None


def test_a_device_that_never_pulls_is_ready_as_failed():
    backend = opened_backend(mb.PROBE_S + 0.1, 0)
    assert backend.ready()
    assert backend.failed() == "The sound device opened but does not play."


def test_a_slow_but_playing_device_is_not_failed():
    backend = opened_backend(mb.PROBE_S + 0.1, 1)
    assert backend.ready() and backend.failed() is None


def test_waiting_for_a_device_that_never_plays_is_one_line_and_closes_it():
    backend = opened_backend(mb.PROBE_S + 0.1, 0)
    with pytest.raises(BackendError) as caught:
        wait_until_ready(backend)
    assert str(caught.value) == "the sound device opened but does not play"
    assert backend._closing
