"""The check-in and the next-day follow-up never lose what was typed.

Tab and Shift-Tab move between fields, choosing an option leaves the focus where it is,
an error goes away once the value is fixed, Enter saves what is on screen, and keys
sent in one burst (no pause between them) land in the field focused when each was typed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App

from breathpace import paths
from breathpace.journal.db import open_journal
from breathpace.tui.screens.checkin import CheckInScreen
from breathpace.tui.screens.followup import FollowUpScreen
from tests.tui.helpers import burst

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session


def new_session(hours_ago: float = 0) -> int:
    when = datetime(2026, 11, 25, 8, tzinfo=UTC) - timedelta(hours=hours_ago)
    with open_journal() as journal:
        return add_session(journal, "glute-bridge", when)


def rows(table: str, columns: str) -> list[tuple]:
    conn = sqlite3.connect(paths.journal_file())
    found = conn.execute(f"SELECT {columns} FROM {table}").fetchall()
    conn.close()
    return found


async def drive(screen, steps):
    """Push `screen`, run `steps(pilot, screen)`; returns (dismissed results, state)."""
    results: list = []
    app = App()
    async with app.run_test() as pilot:
        app.push_screen(screen, results.append)
        await pilot.pause()
        state = await steps(pilot, screen)
    return results, state


def values(screen) -> dict[str, str]:
    return {w.id: w.value for w in screen.query("Input")}


# -- check-in --------------------------------------------------------------------------


def test_checkin_burst_lands_each_key_in_its_field_and_enter_saves():
    sid = new_session()

    async def steps(pilot, screen):
        await burst(pilot, ["3", "enter", "2", "enter", *"left hip", "enter"])

    results, _ = asyncio.run(drive(CheckInScreen(session_id=sid), steps))
    assert results == [True]
    assert rows("checkin", "effort, pain, note") == [(3, 2, "left hip")]


def test_checkin_tab_and_shift_tab_move_between_fields_in_a_burst():
    sid = new_session()

    async def steps(pilot, screen):
        await burst(pilot, ["7", "tab", "4", "tab", *"ok", "shift+tab", "shift+tab", "backspace"])
        seen = values(screen), screen.focused.id
        await burst(pilot, ["6", "tab", "tab", "enter"])  # back to effort, then to the note
        return seen

    results, seen = asyncio.run(drive(CheckInScreen(session_id=sid), steps))
    assert seen == ({"effort": "", "pain": "4", "note": "ok"}, "effort")
    assert results == [True]
    assert rows("checkin", "effort, pain, note") == [(6, 4, "ok")]


def test_checkin_error_goes_once_the_value_is_fixed_and_nothing_typed_is_lost():
    sid = new_session()

    async def steps(pilot, screen):
        error = screen.query_one("#checkin-error")
        await burst(pilot, ["1", "1", "enter", "5", "enter", *"stiff", "enter"])
        first = str(error.render()), values(screen), screen.focused.id
        screen.set_focus(screen.query_one("#effort"))
        await burst(pilot, ["backspace"])
        second = str(error.render())
        return first, second

    results, (first, second) = asyncio.run(drive(CheckInScreen(session_id=sid), steps))
    shown, typed, focus = first
    assert "0 to 10" in shown and focus == "note"
    assert typed == {"effort": "11", "pain": "5", "note": "stiff"}  # all still there
    assert second == ""  # "1" is a valid effort: the message has gone
    assert results == [] and rows("checkin", "effort") == []


# -- follow-up -------------------------------------------------------------------------


def test_followup_choosing_with_space_keeps_focus_on_the_choices():
    sid = new_session(hours_ago=20)

    async def steps(pilot, screen):
        await burst(pilot, ["down", "space"])
        focus_after_choice = screen.focused.id
        await burst(pilot, ["down", "space", "tab", "2", "enter"])
        return focus_after_choice

    results, focus = asyncio.run(drive(FollowUpScreen(sid), steps))
    assert focus == "response"
    assert results == [True]
    assert rows("followup", "session_id, response, pain") == [(sid, "more sensitive", 2)]


def test_followup_burst_of_arrows_enter_and_digits():
    sid = new_session(hours_ago=20)

    async def steps(pilot, screen):
        await burst(pilot, ["down", "enter", "4", "enter"])

    results, _ = asyncio.run(drive(FollowUpScreen(sid), steps))
    assert results == [True]
    assert rows("followup", "response, pain") == [("same", 4)]


def test_followup_error_goes_once_a_choice_is_made_and_shift_tab_goes_back():
    sid = new_session(hours_ago=20)

    async def steps(pilot, screen):
        error = screen.query_one("#followup-error")
        await burst(pilot, ["tab", "3", "enter"])  # pain first, no choice yet
        first = str(error.render()), values(screen)
        await burst(pilot, ["shift+tab", "down", "down", "space"])
        return first, str(error.render()), screen.focused.id

    results, (first, second, focus) = asyncio.run(drive(FollowUpScreen(sid), steps))
    assert "Choose" in first[0] and first[1] == {"pain": "3"}
    assert second == "" and focus == "response"
    assert results == []


def test_a_small_terminal_shows_the_focused_field_whole():
    from tests.tui.helpers import screen_text

    sid = new_session()

    async def main():
        app = App()
        async with app.run_test(size=(40, 12)) as pilot:
            app.push_screen(CheckInScreen(session_id=sid))
            await pilot.pause()
            first = screen_text(app)
            await burst(pilot, ["tab", "tab"])
            return first, screen_text(app), app.focused.id

    first, later, focus = asyncio.run(main())
    rows = first.splitlines()
    assert all(len(row.rstrip()) <= 40 for row in rows)
    assert rows[0].startswith("╭") and rows[0].rstrip().endswith("╮")  # the whole box
    assert focus == "note" and "A note" in later


def test_at_40x12_the_follow_up_shows_its_question_with_its_choices_then_pain():
    """The question stays with its three choices, and the pain question, wrapped, with
    its box: a short terminal scrolls only as far as the focused field needs."""
    import re

    from tests.tui.helpers import screen_text

    sid = new_session(hours_ago=20)

    def flat(text: str) -> str:
        return re.sub(r"[\s│]+", " ", text)

    async def main():
        app = App()
        async with app.run_test(size=(40, 12)) as pilot:
            app.push_screen(
                FollowUpScreen(sid, routine="glute-bridge", started=datetime(2026, 11, 24, 8))
            )
            for _ in range(3):
                await pilot.pause()
            first = screen_text(app)
            await burst(pilot, ["tab"])
            for _ in range(3):
                await pilot.pause()
            return first, screen_text(app), app.focused.id

    first, later, focus = asyncio.run(main())
    assert "Since your glute-bridge session" in flat(first) and "has your back felt…" in flat(first)
    for choice in ("Calmer", "The same", "More sensitive"):
        assert choice in first
    assert focus == "pain"
    assert "Pain now: 0 = none, 10 = the worst imaginable" in flat(later)
    assert "0–10" in later
