"""The optional simpleaudio backend: long rendered buffers, a monotonic clock.

simpleaudio can only play whole buffers. Firing one `play_buffer` per cue was measured
to drop half the cues through ALSA -> PulseAudio, so this backend plays one rendered
buffer per uninterrupted stretch instead: from `play_from` until a pause, a seek, or a
change of what the future sounds like (a new pace, a volume change), the whole rest of
the session rendered (in pieces of `PIECE_S`, until `TAIL_S` of silence says the sound
has ended) into ONE stream. The position is a monotonic clock anchored at the stream's
start, so every cue is sample-exact relative to the others.

Seams were this backend's weak point: each buffer is a new ALSA stream, and recorded
from a PulseAudio null sink's monitor the sound after a seam between ten-minute chunks
came out 606 ms early (the sink had drifted behind the computer's clock over the first
chunk, and the new stream starts at the computer's time). One stream per stretch has no
seam to line up: the sound keeps its own spacing from start to end, whatever the drift.
Only a stretch longer than MAX_STREAM_S, or the rest of a session re-rendered after a
pace or volume change, starts a new stream.

A feeder thread renders and starts the streams; it never runs the source while holding
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
#: One stream holds at most this much (int16 mono: about 5 MB a minute); a longer
#: stretch has a seam every MAX_STREAM_S.
MAX_STREAM_S = 3 * 3600
#: A stretch is rendered in pieces of this length (a typical session is one piece)...
PIECE_S = 600
#: ...until this much digital silence in a row says the session's sound has ended (a
#: rest always ends in count pips, so no session is this quiet in the middle).
TAIL_S = 180
#: Every stream begins with this much silence: recorded from a fresh PulseAudio
#: server, the first few milliseconds of an ALSA stream came out late or not at all,
#: and a cue on the stream's first frame was heard up to 11 ms late.
PAD_S = 0.05
#: A seam started within this of its due time keeps the clock continuous.
SEAM_SLACK_S = 0.02
#: The next chunk is rendered this long before it is due.
PREPARE_S = 1.0
#: A change of the future sound (volume) takes effect this far ahead of the clock.
CHANGE_LEAD_S = 0.05


def open_simpleaudio(
    device: str | int | None = None, sample_rate: int = SAMPLE_RATE, **options: float
):
    """Probe the default device and return the backend; `options` go to
    SimpleaudioBackend (the tests shorten the pieces)."""
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
    return SimpleaudioBackend(simpleaudio, sample_rate, **options)


class SimpleaudioBackend:
    name = "simpleaudio"
    capabilities = REGISTRY["simpleaudio"].capabilities

    def __init__(
        self,
        module,
        sample_rate: int = SAMPLE_RATE,
        *,
        piece_s: float = PIECE_S,
        tail_s: float = TAIL_S,
        max_stream_s: float = MAX_STREAM_S,
    ):
        self.sample_rate = sample_rate
        self._piece = max(1, round(piece_s * sample_rate))
        self._tail = max(1, round(tail_s * sample_rate))
        self._max = max(1, round(max_stream_s * sample_rate))
        self._pad = bytes(2 * round(PAD_S * sample_rate))
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

    def ready(self) -> bool:
        return True  # opening played a probe already

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
        due: float | None
        while True:
            with self._cond:
                while not self._closed and (not self._playing or self._source is None):
                    self._cond.wait()
                if self._closed:
                    return
                gen, frame = self._gen, self._next_frame
                source = self._source
                assert source is not None  # waited for above
                if self._anchor is not None:
                    # Render the next chunk only shortly before it is due.
                    due = self._anchor + (frame - self._chunk_start) / self.sample_rate
                    early = due - PREPARE_S - time.monotonic()
                    if early > 0:
                        self._cond.wait(timeout=early)
                        continue
            if prepared is None or prepared[:2] != (gen, frame):
                pcm, length = self._render(source, frame)
                prepared = (gen, frame, length, pcm)
            length = prepared[2]
            with self._cond:
                if self._closed:
                    return
                if gen != self._gen or frame != self._next_frame:
                    continue  # paused, moved or changed while rendering
                due = None
                if self._anchor is not None:
                    due = self._anchor + (frame - self._chunk_start) / self.sample_rate
                    wait = due - PAD_S - time.monotonic()
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
                    if prepared[3]:  # a stretch with nothing to hear needs no stream
                        with quiet_stderr():
                            self._play_obj = self._sa.play_buffer(
                                self._pad + prepared[3], 1, 2, self.sample_rate
                            )
                except Exception as exc:
                    self._failure = f"The sound device stopped (simpleaudio: {exc})."
                    self._playing = False
                    return
                now = time.monotonic()
                # A chunk started on time continues the clock exactly (no drift of a
                # call's duration per seam); one started late (after a change) starts it.
                if prepared[3]:
                    now += PAD_S  # the stream's own first frame comes after its pad
                self._anchor = due if due is not None and now - due < SEAM_SLACK_S else now
                self._chunk_start = frame
                self._chunk_len = length
                self._next_frame = frame + length
                prepared = None

    def _render(self, source: Callable[[int, int], np.ndarray], frame: int) -> tuple[bytes, int]:
        """The stretch from `frame` as one int16 buffer and its length in frames:
        pieces rendered until the sound has ended (TAIL_S of digital silence, trimmed
        off but for a moment) or MAX_STREAM_S. Nothing to hear at all gives no bytes
        and a length of MAX_STREAM_S: the clock runs on without a stream."""
        pieces: list[np.ndarray] = []
        total = 0
        quiet = 0  # frames of digital silence at the end so far
        while total < self._max and (total == 0 or quiet < self._tail):
            n = min(self._piece, self._max - total)
            pcm = (np.clip(source(frame + total, n), -1.0, 1.0) * 32767).astype("<i2")
            loud = np.flatnonzero(pcm)
            quiet = quiet + n if len(loud) == 0 else n - 1 - int(loud[-1])
            pieces.append(pcm)
            total += n
        if quiet >= total:
            return b"", self._max
        if total < self._max or quiet >= self._tail:
            # A moment of quiet after the last sound, so the stream ends on zeros.
            total = min(total, total - quiet + self.sample_rate // 10)
        return np.concatenate(pieces)[:total].tobytes(), total
