"""Clocks the player can stand on when no sound device is counting frames.

While sound plays, the audio stream's own frame counter is the master clock. When the
session is silent (no device, `--audio none`, or a device lost mid-session) a monotonic
clock stands in; tests and snapshot tests use `FakeClock` so time moves only when the
test says so.
"""

from __future__ import annotations

import time


class MonotonicClock:
    """Seconds from `time.monotonic()`: never goes backwards, ignores wall-clock changes."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that only moves when told to (for tests)."""

    def __init__(self, start: float = 0.0):
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
