"""Time from starting `breathpace play NAME` in a real terminal to its first screen.

Run: python benchmarks/bench_first_frame.py [--runs N] [--audio none,auto] [ROUTINE]

Each run opens a fresh tmux pane (100x30) running the installed `breathpace play ROUTINE
--audio KIND` (interpreter start-up, imports, settings, journal, sound device and the
first Textual frame included, as a person waits for it) with a temporary settings file
(the first-run safety notice already seen) and a temporary journal. The pane is read
with `tmux capture-pane` every few milliseconds until it shows the routine's first item
("Coming up: …"); the median over N runs is printed per audio kind and added to
benchmarks/results/first_frame.jsonl (`python benchmarks/compare.py first_frame`
compares it with the run before). The panes run on a tmux server of their own
(`tmux -L`), which is ended, and waited for, after each run. Sound (`auto`) plays
through the test PulseAudio server (.ci/start-pulse.sh's runtime folder) and is
measured only when that server answers `pactl info`.

`--command "python -m breathpace"` measures another installation (e.g. an older commit
through PYTHONPATH, which the pane inherits from this process).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PULSE_RUNTIME, Tmux, record, sound_server_answers

ROOT = Path(__file__).resolve().parents[1]
POLL_S = 0.003
TIMEOUT_S = 30.0
TMUX: Tmux | None = None


def tmux(*args: str) -> str:
    assert TMUX is not None
    return TMUX(*args).stdout


def default_command() -> list[str]:
    beside = Path(sys.executable).with_name("breathpace")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("breathpace")
    return [found] if found else [sys.executable, "-m", "breathpace"]


def first_item(routine: str) -> str:
    path = Path(routine)
    if not path.exists():
        path = ROOT / "routines" / f"{routine}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data["exercise"][0]["name"]


def one_run(command: list[str], routine: str, audio: str, marker: str, home: Path) -> float:
    name = f"bp-bench-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    env = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "TERM": "xterm-256color",
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    if audio != "none":
        env["XDG_RUNTIME_DIR"] = PULSE_RUNTIME
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    line = f"{exports} exec {shlex.join([*command, 'play', routine, '--audio', audio])}"
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", line)
    try:
        while True:
            try:
                pane = tmux("capture-pane", "-p", "-t", name)
            except subprocess.CalledProcessError:
                raise SystemExit(f"the pane closed before the first frame ({line})") from None
            if marker in pane:
                return time.perf_counter() - start
            if time.perf_counter() - start > TIMEOUT_S:
                raise SystemExit(f"no first frame after {TIMEOUT_S:.0f} s:\n{pane}")
            time.sleep(POLL_S)
    finally:
        assert TMUX is not None
        TMUX.kill_server()
        time.sleep(0.3)  # let the killed process close its device and journal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per audio kind (>= 5)")
    parser.add_argument("--audio", default="none,auto", help="audio kinds, comma-separated")
    parser.add_argument("--command", default=None, help="the breathpace command to start")
    parser.add_argument("routine", nargs="?", default="glute-bridge")
    args = parser.parse_args()
    global TMUX
    TMUX = Tmux()
    runs = max(5, args.runs)
    figures: dict[str, float | None] = {}
    command = shlex.split(args.command) if args.command else default_command()
    marker = f"Coming up: {first_item(args.routine)}"
    with tempfile.TemporaryDirectory(prefix="bp-first-frame-") as tmp:
        home = Path(tmp)
        (home / "config" / "breathpace").mkdir(parents=True)
        (home / "data").mkdir()
        settings = home / "config" / "breathpace" / "settings.toml"
        settings.write_text("seen_safety = true\n", encoding="utf-8")
        for audio in args.audio.split(","):
            if audio != "none" and not sound_server_answers():
                print(f"--audio {audio}: skipped (no sound server answers in {PULSE_RUNTIME})")
                continue
            one_run(command, args.routine, audio, marker, home)  # warm the file cache
            times = [one_run(command, args.routine, audio, marker, home) for _ in range(runs)]
            print(
                f"play {args.routine} --audio {audio}: first frame median "
                f"{statistics.median(times) * 1000:.0f} ms "
                f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs)"
            )
            figures[f"{audio} median ms"] = round(statistics.median(times) * 1000, 1)
            figures[f"{audio} min ms"] = round(min(times) * 1000, 1)
            figures[f"{audio} max ms"] = round(max(times) * 1000, 1)
    if figures:
        record("first_frame", figures)


if __name__ == "__main__":
    main()
