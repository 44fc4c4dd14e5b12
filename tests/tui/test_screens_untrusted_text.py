"""Routine strings and journal rows are shown as text in every screen.

A user routine whose every string is Textual markup (`[/]` used to crash the home
screen and the player, `[@click=app.quit]quit[/]` was a working link) is opened on the
home, Breathe, preview, player, check-in, follow-up and history screens; the literal
string must be on screen and the app must still be running. Control characters from an
old journal row are shown as visible stand-ins.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text

from breathpace.journal.db import open_journal
from breathpace.tui.text import cell, plain, shown
from tests.tui.helpers import player_screen, screen_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

PAYLOADS = ["[/]", "[@click=app.quit]quit[/]", "[bold]x[/bold]"]


def routine_text(s: str, *, breathing: bool = False) -> str:
    q = json.dumps(s)  # a TOML basic string for these ASCII payloads
    if breathing:
        return (
            f'format = 1\ntitle = {q}\nsummary = {q}\ntags = ["breathing", {q}]\n'
            f'[[exercise]]\nname = {q}\npattern = "4-0-6-0"\ncycles = 2\n'
            f"position = {q}\ncues = [{q}]\nsafety = {q}\n"
        )
    return (
        f"format = 1\ntitle = {q}\nsummary = {q}\ntags = [{q}]\nsafety = {q}\nlead_in = 3\n"
        f"[[exercise]]\nname = {q}\nposition = {q}\ncues = [{q}]\nsafety = {q}\nreps = 2\n"
        f'phases = [\n  {{ move = {q}, breath = "exhale", seconds = 2, effort = true, '
        f'cue = {q} }},\n  {{ move = {q}, breath = "inhale", seconds = 2 }},\n]\n'
    )


def make_app(first=None):
    from breathpace.settings import load_settings
    from breathpace.tui.app import BreathpaceApp
    from tests.fakes import FakeRig

    rig = FakeRig(500.0)
    app = BreathpaceApp(
        settings=load_settings(),
        backend=rig.backend,
        clock=rig.clock,
        first=first,
    )
    return app, rig.clock


def _select_row(table, wanted: str) -> int:
    for i in range(table.row_count):
        if Text.from_markup(table.get_row_at(i)[0]).plain.startswith(wanted):
            return i
    raise AssertionError(f"{wanted!r} not in the table")


@pytest.mark.parametrize("s", PAYLOADS)
def test_home_preview_and_player_show_markup_as_text(user_routines_dir, s):
    (user_routines_dir / "nasty.toml").write_text(routine_text(s), "utf-8")

    async def main():
        from breathpace.tui.screens.home import HomeScreen
        from breathpace.tui.screens.preview import PreviewScreen

        app, clock = make_app()
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert f"{s} (yours)" in screen_text(app)
            table = app.screen.query_one("#routines")
            row = _select_row(table, f"{s} (yours)")
            table.move_cursor(row=row)
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PreviewScreen)
            text = screen_text(app)
            assert text.count(s) >= 3  # title, summary, the exercise's row
            await pilot.press("enter")
            await pilot.pause()
            screen = player_screen(app)
            assert screen.session.player.routine.title == s
            text = screen_text(app)
            assert f"Coming up: {s}" in text and s in text.replace(f"Coming up: {s}", "")
            # Into the first phase: the exercise name heads, the move follows the word.
            for _ in range(16):
                clock.advance(0.25)
                screen.tick()
            await pilot.pause()
            text = screen_text(app)
            assert f"{s} · set 1/1 · rep 1/2" in text
            assert f"EXHALE · {s}" in text
            # A click on the name is a click on text, not on a link that quits.
            await pilot.click("#heading", offset=(2, 0))
            await pilot.click("#phase", offset=(10, 0))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            assert player_screen(app) is screen

    asyncio.run(main())


@pytest.mark.parametrize("s", PAYLOADS)
def test_breathe_screen_lists_a_preset_titled_with_markup_as_text(user_routines_dir, s):
    (user_routines_dir / "nasty-breath.toml").write_text(routine_text(s, breathing=True), "utf-8")

    async def main():
        from breathpace.tui.screens.breathe import BreatheScreen

        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            assert f"{s}  4-0-6-0" in screen_text(app)
            assert app.is_running

    asyncio.run(main())


@pytest.mark.parametrize("s", PAYLOADS)
def test_history_check_in_and_follow_up_show_a_journal_row_as_text(isolated_home, s):
    with open_journal() as journal:
        yesterday = datetime.now(UTC) - timedelta(hours=20)
        # A row as an older breathpace wrote it: markup and control characters in the
        # routine name (never refused then) and in the note.
        sid = add_session(journal, "glute-bridge", yesterday, note=f"{s}\x1b[2J")
        with journal.transaction() as conn:
            conn.execute("UPDATE session SET routine = ? WHERE id = ?", (f"{s}\x1b]0;x\x07", sid))

    async def main():
        from breathpace.tui.screens.checkin import CheckInScreen
        from breathpace.tui.screens.followup import FollowUpScreen
        from breathpace.tui.screens.history import HistoryScreen

        app, _ = make_app()
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            # The next-day question names the routine, as text.
            assert isinstance(app.screen, FollowUpScreen)
            text = screen_text(app)
            assert f"your {s}\\x1b]0;x\\x07 session" in text
            await pilot.press("escape")
            await pilot.pause()
            app.push_screen(HistoryScreen())
            await pilot.pause()
            text = screen_text(app)
            assert f"{s}\\x1b]0;x\\x07" in text
            assert "\x1b" not in text and "\x07" not in text
            await pilot.press("escape")
            await pilot.pause()
            app.push_screen(CheckInScreen(session_id=sid))
            await pilot.pause()
            assert f"{s}\\x1b]0;x\\x07 · " in screen_text(app)
            assert app.is_running and app.return_code is None

    asyncio.run(main())


def test_notifications_quote_markup_as_text(isolated_home):
    async def main():
        app, _ = make_app()
        async with app.run_test(size=(160, 45), notifications=True) as pilot:
            await pilot.pause()
            app.notify('bad value "[@click=app.quit]quit[/]" and [/] \x1b]0;t\x07')
            await pilot.pause()
            from textual.widgets._toast import Toast

            toast = app.screen.query_one(Toast)
            shown_text = toast.render().plain
            assert 'bad value "[@click=app.quit]quit[/]" and [/] \\x1b]0;t\\x07' in shown_text
            assert app.is_running

    asyncio.run(main())


@pytest.mark.parametrize(
    "value",
    [*PAYLOADS, "\\", "a\\[b]", "[link=https://x]y[/link]", "\x1b[2J\r\n\u202e", "\udce9t"],
)
def test_the_helpers_show_any_string_as_written(value):
    from rich.markup import render

    assert plain(value).plain == shown(value)
    assert render(cell(value)).plain == shown(value)
    assert all(c.isprintable() for c in shown(value))
