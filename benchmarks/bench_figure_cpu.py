"""CPU share of one core while the full-screen player plays a session, with the exercise
figure and without it (what the figure adds; bench_tui_cpu.py measures the whole session).

Runs the installed `breathpace play ROUTINE --audio none` in a detached tmux terminal
(100x30, wide enough for the figure beside the breath indicator) for 60 seconds and
reads the process's own CPU time (utime + stime from /proc/<pid>/stat) after the
start-up and again at the end, so start-up imports are not counted. Each run plays the
routine twice: as it is (with its figures), and a copy with every `figure`, `pose` and
`poses` key removed (the breath indicator alone, the player as it was before figures).
Repeats RUNS times and prints the median share of one core of each, the difference, and
the bytes the player wrote to the terminal a second over the same window (everything
written to the pane, counted by `tmux pipe-pane`). Each run has its own tmux server
(`tmux -L`), never the person's.

What it measures: the player process only (Python, Textual, the figure's drawing and
the terminal output it writes). What it leaves out: the cost to the terminal (here
tmux) of drawing what it is sent, audio synthesis (`--audio none`), and the start-up.
The first 60 s of the built-in glute bridge routine are get-ready and the pelvic-tilt
warm-up: a moving figure most of the time, and the first reps of each exercise, whose
frames are not cached yet (later reps reuse them).

    python benchmarks/bench_figure_cpu.py [ROUTINE] [--seconds 60] [--runs 3] [--size 100x30]
        [--calm] [--only-figure]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Tmux

WARMUP_S = 5.0
#: A tmux server of this benchmark's own: the default one may be a person's.
TMUX = Tmux()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name)
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def one_run(
    breathpace: str, routine: str, seconds: float, size: tuple[int, int], extra: str = ""
) -> tuple[float, float]:
    """(share of one core, bytes a second to the terminal) over `seconds`."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        config = home / "config"
        (config / "breathpace").mkdir(parents=True)
        (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n")
        pidfile = home / "pid"
        session = f"bp-bench-{os.getpid()}"
        written = home / "written"
        written.touch()
        command = (
            f"echo $$ > {pidfile}; XDG_CONFIG_HOME={config} XDG_DATA_HOME={home / 'data'} "
            f"exec {breathpace} play {routine} --audio none {extra}"
        )
        TMUX("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]),
             "sh", "-c", f"sleep 0.3; {command}")  # fmt: skip
        TMUX("pipe-pane", "-o", "-t", session, f"cat >> {written}")
        try:
            while not pidfile.exists():
                time.sleep(0.05)
            pid = int(pidfile.read_text())
            time.sleep(WARMUP_S)
            c0, t0, b0 = cpu_seconds(pid), time.monotonic(), written.stat().st_size
            time.sleep(seconds)
            c1, t1, b1 = cpu_seconds(pid), time.monotonic(), written.stat().st_size
            pane = TMUX("capture-pane", "-p", "-t", session).stdout
            if not any(w in pane for w in ("INHALE", "EXHALE", "HOLD", "REST", "NEXT")):
                raise SystemExit(f"the player did not show a phase:\n{pane}")
            return (c1 - c0) / (t1 - t0), (b1 - b0) / (t1 - t0)
        finally:
            TMUX.kill_server()


def without_figures(text: str) -> str:
    """The routine text with its figure keys removed (the indicator alone)."""
    text = re.sub(r'(?m)^figure = ".*"\n', "", text)
    text = re.sub(r"(?m)^poses = \{.*\}\n", "", text)
    return re.sub(r' pose = "[^"]*",', "", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="glute-bridge")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="100x30")
    parser.add_argument("--calm", action="store_true", help="reduced motion (no animation)")
    parser.add_argument(
        "--only-figure", action="store_true", help="skip the run without the figure"
    )
    args = parser.parse_args()
    beside = Path(sys.executable).with_name("breathpace")
    breathpace = str(beside) if beside.exists() else shutil.which("breathpace")
    if breathpace is None:
        raise SystemExit("the breathpace command is not installed")
    width, height = (int(x) for x in args.size.split("x"))
    from breathpace.library import resolve

    source = Path(resolve(args.routine).path)
    plain_text = without_figures(source.read_text("utf-8"))
    if plain_text == source.read_text("utf-8") and not args.only_figure:
        print(f"note: {args.routine} names no figures; both columns play the same thing")
    extra = "--calm" if args.calm else ""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / f"{source.stem}.toml"
        plain.write_text(plain_text, "utf-8")
        variants = [("with the figure", str(source))]
        if not args.only_figure:
            variants.append(("indicator alone", str(plain)))
        shares: dict[str, list[float]] = {name: [] for name, _ in variants}
        rates: dict[str, list[float]] = {name: [] for name, _ in variants}
        for run in range(1, args.runs + 1):
            for name, routine in variants:
                share, rate = one_run(breathpace, routine, args.seconds, (width, height), extra)
                shares[name].append(share)
                rates[name].append(rate)
                print(
                    f"run {run}, {name}: {share * 100:.2f} % of one core, "
                    f"{rate / 1000:.2f} KB/s over {args.seconds:g} s"
                )
    what = f"{args.routine} ({args.size}, --audio none{', --calm' if args.calm else ''})"
    medians = {name: statistics.median(values) * 100 for name, values in shares.items()}
    for name, median in medians.items():
        kb = statistics.median(rates[name]) / 1000
        print(f"median, {what}, {name}: {median:.2f} % of one core, {kb:.2f} KB/s")
    if len(medians) == 2:
        delta = medians["with the figure"] - medians["indicator alone"]
        print(f"the figure's cost: {delta:+.2f} % of one core")


if __name__ == "__main__":
    main()
