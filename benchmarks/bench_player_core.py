"""What the Player costs to build, and what its pure core costs per poll.

Run: python benchmarks/bench_player_core.py [--runs N]

Prints medians over N runs (default 15) for a 10,000-rep routine on the silent backend:
- building a Player that compiles the timeline itself, and one handed the timeline
  already compiled (as `session.prepare` does, so a session compiles once);
- one `Core.sync` (what every poll does) while playing through the session, and one
  pace request (a recompiled plan placed at the next rep boundary).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_compile import routine as big_routine

from breathpace.audio.backends.silent import SilentBackend
from breathpace.clock import FakeClock
from breathpace.player import Player
from breathpace.player.core import Core, Plan
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import compile


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    routine = big_routine("seconds")
    timeline = compile(routine)
    backend = SilentBackend(clock=FakeClock())
    build = median_ms(lambda: Player(routine, backend=backend), runs)
    given = median_ms(lambda: Player(routine, backend=backend, timeline=timeline), runs)
    print(f"Player(...) compiling its timeline:   {build:8.2f} ms")
    print(f"Player(..., timeline=compiled):       {given:8.2f} ms")

    sr = 44100
    plan = Plan.of(
        timeline, sr, pace=routine.pace_parsed, pace_override=None, tempo_scale=Fraction(1)
    )
    slow = BreathPattern.parse("1-0-1-0")
    other = Plan.of(
        compile(routine, slow), sr, pace=slow, pace_override=slow, tempo_scale=Fraction(1)
    )
    core = Core(plan, sr, wall_clock=False)
    core.start(0)
    step = sr // 30  # a poll per frame at 30 frames a second
    n = 3000
    start = time.perf_counter()
    for i in range(1, n + 1):
        core.sync(i * step)
    per_sync = (time.perf_counter() - start) / n * 1e6
    print(f"Core.sync while playing:              {per_sync:8.2f} us")
    position = n * step
    request = median_ms(lambda: core.request(other if core.base is plan else plan, position), runs)
    print(f"Core.request (pace at next boundary): {request:8.2f} ms")


if __name__ == "__main__":
    main()
