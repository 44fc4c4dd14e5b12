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


def opened_backend(seconds_ago: float, callbacks: int) -> mb.MiniaudioBackend:
    """A backend as `open_miniaudio` leaves it, with no device behind it."""
    backend = mb.MiniaudioBackend()
    backend._opened_at = time.monotonic() - seconds_ago
    backend._callbacks = callbacks
    return backend


def test_not_ready_until_the_stream_pulls_steadily():
    assert not opened_backend(0.1, 0).ready()
    assert not opened_backend(0.1, mb.PROBE_CALLBACKS - 1).ready()
    backend = opened_backend(0.1, mb.PROBE_CALLBACKS)
    assert backend.ready() and backend.failed() is None


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
