"""Write only the cells that changed, not the row of the widget up to them.

Textual's compositor turns the regions widgets mark for redrawing into spans per screen
line, and `ChopsUpdate.render_segments` writes each span from the left edge of the
widget it falls in (Textual's own "TODO: crop to x extents"). For the breath indicator,
a wide widget whose every step changes a cell or two at each end of each row, that is
the whole lens, four times a second: 78 % of all a session wrote to the terminal.

`install()` replaces that one method with the same loop that also starts each span at
its own first cell: the cursor moves there and the strip is cropped from there. A span
never starts inside a double-width character (the cut moves back to the character's
first cell), because a terminal told to write into the second half of one erases it.
The screen a terminal ends up with is the same (tests apply both outputs to a model
terminal and compare every cell). Installed only when Textual's update still has the
shape this was written against; otherwise Textual's own method stays.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate
from textual.strip import Strip

_TEXTUAL_RENDER = ChopsUpdate.render_segments


def char_start(strip: Strip, offset: int) -> int:
    """The cell, at or before `offset`, where the character covering `offset` begins."""
    x = 0
    for segment in strip:
        text = segment.text
        width = cell_len(text)
        if x + width <= offset:
            x += width
            continue
        if width == len(text):
            return offset  # all single-width: any cell is a character's start
        for char in text:
            size = get_character_cell_size(char)
            if x + size > offset:
                return x
            x += size
        return offset
    return offset


def render_segments(self: ChopsUpdate, console: Console) -> str:
    """`ChopsUpdate.render_segments`, with each span cropped on the left as well."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            start = x if x >= x1 else x + char_start(strip, x1 - x)
            stop = min(end, x2)
            part = strip if start == x and stop == end else strip.crop(start - x, stop - x)
            append(move_to(start, y).segment.text)
            append(part.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def fits() -> bool:
    """Whether Textual's update still has the attributes this replacement reads."""
    probe = ChopsUpdate([{}], [(0, 0, 0)], [[]])
    return all(hasattr(probe, name) for name in ("chops", "spans", "chop_ends"))


def install() -> bool:
    """Use the cropping writer for every partial update; True when it is in place."""
    if ChopsUpdate.render_segments is render_segments:
        return True
    if not fits():
        return False
    ChopsUpdate.render_segments = render_segments
    return True


def textual_render(update: ChopsUpdate, console: Console) -> str:
    """Textual's own writer, kept for comparison (tests, benchmarks)."""
    return _TEXTUAL_RENDER(update, console)
