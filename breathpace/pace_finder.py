"""Find my pace: from taps at each in-breath, the natural rate and a personal pace.

The person taps at the start of each inhale for about six breaths. The median interval
is their natural breath cycle (the median ignores one hurried or late tap); the
suggested personal pace is a little slower, with an out-breath longer than the in-breath
(2:3), rounded to half seconds so it reads as a pattern people can remember. Pure.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from breathpace.routine.pattern import BreathPattern

#: Taps for six breaths: six intervals.
TARGET_TAPS = 7
MIN_INTERVALS = 3
#: Shorter than this is a double tap, longer means attention drifted: not a breath.
MIN_CYCLE_S = 1.5
MAX_CYCLE_S = 30.0
SLOWER = 0.10
STEP_S = 0.5


class NotEnoughTaps(ValueError):
    """Too few usable breaths to say anything yet."""


@dataclass(frozen=True)
class PaceEstimate:
    breaths: int
    """How many breath intervals the estimate rests on."""
    cycle_s: float
    """The natural breath cycle, seconds (median interval)."""
    suggested: BreathPattern

    @property
    def rate_per_min(self) -> float:
        return 60.0 / self.cycle_s


def intervals(taps: Sequence[float]) -> list[float]:
    """Usable breath intervals between consecutive taps, in seconds."""
    ordered = sorted(taps)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    return [g for g in gaps if MIN_CYCLE_S <= g <= MAX_CYCLE_S]


def estimate(taps: Sequence[float], slower: float = SLOWER) -> PaceEstimate:
    """The natural cycle from tap times (seconds) and a suggested personal pace."""
    usable = intervals(taps)
    if len(usable) < MIN_INTERVALS:
        raise NotEnoughTaps(
            f"need at least {MIN_INTERVALS} breaths between taps, have {len(usable)}"
        )
    cycle = statistics.median(usable)
    return PaceEstimate(breaths=len(usable), cycle_s=cycle, suggested=suggest(cycle, slower))


def suggest(cycle_s: float, slower: float = SLOWER) -> BreathPattern:
    """A pace `slower` (10 %) slower than a natural cycle, inhale:exhale 2:3, half seconds."""
    target = min(cycle_s * (1 + slower), 2 * 60.0)
    inhale = max(1.0, _half(target * 2 / 5))
    exhale = max(inhale, _half(target * 3 / 5), 1.5)
    # Rounding must never make the personal pace faster than the natural one.
    while inhale + exhale < cycle_s and exhale < 60.0:
        exhale += STEP_S
    exhale = min(exhale, 60.0)
    inhale = min(inhale, 60.0)
    return BreathPattern.parse(f"{inhale:g}-0-{exhale:g}-0")


def _half(seconds: float) -> float:
    # round-half-up on half-second steps, so 2.25 s becomes 2.5 s (never banker's rounding)
    return int(seconds / STEP_S + 0.5) * STEP_S
