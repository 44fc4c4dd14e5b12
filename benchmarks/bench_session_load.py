"""What a session loads, by mode: peak memory, CPU and the heavy libraries it imports.

Run: python benchmarks/bench_session_load.py [--runs N] [--json FILE]

Each mode plays a three-second routine to its end as a fresh process, as a person runs
it (`python -m breathpace play FILE --plain --audio none`, …), with a fresh settings
and journal folder. Prints, per mode, the median wall time, CPU time (user + system)
and peak RSS over N runs (default 5), and which of numpy, miniaudio, ssl, http.client
and textual were imported by the end. A silent plain session needs none of them.
`--json FILE` also writes the medians, for comparing one run with the next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUTINE = """\
format = 1
title = "Three seconds"
pace = "1-0-1-0"
lead_in = 1

[[exercise]]
name = "Pelvic tilt"
reps = 1
phases = [
  { move = "tilt", breath = "exhale", seconds = 1, effort = true },
  { move = "release", breath = "inhale", seconds = 1 },
]
"""
HEAVY = ("numpy", "miniaudio", "ssl", "http.client", "urllib.request", "textual")
PROBE = """
import json, os, runpy, sys
sys.argv = ["breathpace", *json.loads(os.environ["BENCH_ARGS"])]
try:
    runpy.run_module("breathpace", run_name="__main__")
except SystemExit:
    pass
heavy = [m for m in json.loads(os.environ["BENCH_HEAVY"]) if m in sys.modules]
sys.stderr.write("LOADED " + json.dumps(heavy) + "\\n")
"""


def modes(routine: Path) -> dict[str, list[str]]:
    return {
        "play --plain --audio none": ["play", str(routine), "--plain", "--audio", "none"],
        "play --plain (sound)": ["play", str(routine), "--plain", "--audio", "auto"],
        "breathe --plain --audio none": [
            "breathe",
            "2-0-2-0",
            "--cycles",
            "1",
            "--plain",
            "--audio",
            "none",
        ],
    }


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, float, list[str]]:
    """Wall seconds, CPU seconds, peak RSS (MB) and the heavy modules of one process."""
    env = {**env, "BENCH_ARGS": json.dumps(args), "BENCH_HEAVY": json.dumps(HEAVY)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=env["XDG_DATA_HOME"],  # not the checkout: the installed (or PYTHONPATH) code
    )
    err = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    loaded = [line for line in err.splitlines() if line.startswith("LOADED ")]
    if os.waitstatus_to_exitcode(status) != 0 or not loaded:
        sys.exit(f"{' '.join(args)} failed: {err.strip()}")
    heavy = json.loads(loaded[-1].removeprefix("LOADED "))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the medians here")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        routine = Path(tmp) / "three-seconds.toml"
        routine.write_text(ROUTINE, "utf-8")
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "TERM": os.environ.get("TERM", "xterm-256color"),
        }
        config = Path(env["XDG_CONFIG_HOME"]) / "breathpace"
        config.mkdir(parents=True)
        Path(env["XDG_DATA_HOME"]).mkdir(parents=True)
        (config / "settings.toml").write_text("seen_safety = true\n", "utf-8")
        print(f"{'mode':<32} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}  heavy imports")
        for name, command in modes(routine).items():
            runs = [run_once(command, env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            rss = statistics.median(r[2] for r in runs)
            heavy = runs[-1][3]
            results[name] = {"wall_s": wall, "cpu_s": cpu, "rss_mb": rss, "heavy": heavy}
            print(f"{name:<32} {wall:7.2f} {cpu:7.3f} {rss:7.1f}  {', '.join(heavy) or '-'}")
    print(f"(medians of {args.runs} runs each; Python {sys.version.split()[0]})")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
