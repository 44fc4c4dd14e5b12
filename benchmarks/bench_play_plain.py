"""CPU seconds and peak memory of a 60-second `breathpace play --plain`, and whether
memory grows with the length of a session.

Run: python benchmarks/bench_play_plain.py [--runs N] [--backends none,miniaudio]

Each run starts the real command in a fresh process on a 60-second breathing routine
(written to a temporary folder, with a temporary journal) and collects that child's
own resource usage with `os.wait4` (user + system CPU seconds, peak RSS); the medians
over N runs are printed per backend. `miniaudio` is measured only when a sound server
answers (`pactl info`); the journal and all imports are included, as a person runs it.

Memory against length: one 180-second session per backend, its RSS sampled from
/proc every second; printed are the RSS 20 s in and at the end, and the peak RSS of
the 60-second and the 180-second sessions. Flat numbers mean memory does not grow with
session length (the mixer renders each block on demand; nothing accumulates).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROUTINE = """
format = 1
title = "Benchmark breathing"
lead_in = 0

[[exercise]]
name = "Coherent breathing"
pattern = "4-0-6-0"
minutes = {minutes}
"""


def command() -> list[str]:
    script = shutil.which("breathpace")
    return [script] if script else [sys.executable, "-m", "breathpace"]


def pulse_running() -> bool:
    try:
        return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run_once(routine: Path, backend: str, env: dict, sample: bool = False):
    """(cpu seconds, peak RSS MiB, wall seconds, [(t, rss KiB)])"""
    samples: list[tuple[float, int]] = []
    start = time.monotonic()
    proc = subprocess.Popen(
        [*command(), "play", str(routine), "--plain", "--audio", backend],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    stop = threading.Event()

    def sampler():
        while not stop.wait(1.0):
            value = rss_kib(proc.pid)
            if value is not None:
                samples.append((time.monotonic() - start, value))

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"play --audio {backend} failed ({proc.returncode}): {err.strip()}")
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, usage.ru_maxrss / 1024, wall, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="60-second runs per backend")
    parser.add_argument("--backends", default="none,miniaudio")
    parser.add_argument("--long", type=int, default=3, help="minutes of the long session")
    args = parser.parse_args()

    backends = [b for b in args.backends.split(",") if b]
    if "miniaudio" in backends and not pulse_running():
        print("miniaudio: skipped (no sound server answers `pactl info`)")
        backends.remove("miniaudio")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = dict(os.environ, XDG_CONFIG_HOME=str(folder / "c"), XDG_DATA_HOME=str(folder / "d"))
        short = folder / "one-minute.toml"
        short.write_text(ROUTINE.format(minutes=1))
        long = folder / "long.toml"
        long.write_text(ROUTINE.format(minutes=args.long))
        for backend in backends:
            cpus, peaks, walls = [], [], []
            for _ in range(max(1, args.runs)):
                cpu, peak, wall, _ = run_once(short, backend, env)
                cpus.append(cpu)
                peaks.append(peak)
                walls.append(wall)
            print(
                f"{backend:10s} 60 s session ({len(cpus)} runs): "
                f"median CPU {statistics.median(cpus):.2f} s "
                f"({100 * statistics.median(cpus) / statistics.median(walls):.2f} % of one core "
                f"over {statistics.median(walls):.1f} s wall), "
                f"median peak RSS {statistics.median(peaks):.1f} MiB"
            )
            cpu, peak, wall, samples = run_once(long, backend, env, sample=True)
            early = next((kib for t, kib in samples if t >= 20), None)
            late = samples[-1][1] if samples else None
            print(
                f"{backend:10s} {args.long * 60} s session: CPU {cpu:.2f} s, peak RSS "
                f"{peak:.1f} MiB (60 s session: {statistics.median(peaks):.1f} MiB); "
                f"RSS at 20 s {early / 1024 if early else float('nan'):.1f} MiB, "
                f"at {samples[-1][0] if samples else 0:.0f} s "
                f"{late / 1024 if late else float('nan'):.1f} MiB"
            )


if __name__ == "__main__":
    main()
