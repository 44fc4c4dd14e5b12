"""The home screen's "today": the plan's capsules, which are done and what is next;
`n` starts the next capsule the way Enter starts a routine, and the line updates when
a capsule is done."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from breathpace.day import glance
from breathpace.dayplan import DayPlan
from breathpace.journal.db import open_journal
from breathpace.settings import Settings, load_settings, save_settings
from tests.tui.helpers import player_screen, screen_text, until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

BERLIN = ZoneInfo("Europe/Berlin")
MOMENT = datetime(2026, 3, 2, 6, 58, tzinfo=BERLIN)  # a Monday, just before waking


def test_today_on_the_home_screen_updates_when_a_capsule_is_done(monkeypatch):
    save_settings(Settings(seen_safety=True, day=DayPlan()))
    monkeypatch.setattr(glance, "wall_now", lambda: MOMENT)
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.home import HomeScreen

    clock = FakeClock(10.0)
    app = BreathpaceApp(settings=load_settings(), backend=SilentBackend(clock=clock), clock=clock)

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "Today 0 of 5 done · next at 07:00: Waking capsule (4 min) · n starts it" in text
            assert (
                "07:00 waking · 08:55 sitting · 12:55 sitting · 18:30 main · 22:45 bedtime" in text
            )

            await pilot.press("n")
            await pilot.pause()
            screen = player_screen(app)
            assert screen.session.routine_name == "capsule-waking"

            # The capsule is done (as the journal records a session played to its end).
            with open_journal() as journal:
                add_session(journal, "capsule-waking", datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN))
            await pilot.press("q", "y")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await until(pilot, lambda: "Today 1 of 5 done" in screen_text(app))
            text = screen_text(app)
            assert "07:00 waking done · 08:55 sitting" in text
            assert "next at 08:55: Before-sitting capsule (3 min)" in text

    asyncio.run(main())


def test_without_a_plan_the_home_screen_shows_the_default_day_and_says_so(monkeypatch):
    save_settings(Settings(seen_safety=True))
    saturday = datetime(2026, 3, 7, 20, 0, tzinfo=BERLIN)
    monkeypatch.setattr(glance, "wall_now", lambda: saturday)
    from breathpace.tui.app import BreathpaceApp

    app = BreathpaceApp(settings=load_settings())

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "07:00 waking · 18:30 main · 22:45 bedtime" in text
            assert "next at 22:45: Bedtime capsule: floor (3 min)" in text
            assert "A default day: `breathpace day` sets your own." in text

    asyncio.run(main())
