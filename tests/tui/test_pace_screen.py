"""Find my pace says what the suggested pace does to the routines, and asks before it
saves: a personal pace replaces every routine's own pace."""

from __future__ import annotations

import asyncio
from pathlib import Path

from breathpace import fmt
from breathpace.library import resolve
from breathpace.routine.pattern import BreathPattern
from breathpace.settings import load_settings
from breathpace.timeline import compile
from tests.tui.helpers import screen_text
from tests.tui.test_screens import make_app

MINE = """\
format = 1
title = "Mine"

[[exercise]]
name = "Bridge"
reps = 4
tempo = "3-0-2-0"
"""


async def _tap_six_breaths(pilot, app, clock) -> None:
    await pilot.pause()
    await pilot.press("f")
    await pilot.pause()
    for _ in range(7):
        await pilot.press("space")
        clock.advance(5.0)
    await pilot.pause()


def test_find_my_pace_shows_the_effect_and_saves_only_after_yes():
    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen
        from breathpace.tui.screens.confirm import ConfirmScreen
        from breathpace.tui.screens.pace import PaceScreen

        app, clock = make_app(first=BreatheScreen)
        async with app.run_test(size=(110, 40)) as pilot:
            await _tap_six_breaths(pilot, app, clock)
            pace = app.screen
            assert isinstance(pace, PaceScreen)
            routine = resolve("glute-bridge").routine
            own = fmt.length(compile(routine).duration_ms)
            yours = fmt.length(compile(routine, BreathPattern.parse("2-0-3.5-0")).duration_ms)
            expected = f"glute-bridge: {own} at its own pace, {yours} at yours ("
            assert expected in pace.result
            assert "A breath takes 5.5 s (10.9 a minute) instead of 10 s" in pace.result
            assert "45 % faster" in pace.result  # 5.5 s against the usual 10 s

            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            question = screen_text(app)
            assert "Save 2-0-3.5-0 as your personal pace?" in question
            assert expected in question
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, PaceScreen)  # not now: nothing saved
            assert load_settings().pace is None
            # `q` (yes when quitting a session) only closes this question.
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, PaceScreen)
            assert load_settings().pace is None

            await pilot.press("s")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert not isinstance(app.screen, PaceScreen)
        assert load_settings().pace == "2-0-3.5-0"

    asyncio.run(main())


def test_names_from_files_are_shown_as_written_never_as_markup(user_routines_dir: Path):
    (user_routines_dir / "[bold]mine.toml").write_text(MINE, "utf-8")

    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen

        app, clock = make_app(first=BreatheScreen)
        async with app.run_test(size=(110, 40)) as pilot:
            await _tap_six_breaths(pilot, app, clock)
            assert "[bold]mine: " in screen_text(app)
            await pilot.press("s")
            await pilot.pause()
            assert "[bold]mine: " in screen_text(app)

    asyncio.run(main())
