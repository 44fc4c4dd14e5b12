"""End to end with a real sound server: what `play --plain` plays is recorded and timed.

`.ci/run` starts PulseAudio with a null sink (`.ci/start-pulse.sh`); these tests record
that sink's monitor with `parec` while the installed command plays a short routine, find
the cue onsets in the recording, and compare their spacing with the timeline's segment
starts. They are skipped when no PulseAudio server answers.

The no-device tests at the end need no server: they prove a session still runs, says it
is silent, and lets no ALSA/PulseAudio chatter through to stderr.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from onset_timing import can_start_pulse, private_pulse, recording, wait_for, wait_for_tail

RATE = 44100
#: Allowed error of each recorded onset interval against the timeline.
TOLERANCE_MS = 3.0
#: Silence in the recording is digital zero; anything above this is a cue.
THRESHOLD = 40 / 32768
#: A cue starts after at least this much quiet (every cue here fades out sooner).
QUIET_MS = 120

# Phases of different lengths, each at least 1 s so a cue (<= 0.8 s, chimes <= 1.04 s)
# has faded before the next; lead-in 1 s has no count pips; nothing halfway, no ticks.
ROUTINE = """
format = 1
title = "Onset check"
pace = "1.3-0-1.7-0"
lead_in = 1

[[exercise]]
name = "Tilt"
sets = 2
reps = 3
rest = { seconds = 1.6 }
phases = [
  { move = "tilt", breath = "exhale", seconds = 1.7, effort = true },
  { move = "hold", breath = "hold", seconds = 1.1 },
  { move = "release", breath = "inhale", seconds = 1.3 },
]
"""


def pulse_running() -> bool:
    if shutil.which("pactl") is None or shutil.which("parec") is None:
        return False
    try:
        return subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def default_sink() -> str:
    out = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=5).stdout
    for line in out.splitlines():
        if line.startswith("Default Sink:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("pactl info names no default sink")


def breathpace_cmd() -> list[str]:
    return [sys.executable, "-m", "breathpace"]


def detect_onsets(samples: np.ndarray) -> list[int]:
    """Frames where sound starts after at least QUIET_MS of silence."""
    loud = np.flatnonzero(np.abs(samples) > THRESHOLD)
    if len(loud) == 0:
        return []
    quiet = round(QUIET_MS * RATE / 1000)
    gaps = np.diff(loud)
    starts = [int(loud[0])] + [int(loud[i + 1]) for i in np.flatnonzero(gaps > quiet)]
    return starts


def expected_starts(path: Path) -> tuple[list[int], object]:
    from breathpace.audio.mixer import Mixer, frame_of
    from breathpace.audio.theme import load_theme
    from breathpace.library import load_routine
    from breathpace.timeline import compile

    timeline = compile(load_routine(path))
    starts = [frame_of(s.start_ms) for s in timeline.segments]
    # The routine is built so that the cues sound exactly at the segment starts.
    mixer = Mixer(timeline, load_theme("soft"))
    assert sorted(set(mixer.onsets())) == starts
    return starts, timeline


def record_while_playing(
    tmp_path: Path, audio: str
) -> tuple[np.ndarray, subprocess.CompletedProcess]:
    """Play the routine on a private server's null sink (other sessions on the shared
    test sink would be heard too) and record it: the command starts once the recorder
    delivers, and the recording ends once it holds every cue and the quiet after."""
    routine = tmp_path / "onsets.toml"
    routine.write_text(ROUTINE)
    count = len(expected_starts(routine)[0])
    with private_pulse(tmp_path) as env, recording(env, tmp_path / "out.raw") as samples:
        done = subprocess.run(
            [*breathpace_cmd(), "play", str(routine), "--plain", "--audio", audio],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        if done.returncode == 0:
            wait_for_tail(samples, count)
        return samples(), done


def check_onsets(tmp_path: Path, audio: str) -> None:
    samples, done = record_while_playing(tmp_path, audio)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    expected, timeline = expected_starts(tmp_path / "onsets.toml")
    found = detect_onsets(samples)
    assert len(found) == len(expected), (
        f"{len(found)} onsets recorded, {len(expected)} segments: {found}"
    )
    found_ms = (np.array(found) - found[0]) * 1000 / RATE
    want_ms = (np.array(expected) - expected[0]) * 1000 / RATE
    errors = np.abs(found_ms - want_ms)
    worst = float(errors.max())
    print(f"{audio}: {len(found)} onsets, worst interval error {worst:.3f} ms")
    assert worst <= TOLERANCE_MS, list(zip(want_ms.round(1), found_ms.round(1), strict=True))
    # The printed lines name every segment, in order.
    lines = [line for line in done.stdout.splitlines() if line[:2].isdigit()]
    assert len(lines) == len(timeline.segments)


pulse = pytest.mark.skipif(
    not (pulse_running() and can_start_pulse()), reason="no PulseAudio server (pactl info)"
)


@pytest.mark.pulse
@pulse
def test_miniaudio_onsets_match_the_timeline(tmp_path):
    check_onsets(tmp_path, "miniaudio")


@pytest.mark.pulse
@pulse
def test_devices_lists_the_null_sink():
    done = subprocess.run(
        [*breathpace_cmd(), "devices"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0
    assert "0  " in done.stdout
    assert done.stderr == ""


SHORT = """
format = 1
title = "Short"
pace = "1-0-1-0"
lead_in = 1

[[exercise]]
name = "Tilt"
sets = 1
reps = 1
phases = [
  { move = "tilt", breath = "exhale", seconds = 1, effort = true },
  { move = "release", breath = "inhale", seconds = 1 },
]
"""


def play_short(tmp_path: Path, audio: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    routine = tmp_path / "short.toml"
    routine.write_text(SHORT)
    return subprocess.run(
        [*breathpace_cmd(), "play", str(routine), "--plain", "--audio", audio],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.pulse
@pytest.mark.skipif(shutil.which("pulseaudio") is None, reason="no pulseaudio binary")
def test_a_sound_server_lost_mid_session_becomes_a_notice_and_play_goes_on(tmp_path):
    # A private server of our own, so killing it disturbs no other test.
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
    env.pop("PULSE_SERVER", None)
    subprocess.run(
        ["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
         "--load=module-null-sink sink_name=lost", "--load=module-native-protocol-unix"],
        env=env, capture_output=True, timeout=30, check=False,
    )  # fmt: skip
    pid_file = runtime / "pulse" / "pid"
    try:
        wait_for(pid_file.exists, 10, "the private server's pid file")
    except TimeoutError:
        pytest.skip("a private PulseAudio server did not start")
    server_pid = int(pid_file.read_text().split()[0])
    routine = tmp_path / "ten.toml"
    routine.write_text(SHORT.replace("reps = 1", "reps = 4"))
    from breathpace.settings import Settings, save_settings

    # Plain mode prints the first-run safety notice first (tested in
    # tests/test_plain_words.py): seen, so the first line out is the first segment.
    save_settings(Settings(seen_safety=True))
    proc = subprocess.Popen(
        [*breathpace_cmd(), "play", str(routine), "--plain", "--audio", "miniaudio"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        first = proc.stdout.readline()  # the device is open and the session has started
        assert first.startswith("00:00"), first
        # The server is lost mid-session: once the first rep's cue line is out.
        second = proc.stdout.readline()
        assert second.startswith("00:01"), second
        os.kill(server_pid, 15)
        out, err = proc.communicate(timeout=60)
        out = second + out
    finally:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(server_pid, 9)
    assert proc.returncode == 0, err
    assert err == ""
    lines = (first + out).splitlines()
    notices = [line for line in lines if "Carrying on silently" in line]
    assert len(notices) == 1
    # The last segment line is DONE; the end-of-session summary follows it.
    assert "DONE" in [line for line in lines if line[:2].isdigit()][-1]
    assert lines[-1].startswith(("In 12 hours", "Suggestion: "))
    # No segment is lost or repeated across the switch to the silent clock.
    segs = [line for line in lines if line[:2].isdigit()]
    assert len(segs) == len(set(segs)) == 1 + 4 * 2 + 1


def test_audio_none_plays_to_the_end_and_says_it_is_silent(tmp_path):
    done = play_short(tmp_path, "none", dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert "silent" in lines[0]
    # The last segment line is DONE; the end-of-session summary follows it.
    assert "DONE" in [line for line in lines if line[:2].isdigit()][-1]
    assert lines[-1].startswith(("In 12 hours", "Suggestion: "))


def test_no_sound_server_at_all_still_finishes_silently(tmp_path):
    env = dict(os.environ)
    env.pop("XDG_RUNTIME_DIR", None)
    env["PULSE_SERVER"] = "unix:/nonexistent/breathpace-no-server"
    done = play_short(tmp_path, "auto", env)
    assert done.returncode == 0, done.stderr
    # Not a word from ALSA or PulseAudio: fd 2 was silenced around the device probe.
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert "playing silently" in lines[0]
    # The last segment line is DONE; the end-of-session summary follows it.
    assert "DONE" in [line for line in lines if line[:2].isdigit()][-1]
    assert lines[-1].startswith(("In 12 hours", "Suggestion: "))


def test_no_sound_server_with_an_explicit_backend_is_one_line_and_exit_2(tmp_path):
    env = dict(os.environ)
    env.pop("XDG_RUNTIME_DIR", None)
    env["PULSE_SERVER"] = "unix:/nonexistent/breathpace-no-server"
    done = play_short(tmp_path, "miniaudio", env)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no sound device" in done.stderr


def test_devices_without_a_sound_server_says_so_calmly():
    env = dict(os.environ)
    env.pop("XDG_RUNTIME_DIR", None)
    env["PULSE_SERVER"] = "unix:/nonexistent/breathpace-no-server"
    done = subprocess.run(
        [*breathpace_cmd(), "devices"], capture_output=True, text=True, timeout=30, env=env
    )
    assert done.returncode == 0
    assert done.stderr == ""
    # Without PulseAudio miniaudio may still find ALSA hardware; in a container it finds
    # nothing and says so in one calm sentence, never a traceback or library chatter.
    assert done.stdout.startswith(("No sound devices", "Playback devices"))
