"""The help modal at the smallest usual terminal (80x24): the whole key table shows, and
the rest (the guide, the safety notice) is reached by scrolling, which it says."""

from __future__ import annotations

import asyncio

from breathpace.tui.screens.help import KEYS, SCROLL_HINT, HelpScreen
from tests.tui.helpers import screen_text
from tests.tui.test_screens import make_app


def test_at_80_by_24_every_key_shows_and_the_safety_notice_scrolls_into_view():
    async def main():
        app, _ = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            for key, does in KEYS:
                assert any(key in line and does in line for line in text.splitlines()), key
            assert SCROLL_HINT in text
            assert "after a fall" not in text  # the end of the safety notice, below the fold
            for _ in range(40):
                await pilot.press("pagedown")
            await pilot.pause()
            text = screen_text(app)
            assert "pain that started after a fall or an injury" in text
            assert SCROLL_HINT in text  # the hint stays put while the body scrolls
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)

    asyncio.run(main())
