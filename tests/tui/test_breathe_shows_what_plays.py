"""The Breathe screen lists each preset with the breath that actually plays: cyclic
sighing's in-breath in its two parts (not the 4-0-8-0 of relaxing breath), the
resonance ramp from where it starts to where it goes."""

from __future__ import annotations

import asyncio
import re

from breathpace.library import builtin_routine_files, load_routine
from breathpace.timeline import Kind, compile
from tests.tui.helpers import screen_text
from tests.tui.test_screens import make_app


def _played_cycle(name: str) -> list[int]:
    (path,) = [p for p in builtin_routine_files() if p.stem == name]
    timeline = compile(load_routine(path))
    phases = [s for s in timeline.segments if s.kind is Kind.PHASE]
    first_rep = [s for s in phases if s.rep == phases[0].rep]
    return [s.duration_ms for s in first_rep]


def test_the_listed_patterns_are_the_played_ones():
    from breathpace.tui.screens.breathe import BreatheScreen

    async def main():
        app, _ = make_app(first=BreatheScreen)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            return screen_text(app)

    text = asyncio.run(main())
    sighing = next(line for line in text.splitlines() if "Cyclic sighing" in line)
    ramp = next(line for line in text.splitlines() if "Resonance ramp" in line)
    # What the timeline plays, cycle one: 2.8 s in, a 1.2 s top-up, 8 s out.
    assert _played_cycle("cyclic-sighing") == [2800, 1200, 8000]
    assert "2.8+1.2-0-8-0" in sighing
    assert re.search(r"(^|\s)4-0-8-0", sighing) is None  # not relaxing breath's pattern
    # The ramp starts at 2.5 s in, 3.5 s out (10 a minute) and slows toward 6.
    assert _played_cycle("resonance-ramp") == [2500, 3500]
    assert "2.5-0-3.5-0 → 6/min" in ramp
