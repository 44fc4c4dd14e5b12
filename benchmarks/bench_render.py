"""Render speed of the mixer: a 30-minute session rendered in 10-second blocks.

Prints the median wall time over 5 runs and how many times faster than real time it
is, for the default theme alone and with every option (tick, breath tone). The 10 s
block loop is the one `breathpace render` uses; the 1024-frame one is what a live
audio callback asks for.

    python benchmarks/bench_render.py
"""

from __future__ import annotations

import statistics
import time

from breathpace.audio.mixer import SAMPLE_RATE, Mixer
from breathpace.audio.theme import load_theme
from breathpace.routine.load import parse_routine
from breathpace.timeline import compile

RUNS = 5
BLOCK = 10 * SAMPLE_RATE

ROUTINE = """
format = 1
title = "Thirty minutes"
pace = "4-0-6-0"
lead_in = 10

[[exercise]]
name = "Settle"
pattern = "4-0-6-0"
minutes = 6.6

[[exercise]]
name = "Bridge"
sides = "both"
sets = 3
reps = 5
halfway = true
rest = { breaths = 3 }
phases = [
  { move = "lift", breath = "exhale", breaths = 1, effort = true },
  { move = "hold", breath = "hold", breaths = 2 },
  { move = "lower", breath = "inhale", breaths = 1 },
]

[[exercise]]
name = "Resonance"
pattern = "5-0-5-0"
minutes = 6.6
"""


def session():
    timeline = compile(parse_routine(ROUTINE, "<bench>"))
    return timeline


def run(timeline, theme, block: int = BLOCK, **opts) -> tuple[float, float]:
    t0 = time.perf_counter()
    mixer = Mixer(timeline, theme, SAMPLE_RATE, **opts)
    t1 = time.perf_counter()
    for start in range(0, mixer.total_frames, block):
        mixer.render(start, min(block, mixer.total_frames - start))
    t2 = time.perf_counter()
    return t1 - t0, t2 - t0


def main() -> None:
    timeline = session()
    seconds = timeline.duration_ms / 1000
    theme = load_theme()
    print(
        f"session: {seconds / 60:.1f} min, {len(timeline.segments)} segments, "
        f"{BLOCK // SAMPLE_RATE} s blocks, {RUNS} runs"
    )
    every = {"tick": True, "breath_tone": True}
    for label, opts in (
        ("cues only", {}),
        ("cues + tick + breath tone", every),
        # The live player's callback asks for small blocks like this one.
        ("same, 1024-frame blocks", {**every, "block": 1024}),
    ):
        results = [run(timeline, theme, **opts) for _ in range(RUNS)]
        setup = statistics.median(r[0] for r in results)
        total = statistics.median(r[1] for r in results)
        print(
            f"{label:28s} median {total:6.3f} s (setup {setup * 1000:.0f} ms)  "
            f"{seconds / total:7.0f}x real time"
        )


if __name__ == "__main__":
    main()
