"""The default backend: one miniaudio playback stream whose pull callback is the clock.

The device is opened and started once, at `open_miniaudio()`, before any screen is
drawn (with fd 2 silenced around the native calls), and runs for the whole session.
Each time the device wants frames, the callback asks the player's source for exactly
that block of session frames, so every cue starts on its exact sample.

The master clock is wall time (monotonic) held against the frames handed over, never
the bare frame count: when the device runs dry (the process starved of CPU, the GIL
held too long), the sound server plays silence this stream never sees, and a clock
that counted frames would put every later cue late for the rest of the session while
the screen ran ahead. Here each block measures the stream's lead over wall time; a
lasting drop (judged over `WINDOW_S`, longer than the sound server's saw-tooth of
request sizes and any late callback) is an underrun, and the callback skips the missed
tape frames instead of playing them late: the gap costs a glitch, never a lasting
shift. Only a callback that came too late for the device's buffer can have let it run
dry: a drop with no such gap before it is the device settling into a shallower fill
(a few callbacks a few milliseconds late, as while the TUI starts on a busy machine,
leave the lead lower for good with no sound lost), and skipping there would put every
later cue early; the reference follows it instead and the clock stays where it was.
`position_frames` is the frame being heard: wall time plus that lead, less the device's
buffer (`LATENCY_S`), so the screen changes with the sound. A gap longer than
`JUMP_S` is a stopped process, not an underrun: the stream resumes where it was.
Measured through a PulseAudio null sink (benchmarks/bench_audio_clock.py), a 200 ms
stall in plain mode leaves every later cue within 0.1 ms of its schedule.

The callback is Python, so it needs the GIL once a period, and the one thing that
holds the GIL far longer than a period is the cyclic garbage collector's full pass over
every object in the process (the modules, and with the TUI all of Textual's): measured
at 20-50 ms as the TUI starts and 90-125 ms about 15 s in, each emptying the device's
buffer. So while a stream is open, everything that already exists is frozen out of the
collector's reach (`gc.freeze()`, at opening and at each start), and a full pass only
looks at what was made since: a few milliseconds. `close()` hands it all back.

Pausing keeps the stream running and feeds it silence without advancing the session,
so resuming needs no device call. The callback never raises (a failure is stored and
reported by `failed()`, and the stream gets silence) and never blocks (it reads plain
attributes, takes no lock, and does no I/O). A device that stops calling back for
`STALL_S` while it should be playing counts as lost.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from breathpace.audio.backends import REGISTRY, BackendError, NoSuchDevice
from breathpace.audio.backends.quiet_fd import quiet_stderr
from breathpace.deferred_modules import defer
from breathpace.safe_text import quote

SAMPLE_RATE = 44100
#: The device period. A pause or a volume change is heard within PERIODS of them
#: (150 ms); each period wakes the audio thread, the sound server and the GIL once:
#: measured on a whole TUI session through PulseAudio, the audio thread took 1.4 % of
#: a core at 25 ms periods, 0.7 % at 50 and 0.33 % at 100.
PERIOD_MS = 50
PERIODS = 3
#: No callback for this long while playing (seen twice, STALL_CONFIRM_S apart, so a
#: process just woken from a stop gets a moment) means the device is gone.
STALL_S = 1.0
STALL_CONFIRM_S = 0.5
#: The stream keeps to wall time: a lasting drop of the lead by more than this is an
#: underrun (the device played silence the stream never saw) and is skipped.
UNDERRUN_TOL_S = 0.008
#: A callback this long after the one before could have found the device's buffer
#: empty (after each block it holds nearly two periods): only a drop that follows such
#: a gap is an underrun.
UNDERRUN_GAP_S = PERIOD_MS * 1.6 / 1000
#: The lead is judged by its best value over this window, longer than the sound
#: server's saw-tooth (about 0.75 s through PulseAudio): a late callback is jitter;
#: only a drop that lasts the whole window is a gap.
WINDOW_S = 1.2
#: Frames the device holds beyond the one being heard: the clock runs this far behind
#: the lead the stream keeps over wall time.
#: A gap longer than this is a stopped process or a sleeping computer, not an underrun.
JUMP_S = 1.0
LATENCY_S = PERIOD_MS * PERIODS / 1000
#: The fastest drift between the device's clock and the computer's that is followed
#: (sound-card crystals differ by tens of parts per million).
DRIFT_MAX = 500e-6
#: Sound resuming after an underrun is faded in over this many frames (no click).
FADE_IN_FRAMES = 128
#: The trace (BREATHPACE_AUDIO_TRACE) notes callbacks that came this late (a period
#: and more than half another after the last), at most TRACE_MAX of them and of skips.
TRACE_GAP_S = UNDERRUN_GAP_S
#: ... and the garbage collector's passes that took this long.
TRACE_GC_S = 0.005
TRACE_MAX = 1000
#: The stream is ready once this many blocks were pulled (or PROBE_S passed).
PROBE_CALLBACKS = 4
PROBE_S = 3.0


def _miniaudio():
    """The miniaudio module. It imports `urllib.request` at the top for its internet
    radio client, which breathpace never uses, and that import pulls in `http.client`,
    `email` and `ssl` (libcrypto: ~20 ms and a few MB). A stand-in takes its place
    while miniaudio imports (`deferred_modules`), and loads the real module if it is
    ever used."""
    if "miniaudio" not in sys.modules:
        defer({"urllib.request": ()})
    import miniaudio

    return miniaudio


def _backends():
    miniaudio = _miniaudio()

    skip = {miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM, miniaudio.Backend.WEBAUDIO}
    if sys.platform.startswith("linux"):
        # A JACK server is rare on a desktop and its client library is the noisiest.
        order = [miniaudio.Backend.PULSEAUDIO, miniaudio.Backend.ALSA, miniaudio.Backend.JACK]
        return order
    return [b for b in miniaudio.Backend if b not in skip]


def _why(exc: Exception) -> str:
    """miniaudio errors carry (message, result code); say them as one short phrase."""
    args: tuple[object, ...] = getattr(exc, "args", ())
    if len(args) == 2 and isinstance(args[1], int):
        return f"miniaudio: {args[0]}, error {args[1]}"
    return f"miniaudio: {exc}"


def list_playback_devices() -> list[dict]:
    """Playback devices as dicts with `index`, `name` and miniaudio's `id`.
    Raises BackendError when no audio system answers."""
    miniaudio = _miniaudio()

    try:
        with quiet_stderr():
            devices = miniaudio.Devices(backends=_backends())
            playbacks = devices.get_playbacks()
    except miniaudio.MiniaudioError as exc:
        raise BackendError(f"no audio system answered ({_why(exc)})") from None
    if devices.backend.lower() == "null":
        raise BackendError("no audio system answered")
    return [
        {"index": i, "name": p["name"], "id": p["id"], "backend": devices.backend}
        for i, p in enumerate(playbacks)
    ]


def find_device(device: str | int) -> dict:
    """A playback device by index (`2`, `"2"`) or by name (exact, else a unique part)."""
    devices = list_playback_devices()
    # The one line names every device, so the person can retype it without another step.
    # Names come from outside (a Bluetooth speaker names itself): shown as `devices` does.
    known = "; ".join(f"{d['index']} {quote(d['name'])}" for d in devices) or "none"
    if isinstance(device, int) or (isinstance(device, str) and device.strip().isdigit()):
        i = int(device)
        if 0 <= i < len(devices):
            return devices[i]
        raise NoSuchDevice(f"device: there is no playback device number {i} (the devices: {known})")
    wanted = str(device).strip().lower()
    exact = [d for d in devices if d["name"].lower() == wanted]
    if exact:
        return exact[0]
    partial = [d for d in devices if wanted in d["name"].lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "; ".join(f"{d['index']} {quote(d['name'])}" for d in partial)
        raise NoSuchDevice(f"device {quote(str(device))} matches several devices: {names}")
    raise NoSuchDevice(
        f"device {quote(str(device))} matches no playback device (the devices: {known})"
    )


def open_miniaudio(
    device: str | int | None = None, sample_rate: int = SAMPLE_RATE
) -> MiniaudioBackend:
    """Open and start the stream now (raises BackendError with one line). Whether it
    then pulls steadily is `ready()`'s to say: the full screen draws meanwhile, and
    `open_backend` waits for it when nothing is drawn."""
    try:
        miniaudio = _miniaudio()
    except ImportError as exc:  # pragma: no cover - a dependency, but say so plainly
        raise BackendError(f"miniaudio is not installed ({exc})") from None
    device_id = None
    if device is not None and str(device).strip() != "":
        device_id = find_device(device)["id"]
    backend = MiniaudioBackend(sample_rate)
    try:
        with quiet_stderr():
            playback = backend._device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.FLOAT32,
                nchannels=1,
                sample_rate=sample_rate,
                buffersize_msec=PERIOD_MS,
                callback_periods=PERIODS,
                device_id=device_id,
                backends=_backends(),
                app_name="breathpace",
            )
            playback.stop_callback = backend._on_device_stop
            playback.start(backend._generator)
    except miniaudio.MiniaudioError as exc:
        backend.close()
        raise BackendError(f"no sound device could be opened ({_why(exc)})") from None
    backend.device_backend = playback.backend
    backend._freeze_heap()
    backend._opened_at = time.monotonic()
    return backend


class MiniaudioBackend:
    name = "miniaudio"
    capabilities = REGISTRY["miniaudio"].capabilities

    def __init__(self, sample_rate: int = SAMPLE_RATE):
        self.sample_rate = sample_rate
        self.device_backend = ""
        self._device: Any = None  # a miniaudio.PlaybackDevice once open (miniaudio is untyped)
        self._source: Callable[[int, int], np.ndarray] | None = None
        self._playing = False
        self._frame = 0  # the next tape frame to hand over
        # play_from posts (sequence, frame); the callback adopts it at its next block.
        # Two plain attributes instead of a lock: the callback must never wait.
        self._request: tuple[int, int] = (0, 0)
        self._adopted = 0
        self._failure: str | None = None
        self._closing = False
        self._last_callback = time.monotonic()
        self._stale_since: float | None = None
        self._callbacks = 0
        # The stream clock (audio thread only; published as one tuple in `_clock`).
        self._t0: float | None = None  # monotonic time of stream frame 0
        self._stream = 0  # the next stream frame (silence and skips count too)
        self._drift = 0.0  # frames the device has gained on wall time, followed slowly
        self._ref: float | None = None  # the steady lead of the stream over wall time
        # Frames the lead's reference came down by when the device settled into a
        # shallower fill: what is heard did not move, so the clock adds them back.
        self._settled = 0.0
        self._gap_since_steady = False  # a callback came too late since the lead held
        self._window: deque[tuple[float, float]] = deque()
        self._window_since = 0.0
        self._last_follow = 0.0
        self._fade_in = False
        self._span: tuple[int, int, int | None] = (0, 0, None)  # (stream, tape, paused at)
        self._clock: tuple | None = None
        self._last_position = (0, 0)  # main thread: (sequence, position) last read
        self.skipped_frames = 0  # tape frames skipped after underruns (for benchmarks)
        self.underruns = 0
        self._gaps: list[tuple[float, float]] = []  # (when, how long) the device waited
        self._skips: list[tuple[float, int]] = []
        self._settles: list[tuple[float, int]] = []
        self._frozen = False
        self._collections: list[tuple[float, float, int]] = []  # (when, how long, generation)
        self._collection_began = 0.0
        self._opened_at: float | None = None
        self._generator = self._pull()
        next(self._generator)

    # ------------------------------------------------------------ audio thread

    def _pull(self):
        n = yield b""
        while True:
            try:
                data = self._block(n)
            except BaseException as exc:  # never let anything escape into the C callback
                self._failure = f"The sound stopped ({type(exc).__name__}: {exc})."
                self._playing = False
                data = bytes(4 * n)
            n = yield data

    def _block(self, n: int) -> bytes:
        now = time.monotonic()
        gap = now - self._last_callback
        if gap > TRACE_GAP_S and len(self._gaps) < TRACE_MAX:
            self._gaps.append((now, gap))
        self._last_callback = now
        self._callbacks += 1
        if self._t0 is None:
            # The wait for the first block is the device opening, not a late callback.
            self._t0 = self._window_since = now
            gap = 0.0
        self._keep_time(now, n, gap)
        seq, frame = self._request
        if seq != self._adopted:
            self._adopted = seq
            self._frame = frame
            self._span = (self._stream, frame, None)
        playing = self._playing and self._source is not None and self._failure is None
        if not playing and self._span[2] is None:
            self._span = (self._span[0], self._span[1], self._stream)
        start = self._stream
        self._stream = start + n
        heard_lead = None if self._ref is None else self._ref + self._settled
        self._clock = (self._t0, heard_lead, self._stream, self._adopted, *self._span)
        if not playing:
            return bytes(4 * n)
        tape = self._frame
        assert self._source is not None  # `playing` says so
        samples = self._source(tape, n)
        if samples.shape != (n,):
            raise ValueError(f"source gave {samples.shape} samples for a block of {n}")
        self._frame = tape + n
        if self._fade_in:
            # Sound resumes out of the silence an underrun left: fade it in, no click.
            self._fade_in = False
            k = min(n, FADE_IN_FRAMES)
            samples = np.array(samples, dtype=np.float32)
            samples[:k] *= np.linspace(0.0, 1.0, k, endpoint=False, dtype=np.float32)
        return np.ascontiguousarray(samples, dtype=np.float32).tobytes()

    def _keep_time(self, now: float, n: int, gap: float) -> None:
        """Hold the stream to wall time. Each block's *lead* is how far the frames
        handed over run ahead of the wall clock. While the device plays steadily, the
        lead saw-tooths by a few milliseconds (the sound server asks in its own
        sizes), so its best value over a window longer than one tooth is constant.
        When the device ran dry it played silence this stream never handed over, and
        the lead drops for good: the missed frames are skipped (counted as stream
        frames, and as tape frames when playing), so later sound and the clock return
        to schedule (once the whole window has seen it: a callback late for the GIL
        is not a gap, and the device's refill after a real gap is part of it). A drop
        with no callback late enough to empty the device before it is the device's fill
        settling lower: the reference follows. A lead that rises is a deeper device
        buffer or a slow start; a slow change is the device's crystal against the
        computer's, followed so the two never part."""
        sr = self.sample_rate
        assert self._t0 is not None
        lead = self._stream + n - (now - self._t0) * sr
        if gap > UNDERRUN_GAP_S:
            self._gap_since_steady = True
        elif self._ref is not None and lead >= self._ref - UNDERRUN_TOL_S * sr:
            self._gap_since_steady = False
        window = self._window
        window.append((now, lead))
        while window[0][0] < now - WINDOW_S:
            window.popleft()
        if self._ref is None:
            if now - self._window_since >= WINDOW_S:
                self._ref = max(value for _, value in window)
                self._last_follow = now
            return
        missed = 0
        if now - self._window_since >= WINDOW_S:
            diff = max(value for _, value in window) - self._ref
            if diff < -UNDERRUN_TOL_S * sr and self._gap_since_steady:
                missed = round(-diff)
            elif diff < -UNDERRUN_TOL_S * sr:
                self._ref += diff
                self._settled -= diff
                if len(self._settles) < TRACE_MAX:
                    self._settles.append((now, round(-diff)))
            elif diff > UNDERRUN_TOL_S * sr:
                # A fill that settled lower and now rises again moved no sound either.
                back = min(diff, self._settled)
                self._settled -= back
                self._ref += diff
            else:
                step = DRIFT_MAX * (now - self._last_follow) * sr
                step = max(-step, min(step, diff))
                self._ref += step
                self._drift += step
            self._last_follow = now
        if missed <= 0:
            return
        if missed > JUMP_S * sr:
            # Stopped or asleep, not an underrun: carry on where the sound was, as if
            # no time had passed (the player decides what a jump means).
            self._t0 += missed / sr
        else:
            self._stream += missed
            if self._playing and self._span[2] is None:
                self._frame += missed
                self.skipped_frames += missed
                if len(self._skips) < TRACE_MAX:
                    self._skips.append((now, missed))
                self._fade_in = True
            self.underruns += 1
        window.clear()
        window.append((now, lead + missed))
        self._window_since = self._last_follow = now

    def _on_device_stop(self) -> None:
        if not self._closing:
            self._failure = "The sound device stopped."

    # ------------------------------------------------------------- main thread

    def ready(self) -> bool:
        """Whether the stream pulls steadily (PROBE_CALLBACKS blocks, the last a period
        or more after the first), or has been found not to play at all (no block in
        PROBE_S: then `failed()` says so). A sound server may take seconds to wake a
        sink: a freshly started PulseAudio asks for one block at once and for the next
        only 1.2-2 s later; other devices fill their whole buffer first, several blocks
        together. Blocks that only fill the buffer say nothing of playing; a block asked
        for a period later does. So a session starts once this is true: its first cue
        then sounds on its sample, and the wait for the first refill is not mistaken for
        a device that stopped responding."""
        if self._failure is not None:
            return True
        first = self._t0
        if (
            first is not None
            and self._callbacks >= PROBE_CALLBACKS
            and self._last_callback - first >= PERIOD_MS / 1000
        ):
            return True
        opened = self._opened_at
        if opened is None or time.monotonic() - opened < PROBE_S:
            return False
        if self._callbacks == 0:
            self._failure = "The sound device opened but does not play."
        return True

    def _freeze_heap(self) -> None:
        """Put every object that exists now out of the garbage collector's full passes
        (see the module's docstring): called when the stream opens and again as each
        stretch of play starts, once the screen is built. Cheap (it moves one list)."""
        if self._device is None:
            return
        gc.freeze()
        if not self._frozen and os.environ.get("BREATHPACE_AUDIO_TRACE"):
            gc.callbacks.append(self._note_collection)
        self._frozen = True

    def _note_collection(self, phase: str, info: dict) -> None:
        # For the trace: the collector's passes long enough to matter to the callback.
        now = time.monotonic()
        if phase == "start":
            self._collection_began = now
        elif now - self._collection_began > TRACE_GC_S and len(self._collections) < TRACE_MAX:
            began = self._collection_began
            self._collections.append((began, now - began, info["generation"]))

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None:
        self._source = source

    def play_from(self, frame: int) -> None:
        self._freeze_heap()
        self._request = (self._request[0] + 1, int(frame))
        self._playing = True
        self._stale_since = None
        self._last_callback = max(self._last_callback, time.monotonic())

    def pause(self) -> None:
        self._playing = False

    def position_frames(self) -> int:
        """The tape frame being heard now: wall time since the stream began, plus the
        lead the stream keeps (which follows the device's slow drift), less the
        device's latency, mapped onto the frames handed over. It never runs past
        what was handed over (so a process just woken from a stop does not leap
        before the callback has seen the gap), holds at a new start frame until the
        device's buffer has played out in front of it, and never goes back."""
        seq, frame = self._request
        clock = self._clock
        if clock is None or clock[3] != seq:
            return frame
        t0, ref, handed, _, span_stream, span_tape, paused_at = clock
        latency = LATENCY_S * self.sample_rate
        if ref is None:  # the first moments: the frames handed over, less the buffer
            heard = handed - latency
        else:
            heard = min(handed, (time.monotonic() - t0) * self.sample_rate + ref - latency)
        if paused_at is not None:
            heard = min(heard, paused_at)
        position = span_tape + max(0, int(heard) - span_stream)
        last_seq, last = self._last_position
        if last_seq == seq and position < last:
            return last
        self._last_position = (seq, position)
        return position

    def failed(self) -> str | None:
        if self._failure is not None:
            return self._failure
        if not self._playing or self._device is None:
            return None
        now = time.monotonic()
        if now - self._last_callback <= STALL_S:
            self._stale_since = None
            return None
        # Give a process that was just woken up a moment for the audio thread to run.
        if self._stale_since is None:
            self._stale_since = now
            return None
        if now - self._stale_since >= STALL_CONFIRM_S:
            self._failure = "The sound device stopped responding."
        return self._failure

    def close(self) -> None:
        self._closing = True
        self._playing = False
        device, self._device = self._device, None
        if device is not None:
            with quiet_stderr(), contextlib.suppress(Exception):
                device.close()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
            with contextlib.suppress(ValueError):
                gc.callbacks.remove(self._note_collection)
        self._write_trace()

    def _write_trace(self) -> None:
        """With BREATHPACE_AUDIO_TRACE=FILE, write the callback gaps, the skips and the
        garbage collector's longer passes (seconds from the stream's start) as JSON,
        for benchmarks and bug reports."""
        path = os.environ.get("BREATHPACE_AUDIO_TRACE")
        if not path or self._t0 is None:
            return
        t0 = self._t0
        trace = {
            "gaps_ms": [[round(t - t0, 3), round(1000 * g, 1)] for t, g in self._gaps],
            "skips_ms": [
                [round(t - t0, 3), round(1000 * f / self.sample_rate, 2)] for t, f in self._skips
            ],
            "underruns": self.underruns,
            "settled_ms": [
                [round(t - t0, 3), round(1000 * f / self.sample_rate, 2)] for t, f in self._settles
            ],
            "collections_ms": [
                [round(t - t0, 3), round(1000 * d, 1), generation]
                for t, d, generation in self._collections
            ],
        }
        with contextlib.suppress(OSError):
            Path(path).write_text(json.dumps(trace), "utf-8")
