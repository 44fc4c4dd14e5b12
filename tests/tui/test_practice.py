"""Breathing practice routines and the pace finder: pure functions, exact numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breathpace.pace_finder import NotEnoughTaps, estimate, intervals, suggest
from breathpace.routine.model import Breathing
from breathpace.routine.pattern import BreathPattern
from breathpace.routine.practice import (
    PracticeError,
    adjust_practice,
    build_practice,
    looks_like_pattern,
)
from breathpace.timeline import Breath, Kind, compile


def test_build_practice_one_breathing_block_of_the_asked_length():
    routine = build_practice("4-0-6-0", minutes=2)
    assert routine.tags == ("breathing",)
    (block,) = routine.exercise
    assert isinstance(block, Breathing) and block.pattern == "4-0-6-0"
    timeline = compile(routine)
    phases = [s for s in timeline.segments if s.kind is Kind.PHASE]
    # 2 minutes of 10 s cycles: 12 inhales and 12 exhales
    assert [s.breath for s in phases[:2]] == [Breath.INHALE, Breath.EXHALE]
    assert len(phases) == 24
    assert phases[-1].end_ms - phases[0].start_ms == 120_000


def test_build_practice_cycles_sigh_and_ramp():
    routine = build_practice("3-0-6-0", cycles=4, sigh=True, ramp_to=5)
    (block,) = routine.exercise
    assert block.cycles == 4 and block.minutes is None and block.sigh and block.ramp_to == 5
    moves = [s.move for s in compile(routine).segments if s.kind is Kind.PHASE][:3]
    assert moves == ["breathe in", "top up", "long sigh out"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pattern": "4-0-6"}, "pattern"),
        ({"pattern": "4-0-6-0", "minutes": -1}, "minutes"),
        ({"pattern": "4-0-6-0", "ramp_to": 50}, "ramp_to"),
    ],
)
def test_build_practice_bad_values_one_line_naming_the_field(kwargs, field):
    with pytest.raises(PracticeError) as err:
        build_practice(kwargs.pop("pattern"), **kwargs)
    assert str(err.value).startswith(field)
    assert "\n" not in str(err.value)


def test_adjust_practice_changes_only_length_and_ramp():
    base = build_practice("5.5-0-5.5-0", minutes=10, title="Coherent")
    changed = adjust_practice(base, minutes=3, ramp_to=5)
    (block,) = changed.exercise
    assert (block.minutes, block.ramp_to, block.pattern) == (3, 5, "5.5-0-5.5-0")
    assert changed.title == "Coherent"
    by_cycles = adjust_practice(base, cycles=6)
    assert by_cycles.exercise[0].cycles == 6 and by_cycles.exercise[0].minutes is None


def test_adjust_practice_needs_a_breathing_block():
    routine = build_practice("4-0-6-0").model_copy()
    no_breathing = routine.model_validate(
        {
            "format": 1,
            "title": "Tilts",
            "exercise": [{"name": "Tilt", "phases": [{"move": "tilt", "seconds": 2}]}],
        }
    )
    with pytest.raises(PracticeError, match="no breathing block"):
        adjust_practice(no_breathing, minutes=1)


def test_looks_like_pattern():
    assert looks_like_pattern("4-0-6-0")
    assert looks_like_pattern("5.5-0-5.5-0")
    assert looks_like_pattern("0-0-0-0")  # a pattern, if a bad one: reported as such
    assert not looks_like_pattern("coherent")
    assert not looks_like_pattern("4-7-8")


def test_estimate_from_six_breaths_suggests_ten_percent_slower_2_to_3():
    taps = [0.0, 5.0, 10.1, 14.9, 20.0, 25.0, 30.0]
    est = estimate(taps)
    assert est.breaths == 6
    assert est.cycle_s == pytest.approx(5.0)
    assert est.rate_per_min == pytest.approx(12.0)
    # 5 s * 1.1 = 5.5 s -> 2.2 in, 3.3 out -> half seconds: 2 in, 3.5 out
    assert est.suggested == BreathPattern.parse("2-0-3.5-0")


def test_estimate_ignores_double_taps_and_lapses():
    taps = [0.0, 4.0, 4.2, 8.0, 12.0, 60.0, 64.0]
    assert intervals(taps) == pytest.approx([4.0, 3.8, 4.0, 4.0])
    assert estimate(taps).cycle_s == pytest.approx(4.0)


def test_estimate_needs_three_breaths():
    with pytest.raises(NotEnoughTaps):
        estimate([0.0, 5.0, 10.0])


@given(st.floats(min_value=1.5, max_value=30.0))
def test_suggestion_is_slower_with_longer_exhale(cycle_s):
    pace = suggest(cycle_s)
    assert pace.exhale_ms >= pace.inhale_ms
    assert pace.hold_in_ms == pace.hold_out_ms == 0
    assert pace.inhale_ms % 500 == 0 and pace.exhale_ms % 500 == 0
    # a little slower: within rounding (two half-second steps) of 10 % slower
    assert pace.cycle_ms >= cycle_s * 1000
    assert pace.cycle_ms <= max(cycle_s * 1100 + 1000, 2500)
