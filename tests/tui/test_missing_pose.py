"""A phase naming a pose its figure lacks: the routine fails `check`, so it never starts.

The story: an author types `pose = "cta"` for "cat" (or pastes a name holding an
escape). `check` names the field; `list` and the home screen mark the routine invalid
with the same words; `play` refuses it in one line; and when the slip is saved while
the routine plays under `--watch`, the session goes on with the last good version and
shows the error at the top.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text

GOOD = """\
format = 1
title = "Cat and cow"
pace = "2-0-2-0"
lead_in = 3

[[exercise]]
name = "Cat cow"
figure = "cat-cow"
sets = 1
reps = 6
phases = [
  {{ move = "round", pose = "{first}", breath = "exhale", seconds = 2, effort = true }},
  {{ move = "soften", pose = "cow", breath = "inhale", seconds = 2 }},
]
"""

BAD_POSES = ["cta", "c\x1b]0;pwned\x07t"]


def text(first: str = "cat") -> str:
    # TOML basic strings take \u escapes: the file itself holds no raw control character.
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 else c for c in first)
    return GOOD.format(first=escaped)


@pytest.fixture
def bad_routine(user_routines_dir, request) -> Path:
    path = user_routines_dir / "cats.toml"
    path.write_text(text(request.param), encoding="utf-8")
    return path


@pytest.mark.parametrize("bad_routine", BAD_POSES, indirect=True, ids=["typo", "escape"])
def test_check_list_and_play_agree_that_it_is_invalid(bad_routine):
    check = CliRunner().invoke(main, ["check", str(bad_routine)])
    assert check.exit_code == 2
    assert 'figure "cat-cow" has no pose' in check.stderr

    listing = CliRunner().invoke(main, ["list"])
    row = [line for line in listing.output.splitlines() if "cats" in line]
    assert len(row) == 1 and "has no pose" in row[0], listing.output

    play = CliRunner().invoke(main, ["play", "cats", "--plain"])
    assert play.exit_code == 2
    assert play.stderr.count("\n") == 1
    assert 'phases[1].pose: figure "cat-cow" has no pose' in play.stderr
    for result in (check, listing, play):
        assert "\x1b" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("bad_routine", BAD_POSES, indirect=True, ids=["typo", "escape"])
def test_home_marks_it_invalid_and_enter_does_not_start_it(bad_routine):
    from breathpace.tui.screens.home import HomeScreen
    from breathpace.tui.screens.player import PlayerScreen
    from tests.tui.test_screens import make_app

    async def run() -> None:
        app, _ = make_app()
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            shown = screen_text(app)
            assert "cats" in shown and "cannot load" in shown
            assert "\x1b" not in shown
            routines = app.screen.query_one("#routines")
            rows = [routines.get_row_at(i) for i in range(routines.row_count)]
            index = next(i for i, row in enumerate(rows) if "cats" in str(row[0]))
            routines.move_cursor(row=index)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert not any(isinstance(s, PlayerScreen) for s in app.screen_stack)

    asyncio.run(run())


@pytest.mark.parametrize("bad", BAD_POSES, ids=["typo", "escape"])
def test_saved_under_watch_the_last_good_version_plays_on(user_routines_dir, bad):
    from breathpace.library import load_routine

    path = user_routines_dir / "cats.toml"
    path.write_text(text(), encoding="utf-8")

    async def run() -> None:
        app, clock, session = make_player_app(load_routine(path), name="cats", watch=path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3 + 4 + 0.5)
            assert screen.heading.endswith("rep 2/6")

            path.write_text(text(bad), encoding="utf-8")
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
            screen.check_watch()
            await advance(pilot, clock, 0.5)
            assert 'has no pose "c' in screen.banner
            assert "\n" not in screen.banner and "\x1b" not in screen.banner
            assert app.screen.query_one("#banner").display
            # The session goes on, with the poses it had, through every phase.
            await advance(pilot, clock, 8)
            assert screen.heading.endswith("rep 4/6")
            assert not session.ended
            assert "\x1b" not in screen_text(app)

    asyncio.run(run())


def test_a_figure_asked_for_a_pose_it_lacks_draws_its_start_pose():
    # The last guard: whatever reaches the figure, the screen draws rather than dies.
    from breathpace.library import load_figure_named

    figure = load_figure_named("cat-cow")
    assert figure.angles("no-such-pose") == figure.angles("start")
