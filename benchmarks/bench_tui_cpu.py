"""CPU share of one core while the full-screen player plays a session (target: < 3 %).

Runs the installed `breathpace play ROUTINE --audio none` in a detached tmux terminal
(100x30) for 60 seconds and reads the process's own CPU time (utime + stime from
/proc/<pid>/stat) after the start-up and again at the end, so start-up imports are not
counted. Repeats RUNS times and prints the median share of one core.

    python benchmarks/bench_tui_cpu.py [ROUTINE] [--seconds 60] [--runs 3] [--size 100x30] [--calm]
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

WARMUP_S = 5.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name)
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def one_run(
    breathpace: str, routine: str, seconds: float, size: tuple[int, int], extra: str = ""
) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        config = home / "config"
        (config / "breathpace").mkdir(parents=True)
        (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n")
        pidfile = home / "pid"
        session = f"bp-bench-{os.getpid()}"
        command = (
            f"echo $$ > {pidfile}; XDG_CONFIG_HOME={config} XDG_DATA_HOME={home / 'data'} "
            f"exec {breathpace} play {routine} --audio none {extra}"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]),
             "sh", "-c", command],
            check=True,
        )  # fmt: skip
        try:
            while not pidfile.exists():
                time.sleep(0.05)
            pid = int(pidfile.read_text())
            time.sleep(WARMUP_S)
            c0, t0 = cpu_seconds(pid), time.monotonic()
            time.sleep(seconds)
            c1, t1 = cpu_seconds(pid), time.monotonic()
            pane = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if not any(w in pane for w in ("INHALE", "EXHALE", "HOLD", "REST", "NEXT")):
                raise SystemExit(f"the player did not show a phase:\n{pane}")
            return (c1 - c0) / (t1 - t0)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="glute-bridge")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--calm", action="store_true", help="reduced motion (no animation)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed for this benchmark")
    beside = Path(sys.executable).with_name("breathpace")
    breathpace = str(beside) if beside.exists() else shutil.which("breathpace")
    if breathpace is None:
        raise SystemExit("the breathpace command is not installed")
    width, height = (int(x) for x in args.size.split("x"))
    shares = []
    for run in range(1, args.runs + 1):
        extra = "--calm" if args.calm else ""
        share = one_run(breathpace, args.routine, args.seconds, (width, height), extra)
        shares.append(share)
        print(f"run {run}: {share * 100:.2f} % of one core over {args.seconds:g} s")
    print(
        f"median CPU share while playing {args.routine} ({args.size}, --audio none"
        f"{', --calm' if args.calm else ''}): "
        f"{statistics.median(shares) * 100:.2f} % of one core (target < 3 %)"
    )


if __name__ == "__main__":
    main()
