"""The large breath indicator: a shape that grows through the inhale and shrinks through
the exhale, steady in holds.

The screen hands it a level from 0 to 1 each frame; the widget turns that into a whole
number of half-cells (the terminal's own resolution), moves at most four times a
second, and redraws only when that number changes, through the cheap line API. Only the
cells that change are marked for redrawing (the ends of each row of the lens), so a step
of the breath writes a few dozen bytes to the terminal, not the whole shape. In reduced
motion it shows a steady bar and a word instead, and never animates.
"""

from __future__ import annotations

import math
from typing import ClassVar

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from breathpace.easing import ease
from breathpace.timeline import Breath, Kind, Segment
from breathpace.tui.widgets.base_style import BaseStyle
from breathpace.tui.widgets.cells import changed_spans

#: The smallest shape, so the indicator is never empty at the bottom of an exhale.
FLOOR = 0.12
REST_LEVEL = 0.35
#: The shape moves at most this often (session time): four times a second, smooth
#: for a breath of seconds, and what keeps the terminal output of steady breathing
#: near 2 KB/s. The screen samples the breath this often while the shape can move.
STEP_MS = 250


def breath_level(segment: Segment, position_ms: int, previous: Segment | None) -> float:
    """How full the lungs are at this moment, 0..1, from the segment alone."""
    span = max(1, segment.duration_ms)
    x = (position_ms - segment.start_ms) / span
    if segment.kind is Kind.PHASE:
        if segment.breath is Breath.INHALE:
            start = _start_level(previous, low=True)
            return start + (1.0 - start) * ease(x)
        if segment.breath is Breath.EXHALE:
            start = _start_level(previous, low=False)
            return FLOOR + (start - FLOOR) * (1 - ease(x))
        if segment.breath is Breath.HOLD:
            return _start_level(previous, low=previous is None)
        return REST_LEVEL + (1 - REST_LEVEL) * 0.5 * (1 - math.cos(2 * math.pi * x))
    if segment.kind is Kind.END:
        return FLOOR
    return REST_LEVEL


def _start_level(previous: Segment | None, *, low: bool) -> float:
    """Where the previous breath left the lungs: an inhale continues from the bottom
    after an exhale, from the top-up point after a first sigh inhale, and so on."""
    if previous is None or previous.kind is not Kind.PHASE:
        return FLOOR if low else 1.0
    if previous.breath is Breath.INHALE:
        # A second inhale (the top-up of a sigh) continues from nearly full.
        return 0.85 if low else 1.0
    if previous.breath is Breath.EXHALE:
        return FLOOR
    return FLOOR if low else 1.0


class BreathIndicator(BaseStyle, Widget):
    """A centred lens of block characters whose width follows the breath."""

    DEFAULT_CSS = """
    BreathIndicator {
        height: 1fr;
        min-height: 1;
        max-height: 13;
        width: 1fr;
        color: $accent;
    }
    BreathIndicator > .breath-indicator--inhale { color: $primary; }
    BreathIndicator > .breath-indicator--exhale { color: $secondary; }
    BreathIndicator > .breath-indicator--hold { color: $warning; }
    BreathIndicator > .breath-indicator--rest { color: $foreground-muted; }
    """
    # Colours by component class, not CSS classes on the widget: a class change makes
    # Textual repaint the whole widget, margins and all; a new breath here redraws only
    # the cells that are inked.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"breath-indicator--{kind}" for kind in ("inhale", "exhale", "hold", "rest")
    }

    units: reactive[int] = reactive(0, layout=False, repaint=False)
    """Half-cells each side of the centre at the widest row: the drawn resolution.
    Its watcher marks only the changed cells for redrawing."""
    calm: reactive[bool] = reactive(False)
    label: reactive[str] = reactive("")
    """The calm-mode word ("breathe in"); unused while animating."""

    def __init__(self, *, calm: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(BreathIndicator.calm, calm)
        self._level = FLOOR
        self._rows: list[str] | None = None
        self._breath = ""
        self._slot: object = None

    def show(self, level: float, breath: str, slot: object = None) -> None:
        """Set the level (0..1) and the breath kind: inhale, exhale, hold or rest.

        With `slot` (which STEP_MS of session time this moment falls in: the screen
        numbers them), the shape moves at most once per slot (a new breath kind always
        shows at once): smooth to the eye at a breath's pace, and a fraction of the
        redraws a frame-by-frame shape would cost. Slots, not elapsed time, so a look
        that comes a millisecond early or late never skips a step."""
        recolour = breath != self._breath
        if recolour:
            self._breath = breath
        elif slot is not None and slot == self._slot:
            return
        self._slot = slot
        self._level = level  # the level shown: a resize redraws this one, not a later
        if not self.calm:
            self.units = self._units_for(level)
        if recolour:
            self._refresh_ink()

    def _refresh_ink(self) -> None:
        """Mark every inked cell (the lens, or the calm bar and word) for redrawing."""
        rows = self._rows
        if rows is None or len(rows) != self.size.height:
            self.refresh()
            return
        regions = []
        for y, row in enumerate(rows):
            start, end = len(row) - len(row.lstrip()), len(row.rstrip())
            if end > start:
                regions.append(Region(start, y, end - start, 1))
        if regions:
            self.refresh(*regions)

    def _ink(self) -> Style:
        if self._breath in ("inhale", "exhale", "hold", "rest"):
            return self.get_component_rich_style(f"breath-indicator--{self._breath}")
        return self.base_style

    def _units_for(self, level: float) -> int:
        return round(max(0.0, min(1.0, level)) * self.size.width)

    def on_resize(self) -> None:
        self._rows = None
        self.set_reactive(BreathIndicator.units, self._units_for(self._level))
        self.refresh()

    def watch_units(self) -> None:
        old = self._rows
        self._rows = None
        if old is None or len(old) != self.size.height:
            self.refresh()
            return
        new = self._rows = self._compute_rows()
        regions = [
            Region(x, y, width, 1)
            for y, (before, after) in enumerate(zip(old, new, strict=True))
            for x, width in changed_spans(before, after)
        ]
        if regions:
            self.refresh(*regions)

    def watch_label(self) -> None:
        self._rows = None

    def _compute_rows(self) -> list[str]:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return []
        if self.calm:
            # A steady bar above and below the word on the middle row: no motion at all.
            bar = _bar(round(width * 0.6), width)
            rows = [" " * width] * height
            mid = (height - 1) // 2
            rows[mid] = self.label.center(width)[:width]
            if height >= 3:
                rows[mid - 1] = rows[mid + 1] = bar
            return rows
        centre = (height - 1) / 2
        radius = height / 2
        rows = []
        for row in range(height):
            dy = (row - centre) / radius if radius else 0.0
            factor = math.sqrt(max(0.0, 1 - dy * dy))
            rows.append(_bar(round(self.units * factor), width))
        return rows

    def render_line(self, y: int) -> Strip:
        # The line API: one plain segment per row, far cheaper than laying out rich text,
        # which matters because this widget redraws several times a second.
        if self._rows is None or len(self._rows) != self.size.height:
            self._rows = self._compute_rows()
        if not 0 <= y < len(self._rows):
            return Strip.blank(self.size.width, self.base_style)
        return Strip([RichSegment(self._rows[y], self._ink())], self.size.width)


def _bar(half_cells: int, width: int) -> str:
    """A centred bar `half_cells` half-cells wide on each side, drawn with half blocks."""
    half_cells = max(0, min(half_cells, width))
    full, half = divmod(half_cells, 2)
    body = ("▐" if half else "") + "█" * (2 * full) + ("▌" if half else "")
    return body.center(width)[:width]
