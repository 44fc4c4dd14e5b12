"""The exercise figure beside the breath indicator: the body moving through each rep.

The screen hands it the routine, the timeline, the current segment and the position
each frame; `figures.follow` says which poses and how far along (from the segment alone,
so a seek, skip, pause or new pace never shows a wrong pose). Drawing a frame costs a
few milliseconds of numpy, so the widget is careful with it:

- a still picture (a hold, a rest, get-ready, calm mode) is drawn once per segment;
- a movement is sampled on a grid of STEP_MS of session time from the phase's start,
  so at most about seven frames a second, and none while paused; and only when the
  body has moved about a dot since the last frame (a small movement, few frames);
- frames are cached by what they show (figure, poses, side, size, grid step), so the
  second rep of an exercise costs no drawing at all;
- the terminal is repainted only when the cells really change (the text is compared).

Rows are drawn through the line API as plain segments: file text (a position) is data,
never markup.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment as RichSegment
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from breathpace.easing import ease
from breathpace.figures.follow import Shot, shot
from breathpace.timeline import Breath, Kind, Segment

if TYPE_CHECKING:
    from breathpace.figures.model import Figure
    from breathpace.routine.model import Routine
    from breathpace.timeline import Timeline

#: A movement is redrawn at most this often (session time): about seven times a second,
#: the breath indicator's own step, so the two move together.
STEP_MS = 150
#: Breathing figures sample the lungs in this many levels (the belly moves a dot or two).
BREATH_LEVELS = 24
#: Frames kept; a routine's reps repeat, so a few hundred cover a whole session.
CACHE_SIZE = 384
#: Below this many cells the figure is not drawn (it would not read).
MIN_COLS, MIN_ROWS = 10, 3


class FigureView(Widget):
    """The current exercise's figure, drawn in braille cells."""

    DEFAULT_CSS = """
    FigureView {
        width: 1fr;
        height: 1fr;
        color: $text-primary;
    }
    FigureView > .figure--caption {
        color: $text-warning;
        text-style: bold;
    }
    FigureView > .figure--far {
        color: $text-secondary;
        text-style: dim;
    }
    FigureView > .figure--prop {
        color: $text-muted;
    }
    FigureView > .figure--view {
        color: $text-muted;
        text-style: italic;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "figure--caption",
        "figure--far",
        "figure--prop",
        "figure--view",
    }

    def __init__(
        self,
        *,
        calm: bool = False,
        relative_to: Path | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.calm = calm
        self.relative_to = relative_to
        self._routine: Routine | None = None
        self._figures: dict[int, Figure | None] = {}
        self._frames: dict[int, Any] = {}
        self._cache: OrderedDict[tuple, tuple[list[str], list[str]]] = OrderedDict()
        self._level_counts: dict[tuple, int] = {}
        #: What was asked last: (timeline id, segment index, grid step or breath level).
        self._asked: tuple | None = None
        self._rows: list[str] = []
        self._drawn_for = Size(0, 0)  # the widget's size when `_rows` were drawn
        #: Per row, each cell's shade ("1" body, "2" far limb, "3" floor and props).
        self._shades: list[str] = []
        self._caption: tuple[str, ...] = ()
        self._level = 0.0
        #: What the widget shows now, and the angles it drew (for tests and tools).
        self.shown: Shot | None = None
        self.drawn_x: float = 0.0
        self.draws = 0
        """How many frames were rendered (not served from the cache)."""
        self.repaints = 0
        """How many times the cells changed and the widget asked to be repainted."""

    # -- feeding --------------------------------------------------------------------

    def set_routine(self, routine: Routine) -> None:
        """Load the figures the routine names (once per routine; a reload calls again).
        A figure that cannot be loaded is left out: `breathpace check` names the problem,
        the session goes on with the indicator alone for that item."""
        if routine is self._routine:
            return
        from breathpace.figures.load import FigureError
        from breathpace.library import load_figure_named

        self._routine = routine
        loaded: dict[str, Figure | None] = {}
        self._figures = {}
        for number, item in enumerate(routine.exercise, start=1):
            name = item.figure
            if name is None:
                self._figures[number] = None
                continue
            if name not in loaded:
                try:
                    loaded[name] = load_figure_named(name, relative_to=self.relative_to)
                except (FigureError, OSError):
                    loaded[name] = None
            self._figures[number] = loaded[name]
        self._frames = {}
        self._cache.clear()
        self._level_counts.clear()
        self._asked = None

    @property
    def has_figures(self) -> bool:
        return any(f is not None for f in self._figures.values())

    def show(
        self,
        routine: Routine,
        timeline: Timeline,
        seg: Segment,
        position_ms: int,
        breath_level: float = 0.0,
    ) -> None:
        """The figure for this moment. Cheap when nothing visible changes: a still
        picture returns at once, a movement only every STEP_MS, a breath only when its
        level moves a step."""
        self.set_routine(routine)
        here = (id(timeline), seg.index)
        if self._asked is not None and self._asked[:2] == here:
            before = self.shown
            if before is None or self._sample(before, position_ms, breath_level) == self._asked[2]:
                return
        s = shot(routine, timeline, seg, position_ms, calm=self.calm)
        sample = self._sample(s, position_ms, breath_level) if s is not None else None
        self._asked = (*here, sample)
        level = 0.0
        if s is not None and s.target is not None:
            # The movement is sampled on a grid of STEP_MS from its start, and the eased
            # way from start to target is cut into as many levels as the farthest-moving
            # point moves dots: a frame is drawn only when the body has moved about a dot,
            # so a small movement (a pelvic tilt) costs a few frames, a big one at most
            # one per step. Level 0 is exactly the start pose, the last the target.
            assert isinstance(sample, int)
            eased = ease(min(1.0, sample * STEP_MS / max(1, s.span_ms)))
            levels = self._levels(s)
            s = replace(s, x=uneased(math.floor(eased * levels + 1e-9) / levels))
        elif s is not None and s.breathing:
            level = _calm_level(seg) if self.calm else sample / BREATH_LEVELS  # type: ignore[operator]
        self._level = level
        self._show_shot(s, level)

    def _levels(self, s: Shot) -> int:
        """How many dots the farthest-moving point of the body travels from `s.start` to
        `s.target` at the widget's size (at least 1): one level per dot."""
        figure = self._figures.get(s.item)
        cols, rows = self.size.width, self.size.height
        key = (s.item, s.start, s.target, cols, rows)
        if figure is None or cols < MIN_COLS or rows < MIN_ROWS:
            return 1
        found = self._level_counts.get(key)
        if found is not None:
            return found
        from breathpace.figures.render import Camera, figure_frame, pose_support, scene_points
        from breathpace.figures.skeleton import flatten

        frame = self._frames.get(s.item)
        if frame is None:
            frame = self._frames[s.item] = figure_frame(figure)
        cam = Camera.of(figure)
        target = s.target or s.start
        a = scene_points(figure, flatten(figure, s.start), 0.0, pose_support(figure, s.start))
        b = scene_points(figure, flatten(figure, target), 0.0, pose_support(figure, target))
        farthest = 0.0
        for name, p in a.items():
            ua, va, _ = cam.project(p)
            ub, vb, _ = cam.project(b[name])
            farthest = max(farthest, math.hypot(ua - ub, va - vb))
        # The renderer's own scale: metres to dots (see render_raster).
        scale = min(
            (cols * 2 - 2) / max(frame.right - frame.left, 1e-6),
            (rows * 4 - 2) / max(frame.top - frame.bottom, 1e-6),
        )
        count = self._level_counts[key] = max(1, math.ceil(farthest * scale))
        return count

    def _sample(self, s: Shot, position_ms: int, breath_level: float) -> int | None:
        """Which grid step of the movement, or which breath level, this moment is."""
        if s.target is not None:
            return max(0, position_ms - s.begin_ms) // STEP_MS
        if s.breathing and not self.calm:
            return round(min(1.0, max(0.0, breath_level)) * BREATH_LEVELS)
        return None

    # -- drawing --------------------------------------------------------------------

    def _show_shot(self, s: Shot | None, level: float) -> None:
        self.shown = s
        self._drawn_for = self.size
        figure = self._figures.get(s.item) if s is not None else None
        caption = self._caption_for(s) if s is not None and figure is not None else ()
        rows, shades = (
            self._cells(s, figure, level, caption) if s and figure is not None else ([], [])
        )
        if rows != self._rows or shades != self._shades or caption != self._caption:
            before = [a + b for a, b in zip(self._rows, self._shades, strict=True)]
            after = [a + b for a, b in zip(rows, shades, strict=True)]
            whole = caption != self._caption or len(rows) != len(before)
            self._rows = rows
            self._shades = shades
            self._caption = caption
            self.repaints += 1
            if whole:
                self.refresh()
            else:
                # Only the rows whose cells changed: a moving limb touches a few rows,
                # and Textual then re-renders and sends just those lines.
                width = self.size.width
                changed = [y for y, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
                self.refresh(*(Region(0, y, width, 1) for y in changed))

    def _caption_for(self, s: Shot) -> tuple[str, ...]:
        """The words under the figure: the view when it is not from the side (a top
        view must say so), and before an exercise, what to do and the position the
        routine describes (its own words, drawn as plain text)."""
        figure = self._figures.get(s.item)
        view = (figure.view.name,) if figure is not None and figure.view.name else ()
        if not s.caption:
            return view
        items = self._routine.exercise if self._routine is not None else ()
        position = items[s.item - 1].position if 1 <= s.item <= len(items) else ""
        words = (s.caption, position) if position else (s.caption,)
        return (*words, *view)

    def _cells(
        self, s: Shot, figure: Figure, level: float, caption: tuple[str, ...]
    ) -> tuple[list[str], list[str]]:
        cols = self.size.width
        rows = self.size.height - len(caption)
        if cols < MIN_COLS or rows < MIN_ROWS:
            return [], []
        key = (s.item, s.start, s.target, round(s.x, 6), s.mirror, level, cols, rows)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.drawn_x = s.x
            return cached
        from breathpace.figures.motion import interpolate
        from breathpace.figures.render import (
            figure_frame,
            moving_support,
            pose_support,
            render_shaded,
        )
        from breathpace.figures.skeleton import flatten

        frame = self._frames.get(s.item)
        if frame is None:
            frame = self._frames[s.item] = figure_frame(figure)
        start = flatten(figure, s.start)
        if s.target is None:
            angles, support = start, pose_support(figure, s.start)
        else:
            angles = interpolate(start, flatten(figure, s.target), s.x)
            support = moving_support(figure, s.start, s.target, ease(min(1.0, max(0.0, s.x))))
        cells = render_shaded(
            figure,
            angles,
            cols,
            rows,
            mirror=s.mirror,
            breath=level,
            frame=frame,
            support=support,
        )
        self.draws += 1
        self.drawn_x = s.x
        self._cache[key] = cells
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return cells

    def on_resize(self) -> None:
        # A new size means new cells: draw the same moment again.
        self._cache.clear()
        self._level_counts.clear()
        if self.shown is not None:
            self._show_shot(self.shown, self._level)

    def _catch_up_with_size(self) -> None:
        """The layout can give the widget a new size and draw it before the widget has
        heard of it (`on_resize` comes as a message): cells drawn for the old size
        would show for that frame, the body a row off its floor. Drawn again here,
        for the size it is drawn at (no refresh: this runs while rendering)."""
        if self._drawn_for == self.size:
            return
        self._drawn_for = self.size
        s = self.shown
        figure = self._figures.get(s.item) if s is not None else None
        if s is None or figure is None:
            return
        self._rows, self._shades = self._cells(s, figure, self._level, self._caption)

    def render_line(self, y: int) -> Strip:
        self._catch_up_with_size()
        width, height = self.size.width, self.size.height
        style = self.rich_style
        line = y - (height - len(self._caption))
        if self._caption and 0 <= line < len(self._caption):
            text = self._caption[line]
            if len(text) > width:
                text = text[: max(0, width - 1)] + "…"
            caption_style = style
            figure = self._figures.get(self.shown.item) if self.shown is not None else None
            if figure is not None and figure.view.name and line == len(self._caption) - 1:
                caption_style += self.get_component_rich_style("figure--view")
            elif line == 0:
                caption_style += self.get_component_rich_style("figure--caption")
            return Strip([RichSegment(text.center(width), caption_style)], width)
        if 0 <= y < len(self._rows):
            row, shades = self._rows[y], self._shades[y]
            # Centre the picture in the widget: the renderer fills its own size, but a
            # cached frame drawn for a moment may be narrower after a resize.
            pad = max(0, (width - len(row)) // 2)
            segments = [RichSegment(" " * pad, style)] if pad else []
            styles = {
                "2": style + self.get_component_rich_style("figure--far"),
                "3": style + self.get_component_rich_style("figure--prop"),
            }
            # One segment per run of a shade (a blank cell joins the run it is in): a
            # colour is sent only where it changes.
            for text, code in shade_runs(row, shades):
                segments.append(RichSegment(text, styles.get(code, style)))
            return Strip(segments, width).crop(0, width)
        return Strip.blank(width, style)


def figure_layout(width: int, height: int) -> str:
    """Where the figure goes on a terminal this size: "beside" the breath indicator,
    "above" it, or nowhere ("alone": the indicator alone, as on a small terminal)."""
    if width >= 70 and height >= 18:
        return "beside"
    if height >= 28 and width >= 34:
        return "above"
    return "alone"


def place_figure(stage: Widget, figure: FigureView, size: Size) -> None:
    """Lay out the container holding the figure and the indicator for this screen size
    (classes -beside, -above, -alone for the stylesheet); a routine without figures
    keeps the indicator alone."""
    layout = figure_layout(size.width, size.height) if figure.has_figures else "alone"
    for name in ("beside", "above", "alone"):
        stage.set_class(name == layout, f"-{name}")
    figure.display = layout != "alone"


def routine_folder(session: Any) -> Path | None:
    """The folder a played routine file's relative figure paths are taken from."""
    source = Path(str(getattr(session, "source", "") or ""))
    return source.parent if source.suffix == ".toml" else None


def uneased(eased: float) -> float:
    """The fraction `x` at which `ease(x)` is `eased` (0..1): exact at both ends."""
    return math.acos(1 - 2 * min(1.0, max(0.0, eased))) / math.pi


def shade_runs(row: str, shades: str) -> list[tuple[str, str]]:
    """The row cut into (text, shade) runs; blank cells never start a run of their own."""
    runs: list[tuple[str, str]] = []
    start, current = 0, ""
    for i, code in enumerate(shades):
        if code == " " or code == current:
            continue
        if current and i > start:
            runs.append((row[start:i], current))
            start = i
        elif not current:
            pass
        current = code
    runs.append((row[start:], current or "1"))
    return runs


def _calm_level(seg: Segment) -> float:
    """Calm mode's still breath: full in an inhale and the hold after it, empty else."""
    if seg.kind is Kind.PHASE and seg.breath is Breath.INHALE:
        return 1.0
    return 0.0
