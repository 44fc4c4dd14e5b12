"""The optional simpleaudio backend: long rendered buffers, a monotonic clock.

simpleaudio can only play whole buffers. Firing one `play_buffer` per cue was measured
to drop half the cues through ALSA -> PulseAudio, so this backend plays one rendered
buffer per uninterrupted stretch instead: from `play_from` until a pause, a seek, or a
change of what the future sounds like (a new pace, a volume change), rendered in chunks
of `CHUNK_S` played back to back, the next one started when the previous one is due to
end (the old stream drains meanwhile). The position is a monotonic clock anchored at
each chunk's start, so cues inside a chunk are sample-exact relative to each other.

The seams are this backend's weak point, and the reason it is not the default: each
chunk is a new ALSA stream. The chunks are started on time (to a millisecond), but
recorded from a PulseAudio null sink's monitor, the sound after a seam came out shifted
by up to hundreds of milliseconds (PulseAudio may rewind the sink to start a new stream
early, while the old one drains its deep ALSA-plugin buffer). Chunks are therefore long
(ten minutes: one seam in a typical session at most; a shorter session has none and
records exactly; a chunk is about 50 MB of samples while it plays), and
a pace or volume change re-renders from the change onwards.

A feeder thread renders and starts the chunks; it never runs the source while holding
the lock, and any failure becomes `failed()`. simpleaudio crashes on Python 3.12 and
later, so it refuses to open there.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import numpy as np

from breathpace.audio.backends import REGISTRY, BackendError
from breathpace.audio.backends.quiet_fd import quiet_stderr

SAMPLE_RATE = 44100
#: Rendering a chunk takes milliseconds, so even the first one after a start is long:
#: every seam is a new ALSA stream whose start-up delay differs from the last one's.
CHUNK_S = 600
FIRST_CHUNK_S = 600
#: A seam started within this of its due time keeps the clock continuous.
SEAM_SLACK_S = 0.02
#: The next chunk is rendered this long before it is due.
PREPARE_S = 1.0
#: A change of the future sound (volume) takes effect this far ahead of the clock.
CHANGE_LEAD_S = 0.05


def open_simpleaudio(device: str | int | None = None, sample_rate: int = SAMPLE_RATE):
    if sys.version_info >= (3, 12):
        raise BackendError(
            "simpleaudio crashes on Python 3.12 and later; use --audio miniaudio (the default)"
        )
    if device is not None and str(device).strip():
        raise BackendError(
            "simpleaudio always plays on the default device; use --audio miniaudio with --device"
        )
    try:
        import simpleaudio
    except ImportError:
        raise BackendError(
            "simpleaudio is not installed (pip install 'breathpace[simpleaudio]')"
        ) from None
    try:
        with quiet_stderr():
            probe = simpleaudio.play_buffer(bytes(2 * sample_rate // 100), 1, 2, sample_rate)
            probe.wait_done()
    except Exception as exc:
        raise BackendError(f"no sound device could be opened (simpleaudio: {exc})") from None
    return SimpleaudioBackend(simpleaudio, sample_rate)


class SimpleaudioBackend:
    name = "simpleaudio"
    capabilities = REGISTRY["simpleaudio"].capabilities

    def __init__(self, module, sample_rate: int = SAMPLE_RATE):
        self.sample_rate = sample_rate
        self._sa = module
        self._source: Callable[[int, int], np.ndarray] | None = None
        self._cond = threading.Condition()
        self._gen = 0  # bumped by every play/pause/change: stale work is dropped
        self._playing = False
        self._closed = False
        self._failure: str | None = None
        # The chunk being heard: its first frame, its length, when it started.
        self._chunk_start = 0
        self._chunk_len = 0
        self._anchor: float | None = None
        self._play_obj = None
        self._draining = None  # the previous chunk, finishing after a seam
        self._next_frame = 0  # where the next chunk starts
        self._next_short = True
        self._held = 0
        self._thread = threading.Thread(target=self._run, name="breathpace-simpleaudio")
        self._thread.daemon = True
        self._thread.start()

    # ------------------------------------------------------------- main thread

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None:
        self._source = source

    def play_from(self, frame: int) -> None:
        with self._cond:
            self._stop_current()
            self._gen += 1
            self._playing = True
            self._chunk_start = self._next_frame = int(frame)
            self._chunk_len = 0
            self._anchor = None
            self._next_short = True
            self._cond.notify_all()

    def pause(self) -> None:
        with self._cond:
            self._held = self._position_locked()
            self._gen += 1
            self._playing = False
            self._stop_current()
            self._cond.notify_all()

    def discard_from(self, frame: int) -> None:
        """Samples from tape `frame` on have changed: replace what is queued from there
        (at the latest a moment from now)."""
        with self._cond:
            if not self._playing:
                return
            earliest = self._position_locked() + round(CHANGE_LEAD_S * self.sample_rate)
            frame = max(int(frame), earliest)
            if frame < self._next_frame:
                self._next_frame = frame
                self._next_short = True
                self._gen += 1
                self._cond.notify_all()

    def position_frames(self) -> int:
        with self._cond:
            return self._position_locked()

    def _position_locked(self) -> int:
        if not self._playing:
            return self._held
        if self._anchor is None:
            return self._chunk_start
        elapsed = round((time.monotonic() - self._anchor) * self.sample_rate)
        return self._chunk_start + min(max(elapsed, 0), self._chunk_len)

    def failed(self) -> str | None:
        return self._failure

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._playing = False
            self._stop_current()
            self._cond.notify_all()
        self._thread.join(timeout=2)

    def _stop_current(self) -> None:
        objs = (self._play_obj, self._draining)
        self._play_obj = self._draining = None
        for obj in objs:
            if obj is None:
                continue
            try:
                obj.stop()
            except Exception as exc:
                self._failure = f"The sound stopped (simpleaudio: {exc})."

    # ------------------------------------------------------------ feeder thread

    def _run(self) -> None:
        try:
            self._feed()
        except BaseException as exc:  # never die silently: the player reports it
            self._failure = f"The sound stopped ({type(exc).__name__}: {exc})."

    def _feed(self) -> None:
        prepared: tuple[int, int, int, bytes] | None = None  # (gen, frame, length, data)
        while True:
            with self._cond:
                while not self._closed and (not self._playing or self._source is None):
                    self._cond.wait()
                if self._closed:
                    return
                gen, frame = self._gen, self._next_frame
                length = (FIRST_CHUNK_S if self._next_short else CHUNK_S) * self.sample_rate
                source = self._source
                if self._anchor is not None:
                    # Render the next chunk only shortly before it is due.
                    due = self._anchor + (frame - self._chunk_start) / self.sample_rate
                    early = due - PREPARE_S - time.monotonic()
                    if early > 0:
                        self._cond.wait(timeout=early)
                        continue
            if prepared is None or prepared[:3] != (gen, frame, length):
                samples = source(frame, length)
                pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
                prepared = (gen, frame, length, pcm)
            with self._cond:
                if self._closed:
                    return
                if gen != self._gen or frame != self._next_frame:
                    continue  # paused, moved or changed while rendering
                due = None
                if self._anchor is not None:
                    due = self._anchor + (frame - self._chunk_start) / self.sample_rate
                    wait = due - time.monotonic()
                    if wait > 0:
                        self._cond.wait(timeout=wait)
                        continue  # re-check: something may have changed meanwhile
                # At a seam the previous chunk is left to drain: its last frames are
                # still in the device's buffer, and the new stream has the same delay.
                # After a change (discard) the old sound must stop now.
                if self._anchor is None or frame != self._chunk_start + self._chunk_len:
                    self._stop_current()
                else:
                    self._draining = self._play_obj
                    self._play_obj = None
                try:
                    with quiet_stderr():
                        self._play_obj = self._sa.play_buffer(prepared[3], 1, 2, self.sample_rate)
                except Exception as exc:
                    self._failure = f"The sound device stopped (simpleaudio: {exc})."
                    self._playing = False
                    return
                now = time.monotonic()
                # A chunk started on time continues the clock exactly (no drift of a
                # call's duration per seam); one started late (after a change) starts it.
                self._anchor = due if due is not None and now - due < SEAM_SLACK_S else now
                self._chunk_start = frame
                self._chunk_len = length
                self._next_frame = frame + length
                self._next_short = False
                prepared = None
