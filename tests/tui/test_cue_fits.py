"""The phase cue is what the person needs: at the smallest sizes it wraps rather than
being cut, in a built-in routine with a figure and long cues."""

from __future__ import annotations

import asyncio
import re

import pytest

from breathpace.library import builtin_routine_files, load_routine
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text


def _everyday_back():
    (path,) = [p for p in builtin_routine_files() if p.stem == "everyday-back"]
    return load_routine(path)


@pytest.mark.parametrize("size", [(40, 12), (34, 28), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_phase_cue_is_shown_whole(size):
    routine = _everyday_back()

    async def main():
        app, clock, session = make_player_app(routine, name="everyday-back")
        seen: dict[str, str] = {}
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            # Through the first exercises, a frame each second: every cue shown.
            for _ in range(150):
                await advance(pilot, clock, 1.0, step=0.5)
                if session.player.state.name == "WAITING":
                    session.player.confirm_ready()
                if screen.cue and screen.cue not in seen:
                    seen[screen.cue] = screen_text(app)
        return seen

    seen = asyncio.run(main())
    assert len(seen) >= 4
    for cue, text in seen.items():
        flat = re.sub(r"\s+", " ", text)
        assert cue in flat, f"cut at {size}: {cue!r}"
        assert "…" not in cue
