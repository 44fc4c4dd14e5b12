"""Hypothesis strategies for valid routines, paces and tempo scales.

Routines are drawn as the plain dictionaries a TOML file parses into, then validated by
the real model, so every generated routine is one an author could have written.
Lengths are whole milliseconds (and breaths whole or half breaths) so that a test can
predict exactly what doubling the pace or stretching the tempo must do to them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from breathpace.routine.model import Routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import Timeline, TimelineTooLong, compile

MOVES = ("lift", "lower", "tilt", "release", "reach", "hold there")
CUES = ("Press through the heels", "Roll down slowly", "Keep breathing", "Ribs soft")


def seconds_text(ms: int) -> str:
    """Milliseconds as the seconds an author writes in a dash pattern, e.g. 1250 -> 1.25."""
    return f"{ms / 1000:g}"


def pattern_text(parts: tuple[int, int, int, int]) -> str:
    return "-".join(seconds_text(p) for p in parts)


# Breath parts in tenths of a second keep the printed pattern short and exact.
inhale_ms = st.integers(10, 60).map(lambda n: n * 100)
exhale_ms = st.integers(10, 80).map(lambda n: n * 100)
hold_ms = st.one_of(st.just(0), st.integers(1, 20).map(lambda n: n * 100))


@st.composite
def pace_parts(draw) -> tuple[int, int, int, int]:
    return (draw(inhale_ms), draw(hold_ms), draw(exhale_ms), draw(hold_ms))


paces = pace_parts().map(lambda parts: BreathPattern.parse(pattern_text(parts)))

seconds_ms = st.integers(1, 8000)
half_breaths = st.integers(1, 8).map(lambda n: n / 2)


@st.composite
def lengths(draw) -> dict[str, float]:
    if draw(st.booleans()):
        return {"seconds": draw(seconds_ms) / 1000}
    return {"breaths": draw(half_breaths)}


@st.composite
def phases(draw) -> dict[str, Any]:
    phase: dict[str, Any] = {"move": draw(st.sampled_from(MOVES))}
    breath = draw(st.sampled_from([None, "inhale", "exhale", "hold", "free"]))
    if breath is not None:
        phase["breath"] = breath
    phase.update(draw(lengths()))
    if draw(st.booleans()):
        phase["effort"] = draw(st.booleans())
    _maybe(draw, "cue", st.sampled_from(CUES), phase)
    return phase


@st.composite
def part_cues(draw) -> dict[str, str]:
    parts = ("concentric", "eccentric", "hold_top", "hold_bottom")
    chosen = draw(st.lists(st.sampled_from(parts), unique=True, max_size=4))
    return {part: draw(st.sampled_from(CUES)) for part in chosen}


@st.composite
def tempos(draw) -> str:
    ecc = draw(st.integers(1, 40)) * 100
    conc = draw(st.integers(1, 40)) * 100
    pause_e = draw(st.one_of(st.just(0), st.integers(1, 30).map(lambda n: n * 100)))
    pause_c = draw(st.one_of(st.just(0), st.integers(1, 30).map(lambda n: n * 100)))
    return pattern_text((ecc, pause_e, conc, pause_c))


def _maybe(draw, key: str, strategy, into: dict) -> None:
    if draw(st.booleans()):
        into[key] = draw(strategy)


@st.composite
def exercises(draw, sides=None, max_reps: int = 4, max_sets: int = 3) -> dict[str, Any]:
    ex: dict[str, Any] = {
        "name": draw(st.sampled_from(["Bridge", "Pelvic tilt", "Open book", "Squat"])),
        "sets": draw(st.integers(1, max_sets)),
        "reps": draw(st.integers(1, max_reps)),
    }
    if sides is None:
        chosen = draw(st.sampled_from([None, "both", "left", "right", "alternate"]))
    else:
        chosen = sides
    if chosen is not None:
        ex["sides"] = chosen
    _maybe(draw, "rest", lengths(), ex)
    _maybe(draw, "switch_rest", lengths(), ex)
    _maybe(draw, "rest_after", lengths(), ex)
    _maybe(draw, "wait_for_ready", st.booleans(), ex)
    _maybe(draw, "halfway", st.booleans(), ex)
    if draw(st.booleans()):
        ex["phases"] = draw(st.lists(phases(), min_size=1, max_size=4))
    else:
        ex["tempo"] = draw(tempos())
        _maybe(draw, "start", st.sampled_from(["eccentric", "concentric"]), ex)
        _maybe(draw, "effort", st.sampled_from(["eccentric", "concentric"]), ex)
        _maybe(draw, "effort_breath", st.sampled_from(["inhale", "exhale", "hold", "free"]), ex)
        _maybe(draw, "hold_top", lengths(), ex)
        _maybe(draw, "hold_bottom", lengths(), ex)
        _maybe(draw, "part_cues", part_cues(), ex)
    return ex


@st.composite
def breathing_blocks(draw) -> dict[str, Any]:
    block: dict[str, Any] = {
        "name": draw(st.sampled_from(["Coherent", "Settle", "Sighs", "Ramp"])),
        "pattern": pattern_text(draw(pace_parts())),
    }
    if draw(st.booleans()):
        block["minutes"] = draw(st.integers(1, 30)) / 10
    else:
        block["cycles"] = draw(st.integers(1, 15))
    if draw(st.booleans()):
        block["ramp_to"] = draw(st.integers(40, 150)) / 10
        _maybe(draw, "ramp_step", st.sampled_from([0.1, 0.05, 0.03]), block)
    _maybe(draw, "sigh", st.booleans(), block)
    _maybe(draw, "rest_after", lengths(), block)
    _maybe(draw, "wait_for_ready", st.booleans(), block)
    return block


@st.composite
def routine_dicts(draw, items=None) -> dict[str, Any]:
    if items is None:
        items = st.lists(st.one_of(exercises(), breathing_blocks()), min_size=1, max_size=4)
    data: dict[str, Any] = {
        "format": 1,
        "title": "Generated",
        "pace": pattern_text(draw(pace_parts())),
        "lead_in": draw(st.integers(0, 20)) / 2,
        "exercise": draw(items),
    }
    return data


routines = routine_dicts().map(Routine.model_validate)

tempo_scales = st.one_of(
    st.sampled_from([Fraction(1, 2), Fraction(3, 2), Fraction(2), Fraction(5, 4)]),
    st.fractions(min_value=Fraction(1, 4), max_value=Fraction(4), max_denominator=100),
).filter(lambda f: f > 0)


def compile_or_reject(routine: Routine, pace=None, tempo_scale=1) -> Timeline:
    """Compile, discarding the rare generated routine that is over the 4 hour limit."""
    try:
        return compile(routine, pace, tempo_scale)
    except TimelineTooLong:
        assume(False)
        raise  # unreachable: assume(False) raises
