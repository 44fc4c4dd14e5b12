"""The silent backend: a session clock with no sound.

Used for `--audio none`, when no device can be opened, when a device is lost mid-session,
and in every player and TUI test (with a `FakeClock`). Position is the frame where play
last started plus the clock's elapsed time in frames; it never renders the source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from breathpace.audio.backends import REGISTRY
from breathpace.clock import MonotonicClock

if TYPE_CHECKING:
    import numpy as np

DEFAULT_RATE = 44100


class SilentBackend:
    name = "silent"
    capabilities = REGISTRY["none"].capabilities

    def __init__(self, sample_rate: int = DEFAULT_RATE, *, clock=None):
        self.sample_rate = sample_rate
        self.clock = clock if clock is not None else MonotonicClock()
        self._frame = 0
        self._anchor: float | None = None

    def attach(self, source: Callable[[int, int], np.ndarray]) -> None:
        """Nothing is ever heard, so the source is never asked for samples."""

    def play_from(self, frame: int) -> None:
        self._frame = int(frame)
        self._anchor = self.clock.now()

    def pause(self) -> None:
        self._frame = self.position_frames()
        self._anchor = None

    def position_frames(self) -> int:
        if self._anchor is None:
            return self._frame
        # Rounded, not truncated: a FakeClock advanced by 0.1 s ten times lands exactly on
        # the frame of 1 s even though the float sum is a hair short of it.
        return self._frame + round((self.clock.now() - self._anchor) * self.sample_rate)

    @property
    def playing(self) -> bool:
        return self._anchor is not None

    def failed(self) -> str | None:
        return None

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        self.pause()
