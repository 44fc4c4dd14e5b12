"""The renderer: golden frames, exact mirror symmetry, and a body that reads at the
sizes the player uses."""

from __future__ import annotations

import numpy as np
import pytest
from golden_cases import CASES, golden_path

from breathpace.figures.load import load_figure
from breathpace.figures.render import (
    BRAILLE_BASE,
    Camera,
    figure_frame,
    pose_support,
    render_pose,
    render_raster,
    scene_points,
    to_braille,
)
from breathpace.figures.skeleton import flatten
from breathpace.library import builtin_figure_files, load_figure_named

FIGURES = [(p.stem, load_figure(p)) for p in builtin_figure_files()]
POSES = [(name, fig, pose) for name, fig in FIGURES for pose in fig.poses]


@pytest.mark.parametrize("case", CASES, ids=lambda c: golden_path(*c).stem)
def test_golden_frame(case):
    figure, pose, cols, rows, mirror, breath = case
    fig = load_figure_named(figure)
    expected = golden_path(*case).read_text("utf-8").rstrip("\n").split("\n")
    assert render_pose(fig, pose, cols, rows, mirror=mirror, breath=breath) == expected


@pytest.mark.parametrize("item", POSES, ids=lambda t: f"{t[0]}-{t[2]}")
def test_the_other_side_moves_the_limbs_and_never_the_body(item):
    """The other side is the same pose done with the other limbs: the pelvis keeps its
    place on the screen (the picture does not jump from one edge to the other every
    rep), and the drawing is still a body."""
    _, fig, pose = item
    angles = flatten(fig, pose)
    support = pose_support(fig, pose)
    cam = Camera.of(fig)
    left = scene_points(fig, angles, 0.0, support)
    right = scene_points(fig, angles, 0.0, support, mirror=True)
    for a, b in zip(cam.project(left["pelvis"]), cam.project(right["pelvis"]), strict=True):
        assert a == pytest.approx(b, abs=1e-9)
    raster = render_raster(fig, angles, 64, 48, mirror=True, support=support)
    assert raster[:-1].sum() > 100


@pytest.mark.parametrize("size", [(24, 12), (32, 12), (40, 16)])
@pytest.mark.parametrize("item", POSES[::3], ids=lambda t: f"{t[0]}-{t[2]}")
def test_every_pose_fills_the_cells_and_stays_inside(item, size):
    _, fig, pose = item
    cols, rows = size
    lines = render_pose(fig, pose, cols, rows)
    assert len(lines) == rows
    assert all(len(line) == cols for line in lines)
    assert all(ch == " " or 0x2800 <= ord(ch) <= 0x28FF for line in lines for ch in line)
    inked = sum(ch != " " for line in lines[:-1] for ch in line)
    assert inked >= cols // 2  # a body, not a speck


def test_the_floor_is_the_bottom_row_and_the_body_rests_on_it():
    fig = load_figure_named("glute-bridge")
    raster = render_raster(fig, flatten(fig, "start"), 64, 48)
    assert raster[-1].all()
    # Something of the body touches the floor row: the row above it has ink.
    assert raster[-2].any()
    standing = load_figure_named("hip-hinge")
    no_floor = standing.model_copy(update={"floor": False})
    assert render_raster(standing, flatten(standing, "start"), 64, 48)[-1].all()
    assert not render_raster(no_floor, flatten(standing, "start"), 64, 48)[-1].all()


def test_the_frame_holds_every_pose_so_the_figure_never_rescales():
    fig = load_figure_named("glute-bridge")
    frame = figure_frame(fig)
    for pose in fig.poses:
        for name, p in scene_points(fig, flatten(fig, pose), 0.0, pose_support(fig, pose)).items():
            assert frame.left <= p[0] <= frame.right, name
            assert frame.bottom <= p[1] <= frame.top, name


def test_breath_lifts_the_belly_of_a_breathing_figure_only():
    rest = load_figure_named("resting-breath")
    angles = flatten(rest, "start")
    out = render_raster(rest, angles, 80, 64, breath=0.0)
    full = render_raster(rest, angles, 80, 64, breath=1.0)
    assert full.sum() > out.sum()
    bridge = load_figure_named("glute-bridge")
    assert np.array_equal(
        render_raster(bridge, flatten(bridge, "start"), 64, 48, breath=0.0),
        render_raster(bridge, flatten(bridge, "start"), 64, 48, breath=1.0),
    )


def test_a_clamshell_opening_is_visible():
    fig = load_figure_named("clamshell")
    closed = render_raster(fig, flatten(fig, "start"), 48, 48)
    opened = render_raster(fig, flatten(fig, "open"), 48, 48)
    assert (closed != opened).sum() > 40


def test_to_braille_maps_each_dot_to_its_bit():
    raster = np.zeros((4, 2), dtype=bool)
    raster[0, 0] = raster[3, 1] = True
    assert to_braille(raster) == [chr(BRAILLE_BASE + 0x01 + 0x80)]
    assert to_braille(np.zeros((4, 4), dtype=bool)) == ["  "]


@pytest.mark.parametrize("item", POSES, ids=lambda t: f"{t[0]}-{t[2]}")
def test_the_head_stands_clear_of_the_trunk(item):
    """A ring of blank dots runs round the head wherever it meets the trunk's outline
    (only the neck crosses it), so the head reads as a head even over the chest."""
    import math

    from breathpace.figures.render import EMPTY, dot_points, render_labels
    from breathpace.figures.skeleton import HEAD_R

    _, fig, pose = item
    angles, support = flatten(fig, pose), pose_support(fig, pose)
    labels = render_labels(fig, angles, 64, 48, support=support)
    points, scale = dot_points(fig, angles, 64, 48, support=support)
    hx, hy = points["head"]
    cx, cy = points["chest"]
    neck = math.atan2(cy - hy, cx - hx)
    radius = max(0.8, HEAD_R * scale) + 0.6
    blank = total = 0
    for k in range(72):
        a = 2 * math.pi * k / 72
        gap = abs((a - neck + math.pi) % (2 * math.pi) - math.pi)
        if gap < math.radians(50):
            continue  # where the neck joins
        x, y = int(hx + radius * math.cos(a)), int(hy + radius * math.sin(a))
        if 0 <= y < 47 and 0 <= x < 64:  # the floor row is drawn over everything
            total += 1
            blank += labels[y, x] == EMPTY
    assert total == 0 or blank / total >= 0.6, (blank, total)


def test_far_limbs_are_a_second_shade_and_swap_with_the_side():
    from breathpace.figures.render import FAR, NEAR, cell_shades, render_labels

    fig = load_figure_named("bridge-march")
    angles, support = flatten(fig, "left"), pose_support(fig, "left")
    left = render_labels(fig, angles, 64, 48, support=support)
    right = render_labels(fig, angles, 64, 48, support=support, mirror=True)
    assert (left == FAR).sum() > 20 and (left == NEAR).sum() > 100
    # On the other side the other leg lifts, and it is the near one that shows it.
    assert not np.array_equal(left == FAR, right == FAR)
    shades = cell_shades(left)
    assert any("2" in row for row in shades) and any("1" in row for row in shades)
