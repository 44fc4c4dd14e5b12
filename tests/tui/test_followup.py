"""The next-day follow-up through Pilot: asked 12–72 h after a session, once."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App

from breathpace import paths
from breathpace.journal.db import open_journal
from breathpace.tui.screens.followup import FollowUpScreen, maybe_followup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def session_ago(hours: float, **kwargs) -> int:
    with open_journal() as journal:
        return add_session(journal, "glute-bridge", NOW - timedelta(hours=hours), **kwargs)


def followups() -> list[tuple]:
    conn = sqlite3.connect(paths.journal_file())
    rows = conn.execute("SELECT session_id, response, pain FROM followup").fetchall()
    conn.close()
    return rows


async def start_app(keys=(), clicks=()):
    """An app that, like breathpace's, calls maybe_followup when it starts."""
    pushed = []
    state = {}
    app = App()
    async with app.run_test() as pilot:
        pushed.append(maybe_followup(app, now=NOW))
        await pilot.pause()
        state["asked"] = isinstance(app.screen, FollowUpScreen)
        for key in keys:
            await pilot.press(key)
        for selector in clicks:
            await pilot.click(selector)
        await pilot.pause()
        state["still_open"] = isinstance(app.screen, FollowUpScreen)
        if state["still_open"]:
            state["error"] = str(app.screen.query_one("#followup-error").render())
        state["notifications"] = [n.message for n in app._notifications]
    return pushed[0], state


@pytest.mark.parametrize(
    ("hours", "asked"),
    [(2, False), (11.9, False), (12.1, True), (30, True), (71, True), (73, False)],
)
def test_asked_only_12_to_72_hours_after(hours, asked):
    session_ago(hours)
    pushed, state = asyncio.run(start_app(["escape"]))
    assert pushed is asked and state["asked"] is asked


def test_answer_with_keys_is_saved():
    sid = session_ago(20)
    # arrows move within the radio set, enter picks; the pain field is focused next
    pushed, state = asyncio.run(start_app(["down", "down", "enter", "3", "enter"]))
    assert pushed and not state["still_open"]
    assert followups() == [(sid, "more sensitive", 3)]


def test_answer_with_clicks_and_no_pain():
    sid = session_ago(20)
    radio = "#response-calmer"
    _, state = asyncio.run(start_app(clicks=[radio, "#save"]))
    assert not state["still_open"]
    assert followups() == [(sid, "calmer", None)]


def test_save_without_a_choice_explains_and_stays():
    session_ago(20)
    _, state = asyncio.run(start_app(clicks=["#save"]))
    assert state["still_open"] and "Choose" in state["error"]
    assert followups() == []


def test_skip_is_recorded_so_the_question_is_asked_once():
    sid = session_ago(20)
    pushed, _ = asyncio.run(start_app(["escape"]))
    assert pushed and followups() == [(sid, None, None)]
    pushed, _ = asyncio.run(start_app())
    assert not pushed


def test_the_latest_waiting_session_is_asked_about():
    session_ago(50)
    newer = session_ago(20)
    session_ago(2)  # too recent to ask about
    asyncio.run(start_app(["enter", "enter"]))
    assert followups() == [(newer, "calmer", None)]


def test_a_session_stopped_at_once_is_not_asked_about():
    with open_journal() as journal:
        add_session(journal, "glute-bridge", NOW - timedelta(hours=20), reps=0, played_ms=12_000)
    pushed, _ = asyncio.run(start_app())
    assert not pushed


def test_damaged_journal_notice_is_shown_as_a_notification():
    path = paths.journal_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 100)
    pushed, state = asyncio.run(start_app())
    assert not pushed
    (message,) = state["notifications"]
    assert "journal.sqlite3.corrupt-" in message and "fresh" in message


def test_the_question_names_the_session_the_way_people_recall_it():
    from breathpace.tui.screens.followup import _when

    now = datetime(2026, 11, 25, 20, 0).astimezone()
    assert _when(now - timedelta(hours=3), now) == " earlier today at 17:00"
    assert _when(now - timedelta(hours=22), now) == " yesterday at 22:00"
    assert _when(now - timedelta(hours=50), now) == " on Monday at 18:00"
