"""Endings in the full screen, through Pilot with the silent backend and a
fake clock: the summary above the check-in, a session stopped at once not kept, and a
session that begins at an item (`--from`) or where the last one stopped (`--resume`)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from breathpace.journal.db import open_journal
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare
from breathpace.session.runner import SessionRunner
from breathpace.session.summary import print_summaries
from breathpace.tui.app import BreathpaceApp
from breathpace.tui.screens.checkin import CheckInScreen
from breathpace.tui.screens.confirm import ConfirmScreen
from breathpace.tui.screens.player import PlayerScreen
from tests.fakes import FakeRig
from tests.session.test_endings import ROUTINE, play
from tests.tui.helpers import advance, player_screen


@pytest.fixture
def routine_file(user_routines_dir: Path) -> Path:
    path = user_routines_dir / "three.toml"
    path.write_text(ROUTINE, "utf-8")
    return path


def app_for(prepared):
    rig = FakeRig(1000.0)
    session = SessionRunner(prepared, mode="tui", backend=rig.backend, clock=rig.clock).open()
    app = BreathpaceApp(
        clock=rig.clock,
        first=lambda: PlayerScreen(session, standalone=True),
    )
    return app, rig.clock, session


async def quit_after(pilot, clock, seconds: float) -> None:
    """Play `seconds` of the session, then quit it with q and confirm with y."""
    await pilot.pause()
    await advance(pilot, clock, seconds)
    await pilot.press("q")
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("y")


def options():
    return session_options(Overrides(audio="none"))


def test_a_completed_session_shows_its_summary_above_the_check_in(routine_file):
    async def main():
        app, clock, session = app_for(prepare("three", options()))
        async with app.run_test(size=(80, 30)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 65)
            await pilot.pause()
            assert isinstance(app.screen, CheckInScreen)
            shown = str(app.screen.query_one("#checkin-session").render())
            await pilot.press("escape")
            await pilot.pause()
        return shown, session

    shown, session = asyncio.run(main())
    assert "Three moves: completed" in shown
    assert "3 of 3 exercises, 9 of 9 reps" in shown
    assert "Next: a short check-in" in shown and "12 hours" in shown
    # And again on the terminal once the screen has closed.
    out = io.StringIO()
    print_summaries([session], out)
    assert "3 of 3 exercises, 9 of 9 reps" in out.getvalue()


def test_quit_in_the_first_seconds_is_not_kept_and_asks_no_check_in(routine_file):
    async def main():
        app, clock, session = app_for(prepare("three", options()))
        async with app.run_test(size=(80, 24)) as pilot:
            await quit_after(pilot, clock, 2)
            await pilot.pause()
            assert not isinstance(app.screen, CheckInScreen)
        return app, session

    app, session = asyncio.run(main())
    assert app.return_code == 0 and session.outcome == "quit"
    assert session.session_id is None and session.recorder.discarded
    with open_journal() as journal:
        assert journal.conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 0
    out = io.StringIO()
    print_summaries([session], out)
    assert "Not kept in the journal" in out.getvalue()


def test_from_an_item_begins_at_its_get_ready(routine_file):
    async def main():
        app, clock, _session = app_for(prepare("three", options(), from_item="2"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 0.5)
            screen = player_screen(app)
            heading = screen.heading
            await advance(pilot, clock, 10)
            return heading, screen.heading

    first, later = asyncio.run(main())
    assert first == "Coming up: Glute bridge"
    assert later.startswith("Glute bridge · set 1/2 · rep 1/2")


def test_resume_begins_after_the_last_finished_rep(routine_file):
    first = play(prepare("three", options()), seconds=10)  # two reps, then quit

    async def main():
        app, clock, session = app_for(prepare("three", options(), resume_last=True))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 0.5)
            screen = player_screen(app)
            heading, waiting = screen.heading, screen.cue
            await advance(pilot, clock, 3)  # it waits: nothing moves before Enter
            assert session.player.position_ms == session.begin.ms
            await pilot.press("enter")
            await advance(pilot, clock, 4)  # rep 3 done: a practice, kept
            session.end("quit")
            return heading, waiting, session

    heading, waiting, session = asyncio.run(main())
    assert heading.startswith("Pelvic tilt · set 1/1 · rep 3/3")
    assert waiting == "Press Enter when ready"
    with open_journal() as journal:
        row = journal.conn.execute(
            "SELECT continues FROM session WHERE id = ?", (session.recorder.session_id,)
        ).fetchone()
    assert row[0] == first.session_id


def test_a_stopped_session_at_100x30_shows_the_summary_whole_with_effort_focused(
    routine_file,
):
    """The check-in form is a little taller than 100x30: focusing Effort (Textual's
    auto-focus centres a field) must not scroll the summary's first line away."""
    from breathpace.tui.screens.checkin import FormBody
    from tests.tui.helpers import screen_text

    async def main():
        app, clock, _session = app_for(prepare("glute-bridge", options()))
        async with app.run_test(size=(100, 30)) as pilot:
            await quit_after(pilot, clock, 20)
            for _ in range(4):
                await pilot.pause()
            assert isinstance(app.screen, CheckInScreen)
            body = app.screen.query_one(FormBody)
            return screen_text(app), app.focused, body.max_scroll_y

    text, focused, max_scroll = asyncio.run(main())
    assert max_scroll > 0  # the form does not fit whole: the case this is about
    assert "Glute bridge: stopped" in text
    assert "Effort: 0 = none, 10 = the most you could do" in text
    assert focused is not None and focused.id == "effort"
