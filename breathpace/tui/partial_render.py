"""Render only the lines under a change, of only the widgets under it.

For a partial update Textual's compositor takes the box around every region marked for
redrawing and renders each widget that box touches, every line of it. The player's
changes each frame are a few cells at the ends of the breath indicator's rows and, on
the last lines of the screen, the count, the time left and the progress bar: their box
is most of the screen, so every widget in it (the screen, its containers, the figure,
the phase, cue and next lines...) was asked for all of its lines four times a second,
to write a few dozen cells: some fifty lines a frame where thirteen changed. Those
lines mostly come from Textual's per-widget line cache, but each still costs a crop, a
filter pass and new strip objects.

`install()` replaces `Compositor.render_partial_update` with one that goes through the
widgets front to back, as Textual paints them, and renders a widget only on the lines
where it is the front one over part of a changed span; once every span is covered, the
widgets behind (the containers, the screen) are not asked at all. What reaches the
terminal is the same: each cell of a span shows the front widget there, rendered on
that line exactly as before (tests apply both updates to a model terminal and compare
every cell). A line marked stale in a widget's cache but under no change stays stale
until it is shown, as Textual's cache allows.

`Compositor` is private to Textual (`textual._compositor`), as are the attributes read
here (`_dirty_regions`, `cuts`, `visible_widgets`, `_regions_to_spans`), so nothing here
may stop the app: `fits()` answers False for any shape it does not recognise, `install()`
then leaves Textual's method in place, and an update this renderer fails on is put back
and rendered by Textual's method, which stays installed from then on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from textual.geometry import Region
from textual.strip import Strip

try:
    from textual._compositor import ChopsUpdate, Compositor
except ImportError:  # a Textual that moved or renamed them: its own renderer stays
    ChopsUpdate = Compositor = None  # type: ignore[assignment,misc]

_TEXTUAL_PARTIAL: Callable[[Any], Any] | None = getattr(Compositor, "render_partial_update", None)


def render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """`Compositor.render_partial_update`, rendering only the widget lines under a
    changed span. An update it cannot make is given back to Textual's own method,
    which replaces this one from then on."""
    regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not regions:
        return None
    try:
        return _render_under_spans(self, regions)
    except Exception:
        if _TEXTUAL_PARTIAL is None:
            raise
        uninstall()
        self._dirty_regions.update(regions)
        return _TEXTUAL_PARTIAL(self)


def _render_under_spans(self: Compositor, regions: set[Region]) -> ChopsUpdate:
    spans = list(self._regions_to_spans(regions))
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    height = len(cuts)
    # Per screen line, the parts of its changed spans (x1, x2, end exclusive) that no
    # widget met so far covers.
    uncovered: dict[int, list[tuple[int, int]]] = {}
    for y, x1, x2 in spans:
        if 0 <= y < height:
            uncovered.setdefault(y, []).append((x1, x2))
    # Front to back, as Textual paints: the first strip placed in a chop wins. A widget
    # is rendered on a line only where it is the front one over part of a span; once
    # every span is covered, the widgets behind (containers, the screen) are not asked.
    for widget, (region, clip) in self.visible_widgets.items():
        if not uncovered:
            break
        area = region.intersection(clip)
        left, right = area.x, area.right
        rows = []
        for y in range(area.y, area.bottom):
            parts = uncovered.get(y)
            if parts is None or not any(x1 < right and x2 > left for x1, x2 in parts):
                continue
            rows.append(y)
            rest = _outside(parts, left, right)
            if rest:
                uncovered[y] = rest
            else:
                del uncovered[y]
        if not rows:
            continue
        for first, last in _runs(rows):
            strips = widget.render_lines(
                Region(left - region.x, first - region.y, area.width, last - first + 1)
            )
            for y, strip in zip(range(first, last + 1), strips, strict=False):
                line = chops[y]
                line_cuts = [cut for cut in cuts[y] if right >= cut >= left]
                pieces = strip.divide([cut - left for cut in line_cuts[1:]])
                for cut, piece in zip(line_cuts, pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
    return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in cuts])


def _outside(parts: list[tuple[int, int]], left: int, right: int) -> list[tuple[int, int]]:
    """The parts of the intervals `parts` outside the columns `left` to `right`."""
    out = []
    for x1, x2 in parts:
        if x2 <= left or x1 >= right:
            out.append((x1, x2))
            continue
        if x1 < left:
            out.append((x1, left))
        if x2 > right:
            out.append((right, x2))
    return out


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending line numbers as (first, last) runs of consecutive lines."""
    runs: list[tuple[int, int]] = []
    first = last = rows[0]
    for y in rows[1:]:
        if y != last + 1:
            runs.append((first, last))
            first = y
        last = y
    runs.append((first, last))
    return runs


#: What this renderer reads of Textual's compositor.
_COMPOSITOR_ATTRIBUTES = ("cuts", "visible_widgets", "_regions_to_spans")


def fits() -> bool:
    """Whether Textual's compositor still has the shape this renderer reads: a
    `render_partial_update(self)` that takes its regions from `_dirty_regions`, the
    cuts, the visible widgets and `_regions_to_spans`, and a `ChopsUpdate(chops, spans,
    chop_ends)`. Never raises: anything unexpected is a False."""
    try:
        if Compositor is None or ChopsUpdate is None or _TEXTUAL_PARTIAL is None:
            return False
        if list(inspect.signature(_TEXTUAL_PARTIAL).parameters) != ["self"]:
            return False
        if "_dirty_regions" not in inspect.getsource(_TEXTUAL_PARTIAL):
            return False
        if not all(hasattr(Compositor, name) for name in _COMPOSITOR_ATTRIBUTES):
            return False
        if not callable(getattr(Strip, "divide", None)):
            return False
        inspect.signature(ChopsUpdate).bind([], [], [])
        return True
    except Exception:
        return False


def install() -> bool:
    """Use this renderer for every partial update; True when it is in place."""
    if Compositor is None:
        return False
    if Compositor.render_partial_update is render_partial_update:
        return True
    if not fits():
        return False
    Compositor.render_partial_update = render_partial_update  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Put Textual's own renderer back."""
    if Compositor is not None and _TEXTUAL_PARTIAL is not None:
        Compositor.render_partial_update = _TEXTUAL_PARTIAL  # type: ignore[method-assign,assignment]


def textual_partial_update(compositor: Compositor) -> ChopsUpdate | None:
    """Textual's own partial update, kept for comparison (tests, benchmarks)."""
    assert _TEXTUAL_PARTIAL is not None, "this Textual has no Compositor.render_partial_update"
    return _TEXTUAL_PARTIAL(compositor)
