"""The home screen and its preview use the same effective dose as `list` and `play`."""

from __future__ import annotations

import asyncio

from breathpace import fmt
from breathpace.library import resolve
from breathpace.routine.pattern import BreathPattern
from breathpace.settings import Settings, save_settings
from breathpace.timeline import compile
from tests.tui.helpers import player_screen, screen_text


def test_home_lengths_preview_and_player_follow_the_personal_pace():
    save_settings(Settings(pace="2-0-2.5-0", seen_safety=True))
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.settings import load_settings
    from breathpace.tui.app import BreathpaceApp

    clock = FakeClock(10.0)
    app = BreathpaceApp(settings=load_settings(), backend=SilentBackend(clock=clock), clock=clock)
    bridge = resolve("glute-bridge").routine
    mine = compile(bridge, BreathPattern.parse("2-0-2.5-0")).duration_ms
    assert mine != compile(bridge).duration_ms

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#routines")
            titles = [table.get_row_at(i)[0] for i in range(table.row_count)]
            row = table.get_row_at(titles.index("Glute bridge"))
            assert row[1] == fmt.length(mine)
            assert "Lengths at your pace 2-0-2.5-0, from settings" in screen_text(app)
            while table.get_row_at(table.cursor_row)[0] != "Glute bridge":
                await pilot.press("down")
            await pilot.press("p")
            await pilot.pause()
            text = screen_text(app)
            assert f"{fmt.length(mine)} at your pace 2-0-2.5-0, from settings" in text
            await pilot.press("enter")
            await pilot.pause()
            screen = player_screen(app)
            assert screen.player.timeline.duration_ms == mine
            assert str(screen.player.pace) == "2-0-2.5-0"
            await pilot.press("q", "y")
            await pilot.pause()

    asyncio.run(main())


def test_the_breathe_screen_plays_with_the_command_lines_options_and_its_own_pattern():
    """`breathpace breathe --volume 0.3` opens the Breathe screen; what starts there
    plays at that volume, with the preset's own pattern (not the personal pace)."""
    save_settings(Settings(pace="2-0-2.5-0", seen_safety=True))
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.session.options import Overrides, session_options
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.breathe import BreatheScreen

    clock = FakeClock(10.0)
    app = BreathpaceApp(
        options=session_options(Overrides(volume=0.3)),
        backend=SilentBackend(clock=clock),
        clock=clock,
        first=BreatheScreen,
    )

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            screen = player_screen(app)
            assert screen.player.volume == 0.3
            assert screen.player.pace is None or str(screen.player.pace) != "2-0-2.5-0"
            assert screen.session.source == "breathe"
            await pilot.press("q", "y")
            await pilot.pause()

    asyncio.run(main())
