"""The Player's audio side: the samples the backend pulls, their gain, and silence.

`Sound` builds the mixer for each compiled timeline (nothing when the backend renders
nothing). `Source` is the callback the backend pulls on its audio thread: it renders
the core's stretches through their mixers and applies volume and mute with a short
ramp, so a change never clicks. `fall_silent` replaces a lost device with the silent
backend on the same clock, so the session carries on where it was.

Kept apart from the core because this is the only part that touches numpy and the
audio thread; the core stays integer arithmetic that tests can drive directly. numpy is
loaded only for a backend that renders sound: a silent session never imports it.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from breathpace.audio.backends import Backend, SilentBackend
from breathpace.player.core import Core

if TYPE_CHECKING:
    import numpy as np

    from breathpace.audio.mixer import Mixer
    from breathpace.audio.theme import Theme
    from breathpace.timeline import Timeline

#: A volume change fades over this many frames instead of stepping (no click).
GAIN_RAMP = 512


class Sound:
    """What a timeline sounds like: the theme and the options, one mixer per timeline."""

    def __init__(
        self,
        sample_rate: int,
        theme: Theme | None,
        *,
        audible: bool,
        tick: bool = False,
        breath_tone: bool = False,
        voice: Mapping[str, np.ndarray] | None = None,
    ):
        if theme is None and audible:
            # Imported here: only a Player built without a theme that will sound needs one.
            from breathpace.audio.theme import load_theme

            theme = load_theme()
        self.sample_rate = sample_rate
        self.theme = theme
        self.audible = audible
        self.tick = tick
        self.breath_tone = breath_tone
        self.voice = voice

    def mixer_for(self, timeline: Timeline) -> Mixer | None:
        """The mixer that renders `timeline`, or None when nothing is heard."""
        if not self.audible:
            return None
        # Imported here: the mixer loads numpy, which a silent session never needs.
        from breathpace.audio.mixer import Mixer

        assert self.theme is not None  # an audible plan always has its theme
        return Mixer(
            timeline,
            self.theme,
            self.sample_rate,
            tick=self.tick,
            breath_tone=self.breath_tone,
            voice=self.voice,
        )


class Source:
    """The callback a backend pulls: samples for tape frames [start, start + n).

    Runs on the audio thread: it reads the core's immutable snapshots only (the
    stretches tuple and the plans' mixers), never blocks, never raises out (backends
    guard it). It tells the core how far the tape has been rendered.
    """

    def __init__(self, core: Core, *, volume: float, muted: bool, audible: bool = True):
        self._core = core
        # Loaded here, on the session's thread, never first on the audio thread; and
        # only when a backend will pull (a silent one never does).
        self._np = importlib.import_module("numpy") if audible else None
        self.volume = clamp01(volume)
        self.muted = bool(muted)
        self._gain_applied = self.target_gain()

    def target_gain(self) -> float:
        return 0.0 if self.muted else float(self.volume)

    def __call__(self, start: int, n: int) -> np.ndarray:
        np = self._np
        if np is None:  # a silent backend never pulls; one that does gets numpy now
            np = self._np = importlib.import_module("numpy")
        core = self._core
        if start + n > core.rendered_until:
            core.rendered_until = start + n
        out = np.zeros(n, dtype=np.float32)
        stretches = core.stretches
        for i, s in enumerate(stretches):
            lo = max(start, s.tape_start)
            hi = (
                start + n
                if i + 1 == len(stretches)
                else min(start + n, stretches[i + 1].tape_start)
            )
            hi = min(hi, s.tape_stop)
            if hi <= lo or s.plan.sound is None:
                continue
            out[lo - start : hi - start] = s.plan.sound.render(
                s.tl_start + lo - s.tape_start, hi - lo
            )
        target = self.target_gain()
        applied = self._gain_applied
        if target == applied:
            if target != 1.0:
                out *= target
        else:
            k = min(n, GAIN_RAMP)
            ramp = np.full(n, target, dtype=np.float32)
            ramp[:k] = np.linspace(applied, target, k, endpoint=False, dtype=np.float32)
            out *= ramp
            self._gain_applied = target
        return out


def fall_silent(backend: Backend, clock) -> Backend:
    """Close a lost device (whatever it says) and return the silent backend that takes
    over at the same sample rate on `clock`."""
    with contextlib.suppress(Exception):
        backend.close()
    return SilentBackend(backend.sample_rate, clock=clock)


def clamp01(value: float) -> float:
    v = float(value)
    if math.isnan(v):
        return 0.0
    return min(1.0, max(0.0, v))
