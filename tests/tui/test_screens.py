"""Home, Breathe, Find my pace, Help and Preview, driven by Pilot on a fake clock."""

from __future__ import annotations

import asyncio

from breathpace.settings import load_settings
from tests.tui.helpers import player_screen, screen_text


def run(coro):
    return asyncio.run(coro)


def make_app(first=None):
    """An app whose sessions run on a fake clock and the silent backend."""
    from breathpace.tui.app import BreathpaceApp
    from tests.fakes import FakeRig

    rig = FakeRig(500.0)
    clock, backend = rig.clock, rig.backend

    app = BreathpaceApp(
        settings=load_settings(),
        backend=backend,
        clock=clock,
        first=first,
    )
    return app, clock


def test_home_lists_routines_and_breathing_presets_and_starts_one():
    async def main():
        from breathpace.tui.screens.home import HomeScreen

        app, _ = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            text = screen_text(app)
            assert "Glute bridge" in text and "Coherent breathing" in text
            routines = app.screen.query_one("#routines")
            breathing = app.screen.query_one("#breathing")
            titles = [routines.get_row_at(i)[0] for i in range(routines.row_count)]
            presets = [breathing.get_row_at(i)[0] for i in range(breathing.row_count)]
            assert "Glute bridge" in titles and "Coherent breathing" not in titles
            assert "Coherent breathing" in presets
            # length at the routine's own pace, as `breathpace list` says
            row = routines.get_row_at(titles.index("Glute bridge"))
            assert row[1].endswith("s") or "min" in row[1]
            await pilot.press("down", "enter")
            await pilot.pause()
            screen = player_screen(app)
            assert screen.session.player.routine.title == titles[1]
            assert screen.session.source.endswith(".toml")
            # quitting a session from home goes back home
            await pilot.press("q", "y")
            await pilot.pause()
            for _ in range(3):
                if isinstance(app.screen, HomeScreen):
                    break
                await pilot.press("escape")  # skip the check-in
                await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    run(main())


def test_home_lists_a_broken_user_routine_with_its_error(user_routines_dir):
    (user_routines_dir / "mine.toml").write_text('format = 1\ntitle = "Mine"\n', "utf-8")

    async def main():
        app, _ = make_app()
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            assert "cannot load" in screen_text(app)
            assert "mine" in screen_text(app)

    run(main())


def test_preview_shows_one_row_per_exercise():
    async def main():
        from breathpace.library import resolve
        from breathpace.tui.screens.preview import PreviewScreen

        app, _ = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PreviewScreen)
            table = app.screen.query_one("#preview-table")
            routine = app.screen.routine
            assert table.row_count == len(routine.exercise)
            assert resolve("glute-bridge").routine.title  # the library is there
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, PreviewScreen)
            # Enter in the preview starts that routine
            await pilot.press("p")
            await pilot.pause()
            title = app.screen.routine.title
            await pilot.press("enter")
            await pilot.pause()
            assert player_screen(app).session.player.routine.title == title

    run(main())


def test_breathe_screen_builds_a_custom_practice_and_plays_it():
    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen

        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BreatheScreen)
            # the first preset fills the form
            assert screen.query_one("#pattern").value
            screen.query_one("#pattern").value = "3-0-5-0"
            screen.query_one("#minutes").value = "2"
            screen.query_one("#ramp").value = "zero"
            await pilot.press("ctrl+s")
            assert screen.message.startswith("⚠ ease toward: must be a number")
            screen.query_one("#ramp").value = ""
            await pilot.press("ctrl+s")
            await pilot.pause()
            player = player_screen(app)
            routine = player.session.player.routine
            assert routine.exercise[0].pattern == "3-0-5-0"
            assert routine.exercise[0].minutes == 2
            assert player.session.source == "breathe"

    run(main())


def test_breathe_screen_preset_keeps_its_pattern_and_takes_new_minutes():
    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen

        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            names = [e.name for e in screen.presets]
            index = names.index("coherent")
            screen.query_one("#presets").highlighted = index
            await pilot.pause()
            assert screen.query_one("#pattern").value == "5.5-0-5.5-0"
            screen.query_one("#minutes").value = "3"
            await pilot.press("ctrl+s")
            await pilot.pause()
            session = player_screen(app).session
            assert session.routine_name == "coherent"
            assert session.player.routine.title == "Coherent breathing"
            assert session.player.routine.exercise[0].minutes == 3

    run(main())


def test_find_my_pace_measures_taps_and_saves_the_suggestion():
    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen
        from breathpace.tui.screens.pace import PaceScreen

        app, clock = make_app(first=BreatheScreen)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f")
            await pilot.pause()
            assert isinstance(app.screen, PaceScreen)
            for _ in range(7):
                await pilot.press("space")
                clock.advance(5.0)
            await pilot.pause()
            pace = app.screen
            assert pace.estimate is not None
            assert pace.estimate.rate_per_min == 12.0
            assert "12.0 breaths a minute" in pace.result
            assert "2-0-3.5-0" in pace.result
            await pilot.press("s")
            await pilot.pause()
            # It asks first (test_pace_screen.py checks the question), then saves.
            await pilot.press("y")
            await pilot.pause()
            assert not isinstance(app.screen, PaceScreen)
            assert app.screen.query_one("#pattern").value == "2-0-3.5-0"
        saved = load_settings()
        assert saved.pace == "2-0-3.5-0"
        assert saved.seen_safety  # the rest of the settings file is kept

    run(main())


def test_help_lists_the_keys_and_the_safety_notice():
    async def main():
        from breathpace.tui.screens.help import HelpScreen

        app, _ = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            assert "pause / resume" in text
            assert "Before you start" in text or "stop before pain" in text.lower()
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)

    run(main())


def test_every_screen_fits_a_40_by_12_terminal():
    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen
        from breathpace.tui.screens.home import HomeScreen

        app, _ = make_app()
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            assert "breathpace" in screen_text(app)
            for key, needle in (("p", "exercise"), ("escape", ""), ("question_mark", "key")):
                await pilot.press(key)
                await pilot.pause()
                if needle:
                    assert needle in screen_text(app)
            await pilot.press("escape", "b")
            await pilot.pause()
            assert isinstance(app.screen, BreatheScreen)
            assert "Breathe" in screen_text(app)
            await pilot.press("f")
            await pilot.pause()
            assert "Find my pace" in screen_text(app)
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            for size in ((30, 8), (120, 40), (40, 12)):
                await pilot.resize_terminal(*size)
                await pilot.pause()

    run(main())
