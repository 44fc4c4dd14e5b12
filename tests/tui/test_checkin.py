"""The after-session check-in through Pilot: typed values land in the journal."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App

from breathpace import paths
from breathpace.journal.db import open_journal
from breathpace.tui.screens.checkin import CheckInScreen

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session


def new_session() -> int:
    with open_journal() as journal:
        return add_session(journal, "glute-bridge", datetime(2026, 11, 25, 8, tzinfo=UTC))


def checkins() -> list[tuple]:
    conn = sqlite3.connect(paths.journal_file())
    rows = conn.execute("SELECT session_id, effort, pain, note FROM checkin").fetchall()
    conn.close()
    return rows


async def run_checkin(session_id, keys=(), clicks=()):
    results = []
    app = App()
    async with app.run_test() as pilot:
        app.push_screen(CheckInScreen(session_id=session_id), results.append)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        for selector in clicks:
            await pilot.click(selector)
        await pilot.pause()
        screen = app.screen
        shown = ""
        if isinstance(screen, CheckInScreen):
            shown = str(screen.query_one("#checkin-error").render())
    return results, shown


def test_typed_check_in_is_saved_with_enter_between_fields():
    sid = new_session()
    keys = ["3", "enter", "2", "enter", *"left hip tight", "enter"]
    results, _ = asyncio.run(run_checkin(sid, keys))
    assert results == [True]
    assert checkins() == [(sid, 3, 2, "left hip tight")]


def test_save_button_with_only_effort():
    sid = new_session()
    results, _ = asyncio.run(run_checkin(sid, ["1", "0"], clicks=["#save"]))
    assert results == [True]
    assert checkins() == [(sid, 10, None, "")]


def test_escape_skips_and_writes_nothing():
    sid = new_session()
    results, _ = asyncio.run(run_checkin(sid, ["5", "escape"]))
    assert results == [False]
    assert checkins() == []


def test_out_of_range_is_refused_on_screen_not_saved():
    sid = new_session()
    results, shown = asyncio.run(run_checkin(sid, ["1", "1", "enter", "enter", "enter"]))
    assert results == []
    assert "0 to 10" in shown
    assert checkins() == []


def test_letters_cannot_be_typed_into_a_number():
    sid = new_session()
    results, _ = asyncio.run(run_checkin(sid, ["x", "4", "enter", "enter", "enter"]))
    assert results == [True]
    assert checkins() == [(sid, 4, None, "")]


def test_no_session_recorded_means_no_check_in():
    results, _ = asyncio.run(run_checkin(0))
    assert results == [False]


@pytest.mark.usefixtures("classic_glute_bridge")
def test_the_screen_says_which_session_it_asks_about():
    with open_journal() as journal:
        sid = add_session(
            journal, "glute-bridge", datetime(2026, 11, 25, 8, tzinfo=UTC), outcome=None, reps=9
        )

    async def run():
        app = App()
        async with app.run_test() as pilot:
            app.push_screen(CheckInScreen(session_id=sid))
            await pilot.pause()
            return str(app.screen.query_one("#checkin-session").render())

    assert asyncio.run(run()) == "glute-bridge · 7 min 51 s · 9 of 25 reps · cut short"


def check_in_with_summary(summary: str, size: tuple[int, int]):
    """The check-in of a new session, shown with `summary` in the full app at `size`:
    (screen text, focused widget) once it has settled."""
    from breathpace.tui.app import BreathpaceApp
    from tests.fakes import FakeRig
    from tests.tui.helpers import screen_text

    sid = new_session()
    rig = FakeRig(1000.0)

    async def run():
        app = BreathpaceApp(
            backend=rig.backend,
            clock=rig.clock,
            first=lambda: CheckInScreen(session_id=sid, summary=summary),
        )
        async with app.run_test(size=size) as pilot:
            for _ in range(4):
                await pilot.pause()
            return screen_text(app), app.focused

    return asyncio.run(run())


def test_at_40x12_the_effort_question_stands_whole_above_its_box():
    """A long end summary must not push the first question out of a small terminal."""
    import re

    summary = "\n".join(
        [
            "Everyday back · 12 min 30 s · 40 of 48 reps · done early",
            "Slowest breath 4-0-6-0",
            "Next time: the same dose",
        ]
    )
    text, focused = check_in_with_summary(summary, (40, 12))
    flat = re.sub(r"[\s│]+", " ", text)
    assert "Effort: 0 = none, 10 = the most you could do" in flat
    assert focused is not None and focused.id == "effort"


def test_where_the_effort_question_is_in_view_the_summary_above_it_stays_whole():
    """At 100x30 the form is a little taller than the screen: focusing Effort must not
    scroll the summary's first line (the routine and its outcome) out of sight."""
    summary = "\n".join(
        [
            "One quick tilt: completed · 4 s practised",
            "1 of 1 exercises, 2 of 2 reps",
            "Next: a short check-in (effort and pain now, 0-10).",
            "In 12 hours or more: how did your back respond? (asked when you next open breathpace)",
            "Suggestion: Hold steady: keep the routine as it is.",
        ]
    )
    text, focused = check_in_with_summary(summary, (100, 30))
    assert "One quick tilt: completed" in text
    assert "Effort: 0 = none, 10 = the most you could do" in text
    assert focused is not None and focused.id == "effort"
