"""The `--watch` error banner shows the whole message, wrapped, never cut at the width:
the author needs the file, the item, the field and what was found."""

from __future__ import annotations

import asyncio
import os
import re

from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text


def test_a_long_watch_error_wraps_over_several_lines_at_60_columns(routine_file):
    async def main():
        from breathpace.library import load_routine

        app, clock, _session = make_player_app(load_routine(routine_file), watch=routine_file)
        async with app.run_test(size=(60, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 1)
            broken = short_routine_text(reps=5).replace(
                'move = "lift"', 'move = "lift", "br[b]ath" = "exhale"'
            )
            routine_file.write_text(broken, encoding="utf-8")
            st = routine_file.stat()
            os.utime(routine_file, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
            screen.check_watch()
            await advance(pilot, clock, 0.25)
            message = screen.banner
            assert len(message) > 60  # a message longer than the screen is wide
            assert 'unknown key "phases[1].br[b]ath"' in message
            banner = app.screen.query_one("#banner")
            assert banner.display and banner.size.height >= 2
            # Every character of the message is on screen, in order, across the wrapped
            # rows (a long path folds mid-word, so compare without the spaces).
            text = screen_text(app)
            assert re.sub(r"\s", "", message) in re.sub(r"\s", "", text)
            assert "…" not in text
            assert "br[b]ath" in text  # the file's text is data, never markup

    asyncio.run(main())
