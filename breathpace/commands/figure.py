"""`breathpace figure [FIGURE]`: see an exercise figure's poses drawn in the terminal.

Without a name it lists the built-in figures and their poses; with one it draws each
pose (or the one asked for) with the same renderer the player uses, so an author can
see a figure file while writing it.
"""

from __future__ import annotations

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
def figure_cmd(figure: str | None, pose: str | None, side: str, size: str, breath: float) -> None:
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
    # Imported here: numpy is only needed once there is something to draw.
    from breathpace.figures.render import figure_frame, render_pose

    figure_frame(fig)  # validates that the figure can be framed before printing anything
    click.echo(printable(fig.title))
    for name in [pose] if pose else list(fig.poses):
        click.echo(f"\n{printable(name)}:")
        for line in render_pose(fig, name, cols, rows, mirror=side == "right", breath=breath):
            click.echo(line.rstrip())
