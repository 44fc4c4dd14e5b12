"""The Player of one session, in three parts (see each module's docstring):

- `core`: the pure integer-frame core (tape <-> timeline, stretches, pace changes,
  seeks) and `states`, its transition table; no numpy, no backend, no clock;
- `audio`: the samples the backend pulls, their gain ramp, the fall back to silence;
- `player`: the `Player` facade the front ends drive.

The events and `PlayerState` live in `breathpace.session.events` (no numpy) and are
re-exported here, where existing callers import them from.
"""

from breathpace.player.audio import GAIN_RAMP
from breathpace.player.core import JUMP_S
from breathpace.player.player import TEMPO_MAX, TEMPO_MIN, TEMPO_STEP, Player
from breathpace.session.events import (
    Event,
    Notice,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)

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
