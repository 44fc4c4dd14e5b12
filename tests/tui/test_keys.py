"""Keys a person can trust: the footer always shows `?` and `q`, a key shown
in the footer never types into a field instead, help pauses the session, and the
player's status line never runs into itself.
"""

from __future__ import annotations

import asyncio
import re
import tomllib

import pytest

from breathpace.player.events import PlayerState
from breathpace.routine.model import Routine
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, footer_text, make_player_app, screen_text
from tests.tui.test_screens import make_app
from tests.tui.test_snapshots import fixed_library  # noqa: F401  (a fixture)

SIZES = [(40, 12), (80, 24), (100, 30)]


def short() -> Routine:
    return Routine.model_validate(tomllib.loads(short_routine_text()))


def shows(footer: str, key: str, label: str) -> bool:
    return re.search(rf"(^|\s){re.escape(key)} {label}\b", footer) is not None


async def footer_of(screen_name: str, size) -> str:
    from breathpace.tui.screens.breathe import BreatheScreen

    if screen_name == "player":
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 4)
            return footer_text(app)
    on_breathe = screen_name in ("breathe", "breathe-typing", "pace")
    app, _ = make_app(first=BreatheScreen if on_breathe else None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        key = {"history": "h", "pace": "f"}.get(screen_name)
        if key:
            await pilot.press(key)
            await pilot.pause()
        if screen_name == "breathe-typing":
            app.screen.set_focus(app.screen.query_one("#minutes"))
            await pilot.pause()
            assert app.focused.id == "minutes"
        await pilot.pause()
        return footer_text(app)


@pytest.mark.usefixtures("fixed_library")
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("screen", "quit_label"),
    [
        ("home", "Quit"),
        ("player", "Quit"),
        ("breathe", "Back"),
        ("breathe-typing", "Back"),
        ("history", "Back"),
        ("pace", "Back"),
    ],
)
def test_every_footer_shows_help_and_the_way_out(screen, quit_label, size):
    footer = asyncio.run(footer_of(screen, size))
    assert shows(footer, "?", "Help"), footer
    assert shows(footer, "q", quit_label), footer
    assert len(footer.rstrip()) <= size[0]


def test_the_player_footer_fills_a_wide_terminal_and_drops_keys_at_a_narrow_one():
    narrow = asyncio.run(footer_of("player", (40, 12)))
    wide = asyncio.run(footer_of("player", (100, 30)))
    assert shows(narrow, "space", "Pause") and not shows(narrow, "m", "Mute")
    for key, label in (("space", "Pause"), ("n", "Next"), ("+", "Slower"), ("m", "Mute")):
        assert shows(wide, key, label), wide
    # the keys left out of a footer are all in help
    from breathpace.tui.screens.help import KEYS

    listed = " ".join(k for k, _ in KEYS)
    for key in ("N / P", "m", "v", "?", "q"):
        assert key in listed


@pytest.mark.usefixtures("fixed_library")
def test_keys_a_narrow_footer_leaves_out_are_listed_in_help():
    from breathpace.tui.screens.help import HelpScreen

    async def main():
        app, _ = make_app()
        async with app.run_test(size=(80, 40)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            return screen_text(app)

    narrow = asyncio.run(footer_of("home", (40, 12)))
    assert "History" not in narrow  # no room for it at 40 columns …
    text = asyncio.run(main())
    for words in ("h history", "f find my pace", "a accept", "N / P"):
        assert words in text, words  # … but help lists it


@pytest.mark.parametrize("size", [(40, 12), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_while_paused_the_footer_says_space_resumes(size):
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 4)
            playing = footer_text(app)
            await pilot.press("space")
            await pilot.pause()
            paused, state = footer_text(app), app.screen.state
            await pilot.press("space")
            await pilot.pause()
            return playing, paused, state, footer_text(app), app.screen.state

    playing, paused, state, again, state_again = asyncio.run(main())
    assert shows(playing, "space", "Pause") and not shows(playing, "space", "Resume")
    assert state is PlayerState.PAUSED
    assert shows(paused, "space", "Resume") and not shows(paused, "space", "Pause")
    assert state_again is PlayerState.PLAYING and shows(again, "space", "Pause")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_status_line_never_runs_into_itself(size):
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 6)
            await pilot.press("plus", "space")  # a pending pace, then paused
            await pilot.pause()
            return screen_text(app)

    text = asyncio.run(main())
    (line,) = [row for row in text.splitlines() if "Paused" in row]
    status, audio = re.split(r"\s{2,}", line.strip())
    assert status.startswith("Paused") and audio.startswith("pace 2-0-2-0")
    assert status == "Paused: space to resume" or status.endswith("…")
    assert re.fullmatch(r"pace 2-0-2-0 · vol \d+%", audio) or audio.endswith("…")


@pytest.mark.usefixtures("fixed_library")
def test_breathe_footer_keys_act_even_while_a_field_has_focus():
    from breathpace.tui.screens.breathe import BreatheScreen
    from breathpace.tui.screens.help import HelpScreen
    from breathpace.tui.screens.pace import PaceScreen

    async def main():
        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.click("#pattern")
            pattern = app.screen.query_one("#pattern")
            pattern.value = ""
            await pilot.press(*"4-0-6-0", "f")
            await pilot.pause()
            assert isinstance(app.screen, PaceScreen)
            assert pattern.value == "4-0-6-0"  # the f did not type
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is pattern
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("x", "5")  # letters cannot go into a number field
            await pilot.pause()
            assert pattern.value == "4-0-6-05"
            await pilot.press("q")
            await pilot.pause()
            return app.return_code

    assert asyncio.run(main()) == 0  # q left Breathe (the first screen: the app ends)


@pytest.mark.parametrize("paused_before", [False, True])
def test_help_pauses_the_session_and_resumes_only_if_it_was_playing(paused_before):
    from breathpace.tui.screens.help import HelpScreen

    async def main():
        app, clock, session = make_player_app(short())
        player = session.player
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 4)
            if paused_before:
                await pilot.press("space")
            before = player.position_ms
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert player.state is PlayerState.PAUSED
            await advance(pilot, clock, 10)
            assert player.position_ms == before  # nothing was missed while reading
            await pilot.press("escape")
            await pilot.pause()
            await advance(pilot, clock, 2)
            return player.state, player.position_ms - before

    state, moved = asyncio.run(main())
    if paused_before:
        assert state is PlayerState.PAUSED and moved == 0
    else:
        assert state is PlayerState.PLAYING and moved == 2000
