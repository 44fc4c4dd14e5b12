"""Audio backends: where the player's samples go, and the clock that says what is heard.

Every backend plays a *session* of frames numbered by the player: `attach` gives it a
source `source(start_frame, n) -> float32 mono samples`, `play_from(frame)` starts
pulling from that frame, and `position_frames()` is the master clock. The player numbers
frames so that they only ever increase, which lets it change what a future frame means
(a new pace from the next rep) without racing the audio thread.

`open_backend` opens and probes the device at once, before any screen is drawn, with
fd 2 silenced only around the native call, so ALSA/JACK/PulseAudio chatter never lands
on the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from breathpace.audio.backends.silent import SilentBackend

KINDS = ("auto", "miniaudio", "simpleaudio", "none")
SILENT_NOTICE = "No sound device found; playing silently."


class BackendError(RuntimeError):
    """An explicitly requested backend or device could not be used; `str()` is one line."""


class NoSuchDevice(BackendError):
    """The device the person named is not there: an input error, never a silent session."""


@runtime_checkable
class Backend(Protocol):
    name: str
    sample_rate: int

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None: ...
    def play_from(self, frame: int) -> None: ...
    def pause(self) -> None: ...
    def position_frames(self) -> int: ...
    def failed(self) -> str | None: ...
    def close(self) -> None: ...


def open_backend(
    kind: str = "auto", device: str | int | None = None, *, clock=None
) -> tuple[Backend, str | None]:
    """Open the backend `kind` now. Returns (backend, optional one-line notice).

    "auto" tries miniaudio and falls back to silence with a notice; an explicit kind
    that cannot be opened raises BackendError.
    """
    if kind not in KINDS:
        raise BackendError(f"unknown audio backend {kind!r} (choose from {', '.join(KINDS)})")
    if kind == "none":
        return SilentBackend(clock=clock), "Sound is off (--audio none): playing silently."
    if kind == "simpleaudio":
        from breathpace.audio.backends.simpleaudio_backend import open_simpleaudio

        return open_simpleaudio(device), None
    from breathpace.audio.backends.miniaudio_backend import open_miniaudio

    try:
        return open_miniaudio(device), None
    except NoSuchDevice:
        raise
    except BackendError:
        if kind == "auto":
            # Said as a person would; `breathpace devices` gives the technical reason.
            return SilentBackend(clock=clock), SILENT_NOTICE
        raise


__all__ = ["KINDS", "Backend", "BackendError", "NoSuchDevice", "SilentBackend", "open_backend"]
