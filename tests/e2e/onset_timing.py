"""Shared by the audio-timing tests and `benchmarks/bench_audio_clock.py`: a private
PulseAudio server with a null sink, a `parec` recording of its monitor, and the cue
onsets in that recording matched to `breathpace preview --json` start times.

A private server (its own runtime folder) keeps other sessions playing on the shared
test sink out of the recording. Every wait here is for an observable event (a file
appearing, recorded bytes arriving, a process ending), never a bare sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 44100
#: Silence in the recording is digital zero; anything above this is a cue.
THRESHOLD = 40 / 32768
#: A cue starts after at least this much quiet (every cue here fades out sooner).
QUIET_MS = 120

#: Three exercises with a two-second change between them: every segment start is a cue
#: onset of its own (a cue fades before the next; the change's chime and its one count
#: pip run together into one sound), so the onsets are exactly the segment starts.
ROUTINE = """
format = 1
title = "Onset check, three exercises"
pace = "1.3-0-1.7-0"
lead_in = 1

[[exercise]]
name = "Tilt"
reps = 2
rest_after = { seconds = 2 }
phases = [
  { move = "tilt", breath = "exhale", seconds = 1.7, effort = true },
  { move = "release", breath = "inhale", seconds = 1.3 },
]

[[exercise]]
name = "Bridge"
reps = 2
rest_after = { seconds = 2 }
phases = [
  { move = "lift", breath = "exhale", seconds = 1.6, effort = true },
  { move = "hold", breath = "hold", seconds = 3.2 },
  { move = "lower", breath = "inhale", seconds = 1.4 },
]

[[exercise]]
name = "Knee roll"
reps = 2
phases = [
  { move = "roll", breath = "exhale", seconds = 1.5 },
  { move = "back", breath = "inhale", seconds = 1.2 },
]
"""


def breathpace_cmd() -> list[str]:
    """The installed command beside this Python (BREATHPACE_CMD overrides it: the
    benchmark measures another checkout's command that way)."""
    if os.environ.get("BREATHPACE_CMD"):
        return [os.environ["BREATHPACE_CMD"]]
    beside = Path(sys.executable).with_name("breathpace")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "breathpace"]


def wait_for(predicate: Callable[[], object], timeout: float, what: str, poll: float = 0.02):
    """Poll until `predicate()` is truthy; returns its value or raises TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(poll)


def can_start_pulse() -> bool:
    return all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "parec"))


@contextlib.contextmanager
def private_pulse(root: Path | None = None) -> Iterator[dict[str, str]]:
    """A PulseAudio server of our own with one null sink `cap`; yields the environment
    that reaches it. The server is ended (by its own pid) afterwards."""
    with contextlib.ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bp-pulse-")))
        runtime = root / "runtime"
        runtime.mkdir(mode=0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
        env.pop("PULSE_SERVER", None)
        subprocess.run(
            ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
             "--load=module-null-sink sink_name=cap",
             "--load=module-native-protocol-unix"],
            env=env, capture_output=True, timeout=30, check=False,
        )  # fmt: skip
        pid_file = runtime / "pulse" / "pid"
        wait_for(pid_file.exists, 10, "the private PulseAudio server")
        pid = int(pid_file.read_text().split()[0])
        try:
            wait_for(
                lambda: subprocess.run(["pactl", "info"], env=env, capture_output=True)
                .returncode == 0,
                10, "the private PulseAudio server to answer", poll=0.1,
            )  # fmt: skip
            subprocess.run(
                ["pactl", "set-default-sink", "cap"], env=env, capture_output=True, timeout=10
            )
            yield env
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not _alive(pid), 10, "the private PulseAudio server to end")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def recording(env: dict[str, str], raw: Path) -> Iterator[Callable[[], np.ndarray]]:
    """Record the sink's monitor into `raw` while the block runs; the yielded function
    returns the samples recorded so far (as floats). The block starts once the
    recorder is delivering sound (its first bytes arrived)."""
    with raw.open("wb") as fh:
        rec = subprocess.Popen(
            ["parec", "--raw", "--format=s16le", "--channels=1", f"--rate={RATE}",
             "--latency-msec=20", "-d", "cap.monitor"],
            stdout=fh, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        try:
            wait_for(lambda: raw.stat().st_size > 0, 10, "parec's first bytes")

            def samples() -> np.ndarray:
                data = raw.read_bytes()
                data = data[: len(data) // 2 * 2]
                return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768

            yield samples
        finally:
            rec.terminate()
            rec.wait(timeout=10)


def detect_onsets(samples: np.ndarray) -> list[int]:
    """Frames where sound starts after at least QUIET_MS of silence."""
    loud = np.flatnonzero(np.abs(samples) > THRESHOLD)
    if len(loud) == 0:
        return []
    quiet = round(QUIET_MS * RATE / 1000)
    gaps = np.diff(loud)
    return [int(loud[0])] + [int(loud[i + 1]) for i in np.flatnonzero(gaps > quiet)]


def preview_starts_ms(routine: Path, env: dict[str, str] | None = None) -> list[float]:
    """Segment start times (ms) as `breathpace preview --json` prints them."""
    done = subprocess.run(
        [*breathpace_cmd(), "preview", str(routine), "--json"],
        capture_output=True, text=True, timeout=60, env=env, check=True,
    )  # fmt: skip
    return [1000 * seg["start_s"] for seg in json.loads(done.stdout)["segments"]]


@dataclass
class OnsetErrors:
    found_ms: list[float]
    want_ms: list[float]

    @property
    def errors_ms(self) -> np.ndarray:
        """Signed error of each onset (late is positive), anchored at the first tone."""
        found = np.array(self.found_ms) - self.found_ms[0]
        want = np.array(self.want_ms) - self.want_ms[0]
        return found - want

    @property
    def worst_ms(self) -> float:
        return float(np.abs(self.errors_ms).max())

    @property
    def median_ms(self) -> float:
        return float(np.median(np.abs(self.errors_ms)))

    def share_together(self, within_ms: float = 1.0) -> float:
        """The share of onsets within `within_ms` of the session's common offset (the
        median error): one glitched cue counts once here, a lasting shift counts for
        every cue after it. Anchoring at the first tone cannot tell those apart when
        the first tone is the one that was late."""
        errors = self.errors_ms
        return float(np.mean(np.abs(errors - np.median(errors)) <= within_ms))

    def table(self) -> str:
        return "\n".join(
            f"  want {w:9.1f}  heard {f - self.found_ms[0] + self.want_ms[0]:9.1f}  {e:+7.2f} ms"
            for w, f, e in zip(self.want_ms, self.found_ms, self.errors_ms, strict=True)
        )


def match_onsets(samples: np.ndarray, want_ms: list[float]) -> OnsetErrors:
    found = detect_onsets(samples)
    if len(found) != len(want_ms):
        found_ms = [round(f * 1000 / RATE) for f in found]
        raise AssertionError(f"{len(found)} onsets recorded, {len(want_ms)} wanted: {found_ms}")
    return OnsetErrors([f * 1000 / RATE for f in found], list(want_ms))


def stall(pid: int, seconds: float) -> None:
    """Stop a process (every thread, the audio callback too) for `seconds`: what a
    starved CPU or a long-held GIL does to the callback, made exact."""
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(seconds)  # the stall itself, not a wait for an event
    finally:
        os.kill(pid, signal.SIGCONT)


def _homes(root: Path) -> dict[str, str]:
    config, data = root / "config", root / "data"
    (config / "breathpace").mkdir(parents=True, exist_ok=True)
    data.mkdir(exist_ok=True)
    # The first-run safety notice has its own tests; here it would hold the start.
    (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n", "utf-8")
    return {"XDG_CONFIG_HOME": str(config), "XDG_DATA_HOME": str(data)}


#: The stall comes in the quiet of the second exercise's long hold: STALL_DELAY_S after
#: its cue (whose sound has ended by then), with STALL_S before the next cue to settle.
#: Plain mode prints the phase's move ("hold"); the full screen shows its breath in
#: capitals ("HOLD"), so the screen is searched without regard to case.
STALL_AT = "hold"
STALL_DELAY_S = 0.9


def play_plain(
    env: dict[str, str], root: Path, stall_s: float = 0.0
) -> tuple[np.ndarray, list[float], str]:
    """`play --plain` with sound over ROUTINE, recorded. Returns (samples, the
    preview's start times in ms, stdout). With `stall_s`, the process is stopped for
    that long once the second exercise has begun."""
    routine = root / "onsets.toml"
    routine.write_text(ROUTINE, "utf-8")
    env = dict(env, **_homes(root))
    want = preview_starts_ms(routine, env)
    with recording(env, root / "plain.raw") as samples:
        proc = subprocess.Popen(
            [*breathpace_cmd(), "play", str(routine), "--plain", "--audio", "miniaudio"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        lines = []
        try:
            for line in proc.stdout:
                lines.append(line)
                if stall_s and STALL_AT in line:
                    time.sleep(STALL_DELAY_S)  # a place in the timeline, not a wait
                    stall(proc.pid, stall_s)
                    stall_s = 0.0
            err = proc.stderr.read()
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        if proc.returncode != 0 or err:
            raise AssertionError(f"play --plain exited {proc.returncode}: {err}")
        # The last cue has been heard once the recording holds its sound and then quiet.
        wait_for_tail(samples, len(want))
        return samples(), want, "".join(lines)


def wait_for_tail(samples: Callable[[], np.ndarray], count: int) -> None:
    def complete():
        got = samples()
        onsets = detect_onsets(got)
        tail = got[-round(0.3 * RATE) :]
        return len(onsets) >= count and not np.any(np.abs(tail) > THRESHOLD)

    wait_for(complete, 15, "the recording to hold every cue", poll=0.1)


#: A tmux server of the tests' own (`tmux -L`): never the one a person works in.
TMUX = ["tmux", "-L", f"breathpace-tests-{os.getpid()}"]


def tmux(*args: str) -> str:
    return subprocess.run(
        [*TMUX, *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


def play_tui(
    env: dict[str, str], root: Path, stall_s: float = 0.0
) -> tuple[np.ndarray, list[float], str]:
    """The Textual player in a real terminal (tmux) with sound over ROUTINE, recorded.
    Returns (samples, the preview's start times in ms, the last pane seen)."""
    routine = root / "onsets.toml"
    routine.write_text(ROUTINE, "utf-8")
    homes = _homes(root)
    want = preview_starts_ms(routine, dict(env, **homes))
    status, pidfile = root / "status", root / "pid"
    passed = {
        k: env[k] for k in ("XDG_RUNTIME_DIR", "BREATHPACE_AUDIO_TRACE", "PYTHONPATH") if k in env
    }
    exports = " ".join(f"{k}={v}" for k, v in {**homes, **passed}.items())
    command = (
        f"set +m; {exports} sh -c 'echo $$ > {pidfile}; exec {breathpace_cmd()[0]} play {routine} "
        f"--audio miniaudio'; echo $? > {status}"
    )
    name = f"bp-clock-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    pane = ""
    with recording(env, root / "tui.raw") as samples:
        tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "bash --norc")
        try:
            tmux("send-keys", "-t", name, command, "Enter")
            if stall_s:
                wait_for(
                    lambda: STALL_AT in tmux("capture-pane", "-p", "-t", name).lower(), 60,
                    "the second exercise on screen",
                )  # fmt: skip
                time.sleep(STALL_DELAY_S)  # a place in the timeline, not a wait
                stall(int(pidfile.read_text()), stall_s)
            deadline = time.monotonic() + 90
            while not status.exists():
                pane = tmux("capture-pane", "-p", "-t", name)
                if "How did that feel?" in pane:
                    tmux("send-keys", "-t", name, "Escape")
                if time.monotonic() > deadline:
                    raise AssertionError(f"the player did not end:\n{pane}")
                time.sleep(0.2)
        finally:
            subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)
        if status.read_text().strip() != "0":
            raise AssertionError(f"play exited {status.read_text().strip()}:\n{pane}")
        wait_for_tail(samples, len(want))
        return samples(), want, pane
