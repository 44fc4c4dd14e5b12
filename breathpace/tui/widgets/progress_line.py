"""The session's progress: a one-line bar in half-cells that redraws only what moved.

Textual's ProgressBar looked the same but cost a frame of its own every second: it
keeps an ETA with a one-second timer that wakes the screen whatever the bar shows, and
each move repainted the bar's whole row. This one has no timer (the player screen sets
its fill when it looks anyway), draws through the line API, and marks for redrawing only
the cells a new fill changes: one or two cells a step.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from breathpace.tui.widgets.base_style import BaseStyle
from breathpace.tui.widgets.cells import changed_spans

BAR, HALF_RIGHT, HALF_LEFT = "━", "╸", "╺"


def cells(half_cells: int, width: int) -> list[tuple[str, bool]]:
    """The row as (character, filled) per cell for a fill of `half_cells`: the filled
    part, a half cell at its end, then the unfilled rest (drawn as Textual's bar is)."""
    half_cells = max(0, min(half_cells, 2 * width))
    if half_cells == 0:
        return [(BAR, False)] * width
    full, half = divmod(half_cells, 2)
    row = [(BAR, True)] * full
    if half:
        row.append((HALF_RIGHT, True))
    elif full < width:
        row.append((HALF_LEFT, False))
    row.extend([(BAR, False)] * (width - len(row)))
    return row


class ProgressLine(BaseStyle, Widget):
    """How much of the session is done, from 0 to 1000 (thousandths)."""

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        width: 1fr;
    }
    ProgressLine > .progress-line--bar {
        color: $primary;
        background: $surface;
    }
    ProgressLine > .progress-line--complete {
        color: $success;
        background: $surface;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"progress-line--bar", "progress-line--complete"}

    permille: reactive[int] = reactive(0, repaint=False)
    """The fill, in thousandths; the bar shows it to the half-cell below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._row: list[tuple[str, bool]] | None = None

    def _half_cells(self) -> int:
        return self.permille * 2 * self.size.width // 1000

    def _compute(self) -> list[tuple[str, bool]]:
        return cells(self._half_cells(), self.size.width)

    def watch_permille(self, old: int, new: int) -> None:
        before = self._row
        if before is None or len(before) != self.size.width or 1000 in (old, new):
            # First draw, a new width, or the colour of a finished bar: all of it.
            self._row = None
            self.refresh()
            return
        self._row = self._compute()
        spans = changed_spans(before, self._row)
        if spans:
            self.refresh(*(Region(x, 0, width, 1) for x, width in spans))

    def on_resize(self) -> None:
        self._row = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0 or width <= 0:
            return Strip.blank(width, self.base_style)
        if self._row is None or len(self._row) != width:
            self._row = self._compute()
        name = "progress-line--complete" if self.permille >= 1000 else "progress-line--bar"
        bar = self.get_component_rich_style(name)
        base = self.base_style
        filled = base + Style.from_color(bar.color)
        empty = base + Style.from_color(bar.bgcolor)
        segments = []
        start = 0
        for x in range(1, width + 1):
            if x == width or self._row[x][1] != self._row[start][1]:
                text = "".join(char for char, _ in self._row[start:x])
                segments.append(Segment(text, filled if self._row[start][1] else empty))
                start = x
        return Strip(segments, width)
