"""Write docs/player.svg: the player screen in the middle of a built-in routine, with the
exercise figure moving beside the breath indicator.

The session runs on a fake clock and the silent backend (as in the snapshot tests), is
moved to the third rep of the glute bridge part-way through the lift (the figure's hips
on their way up, the indicator emptying with the out-breath), and saved with Textual's
own screenshot. The script fails rather than write a picture without the figure. Run
from the repository root:

    python docs/make_player_svg.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "player.svg"
SIZE = (100, 30)


async def main() -> None:
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.library import resolve
    from breathpace.player import Player
    from breathpace.session.run import Session
    from breathpace.timeline import Breath
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen

    resolved = resolve("glute-bridge")
    clock = FakeClock(0.0)
    backend = SilentBackend(clock=clock)
    player = Player(resolved.routine, backend=backend)
    target = next(
        s
        for s in player.timeline.segments
        if s.exercise_name == "Glute bridge" and s.rep == 3 and s.breath is Breath.EXHALE
    )
    goal_ms = target.start_ms + target.duration_ms * 11 // 20
    session = Session(player, routine_name=resolved.name, source="docs")
    screen = PlayerScreen(session, standalone=True)
    app = BreathpaceApp(backend=backend, clock=clock, first=lambda: screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while player.position_ms < goal_ms:
            clock.advance(min(0.25, (goal_ms - player.position_ms) / 1000))
            screen.tick()
        await pilot.pause()
        from breathpace.tui.widgets.figure import FigureView

        shown = screen.query_one(FigureView).shown
        if shown is None or shown.target != "top":
            raise SystemExit(f"the figure is not lifting to the top pose: {shown}")
        app.save_screenshot(str(OUT.name), path=str(OUT.parent))
    session.end("quit")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        # A throw-away journal and settings (safety notice seen), never the person's own.
        os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
        os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "data")
        from breathpace.settings import Settings, save_settings

        save_settings(Settings(seen_safety=True))
        asyncio.run(main())
    print(f"wrote {OUT}")
