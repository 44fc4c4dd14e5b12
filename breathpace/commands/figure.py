"""`breathpace figure [FIGURE]`: see an exercise figure's poses drawn in the terminal.

Without a name it lists the built-in figures and their poses; with one it draws each
pose (or the one asked for) with the same renderer the player uses, so an author can
see a figure file while writing it. `--json` prints every pose's points in metres
(floor at y = 0) with its contacts, limits and the props, for an author checking the
geometry of a figure and for tests.
"""

from __future__ import annotations

import json
from typing import Any

import click

from breathpace.commands.errors import InputError
from breathpace.figures.load import FigureError
from breathpace.library import builtin_figure_files, load_figure_named
from breathpace.safe_text import printable, quote

MIN_SIZE, MAX_SIZE = (12, 6), (200, 80)


def _size(value: str) -> tuple[int, int]:
    try:
        cols, rows = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter("give the size as COLSxROWS, like 32x12") from None
    if not (MIN_SIZE[0] <= cols <= MAX_SIZE[0] and MIN_SIZE[1] <= rows <= MAX_SIZE[1]):
        raise click.BadParameter(
            f"the size must be between {MIN_SIZE[0]}x{MIN_SIZE[1]} and {MAX_SIZE[0]}x{MAX_SIZE[1]}"
        )
    return cols, rows


@click.command("figure")
@click.argument("figure", required=False)
@click.option("--pose", help="Draw only this pose.")
@click.option(
    "--side",
    type=click.Choice(["left", "right"]),
    default="left",
    show_default=True,
    help="right draws the mirror image.",
)
@click.option("--size", default="32x12", show_default=True, help="Cells, COLSxROWS.")
@click.option(
    "--breath",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="How full the lungs are (a breathing figure's belly and ribs).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print each pose's points in metres (floor at y = 0), contacts and props.",
)
def figure_cmd(
    figure: str | None, pose: str | None, side: str, size: str, breath: float, as_json: bool
) -> None:
    """Draw FIGURE's poses (a built-in figure name or a path); list the built-in ones
    without it."""
    cols, rows = _size(size)
    if figure is None:
        for path in builtin_figure_files():
            try:
                fig = load_figure_named(str(path))
            except FigureError as exc:
                raise InputError(str(exc).splitlines()[0]) from None
            poses = printable(", ".join(fig.poses))
            click.echo(f"  {printable(path.stem).ljust(20)}  {poses}")
        return
    try:
        fig = load_figure_named(figure)
    except FigureError as exc:
        raise InputError(str(exc).splitlines()[0]) from None
    if pose is not None and pose not in fig.poses:
        raise InputError(f"{figure}: no pose {quote(pose)} (poses: {', '.join(fig.poses)})")
    if as_json:
        click.echo(
            json.dumps(figure_json(fig, [pose] if pose else None, side == "right"), indent=1)
        )
        return
    # Imported here: numpy is only needed once there is something to draw.
    from breathpace.figures.render import figure_frame, render_pose

    figure_frame(fig)  # validates that the figure can be framed before printing anything
    click.echo(printable(fig.title))
    for name in [pose] if pose else list(fig.poses):
        click.echo(f"\n{printable(name)}:")
        for line in render_pose(fig, name, cols, rows, mirror=side == "right", breath=breath):
            click.echo(line.rstrip())


def figure_json(fig: Any, poses: list[str] | None, mirror: bool) -> dict[str, Any]:
    """The figure as plain data: its props and, per pose, every point in metres (x
    forward, y up from the floor, z to the body's right), what rests on what, and
    the limits the pose promises."""
    from breathpace.figures.model import POINTS
    from breathpace.figures.skeleton import RADIUS, Rest, flatten, mirror_angles, positions

    def r(v: float) -> float:
        return round(v, 4)

    out_poses: dict[str, Any] = {}
    for name in poses or list(fig.poses):
        angles = flatten(fig, name)
        rest = Rest.of(fig, name, mirror=mirror)
        if mirror:
            angles = mirror_angles(angles)
        points = positions(angles, 0.0, ((rest, 1.0),))
        contacts = fig.contacts(name)
        if contacts is not None and mirror:
            contacts = contacts.mirrored()
        limits = fig.poses[name].limits or {}
        out_poses[name] = {
            "points": {
                n: [r(p[0]), r(p[1]), r(p[2])]
                for n, p in points.items()
                if n not in ("belly", "ribs")
            },
            "contacts": contacts.model_dump() if contacts is not None else None,
            "limits": {_side(n, mirror): _limit(lim, mirror) for n, lim in limits.items()},
        }
    return {
        "title": fig.title,
        # A point's underside is its y less its radius: what rests on the floor.
        "radius": {n: RADIUS[n] for n in POINTS},
        "view": fig.view.model_dump(),
        "side": "right" if mirror else "left",
        "props": {
            "floor": fig.floor,
            "wall": fig.wall,
            "chair": fig.chair.model_dump() if fig.chair else None,
            "counter": fig.counter.model_dump() if fig.counter else None,
            "band": list(fig.band) if fig.band else None,
        },
        "poses": out_poses,
    }


def _limit(limit: Any, mirror: bool) -> dict[str, Any]:
    out = limit.model_dump(exclude_none=True)
    if limit.over is None:
        out.pop("within", None)
    else:
        out["over"] = _side(limit.over, mirror)
    return out


def _side(name: str, mirror: bool) -> str:
    from breathpace.figures.model import other_side

    return other_side(name) if mirror else name
