"""Rendering only the widget lines under a change leaves the terminal exactly as
Textual's own partial update does, on the real player screen (figure, breath indicator,
lines, footer and a toast on top), while asking far fewer widgets for far fewer lines."""

from __future__ import annotations

import asyncio
import functools
import random

import pytest
from rich.console import Console
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from breathpace.library import resolve
from breathpace.routine.load import parse_routine
from breathpace.tui import partial_render
from breathpace.tui.partial_render import render_partial_update, textual_partial_update
from breathpace.tui.partial_update import textual_render
from tests.tui.helpers import Terminal, advance, make_player_app

SIZE = (100, 30)


def sync(test):
    """Run an async Pilot test on its own event loop, as the other interface tests do."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def glute_bridge():
    return parse_routine(resolve("glute-bridge").path.read_text("utf-8"))


def random_regions(rng: random.Random, width: int, height: int) -> set[Region]:
    """A few rectangles marked for redrawing, as widgets mark them: from a cell or two
    to whole rows and blocks, anywhere on the screen."""
    regions = set()
    for _ in range(rng.randint(1, 6)):
        x, y = rng.randrange(width), rng.randrange(height)
        w = rng.randint(1, width - x) if rng.random() < 0.5 else rng.randint(1, min(4, width - x))
        h = rng.randint(1, min(3, height - y))
        regions.add(Region(x, y, w, h))
    return regions


def written(update, console: Console, size: tuple[int, int]) -> list[list[tuple[str, str]]]:
    """The cells a blank terminal shows after the update is written to it."""
    width, height = size
    term = Terminal([[("·", "")] * width for _ in range(height)])
    term.feed(textual_render(update, console))
    return term.cells


def both(compositor: Compositor, regions: set[Region]):
    compositor._dirty_regions = set(regions)
    ours = render_partial_update(compositor)
    compositor._dirty_regions = set(regions)
    theirs = textual_partial_update(compositor)
    return ours, theirs


@pytest.mark.parametrize("seed", range(4))
@sync
async def test_the_terminal_shows_what_textuals_own_render_shows(seed):
    app, clock, _ = make_player_app(glute_bridge(), name="glute-bridge")
    rng = random.Random(seed)
    console = Console(width=SIZE[0], color_system="256", force_terminal=True)
    async with app.run_test(size=SIZE) as pilot:
        app.notify("a toast over the player's lines", timeout=60)
        for _ in range(6):
            await advance(pilot, clock, rng.uniform(0.3, 9.0))
            compositor = app.screen._compositor
            for _ in range(25):
                regions = random_regions(rng, *SIZE)
                ours, theirs = both(compositor, regions)
                assert ours.spans == theirs.spans
                assert written(ours, console, SIZE) == written(theirs, console, SIZE)


@sync
async def test_a_step_of_the_breath_renders_only_the_widgets_under_it(monkeypatch):
    """The indicator's rows and the time left changed: only those two are asked for
    lines, and only for the rows that changed. Textual asks every widget in the box
    around the changes for all of its lines: the figure beside the indicator, the
    lines between the two, and the containers and the screen behind them all."""
    app, clock, _ = make_player_app(glute_bridge(), name="glute-bridge")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 12.0)
        screen = app.screen
        breath = screen.query_one("#breath").region
        time_left = screen.query_one("#time-left").region
        regions = {Region(breath.x + 3, breath.y + row, 2, 1) for row in range(4)}
        regions.add(Region(time_left.x + 1, time_left.y, 2, 1))
        asked: dict[str, int] = {}
        render_lines = Widget.render_lines

        def counting(self, crop):
            name = self.id or type(self).__name__
            asked[name] = asked.get(name, 0) + crop.height
            return render_lines(self, crop)

        monkeypatch.setattr(Widget, "render_lines", counting)
        compositor = screen._compositor
        compositor._dirty_regions = set(regions)
        ours = render_partial_update(compositor)
        ours_asked, asked = asked, {}
        compositor._dirty_regions = set(regions)
        theirs = textual_partial_update(compositor)
        monkeypatch.undo()
    assert ours_asked["breath"] == 4
    assert ours_asked["time-left"] == 1
    for name in ("figure", "phase", "cue", "next-up", "progress", "stage", "player"):
        assert name not in ours_asked
        assert asked[name] > 0
    # The containers and the screen behind the indicator are not asked either.
    assert set(ours_asked) == {"breath", "time-left"}
    assert asked["breath"] == breath.height
    console = Console(width=SIZE[0], color_system="256", force_terminal=True)
    assert written(ours, console, SIZE) == written(theirs, console, SIZE)


# -- A Textual that changed: the app renders Textual's way ------------------------------


@pytest.fixture
def textual_renderer():
    """This renderer back in place after the test, whatever it did."""
    yield
    partial_render.uninstall()
    partial_render.install()


def test_the_app_installs_it():
    from breathpace.tui.app import BreathpaceApp

    partial_render.uninstall()
    BreathpaceApp()
    assert Compositor.render_partial_update is render_partial_update
    assert partial_render.fits()


def test_a_compositor_without_what_it_reads_keeps_textuals_render(monkeypatch, textual_renderer):
    partial_render.uninstall()
    monkeypatch.delattr(Compositor, "cuts")
    assert partial_render.fits() is False
    assert partial_render.install() is False
    assert Compositor.render_partial_update is partial_render._TEXTUAL_PARTIAL


def test_a_render_called_another_way_keeps_textuals_render(monkeypatch, textual_renderer):
    partial_render.uninstall()

    def render_partial_update(self, crop):  # a new parameter
        return None

    monkeypatch.setattr(partial_render, "_TEXTUAL_PARTIAL", render_partial_update)
    assert partial_render.fits() is False
    assert partial_render.install() is False


@sync
async def test_an_update_it_cannot_make_is_made_by_textual_which_then_stays(
    monkeypatch, textual_renderer
):
    """A failure inside this renderer must not lose the frame: the regions go back and
    Textual renders them, and every later update."""
    app, clock, _ = make_player_app(glute_bridge(), name="glute-bridge")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 5.0)
        compositor = app.screen._compositor
        regions = {Region(10, 5, 30, 2), Region(0, 28, 100, 1)}
        compositor._dirty_regions = set(regions)
        want = textual_partial_update(compositor)

        def broken(*_):
            raise AttributeError("cuts moved")

        monkeypatch.setattr(partial_render, "_render_under_spans", broken)
        partial_render.install()
        compositor._dirty_regions = set(regions)
        got = compositor.render_partial_update()
        assert Compositor.render_partial_update is partial_render._TEXTUAL_PARTIAL
    console = Console(width=SIZE[0], color_system="256", force_terminal=True)
    assert got.spans == want.spans
    assert written(got, console, SIZE) == written(want, console, SIZE)
