"""The default backend: one miniaudio playback stream whose pull callback is the clock.

The device is opened and started once, at `open_miniaudio()`, before any screen is
drawn (with fd 2 silenced around the native calls), and runs for the whole session.
Each time the device wants frames, the callback asks the player's source for exactly
that block of session frames, so every cue starts on its exact sample.

The master clock is the number of frames handed to the device (`position_frames`).
It runs ahead of what the ear hears by the device's buffer (a few tens of
milliseconds); that offset is constant while playing, so intervals between cues are
exact, and the screen changes with the cue rather than before it by any noticeable
amount. A latency estimate is deliberately not subtracted: backends report it
unreliably, and a wrong estimate would make the clock jump.

Pausing keeps the stream running and feeds it silence without advancing the session,
so resuming needs no device call. The callback never raises (a failure is stored and
reported by `failed()`, and the stream gets silence) and never blocks (it reads plain
attributes, takes no lock, and does no I/O). A device that stops calling back for
`STALL_S` while it should be playing counts as lost.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable

import numpy as np

from breathpace.audio.backends import REGISTRY, BackendError, NoSuchDevice
from breathpace.audio.backends.quiet_fd import quiet_stderr

SAMPLE_RATE = 44100
#: The device period. Short enough that a pause or a volume change is heard at once,
#: long enough that the callback costs little CPU.
PERIOD_MS = 25
#: No callback for this long while playing (seen twice, STALL_CONFIRM_S apart, so a
#: process just woken from a stop gets a moment) means the device is gone.
STALL_S = 1.0
STALL_CONFIRM_S = 0.5
#: Opening waits until this many blocks were pulled (at most PROBE_S seconds).
PROBE_CALLBACKS = 4
PROBE_S = 3.0


def _backends():
    import miniaudio

    skip = {miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM, miniaudio.Backend.WEBAUDIO}
    if sys.platform.startswith("linux"):
        # A JACK server is rare on a desktop and its client library is the noisiest.
        order = [miniaudio.Backend.PULSEAUDIO, miniaudio.Backend.ALSA, miniaudio.Backend.JACK]
        return order
    return [b for b in miniaudio.Backend if b not in skip]


def _why(exc: Exception) -> str:
    """miniaudio errors carry (message, result code); say them as one short phrase."""
    args = getattr(exc, "args", ())
    if len(args) == 2 and isinstance(args[1], int):
        return f"miniaudio: {args[0]}, error {args[1]}"
    return f"miniaudio: {exc}"


def list_playback_devices() -> list[dict]:
    """Playback devices as dicts with `index`, `name` and miniaudio's `id`.
    Raises BackendError when no audio system answers."""
    import miniaudio

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
    known = "; ".join(f'{d["index"]} "{d["name"]}"' for d in devices) or "none"
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
        names = "; ".join(f'{d["index"]} "{d["name"]}"' for d in partial)
        raise NoSuchDevice(f"device {device!r} matches several devices: {names}")
    raise NoSuchDevice(f"device {device!r} matches no playback device (the devices: {known})")


def open_miniaudio(
    device: str | int | None = None, sample_rate: int = SAMPLE_RATE
) -> MiniaudioBackend:
    """Open, start and probe the stream now. Raises BackendError with one line."""
    try:
        import miniaudio
    except ImportError as exc:  # pragma: no cover - a dependency, but say so plainly
        raise BackendError(f"miniaudio is not installed ({exc})") from None
    device_id = None
    if device is not None and str(device).strip() != "":
        device_id = find_device(device)["id"]
    backend = MiniaudioBackend(sample_rate)
    try:
        with quiet_stderr():
            backend._device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.FLOAT32,
                nchannels=1,
                sample_rate=sample_rate,
                buffersize_msec=PERIOD_MS,
                device_id=device_id,
                backends=_backends(),
                app_name="breathpace",
            )
            backend._device.stop_callback = backend._on_device_stop
            backend._device.start(backend._generator)
    except miniaudio.MiniaudioError as exc:
        backend.close()
        raise BackendError(f"no sound device could be opened ({_why(exc)})") from None
    backend.device_backend = backend._device.backend
    backend._probe()
    return backend


class MiniaudioBackend:
    name = "miniaudio"
    capabilities = REGISTRY["miniaudio"].capabilities

    def __init__(self, sample_rate: int = SAMPLE_RATE):
        self.sample_rate = sample_rate
        self.device_backend = ""
        self._device = None
        self._source: Callable[[int, int], np.ndarray] | None = None
        self._playing = False
        self._frame = 0
        # play_from posts (sequence, frame); the callback adopts it at its next block.
        # Two plain attributes instead of a lock: the callback must never wait.
        self._request: tuple[int, int] = (0, 0)
        self._adopted = 0
        self._failure: str | None = None
        self._closing = False
        self._last_callback = time.monotonic()
        self._stale_since: float | None = None
        self._callbacks = 0
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
        self._last_callback = time.monotonic()
        self._callbacks += 1
        seq, frame = self._request
        if seq != self._adopted:
            self._adopted = seq
            self._frame = frame
        if not self._playing or self._source is None or self._failure is not None:
            return bytes(4 * n)
        start = self._frame
        samples = self._source(start, n)
        if samples.shape != (n,):
            raise ValueError(f"source gave {samples.shape} samples for a block of {n}")
        self._frame = start + n
        return np.ascontiguousarray(samples, dtype=np.float32).tobytes()

    def _on_device_stop(self) -> None:
        if not self._closing:
            self._failure = "The sound device stopped."

    # ------------------------------------------------------------- main thread

    def _probe(self) -> None:
        """Wait until the stream pulls steadily. A device that opens but never pulls
        would otherwise only be found out mid-session, and a sound server may take a
        second to wake a suspended sink: better before the first screen than in the
        first cue."""
        deadline = time.monotonic() + PROBE_S
        while self._callbacks < PROBE_CALLBACKS and time.monotonic() < deadline:
            time.sleep(0.005)
        if self._callbacks == 0:
            self.close()
            raise BackendError("the sound device opened but does not play")

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None:
        self._source = source

    def play_from(self, frame: int) -> None:
        self._request = (self._request[0] + 1, int(frame))
        self._playing = True
        self._stale_since = None
        self._last_callback = max(self._last_callback, time.monotonic())

    def pause(self) -> None:
        self._playing = False

    def position_frames(self) -> int:
        seq, frame = self._request
        if seq != self._adopted:
            return frame
        return self._frame

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
