"""Compile time of a 10,000-rep routine: the timing engine on the largest sane session.

Run: python benchmarks/bench_compile.py [--runs N]

Prints the median (and min/max) wall time of `compile()` over N runs (default 9), for a
seconds-based and a breaths-based rep, plus the cost of one `Timeline.at()` lookup.
`compile()` stores the segments as columns and builds each Segment object the first
time it is read, so the time to compile *and* build every segment (what the mixer and
the player pay when they walk the whole timeline) is printed too.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from breathpace.routine.model import Routine
from breathpace.timeline import compile

REPS = 10_000


def routine(unit: str) -> Routine:
    # 10 sets of 1,000 reps, one second each, stays inside the 4 hour limit.
    if unit == "seconds":
        phases = [
            {"move": "lift", "seconds": 0.4, "effort": True},
            {"move": "lower", "seconds": 0.6},
        ]
        pace = "4-0-6-0"
    else:
        phases = [
            {"move": "lift", "breaths": 0.5, "effort": True},
            {"move": "lower", "breaths": 0.5},
        ]
        pace = "0.5-0-0.5-0"
    return Routine.model_validate(
        {
            "format": 1,
            "title": "Ten thousand reps",
            "pace": pace,
            "exercise": [
                {
                    "name": "Tiny reps",
                    "sets": 10,
                    "reps": REPS // 10,
                    "rest": {"seconds": 5},
                    "phases": phases,
                }
            ],
        }
    )


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per measurement (>= 7)")
    runs = max(7, parser.parse_args().runs)
    for unit in ("seconds", "breaths"):
        r = routine(unit)
        timeline = compile(r)
        reps = sum(1 for s in timeline.segments if s.is_rep and s.move == "lift")
        assert reps == REPS, reps
        times = timed(lambda r=r: compile(r), runs)
        hours = timeline.duration_ms / 3_600_000
        print(
            f"compile, {REPS:,} reps in {unit} ({len(timeline):,} segments, {hours:.2f} h): "
            f"median {statistics.median(times) * 1000:.1f} ms"
            f" (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {runs} runs)"
        )
        times = timed(lambda r=r: list(compile(r).segments), runs)
        print(
            f"  compile and build every Segment: median {statistics.median(times) * 1000:.1f} ms"
            f" (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})"
        )
    rng = random.Random(1)
    points = [rng.randrange(timeline.duration_ms) for _ in range(100_000)]
    times = timed(lambda: [timeline.at(t) for t in points], runs)
    per = statistics.median(times) / len(points) * 1e9
    print(
        f"Timeline.at on {len(timeline):,} segments: median {per:.0f} ns per lookup ({runs} runs)"
    )


if __name__ == "__main__":
    main()
