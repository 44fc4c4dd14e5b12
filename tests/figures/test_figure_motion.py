"""Motion: eased from the pose at the start of a phase to its target, exactly there at
the end, still in a hold, and the same curve as the breath indicator."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from breathpace.easing import ease
from breathpace.figures.motion import interpolate, phase_angles
from breathpace.figures.skeleton import flatten
from breathpace.library import load_figure_named

KEYS = ["body.pitch", "hip_l.flex", "hip_r.abduct", "spine.twist", "body.x"]
angle = st.floats(min_value=-360, max_value=360, allow_nan=False, allow_infinity=False)
angles = st.fixed_dictionaries({k: angle for k in KEYS})
duration = st.integers(min_value=1, max_value=600_000)


@given(angles, angles, duration)
def test_the_target_is_reached_exactly_at_the_end_of_the_phase(start, target, ms):
    assert phase_angles(start, target, ms, ms) == target
    assert phase_angles(start, target, ms + 1, ms) == target
    assert phase_angles(start, target, 0, ms) == start


@given(angles, angles, duration, st.data())
def test_every_moment_lies_between_start_and_target_on_the_eased_curve(start, target, ms, data):
    elapsed = data.draw(st.integers(min_value=0, max_value=ms))
    now = phase_angles(start, target, elapsed, ms)
    e = ease(elapsed / ms)
    for key in KEYS:
        lo, hi = sorted((start[key], target[key]))
        assert lo - 1e-9 <= now[key] <= hi + 1e-9
        assert math.isclose(now[key], start[key] + (target[key] - start[key]) * e, abs_tol=1e-9)


@given(angles, duration, st.data())
def test_a_hold_is_still(start, ms, data):
    elapsed = data.draw(st.integers(min_value=0, max_value=ms))
    assert phase_angles(start, None, elapsed, ms) == start


@given(angles, angles, st.floats(0, 1), st.floats(0, 1))
def test_motion_never_goes_back_within_a_phase(start, target, a, b):
    lo, hi = sorted((a, b))
    early, late = interpolate(start, target, lo), interpolate(start, target, hi)
    for key in KEYS:
        if target[key] >= start[key]:
            assert early[key] <= late[key] + 1e-9
        else:
            assert early[key] >= late[key] - 1e-9


def test_the_breath_indicator_uses_the_same_easing():
    from breathpace.tui.widgets import breath_indicator

    assert breath_indicator.ease is ease
    assert ease(0.0) == 0.0 and ease(1.0) == 1.0
    assert math.isclose(ease(0.5), 0.5)


def test_half_way_through_a_real_lift_the_hips_are_half_way_up():
    fig = load_figure_named("glute-bridge")
    start, top = flatten(fig, "start"), flatten(fig, "top")
    mid = phase_angles(start, top, 2000, 4000)
    assert math.isclose(mid["body.pitch"], (start["body.pitch"] + top["body.pitch"]) / 2)
