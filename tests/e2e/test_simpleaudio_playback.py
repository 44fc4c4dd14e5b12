"""The optional simpleaudio backend, recorded from the real PulseAudio null sink.

Same check as the miniaudio test (see test_pulse_playback.py): every segment start is
heard, at intervals that match the timeline within 3 ms. The routine is shorter than
one rendered chunk, so it is one buffer, as the backend plays an uninterrupted stretch.
Also: the clear refusals (Python 3.12+, a named device) and pause/resume on the clock.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest
from test_pulse_playback import check_onsets, pulse_running

from breathpace.audio.backends import BackendError
from breathpace.audio.backends.simpleaudio_backend import open_simpleaudio
from tests.sound import SIMPLEAUDIO_BROKEN, SIMPLEAUDIO_PY312

pulse = pytest.mark.skipif(not pulse_running(), reason="no PulseAudio server (pactl info)")
py311 = pytest.mark.skipif(SIMPLEAUDIO_BROKEN, reason=SIMPLEAUDIO_PY312)


@pytest.mark.pulse
@pulse
@py311
def test_simpleaudio_onsets_match_the_timeline(tmp_path):
    pytest.importorskip("simpleaudio")
    check_onsets(tmp_path, "simpleaudio")


@pytest.mark.pulse
@pulse
@py311
def test_simpleaudio_clock_holds_on_pause_and_resumes():
    pytest.importorskip("simpleaudio")
    backend = open_simpleaudio()
    pulled = []

    def source(start, n):
        pulled.append((start, n))
        return np.zeros(n, np.float32)

    def started_after(frame: int) -> int:
        # A ten-minute buffer takes a moment to render and hand over; the clock holds
        # at the start frame until it plays.
        deadline = time.monotonic() + 10
        while backend.position_frames() <= frame and time.monotonic() < deadline:
            time.sleep(0.01)
        return backend.position_frames()

    try:
        backend.attach(source)
        backend.play_from(1000)
        first = started_after(1000)
        time.sleep(0.5)
        backend.pause()
        held = backend.position_frames()
        assert first + 0.3 * 44100 < held < first + 0.8 * 44100
        time.sleep(0.3)
        assert backend.position_frames() == held
        backend.play_from(held)
        assert started_after(held) > held
        assert backend.failed() is None
        # One rendered chunk per stretch, never one buffer per cue.
        assert [start for start, _ in pulled] == [1000, held]
    finally:
        backend.close()


def test_simpleaudio_refuses_python_3_12(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 12, 0, "final", 0))
    with pytest.raises(BackendError, match=r"3\.12"):
        open_simpleaudio()


def test_simpleaudio_cannot_choose_a_device():
    with pytest.raises(BackendError, match="default device"):
        open_simpleaudio("2")
