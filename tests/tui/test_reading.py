"""What a person reads on the first-run notice and the Breathe list: no line broken in
the middle of a phrase at 80x24, and the button to go on always in view."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App

from breathpace.safety import SAFETY_NOTICE
from breathpace.tui.screens.safety import SafetyScreen, maybe_safety
from tests.tui.helpers import screen_text
from tests.tui.test_screens import make_app
from tests.tui.test_snapshots import fixed_library  # noqa: F401  (a fixture)


async def safety_at(size, keys=()):
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(seen_safety=False))
    app = App()
    async with app.run_test(size=size) as pilot:
        assert maybe_safety(app)
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press(*keys)
        await pilot.pause()
        return screen_text(app)


def test_the_safety_notice_reads_line_by_line_as_written_at_80_by_24():
    text = asyncio.run(safety_at((80, 24)))
    rows = [row.strip("│ ") for row in text.splitlines()]
    for line in SAFETY_NOTICE.strip().splitlines():
        if line.strip():
            assert line.strip() in rows, line  # whole, on a row of its own
    assert "I understand" in text


def test_a_small_terminal_keeps_the_button_and_scrolls_the_notice():
    first = asyncio.run(safety_at((40, 12)))
    assert "I understand" in first and "an injury" not in first
    scrolled = asyncio.run(safety_at((40, 12), ["pagedown"] * 6))
    assert "I understand" in scrolled and "an injury" in scrolled


@pytest.mark.usefixtures("fixed_library")
def test_breathe_presets_read_on_one_line_each_at_80_columns():
    from breathpace.tui.screens.breathe import BreatheScreen

    async def main():
        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return screen_text(app)

    text = asyncio.run(main())
    assert any("Coherent breathing  5.5-0-5.5-0" in row for row in text.splitlines())
    assert any("Box breathing  4-4-4-4" in row for row in text.splitlines())
    assert "3.8 breaths a minute" in text  # the highlighted preset's rate, by its pattern
