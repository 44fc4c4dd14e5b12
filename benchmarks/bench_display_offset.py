"""How late the displayed phase word is behind the player's segment change.

Runs the real player screen (headless Textual, its own timer, set for each segment
boundary) on the silent backend with the real monotonic clock, through a routine of
short phases. Each time the screen's `phase_word` reactive changes, it records the
backend's frame position at that moment; the offset is that position minus the frame
the new segment starts on (where its audio cue sits). Prints the mean absolute offset
(the side-by-side harness's mode-B figure; target <= 3 ms), the median, 90th
percentile and worst offset in ms. It leaves out the terminal's own delay: the time
from the reactive's change to the bytes reaching the terminal (one Textual screen
update, usually under a millisecond when idle).

    python benchmarks/bench_display_offset.py [--seconds 30] [--phase 1.013]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from pathlib import Path

from breathpace.routine.model import Routine

ROUTINE = """
format = 1
title = "Short phases"
lead_in = 1

[[exercise]]
name = "Tilt"
reps = {reps}
phases = [
  {{ move = "tilt", breath = "exhale", seconds = {phase}, effort = true }},
  {{ move = "release", breath = "inhale", seconds = {phase} }},
]
"""


async def measure(seconds: float, phase: float) -> list[float]:
    import tomllib

    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.audio.mixer import frame_of
    from breathpace.library import Resolved
    from breathpace.session.options import session_options
    from breathpace.session.prepare import prepare
    from breathpace.session.runner import SessionRunner
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen

    reps = int(seconds / (2 * phase)) + 2
    routine = Routine.model_validate(tomllib.loads(ROUTINE.format(reps=reps, phase=phase)))
    backend = SilentBackend()
    resolved = Resolved(name="bench", path=Path("bench.toml"), routine=routine, builtin=False)
    prepared = prepare(resolved, session_options(), personal_pace=False, journal_dose=False)
    session = SessionRunner(prepared, mode="tui", backend=backend).open()
    player = session.player
    screen = PlayerScreen(session, standalone=True)
    offsets: list[float] = []

    def shown(word: str) -> None:
        heard = backend.position_frames()
        seg = player.timeline.at(player.position_ms)
        start = frame_of(seg.start_ms, backend.sample_rate)
        if seg.index > 0:
            offsets.append((heard - start) * 1000 / backend.sample_rate)

    screen.on_phase_shown = shown
    app = BreathpaceApp(backend=backend, first=lambda: screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(seconds)
    session.end("quit")
    return offsets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--phase",
        type=float,
        default=1.013,
        help="phase length in seconds (not a multiple of a frame, so starts fall anywhere in it)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
        os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "data")
        from breathpace.settings import Settings, save_settings

        save_settings(Settings(seen_safety=True))
        offsets = asyncio.run(measure(args.seconds, args.phase))
    if not offsets:
        raise SystemExit("no phase change was seen")
    offsets.sort()
    p90 = offsets[int(0.9 * (len(offsets) - 1))]
    print(f"{len(offsets)} phase changes over {args.seconds:g} s ({args.phase:g} s phases)")
    mean_abs = statistics.fmean(abs(o) for o in offsets)
    print(
        f"display offset behind the segment start: mean |offset| {mean_abs:.1f} ms "
        f"(target <= 3 ms), median {statistics.median(offsets):.1f} ms, "
        f"p90 {p90:.1f} ms, worst {offsets[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
