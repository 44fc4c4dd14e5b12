"""Start-up of the quick commands: `breathpace --help`, `list` and `check`, as a person runs them.

Run: python benchmarks/bench_startup.py [--runs N]

Each command starts as a fresh process of the installed `breathpace` script (or
`python -m breathpace` when it is not on PATH), so interpreter start-up and every
import are included. Prints the median wall time over N runs (default 15) and the
median CPU time (user + system) and peak RSS. The target is 150 ms of wall time for
each; on a machine shared with other work the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (
    ["--help"],
    ["list"],
    ["check", str(ROOT / "routines" / "glute-bridge.toml")],
)


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"{' '.join(command)} failed: {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (>= 10)")
    runs = max(10, parser.parse_args().runs)
    script = shutil.which("breathpace")
    base = [script] if script else [sys.executable, "-m", "breathpace"]
    for args in COMMANDS:
        command = base + args
        run(command)  # warm the file cache
        results = [run(command) for _ in range(runs)]
        walls = sorted(w * 1000 for w, _, _ in results)
        cpu = statistics.median(c * 1000 for _, c, _ in results)
        rss = statistics.median(m for _, _, m in results)
        shown = " ".join(Path(a).name if a.endswith(".toml") else a for a in args)
        print(
            f"breathpace {shown}: median {statistics.median(walls):.0f} ms "
            f"(min {walls[0]:.0f}, max {walls[-1]:.0f}), CPU {cpu:.0f} ms, "
            f"peak RSS {rss:.0f} MB ({runs} runs)"
        )


if __name__ == "__main__":
    main()
