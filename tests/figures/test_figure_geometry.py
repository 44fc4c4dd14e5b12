"""The figures teach the movement their exercise describes, held as numbers.

Each built-in figure's poses are measured with the figure's own kinematics, placed as
the player draws them (their contacts resting): heights of a point's underside above the
floor, in metres, and distances along the floor. The words quoted with each promise are
the exercise's own position or cue, so a physiotherapist can read the table below and
say whether the numbers are what the words mean.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breathpace.figures.checks import REST_TOLERANCE, along_floor, height, pose_points
from breathpace.figures.model import JOINTS
from breathpace.figures.render import Camera, pose_support, scene_points
from breathpace.figures.skeleton import (
    JOINT_KEYS,
    flatten,
    mirror_angles,
    raw_positions,
)
from breathpace.figures.track import phase_poses, rep_targets
from breathpace.library import (
    builtin_figure_files,
    builtin_routine_files,
    load_figure_named,
    load_routine,
)
from breathpace.routine.model import Breathing

Points = dict[str, tuple[float, float, float]]
Check = Callable[[Points], None]

#: On the floor: a point's underside within the contact tolerance of y = 0.
ON = REST_TOLERANCE


def on_floor(*names: str) -> Check:
    def check(p: Points) -> None:
        for n in names:
            assert abs(height(p, n)) <= ON, f"{n} is {height(p, n):.2f} m off the floor"

    check.__doc__ = f"{', '.join(names)} on the floor"
    return check


def off_floor(name: str, low: float, high: float = 3.0) -> Check:
    def check(p: Points) -> None:
        h = height(p, name)
        assert low <= h <= high, f"{name} is {h:.2f} m up, not {low}..{high}"

    return check


def over(a: str, b: str, within: float) -> Check:
    def check(p: Points) -> None:
        d = along_floor(p, a, b)
        assert d <= within, f"{a} is {d:.2f} m from straight over {b}"

    return check


def near(a: str, b: str, within: float) -> Check:
    """Two points touching: their surfaces within `within` metres."""

    def check(p: Points) -> None:
        gap = math.dist(p[a], p[b])
        assert gap <= within + 0.1, f"{a} is {gap:.2f} m from {b}"

    return check


def feet_flat(*sides: str) -> Check:
    return on_floor(*(f"{part}_{s}" for s in sides for part in ("heel", "toe")))


def lying_flat(p: Points) -> None:
    on_floor("head", "chest", "pelvis")(p)


def side_lying(side: str) -> Check:
    def check(p: Points) -> None:
        on_floor(f"shoulder_{side}", f"hip_{side}", f"knee_{side}")(p)
        # Lying, not propped on hands and knees: the pelvis is no higher than the hip
        # is wide.
        assert height(p, "pelvis") <= 0.12

    return check


def seated(p: Points) -> None:
    # Sitting on a chair: the pelvis at seat height, well above the floor.
    assert 0.35 <= height(p, "pelvis") <= 0.6
    feet_flat("l", "r")(p)


def standing(p: Points) -> None:
    feet_flat("l", "r")(p)
    assert height(p, "head") >= 1.4


def hands_and_knees(p: Points) -> None:
    on_floor("hand_l", "hand_r", "knee_l", "knee_r")(p)
    over("hand_l", "shoulder_l", 0.08)(p)
    over("knee_l", "hip_l", 0.08)(p)


def hook_lying(p: Points) -> None:
    """On the back, knees bent, feet flat."""
    lying_flat(p)
    feet_flat("l", "r")(p)
    assert height(p, "knee_l") >= 0.3 and height(p, "knee_r") >= 0.3


#: figure -> pose -> (the words it must show, the numbers that say it does).
PROMISES: dict[str, dict[str, tuple[str, list[Check]]]] = {
    "glute-bridge": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "top": (
            "lift the hips (shoulders and feet stay down)",
            [on_floor("head", "chest"), feet_flat("l", "r"), off_floor("pelvis", 0.15)],
        ),
    },
    "bridge-march": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "top": ("lift into a low bridge", [feet_flat("l", "r"), off_floor("pelvis", 0.15)]),
        "left": (
            "float one foot up a few centimetres, hips stay level",
            [
                off_floor("heel_l", 0.02, 0.06),
                off_floor("toe_l", 0.02, 0.06),
                feet_flat("r"),
                off_floor("pelvis", 0.15),
            ],
        ),
        "right": (
            "the other foot, a few centimetres",
            [off_floor("heel_r", 0.02, 0.06), feet_flat("l"), off_floor("pelvis", 0.15)],
        ),
    },
    "single-leg-bridge": {
        "start": (
            "the working foot flat; the other rests lightly on its toes",
            [lying_flat, feet_flat("l"), on_floor("toe_r")],
        ),
        "top": (
            "lift; the free foot still rests lightly on its toes",
            [on_floor("head", "chest", "toe_r"), feet_flat("l"), off_floor("pelvis", 0.15)],
        ),
    },
    "pelvic-tilt": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "tilt": (
            "gently flatten the low back: the pelvis rocks, it does not lift",
            [hook_lying, off_floor("pelvis", 0.0, 0.03)],
        ),
    },
    "resting-breath": {"start": ("On your back, knees bent, feet flat", [hook_lying])},
    "heel-slide": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "slide": (
            "slide one heel away along the floor",
            [lying_flat, on_floor("heel_l"), feet_flat("r")],
        ),
    },
    "knees-to-chest": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "one": (
            "draw one knee toward the chest, hands holding it; the other foot stays down",
            [lying_flat, feet_flat("l"), off_floor("knee_r", 0.4), near("hand_r", "knee_r", 0.12)],
        ),
    },
    "knees-held": {
        "start": (
            "both knees up, hands resting on the knees",
            [lying_flat, off_floor("heel_l", 0.2), off_floor("heel_r", 0.2)],
        ),
        "in": ("draw both knees toward the chest", [lying_flat, off_floor("heel_l", 0.2)]),
    },
    "dead-bug": {
        "start": (
            "On your back, knees over the hips, shins level, arms reaching up",
            [lying_flat, over("knee_l", "hip_l", 0.1), off_floor("hand_l", 0.4)],
        ),
        "left": ("reach one arm back and the opposite heel away", [lying_flat]),
        "right": ("the other arm and heel", [lying_flat]),
    },
    "knee-rocks": {
        "start": ("On your back, knees bent, feet flat", [hook_lying]),
        "left": ("knees sway a little to one side", [lying_flat, on_floor("heel_l", "heel_r")]),
        "right": ("and to the other", [lying_flat, on_floor("heel_l", "heel_r")]),
    },
    "knee-rolls": {
        "start": ("On your back, knees bent and together, feet flat", [hook_lying]),
        "left": ("both knees roll a little to one side", [on_floor("head", "chest", "heel_l")]),
        "right": ("and to the other", [on_floor("head", "chest", "heel_r")]),
    },
    "hands-knees-breath": {"start": ("On hands and knees", [hands_and_knees])},
    "cat-cow": {
        "start": ("On hands and knees, hands under shoulders, knees under hips", [hands_and_knees]),
        "cat": ("round the back up", [on_floor("hand_l", "hand_r", "knee_l", "knee_r")]),
        "cow": ("let the belly sink", [on_floor("hand_l", "hand_r", "knee_l", "knee_r")]),
    },
    "child-pose": {
        "start": ("On hands and knees", [hands_and_knees]),
        "back": (
            "sit the bottom back toward the heels, hands stay",
            [on_floor("hand_l", "hand_r", "knee_l", "knee_r")],
        ),
    },
    "bird-dog": {
        "start": ("On hands and knees, back long and level", [hands_and_knees]),
        "left": (
            "reach one arm forward and the opposite leg back",
            [on_floor("hand_r", "knee_l"), off_floor("hand_l", 0.4), off_floor("knee_r", 0.2)],
        ),
        "right": ("the other arm and leg", [on_floor("hand_l", "knee_r")]),
        "arm": ("slide one hand forward and lift it a little", [on_floor("knee_l", "knee_r")]),
        "leg": ("slide one foot back, lifting it a little", [on_floor("hand_l", "hand_r")]),
    },
    "prone-breath": {
        "start": (
            "Face down, legs long",
            [on_floor("pelvis", "knee_l", "knee_r"), off_floor("head", -0.01, 0.2)],
        ),
    },
    "prone-press-up": {
        "start": ("Face down, legs long", [on_floor("pelvis", "knee_l", "knee_r", "head")]),
        "up": (
            "a small press with the hips on the floor",
            [
                on_floor("pelvis", "knee_l", "knee_r", "hand_l", "hand_r"),
                off_floor("pelvis", 0.0, 0.03),
                off_floor("chest", 0.15),
            ],
        ),
        "elbows": (
            "elbows under the shoulders, forearms on the floor",
            [on_floor("pelvis", "elbow_l", "hand_l"), off_floor("pelvis", 0.0, 0.03)],
        ),
    },
    "clamshell": {
        "start": ("On your side, knees bent", [side_lying("l")]),
        "open": ("open the top knee, feet together", [side_lying("l"), off_floor("knee_r", 0.25)]),
    },
    "clamshell-band": {
        "start": ("a light band looped just above both knees", [side_lying("l")]),
        "open": ("open the top knee against the band", [side_lying("l")]),
    },
    "side-lying-breath": {"start": ("On your side, knees bent", [side_lying("l")])},
    "side-lying-roll": {
        "start": ("On your left side, knees bent and stacked", [side_lying("l")]),
        "forward": ("roll a little forward", [on_floor("hip_l", "shoulder_l")]),
        "back": ("a little back", [on_floor("hip_l", "shoulder_l")]),
        "supine": ("roll onto your back", [hook_lying]),
        "other": ("on to the other side", [side_lying("r")]),
    },
    "open-book": {
        "start": ("On your side, knees bent and stacked", [side_lying("l")]),
        "open": (
            "open the top arm up and across; the knees stay stacked",
            [on_floor("hip_l", "knee_l"), off_floor("knee_r", 0.05, 0.25)],
        ),
    },
    "hip-90-90": {
        "start": (
            "Sitting on the floor, hands behind you, feet flat",
            [on_floor("pelvis", "hand_l", "hand_r"), feet_flat("l", "r")],
        ),
        "sway-left": ("knees sway", [on_floor("pelvis", "hand_l", "hand_r")]),
        "sway-right": ("knees sway", [on_floor("pelvis", "hand_l", "hand_r")]),
        "left": (
            "front shin across, back shin out to the side",
            [on_floor("pelvis", "knee_l", "ankle_l", "knee_r", "ankle_r")],
        ),
        "right": ("the other 90/90", [on_floor("pelvis", "knee_l", "knee_r")]),
    },
    "hip-90-90-lean": {
        "start": (
            "Sitting in the 90/90 shape: front shin across, back shin out to the side",
            [on_floor("pelvis", "knee_l", "ankle_l", "knee_r", "ankle_r", "hand_l", "hand_r")],
        ),
        "lean": (
            "lean the chest gently over the front shin",
            [on_floor("pelvis", "knee_l", "ankle_l", "knee_r", "ankle_r")],
        ),
    },
    "hip-flexor-lunge": {
        "start": (
            "Kneeling, one foot forward, front knee over the ankle, a hand on a chair",
            [feet_flat("l"), on_floor("knee_r"), over("knee_l", "ankle_l", 0.06)],
        ),
        "forward": (
            "ease the hips forward; front knee over the ankle",
            [feet_flat("l"), on_floor("knee_r"), over("knee_l", "ankle_l", 0.1)],
        ),
    },
    "seated-breath": {"start": ("Sitting comfortably upright", [seated])},
    "seated-twist": {
        "start": ("Sitting tall, feet flat", [seated]),
        "left": ("turn the chest to one side", [seated]),
        "right": ("and to the other", [seated]),
    },
    "seated-side-reach": {
        "start": ("Sitting tall, feet flat", [seated]),
        "left": ("reach one arm up and over", [seated]),
        "right": ("and the other", [seated]),
    },
    "sit-to-stand": {
        "start": ("Sitting near the front of a firm chair", [seated]),
        "lean": ("lean forward, still sitting", [seated]),
        "stand": ("stand up", [standing]),
    },
    "chair-squat": {
        "start": ("Standing in front of the chair", [standing]),
        "touch": ("tap the chair lightly", [feet_flat("l", "r"), off_floor("pelvis", 0.45, 0.65)]),
    },
    "standing-breath": {"start": ("Standing tall", [standing])},
    "standing-twist": {
        "start": ("Standing tall", [standing]),
        "left": ("turn to one side", [standing]),
        "right": ("and the other", [standing]),
    },
    "side-reach": {
        "start": ("Standing tall", [standing]),
        "left": ("reach one arm up and over", [standing]),
        "right": ("and the other", [standing]),
    },
    "rotation-reach": {
        "start": ("Standing tall", [standing]),
        "left": ("turn and reach, the back heel may lift", [feet_flat("l"), on_floor("toe_r")]),
        "right": ("and the other way", [feet_flat("r"), on_floor("toe_l")]),
    },
    "step-and-turn": {
        "start": ("Standing tall, feet together", [standing]),
        "left": ("step and turn", [feet_flat("l", "r")]),
        "right": ("and the other way", [feet_flat("l", "r")]),
    },
    "hip-hinge": {
        "start": ("Standing tall, knees soft", [standing]),
        "hinge": ("send the hips back, chest forward", [feet_flat("l", "r")]),
    },
    "wall-hip-tap": {
        "start": ("Standing with your back to a wall", [standing]),
        "back": ("tap the hips back to the wall", [feet_flat("l", "r")]),
    },
    "counter-hip-hinge": {
        "start": ("Facing a counter, hands resting on its edge", [standing]),
        "hinge": ("hinge, hands stay on the counter", [feet_flat("l", "r")]),
    },
    "wall-rotation": {
        "start": ("Standing with your back to a wall", [standing]),
        "open": ("open the arm toward the wall", [standing]),
    },
    "wall-breath": {"start": ("Facing a wall, forearms resting on it", [standing])},
    "split-squat": {
        "start": (
            "Split stance, front foot flat, back heel lifted",
            [feet_flat("l"), on_floor("toe_r")],
        ),
        "bottom": (
            "lower a little",
            [feet_flat("l"), on_floor("toe_r"), over("knee_l", "ankle_l", 0.15)],
        ),
        "turn": ("turn the chest toward the front knee", [feet_flat("l"), on_floor("toe_r")]),
        "shift": ("shift forward", [feet_flat("l"), on_floor("toe_r")]),
    },
}


def _cases():
    for path in builtin_figure_files():
        for pose in load_figure_named(path.stem).poses:
            yield pytest.param(path.stem, pose, id=f"{path.stem}:{pose}")


def test_every_builtin_figure_and_pose_has_its_promises_written_down():
    have = {p.stem: set(load_figure_named(p.stem).poses) for p in builtin_figure_files()}
    assert {name: set(poses) for name, poses in PROMISES.items()} == have


@pytest.mark.parametrize(("figure", "pose"), list(_cases()))
@pytest.mark.parametrize("side", ["left", "right"])
def test_each_pose_shows_what_its_words_promise(figure, pose, side):
    fig = load_figure_named(figure)
    words, checks = PROMISES[figure][pose]
    points = pose_points(fig, pose)
    if side == "right":
        # The other side is the mirror image: the same numbers with left and right
        # swapped, so each promise is checked on the mirrored points.
        points = {_swap(n): (x, y, -z) for n, (x, y, z) in _mirrored(fig, pose).items()}
    for check in checks:
        check(points)
    # Nothing of the body is under the floor, whatever the words.
    for name in points:
        if name not in ("belly", "ribs"):
            assert height(points, name) >= -0.01, f"{words}: {name} under the floor"


def _mirrored(fig, pose) -> Points:
    rest = pose_support(fig, pose)
    return scene_points(fig, flatten(fig, pose), 0.0, rest, mirror=True)


def _swap(name: str) -> str:
    if name.endswith("_l"):
        return name[:-2] + "_r"
    if name.endswith("_r"):
        return name[:-2] + "_l"
    return name


# -- the numbers the issue measured, now held ------------------------------------------


def test_the_press_up_keeps_the_hips_on_the_floor_and_lifts_the_chest():
    p = pose_points(load_figure_named("prone-press-up"), "up")
    assert height(p, "pelvis") <= 0.03
    assert height(p, "chest") >= 0.15
    assert height(p, "knee_l") <= ON and height(p, "toe_l") <= ON


def test_the_lunge_kneels_on_the_back_knee_with_the_front_knee_over_the_ankle():
    p = pose_points(load_figure_named("hip-flexor-lunge"), "forward")
    assert height(p, "knee_r") <= ON
    assert along_floor(p, "knee_l", "ankle_l") <= 0.1


def test_the_90_90_sits_on_the_floor():
    fig = load_figure_named("hip-90-90")
    for pose in fig.poses:
        assert height(pose_points(fig, pose), "pelvis") <= ON, pose


def test_seated_figures_sit_on_a_drawn_chair():
    for name in ("seated-breath", "seated-twist", "seated-side-reach", "sit-to-stand"):
        fig = load_figure_named(name)
        assert fig.chair is not None, name
        p = pose_points(fig, "start")
        assert abs(height(p, "pelvis") - fig.chair.height) <= ON, name


def test_the_bridge_march_lifts_a_foot_a_few_centimetres_not_the_thigh():
    p = pose_points(load_figure_named("bridge-march"), "left")
    assert 0.02 <= height(p, "heel_l") <= 0.06
    assert height(p, "heel_r") <= ON


def test_the_single_leg_bridge_free_foot_rests_on_its_toes():
    p = pose_points(load_figure_named("single-leg-bridge"), "top")
    assert height(p, "toe_r") <= ON


def test_wall_breaths_face_the_wall_with_the_forearms_on_it():
    fig = load_figure_named("wall-breath")
    assert fig.wall is not None and fig.wall > 0  # in front of the body
    p = pose_points(fig, "start")
    for name in ("elbow_l", "hand_l"):
        assert abs(fig.wall - p[name][0] - 0.05) <= 0.05, name


# -- sides ------------------------------------------------------------------------------

ANGLE = st.floats(-120, 120, allow_nan=False)


@st.composite
def _angles(draw) -> dict[str, float]:
    out = {f"body.{k}": draw(ANGLE) for k in ("pitch", "roll", "yaw")}
    out["body.x"] = out["body.z"] = 0.0
    for joint in JOINTS:
        for key in JOINT_KEYS:
            out[f"{joint}.{key}"] = draw(ANGLE)
    return out


@settings(max_examples=60, deadline=None)
@given(_angles())
def test_the_other_side_is_every_point_reflected_through_the_midline(angles):
    a = raw_positions(angles)
    b = raw_positions(mirror_angles(angles))
    for name, (x, y, z) in a.items():
        bx, by, bz = b[_swap(name)]
        assert (bx, by, bz) == pytest.approx((x, y, -z), abs=1e-9), name


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_body_never_moves_on_the_screen_when_the_side_changes(data):
    """Whatever the figure, pose and moment of a movement: the other side draws the
    pelvis at the same place of the picture."""
    from breathpace.figures.motion import interpolate
    from breathpace.figures.render import moving_support

    path = data.draw(st.sampled_from(builtin_figure_files()))
    fig = load_figure_named(path.stem)
    start = data.draw(st.sampled_from(list(fig.poses)))
    target = data.draw(st.sampled_from(list(fig.poses)))
    x = data.draw(st.floats(0, 1))
    angles = interpolate(flatten(fig, start), flatten(fig, target), x)
    support = moving_support(fig, start, target, x)
    cam = Camera.of(fig)
    left = cam.project(scene_points(fig, angles, 0.0, support)["pelvis"])
    right = cam.project(scene_points(fig, angles, 0.0, support, mirror=True)["pelvis"])
    assert left[:2] == pytest.approx(right[:2], abs=1e-9)


# -- phases ------------------------------------------------------------------------------

ROUTINES = {path.stem: load_routine(path) for path in builtin_routine_files()}


def _exercises():
    for name, routine in ROUTINES.items():
        for item in routine.exercise:
            if not isinstance(item, Breathing) and item.figure is not None:
                yield pytest.param(name, item, id=f"{name}:{item.name}")


def _picture(fig, pose: str, mirror: bool) -> Points:
    return scene_points(fig, flatten(fig, pose), 0.0, pose_support(fig, pose), mirror=mirror)


def _same_picture(a: Points, b: Points) -> bool:
    return all(math.dist(a[n], b[n]) <= 0.02 for n in a)


@pytest.mark.parametrize(("routine", "item"), list(_exercises()))
def test_each_rep_starts_where_the_last_one_ended(routine, item):
    """Rolling and alternating exercises return where they say: the picture the body is
    in at the end of a rep is the one the next rep (on whichever side) starts from."""
    fig = load_figure_named(item.figure)
    sides = ["left", "right"] if item.sides == "alternate" else [None]
    order = [(rep, side) for rep in range(1, min(item.reps, 4) + 1) for side in sides]
    last = len(rep_targets(item)) - 1
    for (rep, side), (next_rep, next_side) in itertools.pairwise(order):
        start, target = phase_poses(item, last, rep, side)
        ended = target or start
        began, _ = phase_poses(item, 0, next_rep, next_side)
        a = _picture(fig, ended, side == "right")
        b = _picture(fig, began, next_side == "right")
        assert _same_picture(a, b), (rep, side, ended, "->", began)


@pytest.mark.parametrize(("routine", "item"), list(_exercises()))
def test_no_phase_lowers_the_hips_with_a_foot_still_raised(routine, item):
    """One phase, one change: a phase that sets a foot down and lowers the hips is two
    movements, so the hips never come down while a foot is still in the air."""
    fig = load_figure_named(item.figure)
    for phase in range(len(rep_targets(item))):
        start, target = phase_poses(item, phase)
        if target is None:
            continue
        a, b = pose_points(fig, start), pose_points(fig, target)
        if height(a, "pelvis") - height(b, "pelvis") <= 0.08:
            continue
        for side in ("l", "r"):
            lifted = min(height(a, f"heel_{side}"), height(a, f"toe_{side}")) > ON
            lands = min(height(b, f"heel_{side}"), height(b, f"toe_{side}")) <= ON
            assert not (lifted and lands), (routine, item.name, start, "->", target)


# -- props ---------------------------------------------------------------------------


@pytest.mark.parametrize(("routine", "item"), list(_exercises()))
def test_props_are_drawn_where_the_position_names_them(routine, item):
    fig = load_figure_named(item.figure)
    words = (item.position or "").lower()
    if "chair" in words:
        assert fig.chair is not None, words
    if "counter" in words:
        assert fig.counter is not None, words
    if "wall" in words:
        assert fig.wall is not None, words
    if "band" in words and "no band" not in words and "band off" not in words:
        assert fig.band is not None, words


def test_views_not_from_the_side_are_named():
    for path in builtin_figure_files():
        fig = load_figure_named(path.stem)
        assert fig.view.from_the_side or fig.view.name, path.stem
