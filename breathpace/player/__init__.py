"""The Player of one session, in three parts (see each module's docstring):

- `core`: the pure integer-frame core (tape <-> timeline, stretches, pace changes,
  seeks) and `states`, its transition table; no numpy, no backend, no clock;
- `audio`: the samples the backend pulls, their gain ramp, the fall back to silence;
- `player`: the `Player` facade the front ends drive.

The events and `PlayerState` live in `breathpace.player.events` (no numpy) and are
re-exported here, where existing callers import them from.
"""

import importlib
from typing import Any

from breathpace.player.core import JUMP_S
from breathpace.player.events import (
    Event,
    Notice,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)

# The facade and the audio side import numpy; they load on first use so that importing
# the pure core (`breathpace.player.core`, `.states`) stays light.
_LAZY = {
    "Player": "breathpace.player.player",
    "TEMPO_MAX": "breathpace.player.player",
    "TEMPO_MIN": "breathpace.player.player",
    "TEMPO_STEP": "breathpace.player.player",
    "GAIN_RAMP": "breathpace.player.audio",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GAIN_RAMP",
    "JUMP_S",
    "TEMPO_MAX",
    "TEMPO_MIN",
    "TEMPO_STEP",
    "Event",
    "Notice",
    "PaceChanged",
    "Player",
    "PlayerState",
    "Reloaded",
    "SegmentChanged",
    "StateChanged",
]
