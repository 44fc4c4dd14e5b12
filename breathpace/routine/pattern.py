"""Breath patterns and tempo shorthand: the two dash-separated notations of the format.

Both are four numbers of seconds. They are parsed into integer milliseconds here, once,
so everything downstream does exact integer arithmetic.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

#: Anything longer than this for one part of a breath or tempo is certainly a typo.
MAX_PART_S = 60.0

_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
_FOUR = re.compile(rf"^\s*({_NUMBER})-({_NUMBER})-({_NUMBER})-({_NUMBER})\s*$")


def seconds_to_ms(seconds: float) -> int:
    """Round a length in seconds to whole milliseconds, the unit of every timeline."""
    return round(seconds * 1000)


def _parse_four(text: str, what: str, names: tuple[str, str, str, str]) -> tuple[int, ...]:
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a string like {_example(what)}")
    match = _FOUR.match(text)
    if not match:
        raise ValueError(
            f"{what} must be four numbers of seconds joined by dashes, like {_example(what)}"
        )
    parts = []
    for name, raw in zip(names, match.groups(), strict=True):
        value = float(raw)
        if not math.isfinite(value) or value > MAX_PART_S:
            raise ValueError(f"{what}: the {name} part must be at most {MAX_PART_S:g} s")
        parts.append(seconds_to_ms(value))
    return tuple(parts)


def _example(what: str) -> str:
    return '"3-0-2-0"' if what == "tempo" else '"4-0-6-0"'


@dataclass(frozen=True, slots=True)
class BreathPattern:
    """One breath cycle: inhale, hold after the inhale, exhale, hold after the exhale (ms)."""

    inhale_ms: int
    hold_in_ms: int
    exhale_ms: int
    hold_out_ms: int

    @classmethod
    def parse(cls, text: str) -> BreathPattern:
        parts = _parse_four(text, "breath pattern", ("inhale", "hold", "exhale", "hold"))
        pattern = cls(*parts)
        if pattern.inhale_ms <= 0 or pattern.exhale_ms <= 0:
            raise ValueError("breath pattern: the inhale and the exhale must be longer than 0 s")
        return pattern

    @property
    def cycle_ms(self) -> int:
        return self.inhale_ms + self.hold_in_ms + self.exhale_ms + self.hold_out_ms

    @property
    def rate_per_min(self) -> float:
        """Breaths per minute at this pattern."""
        return 60_000 / self.cycle_ms

    def scaled_to_cycle(self, cycle_ms: int) -> BreathPattern:
        """The same proportions stretched to a new cycle length, summing exactly to it."""
        parts = (self.inhale_ms, self.hold_in_ms, self.exhale_ms, self.hold_out_ms)
        total = self.cycle_ms
        # Cumulative rounding keeps the parts summing exactly to cycle_ms.
        bounds = [0]
        running = 0
        for part in parts:
            running += part
            bounds.append(round(running * cycle_ms / total))
        return BreathPattern(*(b - a for a, b in itertools.pairwise(bounds)))

    def __str__(self) -> str:
        return "-".join(
            _fmt_s(p) for p in (self.inhale_ms, self.hold_in_ms, self.exhale_ms, self.hold_out_ms)
        )


#: A pace a person chooses for every routine (`breathpace pace`, `--pace`, Find my pace,
#: the settings file) is a breath of 2 to 60 s: 30 down to 1 breath a minute. Faster
#: is panting, slower is a breath hold, neither a pace to move with.
MIN_CYCLE_MS = 2_000
MAX_CYCLE_MS = 60_000


def check_chosen_pace(pace: BreathPattern) -> None:
    """ValueError in words when `pace` is outside what a chosen pace may be."""
    if not MIN_CYCLE_MS <= pace.cycle_ms <= MAX_CYCLE_MS:
        raise ValueError(
            f"a pace is a breath of {MIN_CYCLE_MS // 1000} to {MAX_CYCLE_MS // 1000} s "
            f"(this one is {pace.cycle_ms / 1000:g} s)"
        )


@dataclass(frozen=True, slots=True)
class Tempo:
    """Strength-training tempo `E-P-C-P`: eccentric, pause, concentric, pause (ms).

    The first pause follows the eccentric (the bottom of a bridge), the second follows
    the concentric (the top). A 0 simply means no pause.
    """

    eccentric_ms: int
    pause_after_eccentric_ms: int
    concentric_ms: int
    pause_after_concentric_ms: int

    @classmethod
    def parse(cls, text: str) -> Tempo:
        parts = _parse_four(text, "tempo", ("eccentric", "pause", "concentric", "pause"))
        tempo = cls(*parts)
        if tempo.eccentric_ms <= 0 or tempo.concentric_ms <= 0:
            raise ValueError("tempo: the eccentric and concentric parts must be longer than 0 s")
        return tempo

    def __str__(self) -> str:
        return "-".join(
            _fmt_s(p)
            for p in (
                self.eccentric_ms,
                self.pause_after_eccentric_ms,
                self.concentric_ms,
                self.pause_after_concentric_ms,
            )
        )


def _fmt_s(ms: int) -> str:
    return f"{ms / 1000:g}"
