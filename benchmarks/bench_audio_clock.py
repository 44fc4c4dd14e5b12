"""How far each heard cue is from its schedule: plain and TUI, with and without a stall.

Run: python benchmarks/bench_audio_clock.py [--runs N] [--stall 0.2] [--command PATH]
     [--modes plain,plain+stall,tui,tui+stall] [--busy N]

Each run plays tests/e2e/onset_timing.py's three-exercise routine (about 29 s) with
sound on a private PulseAudio null sink, records the sink's monitor with `parec`, and
matches every cue onset to `breathpace preview --json`'s start times, counted from the
first tone. `+stall` stops the player's process for `--stall` seconds in a quiet
stretch of the second exercise (SIGSTOP/SIGCONT: the audio callback stalls as under a
starved CPU or a held GIL). The TUI runs in tmux. Printed per mode: the median over
runs of the median and of the worst |onset error| in ms, the worst of all runs, and
the share of onsets within 1 ms of the session's common offset ("together": a single
late cue, even the first, costs one onset there; a lasting shift costs all after it),
its median and its lowest over the runs. `--busy N` keeps N processes spinning on the
CPU throughout, as on a busy machine: the full screen then starts slowly, and a few
callbacks come late while it does.
`--command` measures another checkout's `breathpace` (e.g. the code before a change).
Needs pulseaudio, pactl, parec (and tmux for the TUI).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

import onset_timing as ot


def one_run(mode: str, stall_s: float) -> tuple[float, float, float] | str:
    play = ot.play_tui if mode.startswith("tui") else ot.play_plain
    stall = stall_s if mode.endswith("+stall") else 0.0
    with tempfile.TemporaryDirectory(prefix="bp-bench-clock-") as tmp:
        root = Path(tmp)
        with ot.private_pulse(root) as env:
            samples, want, _ = play(env, root, stall)
        try:
            result = ot.match_onsets(samples, want)
        except AssertionError as exc:  # a cue split or lost: say so, keep measuring
            return str(exc).split(":")[0]
    return result.median_ms, result.worst_ms, result.share_together()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stall", type=float, default=0.2, help="seconds (default 0.2)")
    parser.add_argument("--command", help="the breathpace command to measure")
    parser.add_argument("--modes", default="plain,plain+stall,tui,tui+stall")
    parser.add_argument("--busy", type=int, default=0, help="processes spinning meanwhile")
    args = parser.parse_args()
    if not ot.can_start_pulse():
        print("needs pulseaudio, pactl and parec")
        return 1
    if args.command:
        os.environ["BREATHPACE_CMD"] = args.command
    print(
        f"command: {ot.breathpace_cmd()[0]}, {args.runs} run(s) per mode, "
        f"{args.busy} busy process(es)"
    )
    print(
        f"{'mode':<12} {'median':>9} {'worst':>9} {'worst of all':>13} {'together':>10}"
        f" {'lowest':>7}  (|onset error| in ms from the first tone; share within 1 ms of"
        " the common offset)"
    )
    with contextlib.ExitStack() as stack:
        for _ in range(args.busy):
            spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            stack.callback(spin.wait)
            stack.callback(spin.kill)
        measure(args)
    return 0


def measure(args: argparse.Namespace) -> None:
    for mode in args.modes.split(","):
        medians, worsts, together, problems = [], [], [], []
        for _ in range(args.runs):
            got = one_run(mode, args.stall)
            if isinstance(got, str):
                problems.append(got)
            else:
                medians.append(got[0])
                worsts.append(got[1])
                together.append(got[2])
        if medians:
            print(
                f"{mode:<12} {statistics.median(medians):9.2f} "
                f"{statistics.median(worsts):9.2f} {max(worsts):13.2f} "
                f"{100 * statistics.median(together):9.0f}% {100 * min(together):6.0f}%"
                + (f"  ({len(problems)} run(s): {problems[0]})" if problems else "")
            )
        else:
            print(f"{mode:<12} no clean run: {problems[0]}")


if __name__ == "__main__":
    sys.exit(main())
