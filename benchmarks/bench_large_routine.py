"""The largest routine the limits allow: `check` and `preview --json` on 400,000 segments.

Run: python benchmarks/bench_large_routine.py [--runs N]

The routine is 100 sets x 1,000 reps x 2 sides x 2 phases (MAX_SETS and MAX_REPS), with
20 ms phases so that it stays inside the 4 hour limit: 400,201 segments, 2 h 23 min.
Each command runs as a fresh process of the installed `breathpace` (or `python -m
breathpace`), as a person runs it; the benchmark prints the median wall time and the
median peak RSS of that process over N runs (default 7). It also prints, in this
process, the median time to compile the routine and to build every Segment object of
it (what the player and the mixer do when they walk the whole timeline).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from breathpace.library import load_routine
from breathpace.routine.model import MAX_REPS, MAX_SETS
from breathpace.timeline import compile

ROUTINE = f"""\
format = 1
title = "The largest routine the limits allow"
pace = "4-0-6-0"

[[exercise]]
name = "Quick reps"
sets = {MAX_SETS}
reps = {MAX_REPS}
sides = "both"
rest = {{ seconds = 1 }}
phases = [
  {{ move = "lift", seconds = 0.02, effort = true }},
  {{ move = "lower", seconds = 0.02 }},
]
"""


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process, its output thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {err.strip()}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (>= 5)")
    runs = max(5, parser.parse_args().runs)
    script = shutil.which("breathpace")
    base = [script] if script else [sys.executable, "-m", "breathpace"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "largest.toml"
        path.write_text(ROUTINE, encoding="utf-8")
        routine = load_routine(path)
        timeline = compile(routine)
        print(f"routine: {len(timeline):,} segments, {timeline.duration_ms / 3_600_000:.2f} h")
        for args in (["check", str(path)], ["preview", "--json", str(path)]):
            command = base + args
            run(command)  # warm the file cache
            results = [run(command) for _ in range(runs)]
            walls = [w for w, _ in results]
            rss = statistics.median(m for _, m in results)
            print(
                f"breathpace {args[0]}{' --json' if '--json' in args else ''}: "
                f"median {statistics.median(walls) * 1000:.0f} ms "
                f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}), "
                f"peak RSS median {rss:.0f} MB ({runs} runs)"
            )
    print(f"compile in process: median {median_ms(lambda: compile(routine), runs):.0f} ms")
    built = median_ms(lambda: list(compile(routine).segments), runs)
    print(f"compile and build every Segment: median {built:.0f} ms ({runs} runs)")


if __name__ == "__main__":
    main()
