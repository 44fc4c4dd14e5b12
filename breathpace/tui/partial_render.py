"""Render only the lines under a change, of only the widgets under it.

For a partial update Textual's compositor takes the box around every region marked for
redrawing and renders each widget that box touches, every line of it. The player's
changes each frame are a few cells at the ends of the breath indicator's rows and, on
the last lines of the screen, the count, the time left and the progress bar: their box
is most of the screen, so every widget on it (the screen, its containers, the figure,
the heading, the cue, the footer...) was asked for all of its lines four times a second,
to write a few dozen cells. Those lines mostly come from Textual's per-widget line cache,
but each still costs a crop, a filter pass and new strip objects: it was half of what a
frame of the session cost.

`install()` replaces `Compositor.render_partial_update` with one that, for each widget,
renders only the lines on which a changed span crosses the cells that widget paints,
and leaves the other widgets alone. What reaches the terminal is the same: a span's
cells are covered only by widgets that the span crosses, and those are rendered on
that line exactly as before, in the same front-to-back order (tests apply both updates
to a model terminal and compare every cell). A line that is marked stale in a widget's
cache but lies under no change stays stale until it is shown, as Textual's cache allows.

`Compositor` is private to Textual (`textual._compositor`), as are the attributes read
here (`_dirty_regions`, `cuts`, `visible_widgets`, `_regions_to_spans`), so nothing here
may stop the app: `fits()` answers False for any shape it does not recognise, `install()`
then leaves Textual's method in place, and an update this renderer fails on is put back
and rendered by Textual's method, which stays installed from then on. The same change,
as a patch to Textual itself, is in docs/textual-patches/.
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
    # Per screen line, the changed spans on it (x1, x2), end exclusive.
    on_line: dict[int, list[tuple[int, int]]] = {}
    for y, x1, x2 in spans:
        if 0 <= y < height:
            on_line.setdefault(y, []).append((x1, x2))
    if not on_line:
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in cuts])
    top, bottom = min(on_line), max(on_line) + 1
    # Front to back, as Textual paints: the first strip placed in a chop wins.
    for widget, (region, clip) in self.visible_widgets.items():
        area = region.intersection(clip)
        left, right = area.x, area.right
        rows = [
            y
            for y in range(max(area.y, top), min(area.bottom, bottom))
            if any(x1 < right and x2 > left for x1, x2 in on_line.get(y, ()))
        ]
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
        Compositor.render_partial_update = _TEXTUAL_PARTIAL  # type: ignore[method-assign]


def textual_partial_update(compositor: Compositor) -> ChopsUpdate | None:
    """Textual's own partial update, kept for comparison (tests, benchmarks)."""
    assert _TEXTUAL_PARTIAL is not None, "this Textual has no Compositor.render_partial_update"
    return _TEXTUAL_PARTIAL(compositor)
