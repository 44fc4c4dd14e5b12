"""The floor under any Textual app: what a bare one costs in the same terminal harness.

A full-screen session with sound is meant to stay under 1 % of a core and 60 MB.
This measures what Textual alone costs, so the session's figures
(`bench_tui_cpu.py`) can be read against it: an app with one `Static` whose text
changes RATE times a second (1: a clock; 4: the breath indicator's steps), nothing else,
run in a detached 80x24 tmux pane like the session. For each rate it prints, over RUNS
runs of SECONDS each (from 5 s in, start-up left out), the median CPU share of one core
(utime + stime from /proc) and the peak RSS.

    python benchmarks/bench_textual_floor.py [--runs 3] [--seconds 30] [--rates 1,4]

What it leaves out: sound (the audio thread is measured per thread in the note and by
`bench_tui_cpu.py` as a whole), and everything breathpace draws beyond one line.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Tmux

APP = """\
import sys, time
from textual.app import App
from textual.widgets import Static

RATE = float(sys.argv[1])


class Bare(App):
    def compose(self):
        yield Static("", id="s")

    def on_mount(self):
        self.set_interval(1 / RATE, self.tick)

    def tick(self):
        self.query_one("#s", Static).update(f"{time.monotonic():.2f}")


Bare().run()
"""
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(rate: float, seconds: float, folder: Path) -> tuple[float, float]:
    script = folder / "bare.py"
    script.write_text(APP, "utf-8")
    pid_file = folder / "pid"
    pid_file.unlink(missing_ok=True)
    # A server of this benchmark's own, ended (and waited for) after each run: a new
    # session on a socket whose server is still going away fails to start.
    tmux = Tmux(f"bp-floor-{os.getpid()}")
    command = f"echo $$ > {pid_file}; exec {shlex.quote(sys.executable)} {script} {rate}"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "sh", "-c", command)
    try:
        deadline = time.monotonic() + 10
        while not pid_file.exists() or not pid_file.read_text().strip():
            if time.monotonic() > deadline:
                raise SystemExit("the bare app did not start")
            time.sleep(0.05)
        pid = int(pid_file.read_text())
        time.sleep(5)
        c0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        c1, t1 = cpu_seconds(pid), time.monotonic()
        return (c1 - c0) / (t1 - t0) * 100, peak_rss_mb(pid)
    finally:
        tmux.kill_server()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rates", default="1,4", help="updates a second, comma-separated")
    args = parser.parse_args()
    import textual

    print(f"a bare Textual {textual.__version__} app in tmux 80x24, one Static updated")
    with tempfile.TemporaryDirectory() as tmp:
        for rate in (float(r) for r in args.rates.split(",")):
            runs = [one_run(rate, args.seconds, Path(tmp)) for _ in range(args.runs)]
            cpu = [c for c, _ in runs]
            rss = [r for _, r in runs]
            print(
                f"  {rate:g} updates/s: CPU {statistics.median(cpu):.2f} % of a core "
                f"({min(cpu):.2f}-{max(cpu):.2f}), peak RSS {statistics.median(rss):.1f} MB "
                f"({args.runs} runs of {args.seconds:g} s)"
            )


if __name__ == "__main__":
    main()
