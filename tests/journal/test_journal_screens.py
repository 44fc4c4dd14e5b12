"""The safety notice and History screen on a bare App (they need only `self.app`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from journal_helpers import add_session
from textual.app import App
from textual.widgets import DataTable, Sparkline, Static

from breathpace import paths
from breathpace.journal.db import open_journal
from breathpace.safety import SAFETY_NOTICE
from breathpace.settings import Settings, load_settings, save_settings
from breathpace.tui.screens.history import HistoryScreen
from breathpace.tui.screens.safety import SafetyScreen, maybe_safety


async def open_safety(keys=()):
    app = App()
    out = {}
    async with app.run_test() as pilot:
        out["pushed"] = maybe_safety(app)
        await pilot.pause()
        out["shown"] = isinstance(app.screen, SafetyScreen)
        if out["shown"]:
            out["text"] = str(app.screen.query_one("#safety-text", Static).render())
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        out["open_after"] = isinstance(app.screen, SafetyScreen)
    return out


def test_safety_notice_shown_once_then_remembered():
    out = asyncio.run(open_safety(["enter"]))
    assert out["pushed"] and out["shown"] and not out["open_after"]
    assert "saddle" in out["text"] and out["text"].strip() == SAFETY_NOTICE.strip()
    assert load_settings().seen_safety
    again = asyncio.run(open_safety())
    assert not again["pushed"] and not again["shown"]


def test_safety_notice_keeps_other_settings():
    save_settings(Settings(pace="5-0-7-0", volume=0.3))
    asyncio.run(open_safety(["escape"]))
    settings = load_settings()
    assert settings.seen_safety and settings.pace == "5-0-7-0" and settings.volume == 0.3


def test_unreadable_settings_still_show_the_notice_and_are_not_overwritten():
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("volume = [broken\n")
    out = asyncio.run(open_safety(["enter"]))
    assert out["shown"] and not out["open_after"]
    assert path.read_text() == "volume = [broken\n"


async def open_history(keys=()):
    app = App()
    out = {}
    async with app.run_test(size=(120, 60)) as pilot:
        app.push_screen(HistoryScreen())
        await pilot.pause()
        screen = app.screen
        out["adherence"] = str(screen.query_one("#adherence", Static).render())
        out["pain"] = list(screen.query_one("#pain-chart", Sparkline).data)
        out["effort"] = list(screen.query_one("#effort-chart", Sparkline).data)
        out["rows"] = screen.query_one("#sessions", DataTable).row_count
        out["suggestions"] = [f"{x.routine}: {x.summary}" for x in screen.suggestions]
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        out["after"] = [f"{x.routine}: {x.summary}" for x in screen.suggestions]
        out["notifications"] = [n.message for n in app._notifications]
        await pilot.press("escape")
        await pilot.pause()
        out["closed"] = not isinstance(app.screen, HistoryScreen)
    return out


def test_history_screen_empty_journal():
    out = asyncio.run(open_history())
    assert "No sessions yet" in out["adherence"] and out["rows"] == 0 and out["closed"]


@pytest.mark.usefixtures("classic_glute_bridge")
def test_history_screen_charts_and_suggestions():
    today = datetime.now().astimezone().replace(hour=8, minute=0, second=0, microsecond=0)
    with open_journal() as journal:
        for i, (effort, pain) in enumerate([(3, 2), (4, 1), (2, 1)]):
            add_session(
                journal,
                "glute-bridge",
                today - timedelta(days=3 - i),
                effort=effort,
                pain=pain,
                followup="same",
            )
        add_session(journal, "crocodile-breathing", today, outcome=None, reps=2)
    out = asyncio.run(open_history())
    assert out["rows"] == 4
    assert out["pain"] == [2.0, 1.0, 1.0] and out["effort"] == [3.0, 4.0, 2.0]
    assert "4 of the last 7 days" in out["adherence"]
    assert out["suggestions"] == [
        "crocodile-breathing: Hold steady: keep the routine as it is.",
        "glute-bridge: Add one rep to Glute bridge: 8 → 9 a set.",
    ]


@pytest.mark.usefixtures("classic_glute_bridge")
def test_history_screen_accepts_the_highlighted_suggestion():
    from breathpace.journal.dose import apply_dose
    from breathpace.library import resolve

    today = datetime.now().astimezone().replace(hour=8, minute=0, second=0, microsecond=0)
    with open_journal() as journal:
        for i in range(3):
            add_session(
                journal, "glute-bridge", today - timedelta(days=3 - i), effort=2, followup="same"
            )
    out = asyncio.run(open_history(["a"]))
    assert out["suggestions"] == ["glute-bridge: Add one rep to Glute bridge: 8 → 9 a set."]
    assert out["after"] == ["glute-bridge: Hold steady: keep the routine as it is."]
    assert any("Accepted for glute-bridge" in n for n in out["notifications"])
    assert apply_dose("glute-bridge", resolve("glute-bridge").routine).exercise[1].reps == 9
