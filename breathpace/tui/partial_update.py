"""Write only the cells that changed, and their colours only when they change.

Textual's compositor turns the regions widgets mark for redrawing into spans per screen
line, and `ChopsUpdate.render_segments` writes each span from the left edge of the
widget it falls in (Textual's own "TODO: crop to x extents"), each piece of text wrapped
in its colours and a reset. For the breath indicator, a wide widget whose every step
changes a cell or two at each end of each row, that was the whole lens, four times a
second: 78 % of all a session wrote to the terminal.

`install()` replaces that one method with the same loop that also starts each span at
its own first cell: the cursor moves there and the strip is cropped from there. A span
never starts inside a double-width character (the cut moves back to the character's
first cell), because a terminal told to write into the second half of one erases it.
The text is then written by a `Pen`, which sets colours only when they change. The
screen a terminal ends up with is the same, cell and colour (tests apply both outputs
to a model terminal and compare every cell).

`ChopsUpdate` lives in a private module (`textual._compositor`), and the writer reads
two private caches (`Console._color_system`, `Style._ansi`). Each can move or change
in a Textual release, so nothing here may stop the app: a failed import leaves
`ChopsUpdate` as None, `fits()` answers False for any shape it does not recognise
(without raising), `install()` then leaves Textual's own method in place, and an update
this writer fails on is written by Textual's method, which then stays installed. The
same change, as a patch to Textual itself, is docs/textual-patches/.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.strip import Strip

try:
    from textual._compositor import ChopsUpdate
except ImportError:  # a Textual that moved or renamed it: its own writer stays
    ChopsUpdate = None  # type: ignore[assignment,misc]

_TEXTUAL_RENDER: Callable[[Any, Console], str] | None = getattr(
    ChopsUpdate, "render_segments", None
)


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
    """`ChopsUpdate.render_segments`, with each span cropped on the left as well and
    the colours carried from span to span (see `Pen`). An update it cannot read (a
    Textual whose update changed shape) is written by Textual's own method, which
    replaces this one from then on."""
    try:
        return _render_cropped(self, console)
    except Exception:
        if _TEXTUAL_RENDER is None:
            raise
        uninstall()
        return _TEXTUAL_RENDER(self, console)


def _render_cropped(self: ChopsUpdate, console: Console) -> str:
    pen = Pen(getattr(console, "_color_system", None) or ColorSystem.TRUECOLOR)
    chops = self.chops
    chop_ends = self.chop_ends
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            start = x if x >= x1 else x + char_start(strip, x1 - x)
            stop = min(end, x2)
            part = strip if start == x and stop == end else cropped(strip, start - x, stop - x)
            pen.out.append(move_to(start, y))
            pen.write(part)
    return pen.finish()


def move_to(x: int, y: int) -> str:
    """The cursor move to column `x`, row `y` (from 0): what `Control.move_to(x, y)`
    writes, without building a Control (one for each changed piece of a row)."""
    return f"\x1b[{y + 1};{x + 1}H"


def cropped(strip: Strip, start: int, end: int) -> list[RichSegment]:
    """The segments of `strip` from cell `start` to cell `end`, cut exactly as
    `Strip.crop` cuts them, without building a new Strip (each one builds seven caches
    of its own, only to be written once and dropped)."""
    length = strip.cell_length
    start, end = max(0, start), min(length, end)
    if end <= start:
        return []
    pieces = iter(strip)
    pos = 0
    segment: RichSegment | None = None
    for segment in pieces:
        end_pos = pos + cell_len(segment.text)
        if end_pos > start:
            segment = segment.split_cells(start - pos)[1]
            break
        pos = end_pos
    out: list[RichSegment] = []
    pos = start
    while segment is not None:
        end_pos = pos + cell_len(segment.text)
        if end_pos < end:
            out.append(segment)
        else:
            out.append(segment.split_cells(end - pos)[0])
            break
        pos = end_pos
        segment = next(pieces, None)
    return out


class Pen:
    """Writes strips the way a terminal library does: a colour is set when it changes,
    not around every piece of text, and reset once at the end.

    Textual's strips each end in a reset, so every span paid its colour twice (19 bytes
    to set two 256-colour codes, 4 to reset) around the two or three cells that changed,
    and a line feed after it. A cursor move does not touch the colours, so the pen keeps
    them from one span to the next; the absolute move that starts each span makes the
    line feeds unneeded. A segment with a hyperlink is written Textual's way, whole."""

    def __init__(self, color_system: ColorSystem) -> None:
        self.color_system = color_system
        self.out: list[str] = []
        self._ansi = ""  # the colours the terminal has now ("" after a reset)

    def write(self, segments: Iterable[RichSegment]) -> None:
        out = self.out
        for text, style, _ in segments:
            if style is not None and style.link:
                self._set("")
                out.append(Strip.render_style(style, text, self.color_system))
                continue
            ansi = "" if style is None else _ansi(style, self.color_system)
            self._set(ansi)
            out.append(text)

    def _set(self, ansi: str) -> None:
        if ansi == self._ansi:
            return
        if not ansi:
            self.out.append("\x1b[0m")
        elif self._ansi:
            self.out.append(f"\x1b[0;{ansi}m")  # reset and set in one sequence
        else:
            self.out.append(f"\x1b[{ansi}m")
        self._ansi = ansi

    def finish(self) -> str:
        self._set("")
        return "".join(self.out)


def _ansi(style: Style, color_system: ColorSystem) -> str:
    # Textual caches a style's codes on the style itself; the same cache is used here.
    cached: str | None = getattr(style, "_ansi", None)
    return cached if cached is not None else Strip.render_ansi(style, color_system)


#: What the writer reads of an update, and of Textual's strips.
_UPDATE_ATTRIBUTES = ("chops", "spans", "chop_ends")
_STRIP_METHODS = ("render_style", "render_ansi")


def fits() -> bool:
    """Whether Textual's update still has the shape this replacement reads: built from
    (chops, spans, chop_ends), keeping each, and written by `render_segments(console)`.
    Never raises: anything unexpected is a False."""
    try:
        if ChopsUpdate is None or _TEXTUAL_RENDER is None:
            return False
        if list(inspect.signature(_TEXTUAL_RENDER).parameters) != ["self", "console"]:
            return False
        if not all(callable(getattr(Strip, name, None)) for name in _STRIP_METHODS):
            return False
        probe = ChopsUpdate([{}], [(0, 0, 0)], [[]])
        return all(hasattr(probe, name) for name in _UPDATE_ATTRIBUTES)
    except Exception:
        return False


def install() -> bool:
    """Use the cropping writer for every partial update; True when it is in place."""
    if ChopsUpdate is None:
        return False
    if ChopsUpdate.render_segments is render_segments:
        return True
    if not fits():
        return False
    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Put Textual's own writer back."""
    if ChopsUpdate is not None and _TEXTUAL_RENDER is not None:
        ChopsUpdate.render_segments = _TEXTUAL_RENDER  # type: ignore[method-assign,assignment]


def textual_render(update: ChopsUpdate, console: Console) -> str:
    """Textual's own writer, kept for comparison (tests, benchmarks)."""
    assert _TEXTUAL_RENDER is not None, "this Textual has no ChopsUpdate.render_segments"
    return _TEXTUAL_RENDER(update, console)
