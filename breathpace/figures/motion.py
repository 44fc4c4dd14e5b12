"""How the figure moves through a phase: eased from where it was to where it is going.

A phase starts from the pose the previous phase reached and arrives at its own target
pose exactly as it ends, speeding up and settling with the same curve as the breath
indicator, so the body and the breath move as one. A hold (a phase with no pose of its
own, or the same pose) is still. Everything here is a function of the numbers given: a
seek, a skip or a pace change only changes the fraction, never the path, so the figure
can never jump to a wrong pose.
"""

from __future__ import annotations

from collections.abc import Mapping

from breathpace.easing import ease
from breathpace.figures.skeleton import Angles


def interpolate(start: Mapping[str, float], target: Mapping[str, float], x: float) -> Angles:
    """Angles a fraction `x` (0..1) of the way, eased. `x <= 0` is exactly `start`,
    `x >= 1` exactly `target`."""
    if x >= 1:
        return dict(target)
    if x <= 0:
        return dict(start)
    e = ease(x)
    # start·(1-e) + target·e, not start + (target-start)·e, so e = 1 lands exactly.
    return {k: start.get(k, 0.0) * (1 - e) + v * e for k, v in target.items()}


def phase_angles(
    start: Mapping[str, float],
    target: Mapping[str, float] | None,
    elapsed_ms: int,
    duration_ms: int,
) -> Angles:
    """The angles `elapsed_ms` into a phase of `duration_ms` moving from `start` to
    `target`; `target` None is a hold (the body stays at `start`)."""
    if target is None:
        return dict(start)
    if duration_ms <= 0:
        return dict(target)
    return interpolate(start, target, elapsed_ms / duration_ms)
