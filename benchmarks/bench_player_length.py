"""Does the full-screen player cost the same per second whatever the routine's length?

Run: python benchmarks/bench_player_length.py [--runs N]

Two routines with the same rhythm (20 ms phases, both sides, as the largest routine
the limits allow) and different lengths: 1 set x 25 reps (about 100 segments) and
100 sets x 1,000 reps (400,201 segments, 2 h 23 min). Each is played in a fresh process
by the real player screen (Textual, headless through `App.run_test`, 80x24) on the
silent backend and a fake clock, with its journal, as `breathpace play` builds it. In
each process the benchmark:

- plays the first 0.8 s of the first set (40 phases, the same for both routines) N
  times (default 15), seeking back to its start each time, one look every 50 ms as the
  screen's timer would make, each look followed by Textual drawing it;
- prints the median CPU time (process time) that costs per second of session;
- prints the process's resident memory after playing (VmRSS) and its peak (VmHWM),
  and how long building the session took (compiling included).

Flat means: the CPU per second does not grow with the number of segments, and memory
grows only by the compiled columns (about 8 MB for 400,000 segments) and what compiling
them leaves in Python's allocator, never by a Segment object per segment.

`--real` runs the installed `breathpace play ROUTINE --audio KIND` instead, in a
detached 80x24 tmux pane on a private tmux server, for 1 set x 1,000 reps (4,000
segments: the same first 40 s as the long one) and 100 sets x 1,000 reps, with
`--audio none` and `--audio miniaudio` (XDG_RUNTIME_DIR of the test sound server). It
prints the process's CPU (utime + stime from /proc) from 10 s to 25 s after the start
as a share of one core, and its VmRSS and VmHWM at 25 s; the median of N runs
(default 3).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUTINE = """\
format = 1
title = "Quick reps"
pace = "4-0-6-0"
lead_in = 3

[[exercise]]
name = "Quick reps"
sets = {sets}
reps = {reps}
sides = "both"
rest = {{ seconds = 1 }}
phases = [
  {{ move = "lift", seconds = 0.02, effort = true }},
  {{ move = "lower", seconds = 0.02 }},
]
"""

SIZES = {"100": (1, 25), "400000": (100, 1000)}
WINDOW_S = 0.8
STEP_S = 0.05


def status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def child(size: str, runs: int) -> None:
    home = tempfile.mkdtemp(prefix="bench-player-length-")
    for var, sub in (("XDG_CONFIG_HOME", "c"), ("XDG_DATA_HOME", "d"), ("XDG_STATE_HOME", "s")):
        os.environ[var] = os.path.join(home, sub)

    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.library import Resolved
    from breathpace.routine.load import parse_routine
    from breathpace.session.options import Overrides, session_options
    from breathpace.session.prepare import prepare
    from breathpace.session.runner import SessionRunner
    from breathpace.settings import Settings, save_settings
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen

    save_settings(Settings(seen_safety=True))
    sets, reps = SIZES[size]
    built = time.perf_counter()
    routine = parse_routine(ROUTINE.format(sets=sets, reps=reps))
    clock = FakeClock(1000.0)
    backend = SilentBackend(clock=clock)
    # Built as every session is: prepared, then opened by its runner on the silent device.
    resolved = Resolved(name="quick", path=Path("quick.toml"), routine=routine, builtin=False)
    prepared = prepare(
        resolved,
        session_options(Overrides()),
        personal_pace=False,
        journal_dose=False,
        source="bench",
    )
    session = SessionRunner(prepared, mode="tui", backend=backend, clock=clock).open()
    player = session.player
    app = BreathpaceApp(
        backend=backend,
        clock=clock,
        first=lambda: PlayerScreen(session, standalone=True),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
        screen.tick()
        build_ms = (time.perf_counter() - built) * 1000
        segments = len(player.timeline)
        first_rep = player.timeline.next_start(0, "rep") or 0
        cpu_per_s = []
        for _ in range(runs):
            player.seek(first_rep)
            screen.tick()
            await pilot.pause()
            start = time.process_time()
            for _ in range(round(WINDOW_S / STEP_S)):
                clock.advance(STEP_S)
                screen.tick()
                await pilot.pause()
            cpu_per_s.append((time.process_time() - start) / WINDOW_S)
        rss, peak = status_mb("VmRSS"), status_mb("VmHWM")
        await pilot.press("q")
    print(
        f"{segments:>8,} segments: CPU {statistics.median(cpu_per_s) * 1000:6.1f} ms per "
        f"second of session (median of {runs}), RSS {rss:6.1f} MB, peak {peak:6.1f} MB, "
        f"built in {build_ms:6.0f} ms"
    )


def real(runs: int) -> None:
    venv_bin = os.path.dirname(sys.executable)
    home = tempfile.mkdtemp(prefix="bench-player-length-real-")
    env = {
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
        "XDG_CONFIG_HOME": os.path.join(home, "c"),
        "XDG_DATA_HOME": os.path.join(home, "d"),
        "XDG_STATE_HOME": os.path.join(home, "s"),
        "XDG_RUNTIME_DIR": os.environ.get("BENCH_PULSE_RUNTIME", "/tmp/breathpace-pulse-runtime"),
    }
    os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "breathpace"))
    with open(os.path.join(env["XDG_CONFIG_HOME"], "breathpace", "settings.toml"), "w") as fh:
        fh.write("seen_safety = true\n")
    socket = f"bench-length-{os.getpid()}"
    for sets in (1, 100):
        path = os.path.join(home, f"quick-{sets}.toml")
        with open(path, "w") as fh:
            fh.write(ROUTINE.format(sets=sets, reps=1000))
        for audio in ("none", "miniaudio"):
            cpu, rss, peak = [], [], []
            for _ in range(runs):
                line = " ".join(f"{k}={v}" for k, v in env.items())
                command = f"env {line} breathpace play {path} --audio {audio}"
                subprocess.run(
                    ["tmux", "-L", socket, "new-session", "-d", "-x", "80", "-y", "24", command],
                    check=True,
                )
                try:
                    time.sleep(10)
                    pid = _pid_of(path)
                    t1 = _cpu_ticks(pid)
                    time.sleep(15)
                    cpu.append((_cpu_ticks(pid) - t1) / os.sysconf("SC_CLK_TCK") / 15)
                    rss.append(_status_of(pid, "VmRSS"))
                    peak.append(_status_of(pid, "VmHWM"))
                finally:
                    subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)
                    time.sleep(1)
            segments = 4 * sets * 1000
            print(
                f"real, --audio {audio:9}, {segments:>7,} segments: CPU "
                f"{statistics.median(cpu) * 100:4.1f} % of a core, RSS "
                f"{statistics.median(rss):6.1f} MB, peak {statistics.median(peak):6.1f} MB "
                f"(median of {runs})"
            )


def _pid_of(path: str) -> int:
    found = subprocess.run(
        ["pgrep", "-n", "-f", f"python.*breathpace play {path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(found.stdout.split()[0])


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def _status_of(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--real", action="store_true", help="the installed command in tmux")
    parser.add_argument("--child", choices=sorted(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.real:
        real(args.runs or 3)
        return
    args.runs = args.runs or 15
    if args.child:
        asyncio.run(child(args.child, args.runs))
        return
    for size in ("100", "400000"):
        # A fresh process each, so the memory figures are the routine's own.
        subprocess.run(
            [sys.executable, __file__, "--child", size, "--runs", str(args.runs)], check=True
        )


if __name__ == "__main__":
    main()
