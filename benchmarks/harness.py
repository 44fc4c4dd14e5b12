"""What the terminal benchmarks share: a tmux server of their own, the test sound
server found by its PID file, and a results file each run is added to.

- **tmux**: every benchmark talks to a private server (`tmux -L NAME`), never the
  default one, so it neither adds sessions to the server a person is working in nor
  ends it. After `kill-server` it waits until the server has really gone before the
  next `new-session` on the same socket (starting one at once sometimes failed with
  "server exited unexpectedly").
- **the sound server**: the PulseAudio server `.ci/start-pulse.sh` starts in its own
  runtime folder writes its PID to `RUNTIME/pulse/pid`; that is the process whose CPU
  is counted. Another user's server on a shared machine (the first `pgrep pulseaudio`
  match) is not it.
- **results**: `record()` adds one JSON line per run to `benchmarks/results/NAME.jsonl`,
  with when, which commit, the machine's load and the figures; `compare.py` prints the
  last run beside the one before. That file, not prose, is the benchmarks' history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
#: The runtime folder of the test sound server (.ci/start-pulse.sh).
PULSE_RUNTIME = os.environ.get("BREATHPACE_PULSE_RUNTIME", "/tmp/breathpace-pulse-runtime")


class Tmux:
    """A tmux server of this process's own, on socket `name` (`tmux -L name`)."""

    def __init__(self, name: str | None = None) -> None:
        if shutil.which("tmux") is None:
            raise SystemExit("tmux is needed for this benchmark")
        self.socket = name or f"bp-bench-{os.getpid()}"

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
        )

    def alive(self) -> bool:
        return self("list-sessions", check=False).returncode == 0

    def kill_server(self, timeout: float = 5.0) -> None:
        """End the server and wait until it no longer answers."""
        self("kill-server", check=False)
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise SystemExit(f"tmux server {self.socket} did not end in {timeout:.0f} s")
            time.sleep(0.02)


def sound_server_answers(runtime: str = PULSE_RUNTIME) -> bool:
    """True when the PulseAudio server in `runtime` answers `pactl info`."""
    if shutil.which("pactl") is None:
        return False
    env = dict(os.environ, XDG_RUNTIME_DIR=runtime)
    env.pop("PULSE_SERVER", None)
    try:
        done = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def sound_server_pid(runtime: str = PULSE_RUNTIME) -> int | None:
    """The PID of the PulseAudio server in `runtime`, from its PID file, when that
    process is alive; None otherwise."""
    try:
        pid = int((Path(runtime) / "pulse" / "pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def conditions() -> dict[str, object]:
    """Where and on what a run was measured: the figures mean little without it."""
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = None
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "changed_files": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "textual": textual,
        "cpus": os.cpu_count(),
        "load_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "args": sys.argv[1:],
    }


def record(name: str, figures: dict[str, float | None], results: Path = RESULTS) -> Path:
    """Add one run's figures (flat: label -> number) to `results/NAME.jsonl`."""
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{name}.jsonl"
    entry = {**conditions(), "figures": figures}
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"\nrecorded in {shown}; `python benchmarks/compare.py` compares")
    return path


def history(path: Path) -> list[dict]:
    """Every run in a results file, oldest first."""
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
