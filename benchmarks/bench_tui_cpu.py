"""What a person's full-screen session costs: CPU, bytes to the terminal, memory, first screen.

Runs the real installed command (`breathpace play ROUTINE`, from the venv beside this
Python) in a real terminal: a detached tmux pane of 80x24 on its own tmux server, the
pane read with `tmux capture-pane` every 50 ms (as the side-by-side harness read every
pacer). The routine is the whole of `benchmarks/data/tui-session.toml` (about 80 s: a
get-ready, an exercise in two sets with a rest between, a transition, a breathing block,
a second exercise on both sides with a side switch). For each configuration it reports
the median over RUNS runs of:

- CPU: utime + stime of the breathpace process (/proc/PID/stat), from its exec to the
  moment the routine's end shows, as a share of one core; "steady" is the same from 10 s
  in to the end (start-up imports left out). With sound, the PulseAudio server's own CPU
  over the same span, separately (the server is shared: other sound on the machine counts).
- bytes written to the terminal per second (everything the program writes to the pane,
  counted by `tmux pipe-pane`), over the whole session and over the breathing block alone
  ("steady breathing": the block's span from the compiled timeline, 1 s in from each end).
- peak RSS (VmHWM) and RSS at the end (VmRSS).
- first screen: from the exec of the command to the first capture that shows the
  session's first heading ("Coming up: Pelvic tilt": the player shows the routine's
  title only at the end) — a 50 ms poll, so up to 50 ms late, as for the peers.

The configurations are `--audio none`, `--audio miniaudio` (XDG_RUNTIME_DIR of the test
PulseAudio server; its CPU is that server's, found by its PID file, not any other
`pulseaudio` on the machine), and `--calm` with each. The panes run on a tmux server of
the benchmark's own (`tmux -L`), ended and waited for after each run. The medians are
added to benchmarks/results/tui_cpu.jsonl (`python benchmarks/compare.py tui_cpu`).
When palacaze/breathe or breathe-cli are installed (`pip show`), their figures are
printed beside, run in the same harness.

What it leaves out: the phase error on screen (benchmarks/bench_display_offset.py); the
terminal emulator's own cost of drawing what it is sent (tmux here, not a GPU terminal);
memory over an hour (`--seconds`-long runs of a longer routine would show it: this run
is 80 s); and other load on the machine (2 shared cores: the figures are medians, the
spread is printed). The safety notice and the journal check-in are skipped/left at the
end: the config directory is fresh per run with the notice already seen.

    python benchmarks/bench_tui_cpu.py [--runs 3] [--only none,miniaudio,calm,calm-miniaudio]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402  (beside this file, found through sys.path)
    PULSE_RUNTIME,
    Tmux,
    record,
    sound_server_answers,
    sound_server_pid,
)

ROUTINE = HERE / "data" / "tui-session.toml"
POLL_S = 0.05
SIZE = (80, 24)
TMUX: Tmux | None = None
CONFIGS = {
    "none": ("--audio", "none"),
    "miniaudio": ("--audio", "miniaudio"),
    "calm": ("--audio", "none", "--calm"),
    "calm-miniaudio": ("--audio", "miniaudio", "--calm"),
}
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    cpu: float  # share of one core, exec to end
    steady_cpu: float  # from 10 s in to the end
    pulse_cpu: float | None
    bytes_per_s: float
    breathing_bytes_per_s: float
    peak_rss_mb: float
    end_rss_mb: float
    first_screen_ms: float
    seconds: float
    samples: list = field(default_factory=list)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name)
    return (int(fields[11]) + int(fields[12])) / TICK


def status_mb(pid: int, key: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    assert TMUX is not None
    return TMUX(*args, check=check)


def breathing_span_ms() -> tuple[int, int]:
    """The breathing block's span on the compiled timeline (the routine's 2nd item)."""
    from breathpace.library import load_routine
    from breathpace.timeline import Kind, compile

    timeline = compile(load_routine(ROUTINE))
    segs = [s for s in timeline.segments if s.exercise == 2 and s.kind is Kind.PHASE]
    return segs[0].start_ms, segs[-1].end_ms


def one_run(command: list[str], title: str, end_marks: tuple[str, ...], env: dict) -> Run:
    """Play `command` in a fresh 80x24 tmux pane until a capture shows an end mark."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "config" / "breathpace").mkdir(parents=True)
        (home / "config" / "breathpace" / "settings.toml").write_text("seen_safety = true\n")
        go, pidfile, out = home / "go", home / "pid", home / "out"
        out.touch()
        env = {
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "TERM": "xterm-256color",
            **env,
        }
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        script = (
            f"while [ ! -e {go} ]; do sleep 0.01; done; echo $$ > {pidfile}; "
            f"exec env {exports} {' '.join(command)}"
        )
        tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]),
             "sh", "-c", script)  # fmt: skip
        try:
            tmux("pipe-pane", "-o", "-t", "bench", f"cat >> {out}")
            ppid = sound_server_pid(env["XDG_RUNTIME_DIR"]) if "XDG_RUNTIME_DIR" in env else None
            p0 = cpu_seconds(ppid) if ppid else 0.0
            go.touch()
            while not (pidfile.exists() and pidfile.read_text().endswith("\n")):
                time.sleep(0.002)
            start = time.monotonic()  # the shell execs the command right after
            pid = int(pidfile.read_text())
            first = None
            samples = []  # (t, cpu, bytes)
            steady0 = None
            while True:
                time.sleep(POLL_S)
                now = time.monotonic() - start
                try:
                    cpu = cpu_seconds(pid)
                except FileNotFoundError:
                    raise SystemExit(f"{command[0]} exited early") from None
                samples.append((now, cpu, out.stat().st_size))
                if steady0 is None and now >= 10:
                    steady0 = (now, cpu)
                pane = tmux("capture-pane", "-p", "-t", "bench", check=False).stdout
                if first is None and title in pane:
                    first = now
                if first is not None and any(mark in pane for mark in end_marks):
                    break
                if now > 600:
                    raise SystemExit(f"no end after 600 s:\n{pane}")
            end_t, end_cpu, end_bytes = samples[-1]
            peak, rss = status_mb(pid, "VmHWM"), status_mb(pid, "VmRSS")
            pulse = (cpu_seconds(ppid) - p0) / end_t if ppid else None
        finally:
            assert TMUX is not None
            TMUX.kill_server()
    b0, b1 = breathing_span_ms()
    # The session clock starts about when the first screen shows.
    lo, hi = first + b0 / 1000 + 1, first + b1 / 1000 - 1
    window = [(t, n) for t, _, n in samples if lo <= t <= hi]
    breathing = (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])
    steady = (end_cpu - steady0[1]) / (end_t - steady0[0]) if steady0 else float("nan")
    return Run(
        cpu=end_cpu / end_t,
        steady_cpu=steady,
        pulse_cpu=pulse,
        bytes_per_s=end_bytes / end_t,
        breathing_bytes_per_s=breathing,
        peak_rss_mb=peak,
        end_rss_mb=rss,
        first_screen_ms=first * 1000,
        seconds=end_t,
    )


def med(values) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def medians(name: str, runs: list[Run]) -> dict[str, float | None]:
    """The medians `report` prints, for the results file."""

    def median(values) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 3) if values else None

    return {
        f"{name} CPU %": median(r.cpu * 100 for r in runs),
        f"{name} CPU % from 10 s": median(r.steady_cpu * 100 for r in runs),
        f"{name} PulseAudio CPU %": median(
            r.pulse_cpu * 100 if r.pulse_cpu is not None else None for r in runs
        ),
        f"{name} bytes/s": median(r.bytes_per_s for r in runs),
        f"{name} bytes/s breathing": median(r.breathing_bytes_per_s for r in runs),
        f"{name} peak RSS MB": median(r.peak_rss_mb for r in runs),
        f"{name} first screen ms": median(r.first_screen_ms for r in runs),
    }


def report(name: str, runs: list[Run]) -> None:
    print(f"\n{name}: {len(runs)} runs, {statistics.median(r.seconds for r in runs):.0f} s each")
    print(f"  CPU % of one core, whole run   {med(r.cpu * 100 for r in runs)}")
    print(f"  CPU %, from 10 s to the end    {med(r.steady_cpu * 100 for r in runs)}")
    if any(r.pulse_cpu is not None for r in runs):
        pulse = [r.pulse_cpu * 100 for r in runs if r.pulse_cpu is not None]
        print(f"  PulseAudio server CPU %        {med(pulse)}")
    print(f"  bytes/s to the terminal        {med(r.bytes_per_s for r in runs)}")
    print(f"  bytes/s, steady breathing      {med(r.breathing_bytes_per_s for r in runs)}")
    print(f"  peak RSS (VmHWM) MB            {med(r.peak_rss_mb for r in runs)}")
    print(f"  RSS at the end (VmRSS) MB      {med(r.end_rss_mb for r in runs)}")
    print(f"  first screen ms                {med(r.first_screen_ms for r in runs)}")


def installed(dist: str) -> bool:
    return (
        subprocess.run(
            [sys.executable, "-m", "pip", "show", "-q", dist], capture_output=True
        ).returncode
        == 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(CONFIGS), help="configurations, by name")
    args = parser.parse_args()
    global TMUX
    TMUX = Tmux()
    beside = Path(sys.executable).with_name("breathpace")
    breathpace = str(beside) if beside.exists() else shutil.which("breathpace")
    if breathpace is None:
        raise SystemExit("the breathpace command is not installed")
    base_env = {}
    if os.environ.get("PYTHONPATH"):  # e.g. an older checkout, for a before/after
        base_env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    print(f"breathpace play {ROUTINE.name} in tmux {SIZE[0]}x{SIZE[1]}, pane read every 50 ms")
    ends = ("Well done", "How did that feel")
    figures: dict[str, float | None] = {}
    for name in args.only.split(","):
        env = dict(base_env)
        if "miniaudio" in name:
            if not sound_server_answers():
                print(f"\n{name}: skipped (no sound server answers in {PULSE_RUNTIME})")
                continue
            env["XDG_RUNTIME_DIR"] = PULSE_RUNTIME
        command = [breathpace, "play", str(ROUTINE), *CONFIGS[name]]
        runs = [one_run(command, "Pelvic tilt", ends, env) for _ in range(args.runs)]
        report(f"breathpace {' '.join(CONFIGS[name])}", runs)
        figures.update(medians(name, runs))
    if figures:
        record("tui_cpu", figures)
    for dist in ("breathe", "breathe-cli"):
        if installed(dist):
            print(f"\n{dist} is installed: run it in this harness with its own arguments")
        else:
            print(f"\n{dist}: not installed here (pip show); no peer figure printed")


if __name__ == "__main__":
    main()
