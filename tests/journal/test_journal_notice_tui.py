"""The player screen shows a journal that fails mid-session as one notification, and the
session plays on (Pilot, fake clock, silent backend, a real journal file)."""

from __future__ import annotations

import asyncio
import shutil
import time
import tomllib

import pytest

from breathpace import paths
from breathpace.routine.model import Routine

pytest.importorskip("textual")

from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text


def test_a_journal_deleted_mid_session_is_one_notification_and_the_session_goes_on(
    isolated_home,
):
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(seen_safety=True))  # past the first-run safety notice
    routine = Routine.model_validate(tomllib.loads(short_routine_text(3)))

    async def main():
        app, clock, session = make_player_app(routine)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 5)
            assert session.started, screen_text(app)
            assert session.recorder.flush(5) and paths.journal_file().exists()
            shutil.rmtree(paths.journal_file().parent)
            await advance(pilot, clock, 3)  # a rep completes: its write finds no journal
            deadline = time.monotonic() + 5
            while session.recorder.writer.pending and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            await advance(pilot, clock, 3)  # the next event hands the notice over
            messages = [n.message for n in app._notifications if "journal" in n.message]
            assert len(messages) == 1 and "deleted" in messages[0], messages
            assert screen.state == "playing"
            session.end("quit")
        assert paths.journal_file().exists()

    asyncio.run(main())
