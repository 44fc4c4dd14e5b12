"""Audio backends: where the player's samples go, and the clock that says what is heard.

Every backend plays a *session* of frames numbered by the player: `attach` gives it a
source `source(start_frame, n) -> float32 mono samples`, `play_from(frame)` starts
pulling from that frame, and `position_frames()` is the master clock. The player numbers
frames so that they only ever increase, which lets it change what a future frame means
(a new pace from the next rep) without racing the audio thread.

This module is also the one registry of backends: the `--audio` choices, the settings
file's `audio` values and `breathpace devices` all read `REGISTRY`, and each backend
declares what it can do in a `Capabilities` (the player asks those, never `hasattr`).

`open_backend` opens and probes the device at once, before any screen is drawn, with
fd 2 silenced only around the native call, so ALSA/JACK/PulseAudio chatter never lands
on the terminal.

Nothing here imports numpy or a sound library at import time: `settings` and the
command-line options read the names, and `check`/`list` must start fast. The backend
modules are imported when a backend is opened (and `SilentBackend` on first use).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from breathpace.audio.backends.silent import SilentBackend


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, declared by the backend (class attribute `capabilities`)."""

    renders: bool
    """It pulls samples from the source and plays them. False for the silent backend:
    the player then builds no mixer, and a leap of its wall clock means the computer
    slept (the player pauses instead of racing through cues)."""
    discards_ahead: bool
    """It buffers far ahead and re-renders from a frame on request (`discard_from`),
    so the player may change sound it has already handed over (a pace switch, volume)."""
    lists_devices: bool
    """`breathpace devices` lists its devices and `--device` can pick one."""


SILENT = Capabilities(renders=False, discards_ahead=False, lists_devices=False)


@dataclass(frozen=True)
class Entry:
    """One registered backend: its `--audio` name, where it lives, what it can do."""

    name: str
    module: str
    """Module holding the opener; imported only when the backend is opened."""
    opener: str | None
    """Name of `opener(device) -> Backend` in that module (raises BackendError); None
    for the silent backend, which is built with the session's clock instead."""
    capabilities: Capabilities
    lister: str | None = None
    """Name of `lister() -> [{"index", "name", "backend", ...}]` in the module, if any."""

    def load(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.module), attr)


#: Every backend `--audio` can name (besides "auto"), by that name.
REGISTRY: dict[str, Entry] = {
    "miniaudio": Entry(
        name="miniaudio",
        module="breathpace.audio.backends.miniaudio_backend",
        opener="open_miniaudio",
        capabilities=Capabilities(renders=True, discards_ahead=False, lists_devices=True),
        lister="list_playback_devices",
    ),
    "simpleaudio": Entry(
        name="simpleaudio",
        module="breathpace.audio.backends.simpleaudio_backend",
        opener="open_simpleaudio",
        capabilities=Capabilities(renders=True, discards_ahead=True, lists_devices=False),
    ),
    "none": Entry(
        name="none",
        module="breathpace.audio.backends.silent",
        opener=None,
        capabilities=SILENT,
    ),
}
#: "auto" tries the backends of AUTO_ORDER and falls back to silence with a notice.
AUTO = "auto"
KINDS: tuple[str, ...] = (AUTO, *REGISTRY)
"""The `--audio` choices and the settings file's `audio` values."""
AUTO_ORDER = ("miniaudio",)
SILENT_NOTICE = "No sound device found; playing silently."


class BackendError(RuntimeError):
    """An explicitly requested backend or device could not be used; `str()` is one line."""


class NoSuchDevice(BackendError):
    """The device the person named is not there: an input error, never a silent session."""


@runtime_checkable
class Backend(Protocol):
    name: str
    sample_rate: int
    capabilities: Capabilities

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None: ...
    def play_from(self, frame: int) -> None: ...
    def pause(self) -> None: ...
    def position_frames(self) -> int: ...
    def failed(self) -> str | None: ...
    def ready(self) -> bool:
        """True once the device plays steadily (or is known not to: see `failed()`)."""
        ...

    def close(self) -> None: ...


def capabilities_of(backend: Backend) -> Capabilities:
    """The backend's declared capabilities. A backend must declare them: a missing
    declaration is a programming error, said plainly rather than guessed."""
    caps = getattr(backend, "capabilities", None)
    if not isinstance(caps, Capabilities):
        raise TypeError(f"backend {backend.name!r} declares no Capabilities")
    return caps


def listing_entries() -> list[Entry]:
    """The backends whose devices `breathpace devices` can list."""
    return [e for e in REGISTRY.values() if e.capabilities.lists_devices and e.lister]


def open_backend(
    kind: str = AUTO, device: str | int | None = None, *, clock=None, wait: bool = True
) -> tuple[Backend, str | None]:
    """Open the backend `kind` now. Returns (backend, optional one-line notice).

    "auto" tries miniaudio and falls back to silence with a notice; an explicit kind
    that cannot be opened raises BackendError. With `wait`, a device that opens must
    also play (`ready()`) before this returns; without it, the caller waits for
    `ready()` itself (the full screen draws meanwhile) and a device that never plays
    shows up as `failed()`.
    """
    if kind not in KINDS:
        raise BackendError(f"unknown audio backend {kind!r} (choose from {', '.join(KINDS)})")
    silent = REGISTRY["none"].load("SilentBackend")
    if kind == "none":
        return silent(clock=clock), "Sound is off (--audio none): playing silently."
    if kind != AUTO:
        return _open(REGISTRY[kind], device, wait), None
    for name in AUTO_ORDER:
        try:
            return _open(REGISTRY[name], device, wait), None
        except NoSuchDevice:
            raise  # the person named a device that is not there: say so, never go silent
        except BackendError:
            continue
    # Said as a person would; `breathpace devices` gives the technical reason.
    return silent(clock=clock), SILENT_NOTICE


def _open(entry: Entry, device: str | int | None, wait: bool) -> Backend:
    assert entry.opener is not None
    backend = entry.load(entry.opener)(device)
    if wait:
        wait_until_ready(backend)
    return backend


def wait_until_ready(backend: Backend) -> None:
    """Block until the backend plays steadily; BackendError (and closed) if it does not."""
    while not backend.ready():
        time.sleep(0.005)
    problem = backend.failed()
    if problem is not None:
        backend.close()
        # As a BackendError is worded: "...: the sound device opened but does not play".
        raise BackendError(problem[:1].lower() + problem[1:].rstrip("."))


def __getattr__(name: str) -> Any:
    # `from breathpace.audio.backends import SilentBackend` keeps working, and the
    # backend's module is loaded only when the name is used.
    if name == "SilentBackend":
        return REGISTRY["none"].load("SilentBackend")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AUTO",
    "KINDS",
    "REGISTRY",
    "Backend",
    "BackendError",
    "Capabilities",
    "Entry",
    "NoSuchDevice",
    "SilentBackend",
    "capabilities_of",
    "listing_entries",
    "open_backend",
]
