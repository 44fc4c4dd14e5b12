"""The progress line draws what Textual's bar drew, cell for cell, and redraws only the
cells a step changes."""

from __future__ import annotations

import asyncio

import pytest
from rich.console import Console
from rich.style import Style
from textual.app import App
from textual.renderables.bar import Bar as BarRenderable

from breathpace.tui.widgets.progress_line import ProgressLine, cells

FILLED, EMPTY = Style(color="red"), Style(color="blue")


def textual_cells(half_cells: int, width: int) -> list[tuple[str, bool]]:
    console = Console(width=width, color_system="truecolor", force_terminal=True)
    bar = BarRenderable((0, half_cells / 2), FILLED, EMPTY, width=width)
    out = []
    for segment in console.render(bar, console.options.update_width(width)):
        for char in segment.text:
            if char != "\n":
                out.append((char, segment.style == FILLED))
    return out


@pytest.mark.parametrize("width", [1, 2, 7, 40])
def test_every_fill_looks_as_textuals_bar_drew_it(width):
    for half_cells in range(2 * width + 1):
        assert cells(half_cells, width) == textual_cells(half_cells, width), half_cells


def test_a_step_redraws_only_the_cells_it_changes():
    class One(App):
        def compose(self):
            yield ProgressLine(id="p")

    async def main():
        async with One().run_test(size=(40, 3)) as pilot:
            line = pilot.app.query_one(ProgressLine)
            await pilot.pause()
            marked = []
            original = line.refresh

            def counted(*regions, **kwargs):
                marked.append(regions)
                return original(*regions, **kwargs)

            line.refresh = counted
            for permille in (100, 113, 125, 500):
                line.permille = permille
                await pilot.pause()
            # Of 80 half-cells: 0 -> 8 (cells 0-3 filled, a half-left mark at 4), -> 9
            # (cell 4 becomes the half-right end), -> 10 (cell 4 full, the mark moves to
            # 5), -> 40 (cells 5-19 filled, the mark at 20).
            widths = [sum(r.width for r in regions) for regions in marked]
            assert widths == [5, 1, 2, 16]
            assert all(regions for regions in marked)  # never the whole widget
            line.permille = 1000  # finished: a new colour, so all of it
            await pilot.pause()
            assert marked[-1] == ()

    asyncio.run(main())
