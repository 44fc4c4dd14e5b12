"""The exercise figure in the player, through Pilot with the silent backend and a fake
clock: it shows the pose `figures.track` gives for the current phase and rep, however the
session got there (a skip, a pause, a new pace), draws the frame the renderer draws for
that fraction, redraws only when its cells change, and makes room on small terminals."""

from __future__ import annotations

import asyncio
import functools

import pytest

from breathpace.easing import ease
from breathpace.figures.motion import interpolate
from breathpace.figures.render import figure_frame, moving_support, pose_support, render_cells
from breathpace.figures.skeleton import flatten
from breathpace.figures.track import phase_poses, rep_targets
from breathpace.library import load_figure_named
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Breathing
from breathpace.timeline import Kind
from breathpace.tui.widgets.figure import STEP_MS, FigureView, figure_layout
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text

FIGURED = """\
format = 1
title = "Figure test"
pace = "2-0-2-0"
lead_in = 3

[[exercise]]
name = "Bridge"
figure = "glute-bridge"
position = "On your back, knees bent"
sides = "both"
switch_rest = { seconds = 2 }
sets = 2
reps = 3
rest = { seconds = 4 }
rest_after = { seconds = 3 }
phases = [
  { move = "lift", breath = "exhale", seconds = 2, effort = true, pose = "top" },
  { move = "stay", breath = "hold", seconds = 1 },
  { move = "lower", breath = "inhale", seconds = 2, pose = "start" },
]

[[exercise]]
name = "Cat-cow"
figure = "cat-cow"
position = "On hands and knees"
wait_for_ready = true
reps = 3
phases = [
  { move = "round up", breath = "exhale", seconds = 2, pose = "cat" },
  { move = "soften down", breath = "inhale", seconds = 2, pose = "cow" },
]

[[exercise]]
name = "Resting breaths"
figure = "resting-breath"
pattern = "2-0-2-0"
cycles = 3
"""
WIDE = (100, 30)


def sync(test):
    """Run an async Pilot test on its own event loop, as the other interface tests do."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def figured():
    return parse_routine(FIGURED)


def expected_cells(screen, figure_view: FigureView) -> tuple[tuple, list[str]]:
    """What track.py says the figure shows now, and the cells the renderer draws for it,
    worked out here from the position alone."""
    player = screen.player
    position = player.position_ms
    seg = player.timeline.at(position)
    routine = player.routine
    number = 1 if seg.kind is Kind.LEAD_IN else seg.exercise
    item = routine.exercise[number - 1]
    figure = load_figure_named(item.figure)
    mirror = seg.side == "right"
    level = 0.0
    if seg.kind is Kind.PHASE and not isinstance(item, Breathing):
        moves = [move for move, _ in rep_targets(item)]
        start, target = phase_poses(item, moves.index(seg.move), seg.rep)
        x = ((position - seg.start_ms) // STEP_MS * STEP_MS) / seg.duration_ms
        if target is not None and target != start:
            # The widget draws the eased way in whole dots of the farthest-moving point:
            # never ahead of the moment, less than one level behind it.
            levels = figure_view._levels(figure_view.shown)
            drawn = ease(figure_view.drawn_x)
            assert drawn <= ease(x) + 1e-9
            assert ease(x) - drawn < 1 / levels + 1e-9
            x = figure_view.drawn_x
    else:
        start, target, x = "start", None, 0.0
        mirror = mirror and seg.kind is Kind.SWITCH
    if isinstance(item, Breathing) and seg.kind is Kind.PHASE:
        level = figure_view._level  # the breath's own level; its effect is tested below
    angles = flatten(figure, start)
    support = pose_support(figure, start)
    if target is not None and target != start:
        angles = interpolate(angles, flatten(figure, target), x)
        support = moving_support(figure, start, target, ease(x))
    rows = figure_view.size.height - len(figure_view._caption)
    cells = render_cells(
        figure,
        angles,
        figure_view.size.width,
        rows,
        mirror=mirror,
        breath=level,
        frame=figure_frame(figure),
        support=support,
    )
    return (number, start, target if target != start else None, mirror), cells


async def advance_to(pilot, clock, ms: int, step: float = 0.1) -> None:
    """Play on until the session position reaches `ms` (a frame every `step` seconds)."""
    screen = player_screen(pilot.app)
    while screen.player.position_ms < ms:
        before = screen.player.position_ms
        gap = (ms - before) / 1000
        await advance(pilot, clock, max(0.001, min(gap, 0.5)), step=step)
        assert screen.player.position_ms > before, f"stuck at {before} ({screen.player.state})"


def check_pose(app) -> None:
    screen = player_screen(app)
    view = screen.query_one(FigureView)
    (number, start, target, mirror), cells = expected_cells(screen, view)
    shown = view.shown
    assert shown is not None
    assert (shown.item, shown.start, shown.target, shown.mirror) == (number, start, target, mirror)
    assert view._rows == cells
    # And it reached the terminal: the widest drawn row is on the screen.
    widest = max(cells, key=lambda row: len(row.strip()))
    assert widest.strip() in screen_text(app)


@sync
async def test_the_figure_follows_track_through_skips_pauses_and_a_new_pace():
    app, clock, session = make_player_app(figured())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        assert view.display
        # Get ready: the starting pose, with the words.
        await advance(pilot, clock, 1)
        check_pose(app)
        assert "Get into this position" in screen_text(app)
        assert view._caption == ("Get into this position", "On your back, knees bent")
        # Into the first lift, and on through the rep, frame by frame.
        for _ in range(12):
            await advance(pilot, clock, 0.5, step=1 / 30)
            check_pose(app)
        # Skips mid-phase land on the right poses.
        await pilot.press("n")
        await advance(pilot, clock, 0.6)
        check_pose(app)
        await pilot.press("p")
        await advance(pilot, clock, 1.3)
        check_pose(app)
        # Paused: nothing is drawn and nothing moves.
        await pilot.press("space")
        await pilot.pause()
        before = (view.shown, view.draws, view.repaints, list(view._rows))
        await advance(pilot, clock, 3)
        assert (view.shown, view.draws, view.repaints, list(view._rows)) == before
        await pilot.press("space")
        # A new pace from the next rep: every frame still matches track.py.
        await pilot.press("minus")
        for _ in range(30):
            await advance(pilot, clock, 0.4, step=0.2)
            check_pose(app)
        # The next exercise waits for Enter: its starting pose with the words.
        await pilot.press("N")
        await advance(pilot, clock, 0.5)
        assert screen.player.segment.kind is Kind.WAIT
        check_pose(app)
        assert view.shown.item == 2 and view.shown.caption
        await pilot.press("enter")
        for _ in range(10):
            await advance(pilot, clock, 0.5)
            check_pose(app)
        await pilot.press("P")
        await advance(pilot, clock, 0.3)
        check_pose(app)
        session.end("quit")


@sync
async def test_the_right_side_is_the_mirror_image():
    app, clock, _ = make_player_app(figured())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        timeline = screen.player.timeline
        right = next(s for s in timeline.segments if s.side == "right" and s.move == "stay")
        await advance_to(pilot, clock, right.start_ms + 100)
        check_pose(app)
        assert view.shown.mirror and view.shown.start == "top"
        figure = load_figure_named("glute-bridge")
        other = render_cells(
            figure,
            flatten(figure, "top"),
            view.size.width,
            view.size.height,
            mirror=True,
            frame=figure_frame(figure),
            support=pose_support(figure, "top"),
        )
        # The other side's limbs, the body in its place: the same picture rows.
        assert view._rows == other


@sync
async def test_a_still_figure_is_drawn_once_and_a_moving_one_at_most_eight_times_a_second():
    app, clock, _ = make_player_app(figured())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        timeline = screen.player.timeline
        lift = next(s for s in timeline.segments if s.move == "lift")
        await advance_to(pilot, clock, lift.start_ms + 10)
        # Two seconds of lifting at thirty frames a second.
        repaints = view.repaints
        await advance(pilot, clock, 1.9, step=1 / 30)
        assert 4 <= view.repaints - repaints <= 2 * 1000 // STEP_MS
        assert view._levels(view.shown) > 4  # a bridge's hips travel several dots
        # The hold: nothing new, however many frames pass.
        stay = timeline.segments[lift.index + 1]
        await advance_to(pilot, clock, stay.start_ms + 50, step=1 / 30)
        repaints, draws = view.repaints, view.draws
        await advance(pilot, clock, 0.8, step=1 / 30)
        assert (view.repaints, view.draws) == (repaints, draws)
        # The second rep draws the first rep's frames again: from the cache.
        rep2 = next(s for s in timeline.segments if s.move == "lift" and s.rep == 2)
        await advance_to(pilot, clock, rep2.start_ms, step=1 / 30)
        draws = view.draws
        await advance(pilot, clock, 4.5, step=1 / 30)
        assert view.draws == draws
        check_pose(app)


@sync
async def test_calm_shows_where_each_phase_goes_without_motion():
    app, clock, _ = make_player_app(figured(), calm=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        lift = next(s for s in screen.player.timeline.segments if s.move == "lift")
        await advance_to(pilot, clock, lift.start_ms + 50)
        assert (view.shown.start, view.shown.target) == ("top", None)
        repaints = view.repaints
        await advance(pilot, clock, 1.5, step=1 / 30)
        assert view.repaints == repaints
        figure = load_figure_named("glute-bridge")
        top = render_cells(
            figure,
            flatten(figure, "top"),
            view.size.width,
            view.size.height,
            frame=figure_frame(figure),
            support=pose_support(figure, "top"),
        )
        assert view._rows == top


@sync
async def test_a_breathing_figure_fills_with_the_breath():
    app, clock, _ = make_player_app(figured())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        for key in ("N", "N", "enter", "N"):
            await advance(pilot, clock, 0.2)
            await pilot.press(key)
        await advance(pilot, clock, 0.2)
        timeline = screen.player.timeline
        inhale = next(s for s in timeline.segments if s.exercise == 3 and s.kind is Kind.PHASE)
        await advance_to(pilot, clock, inhale.start_ms)
        empty = list(view._rows)
        await advance(pilot, clock, inhale.duration_ms / 1000 - 0.05, step=1 / 30)
        assert view.shown.breathing
        assert view._level > 0.9
        assert view._rows != empty  # the belly and ribs rose


@pytest.mark.parametrize(
    ("size", "layout"),
    [((100, 30), "beside"), ((80, 24), "beside"), ((60, 34), "above"), ((40, 12), "alone")],
)
@sync
async def test_the_figure_makes_room_for_the_indicator_on_small_terminals(size, layout):
    assert figure_layout(*size) == layout
    app, clock, _ = make_player_app(figured())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await advance(pilot, clock, 4)
        screen = player_screen(app)
        view = screen.query_one(FigureView)
        assert screen.query_one("#stage").has_class(f"-{layout}")
        assert view.display is (layout != "alone")
        indicator = screen.query_one("#breath")
        assert indicator.size.height >= 3 and indicator.size.width >= 10
        text = screen_text(app)
        assert "EXHALE" in text or "INHALE" in text
        if layout != "alone":
            check_pose(app)


@sync
async def test_a_routine_without_figures_keeps_the_indicator_alone():
    app, clock, _ = make_player_app(parse_routine(short_routine_text()))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await advance(pilot, clock, 2)
        screen = player_screen(app)
        assert not screen.query_one(FigureView).display
        assert screen.query_one("#stage").has_class("-alone")


@sync
async def test_the_preview_draws_the_highlighted_exercises_poses():
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.preview import POSE_COLS, POSE_ROWS, PreviewScreen, pose_names

    routine = figured()
    app = BreathpaceApp(first=lambda: PreviewScreen(routine))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        bridge = load_figure_named("glute-bridge")
        assert pose_names(routine.exercise[0]) == ["start", "top"]
        for pose in ("start", "top"):
            cells = render_cells(
                bridge,
                flatten(bridge, pose),
                POSE_COLS,
                POSE_ROWS,
                frame=figure_frame(bridge),
                support=pose_support(bridge, pose),
            )
            assert max(cells, key=lambda r: len(r.strip())).strip() in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert pose_names(routine.exercise[1]) == ["start", "cat", "cow"]
        assert "cat" in text and "cow" in text
        cat_cow = load_figure_named("cat-cow")
        cells = render_cells(
            cat_cow,
            flatten(cat_cow, "cat"),
            POSE_COLS,
            POSE_ROWS,
            frame=figure_frame(cat_cow),
            support=pose_support(cat_cow, "cat"),
        )
        assert max(cells, key=lambda r: len(r.strip())).strip() in text


def test_a_line_drawn_before_the_widget_hears_of_its_new_size_fits_that_size(monkeypatch):
    """The layout may draw the figure at a new size before its `on_resize` message has
    come: the lines drawn are for the size they are drawn at, not the old one (the body
    was a row off its floor for that frame)."""
    from textual.geometry import Size

    async def main():
        app, clock, _ = make_player_app(figured())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 3 + 1.5)  # mid-lift
            view = player_screen(app).query_one(FigureView)
            old = view.size
            new = Size(old.width, old.height + 1)
            # The layout's new size, its Resize message not yet handled.
            monkeypatch.setattr(FigureView, "size", property(lambda self: new))
            drawn = [view.render_line(y).text for y in range(new.height)]
            figure = view._figures[view.shown.item]
            fresh, _ = view._cells(view.shown, figure, view._level, view._caption)
            monkeypatch.undo()
            return old, drawn, fresh

    old, drawn, fresh = asyncio.run(main())
    assert len(fresh) == old.height + 1  # drawn for the new size: a row taller
    assert [line.strip() for line in drawn] == [row.strip() for row in fresh]
