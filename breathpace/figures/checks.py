"""Whether each pose of a figure keeps its promises: contacts that rest, nothing under
the floor, and the limits its exercise states.

A figure teaches a movement, so a pose that floats (the pelvis a hand above the floor
while it says it rests there), sinks (a foot through the floor) or lifts a foot higher
than "a few centimetres" teaches the wrong one. These checks run whenever a figure is
loaded, so `breathpace check` and the player refuse such a figure in one line per
problem. Plain arithmetic on the skeleton's points (no numpy, no files).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from breathpace.figures.model import POINTS, Figure
from breathpace.figures.skeleton import RADIUS, SINK_TOLERANCE, Rest, Vec, flatten, positions

#: A contact rests when its point's surface is this close to its surface (metres): a
#: dot of the picture at the usual sizes, well under what a person would notice.
REST_TOLERANCE = 0.03


def pose_points(figure: Figure, pose: str, *, clamp: bool = True) -> dict[str, Vec]:
    """The pose's points placed as it says (its contacts resting), in metres."""
    rest = Rest.of(figure, pose)
    return positions(flatten(figure, pose), 0.0, ((rest, 1.0),), clamp=clamp)


def height(points: Mapping[str, Vec], name: str) -> float:
    """How high the underside of a point is above the floor, metres."""
    return points[name][1] - RADIUS[name]


def figure_problems(figure: Figure) -> list[str]:
    """Every broken promise of every pose, one line each, in file order."""
    out: list[str] = []
    for name in figure.poses:
        out += pose_problems(figure, name)
    return out


def pose_problems(figure: Figure, pose: str) -> list[str]:
    points = pose_points(figure, pose, clamp=False)
    contacts = figure.contacts(pose)
    out: list[str] = []
    where = f"poses.{pose}"
    if contacts is not None:
        for name in contacts.floor:
            gap = height(points, name)
            if abs(gap) > REST_TOLERANCE:
                out.append(f"{where}.contacts.floor: {name} is {_above(gap)} the floor{_TOL}")
        if figure.chair is not None:
            seat = figure.chair
            for name in contacts.chair:
                gap = height(points, name) - seat.height
                if abs(gap) > REST_TOLERANCE:
                    out.append(f"{where}.contacts.chair: {name} is {_above(gap)} the seat{_TOL}")
                off = _outside(points[name][0], seat.x, seat.depth)
                if off:
                    out.append(f"{where}.contacts.chair: {name} is {off} of the seat")
        if figure.counter is not None:
            top = figure.counter
            for name in contacts.counter:
                gap = height(points, name) - top.height
                if abs(gap) > REST_TOLERANCE:
                    out.append(
                        f"{where}.contacts.counter: {name} is {_above(gap)} the counter{_TOL}"
                    )
                off = _outside(points[name][0], top.x, top.depth)
                if off:
                    out.append(f"{where}.contacts.counter: {name} is {off} of the counter")
        if figure.wall is not None:
            # The body stands on the start pose's side of the wall (its pelvis at x = 0).
            side = 1.0 if figure.wall < 0 else -1.0
            for name in contacts.wall:
                gap = (points[name][0] - figure.wall) * side - RADIUS[name]
                if abs(gap) > REST_TOLERANCE:
                    out.append(
                        f"{where}.contacts.wall: {name} is {abs(gap):.2f} m "
                        f"{'from' if gap > 0 else 'into'} the wall{_TOL}"
                    )
    for name in POINTS:
        gap = height(points, name)
        if gap < -SINK_TOLERANCE:
            out.append(f"{where}: {name} is {-gap:.2f} m under the floor")
    for name, limit in (figure.poses[pose].limits or {}).items():
        gap = height(points, name)
        at = f"{where}.limits.{name}"
        if limit.max_height is not None and gap > limit.max_height + 1e-9:
            out.append(
                f"{at}: {gap:.2f} m above the floor, over its max_height {limit.max_height:g}"
            )
        if limit.min_height is not None and gap < limit.min_height - 1e-9:
            out.append(
                f"{at}: {max(0.0, gap):.2f} m above the floor, under its min_height "
                f"{limit.min_height:g}"
            )
        if limit.over is not None:
            apart = along_floor(points, name, limit.over)
            if apart > limit.within + 1e-9:
                out.append(
                    f"{at}: {apart:.2f} m from straight over {limit.over} (within {limit.within:g})"
                )
    return out


def along_floor(points: Mapping[str, Vec], a: str, b: str) -> float:
    """How far apart two points are measured along the floor (metres)."""
    pa, pb = points[a], points[b]
    return math.hypot(pa[0] - pb[0], pa[2] - pb[2])


_TOL = f" (a contact rests within {REST_TOLERANCE:g} m)"


def _above(gap: float) -> str:
    return f"{gap:.2f} m above" if gap > 0 else f"{-gap:.2f} m under"


def _outside(x: float, middle: float, depth: float) -> str:
    """'' when x is over the span, else how far in front of or behind it."""
    front, back = middle + depth / 2, middle - depth / 2
    if x > front + REST_TOLERANCE:
        return f"{x - front:.2f} m in front"
    if x < back - REST_TOLERANCE:
        return f"{back - x:.2f} m behind"
    return ""
