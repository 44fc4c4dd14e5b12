"""Shared helpers for the interface tests: the screen as plain text, a frame step."""

from __future__ import annotations

import io
import re

from rich.cells import get_character_cell_size
from rich.console import Console


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (one line per row)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    console.print(update)
    return console.export_text(styles=False)


def make_player_app(
    routine,
    *,
    name: str = "short",
    watch=None,
    calm: bool = False,
    standalone: bool = True,
    start: float = 1000.0,
):
    """An app playing `routine` on a fake clock, through the session runner as `play`
    builds it (`watch`: the routine's file, reloaded when saved). Returns (app, clock,
    runner)."""
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen
    from tests.fakes import FakeRig

    rig = FakeRig(start)
    if watch is not None:
        runner = rig.runner(routine, name=name, path=watch, source=None, watch=True)
    else:
        runner = rig.runner(routine, name=name)
    app = BreathpaceApp(
        clock=rig.clock,
        calm=calm,
        first=lambda: PlayerScreen(runner, calm=calm, standalone=standalone),
    )
    return app, rig.clock, runner


def player_screen(app):
    from breathpace.tui.screens.player import PlayerScreen

    return next(s for s in reversed(app.screen_stack) if isinstance(s, PlayerScreen))


async def advance(pilot, clock, seconds: float, step: float = 0.25) -> None:
    """Move the fake clock forward, one frame every `step` seconds (as the timer would,
    but exactly), then let the screen redraw."""
    screen = player_screen(pilot.app)
    if not screen.session.started and screen.is_active:
        # The screen starts the session at its first look, right after its first
        # refresh: take that look now, so the clock moves from where the session began
        # however quickly the pilot judged the app idle.
        screen.tick()
    remaining = seconds
    while remaining > 1e-9:
        dt = min(step, remaining)
        clock.advance(dt)
        remaining -= dt
        screen.tick()
    await pilot.pause()


async def burst(pilot, keys) -> None:
    """Send keys the way a terminal delivers fast typing or a paste: every key at once,
    with no pause for the app between them (`pilot.press` waits after each key)."""
    from textual import events

    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(3):
        await pilot.pause()


def footer_text(app) -> str:
    """The footer's row (the last line of the screen)."""
    return screen_text(app).rstrip("\n").splitlines()[-1]


async def until(pilot, done, timeout: float = 5.0) -> None:
    """Let the app run until `done()` holds (work queued for after the next refresh,
    such as ending a session, is not there yet when the pilot first finds the app idle);
    fails after `timeout` seconds of real time."""
    import time

    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await pilot.pause()


TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|(\r)|(\n)|(.)", re.S)


class Terminal:
    """Just enough of a terminal: cursor moves, colours, and double-width characters
    that take two cells (writing into either half of one erases the other half)."""

    def __init__(self, rows: list[list[tuple[str, str]]]) -> None:
        self.cells = [list(row) for row in rows]
        self.x = self.y = 0
        self.sgr = ""

    def _clear_wide(self, x: int) -> None:
        row = self.cells[self.y]
        if row[x][0] == "" and x > 0:  # the right half of a wide character
            row[x - 1] = (" ", row[x - 1][1])
        if get_character_cell_size(row[x][0] or " ") == 2 and x + 1 < len(row):
            row[x + 1] = (" ", row[x + 1][1])

    def feed(self, data: str) -> None:
        for match in TOKEN.finditer(data):
            row_s, col_s, sgr, cr, lf, char = match.groups()
            if row_s:
                self.y, self.x = int(row_s) - 1, int(col_s) - 1
            elif sgr is not None:
                params = sgr.split(";")
                if params[0] in ("", "0"):  # a reset, maybe with new colours after it
                    self.sgr, params = "", params[1:]
                if params:
                    self.sgr += ";" + ";".join(params)
            elif cr:
                self.x = 0
            elif lf:
                self.y = min(self.y + 1, len(self.cells) - 1)
            else:
                size = get_character_cell_size(char)
                self._clear_wide(self.x)
                if size == 2:
                    self._clear_wide(self.x + 1)
                self.cells[self.y][self.x] = (char, self.sgr)
                if size == 2:
                    self.cells[self.y][self.x + 1] = ("", self.sgr)
                self.x += size
