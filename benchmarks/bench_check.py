"""Wall time of `breathpace check` on a built-in routine, as a person runs it.

Run: python benchmarks/bench_check.py [--runs N] [ROUTINE_FILE]

Starts the real command in a fresh process each time (interpreter start-up and imports
included, which is what an author waits for) and prints the median over N runs
(default 15). Uses the installed `breathpace` script, or `python -m breathpace`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs (>= 10)")
    parser.add_argument("routine", nargs="?", default=str(ROOT / "routines" / "glute-bridge.toml"))
    args = parser.parse_args()
    runs = max(10, args.runs)
    script = shutil.which("breathpace")
    command = [script] if script else [sys.executable, "-m", "breathpace"]
    command += ["check", args.routine]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"check failed: {proc.stderr.strip()}")
    print(
        f"{' '.join(Path(command[0]).name if i == 0 else c for i, c in enumerate(command))}: "
        f"median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs)"
    )


if __name__ == "__main__":
    main()
