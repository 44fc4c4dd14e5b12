"""`breathpace render` of a 30-minute routine to MP3 with the installed command: how
many times faster than real time, and the peak memory of the process.

Each case runs 3 times; medians are printed. The peak resident size comes from the
kernel's accounting of the finished child (`wait4`), so it covers everything the
process touched: Python, numpy, the encoder, the pictures. A 60-minute session is
rendered too: if the encoding streams, its peak memory is the 30-minute one's, not
double. The WAV case is the floor (mixing and writing, no encoding, no pictures).

    python benchmarks/bench_render_track.py
    BREATHPACE_CMD=/path/to/breathpace python benchmarks/bench_render_track.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3

ROUTINE = """
format = 1
title = "Thirty minutes"
pace = "4-0-6-0"
lead_in = 10

[[exercise]]
name = "Settle"
figure = "resting-breath"
position = "On your back, knees bent, feet flat"
pattern = "4-0-6-0"
minutes = {settle}

[[exercise]]
name = "Bridge"
figure = "single-leg-bridge"
position = "On your back, one knee bent, the other leg long"
sides = "both"
sets = 3
reps = 5
halfway = true
rest = {{ breaths = 3 }}
phases = [
  {{ move = "lift", breath = "exhale", breaths = 1, effort = true }},
  {{ move = "hold", breath = "hold", breaths = 2 }},
  {{ move = "lower", breath = "inhale", breaths = 1 }},
]

[[exercise]]
name = "Resonance"
figure = "resting-breath"
position = "On your back, knees bent, feet flat"
pattern = "5-0-5-0"
minutes = {settle}
"""


def command() -> list[str]:
    if os.environ.get("BREATHPACE_CMD"):
        return [os.environ["BREATHPACE_CMD"]]
    beside = Path(sys.executable).with_name("breathpace")
    return [str(beside)] if beside.exists() else [shutil.which("breathpace") or "breathpace"]


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of the command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command(), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"render failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
        }
        cases = []
        for minutes, settle in ((30, 6.5), (60, 21.5)):
            path = folder / f"r{minutes}.toml"
            path.write_text(ROUTINE.format(settle=settle))
            cases.append((minutes, path))
        print(f"command: {' '.join(command())}, {RUNS} runs each, medians")
        for minutes, path in cases:
            seconds = _duration(path, env)
            for suffix, extra in (
                (".wav", []),
                (".mp3", []),
                (".mp3", ["--voice"]) if shutil.which("espeak-ng") else (None, []),
            ):
                if suffix is None or (minutes == 60 and extra):
                    continue
                out = folder / f"out{suffix}"
                runs = [
                    measure(["render", str(path), "-o", str(out), *extra], env) for _ in range(RUNS)
                ]
                wall = statistics.median(r[0] for r in runs)
                rss = statistics.median(r[1] for r in runs)
                label = f"{seconds / 60:4.1f} min -> {suffix[1:]}{' --voice' if extra else ''}"
                print(
                    f"{label:26s} {wall:6.2f} s  {seconds / wall:5.0f}x real time  "
                    f"peak RSS {rss:6.1f} MB  file {out.stat().st_size / 1e6:6.1f} MB"
                )


def _duration(path: Path, env: dict[str, str]) -> float:
    import json

    done = subprocess.run(
        [*command(), "preview", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(json.loads(done.stdout)["duration_s"])


if __name__ == "__main__":
    main()
