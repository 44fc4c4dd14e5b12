"""Plain mode says the truth of each moment, for screen readers.

Real `breathpace play --plain --audio none` processes on short routines: the first-run
safety notice once (the same words and "seen" setting as the full screen), the routine's
safety before it starts, each exercise's safety, position and general cues before it
(also while a wait for Enter waits), each phase with its own cue and no other, rests
that say what comes next, and a breathing block counted in breaths.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace.safety import SAFETY_NOTICE
from breathpace.settings import load_settings

ROUTINE = """
format = 1
title = "Plain words"
lead_in = 1
safety = "Routine safety: stop before pain."

[[exercise]]
name = "Bridge"
position = "On your back, knees bent"
cues = ["Ribs soft", "A lower lift is fine"]
safety = "Bridge safety: lift only as high as is comfortable."
sets = 2
reps = 1
rest = { seconds = 1 }
rest_after = { seconds = 1 }
phases = [
  { move = "lift", breath = "exhale", seconds = 0.5, effort = true, cue = "Heels press" },
  { move = "lower", breath = "inhale", seconds = 0.5, cue = "Roll down slowly" },
]

[[exercise]]
name = "Easy breaths"
pattern = "0.5-0-0.5-0"
cycles = 3
position = "Lying still"
cues = ["Let the belly rise"]
"""

WAITING = """
format = 1
title = "Waiting"
lead_in = 0

[[exercise]]
name = "Side plank"
wait_for_ready = true
position = "On your side, on one elbow"
cues = ["Hips stacked"]
reps = 1
phases = [{ move = "lift", breath = "exhale", seconds = 0.5, effort = true }]
"""


def play(path: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "breathpace", "play", str(path), "--plain", "--audio", "none"],
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_plain_mode_prints_safety_briefings_and_each_phases_own_cue(tmp_path: Path):
    path = tmp_path / "plain-words.toml"
    path.write_text(ROUTINE, "utf-8")
    assert not load_settings().seen_safety
    lines = play(path)
    text = "\n".join(lines)

    # The first-run notice, whole, once; then it is remembered as seen.
    first_line = SAFETY_NOTICE.splitlines()[0]
    assert lines.count(first_line) == 1
    assert SAFETY_NOTICE.rstrip() in text
    assert load_settings().seen_safety

    # Before the first segment: nothing of the session yet; then the lead-in and the
    # routine's and the exercise's safety, position and cues.
    lead = next(i for i, line in enumerate(lines) if "GET READY" in line)
    assert lines.index(first_line) < lead
    assert lines[lead + 1 : lead + 6] == [
        "Safety: Routine safety: stop before pain.",
        "Safety: Bridge safety: lift only as high as is comfortable.",
        "Position: On your back, knees bent",
        "Cue: Ribs soft",
        "Cue: A lower lift is fine",
    ]

    # Each phase line: its breath, its move, its own cue, its length; nothing else.
    lifts = [line for line in lines if "EXHALE  lift" in line]
    lowers = [line for line in lines if "INHALE  lower" in line]
    assert len(lifts) == len(lowers) == 2
    for line in lifts:
        assert line.endswith("EXHALE  lift  Heels press  0.5s")
    for line in lowers:
        assert line.endswith("INHALE  lower  Roll down slowly  0.5s")
    for line in lifts + lowers:
        for other in ("Ribs soft", "A lower lift", "Lying still", "belly", "Safety"):
            assert other not in line

    # The rest says what comes next, then the position and general cues again.
    rest = next(i for i, line in enumerate(lines) if "REST" in line)
    assert lines[rest].endswith("Bridge  REST  next: set 2/2  1.0s")
    assert lines[rest + 1 : rest + 4] == [
        "Position: On your back, knees bent",
        "Cue: Ribs soft",
        "Cue: A lower lift is fine",
    ]

    # The breathing block: announced with its position and cue, counted in breaths.
    nxt = next(i for i, line in enumerate(lines) if "NEXT" in line)
    assert lines[nxt + 1 : nxt + 3] == ["Position: Lying still", "Cue: Let the belly rise"]
    breaths = [line for line in lines if line.split()[1:3] == ["Easy", "breaths"]]
    counted = [line for line in breaths if " breath " in f" {line} "]
    assert [line.split("  ")[2] for line in counted if "INHALE" in line] == [
        "breath 1/3",
        "breath 2/3",
        "breath 3/3",
    ]
    assert not any("rep " in line for line in breaths)
    assert not any("Let the belly rise" in line for line in counted)


@pytest.mark.slow
def test_the_safety_notice_is_not_printed_again_and_a_wait_shows_the_position(
    tmp_path: Path,
):
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(seen_safety=True))
    path = tmp_path / "waiting.toml"
    path.write_text(WAITING, "utf-8")
    lines = play(path)
    assert SAFETY_NOTICE.splitlines()[0] not in lines
    wait = next(i for i, line in enumerate(lines) if "GET READY" in line)
    prompt = lines.index("Press Enter when you are in position")
    # While it waits (before the prompt), not only after Enter.
    assert lines[wait + 1 : prompt] == ["Position: On your side, on one elbow", "Cue: Hips stacked"]


class _Terminal(io.StringIO):
    """Typed input at a terminal: `isatty` is what makes plain mode wait for Enter."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_notice_waits_for_enter_and_is_then_remembered():
    from breathpace import plain

    said: list[str] = []
    stdin = _Terminal("\n")
    assert plain.first_run_safety(said.append, stdin) is True
    notice = SAFETY_NOTICE.rstrip().splitlines()
    assert said[: len(notice)] == notice
    assert said[len(notice)] == plain.SAFETY_CONTINUE
    assert stdin.tell() == 1  # the Enter was read
    assert load_settings().seen_safety
    assert plain.first_run_safety(said.append, stdin) is False  # once only


def test_a_settings_file_that_cannot_be_read_still_gets_the_notice_and_is_kept():
    from breathpace import paths, plain

    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("this is [not toml", "utf-8")
    said: list[str] = []
    assert plain.first_run_safety(said.append, io.StringIO("")) is True
    assert said == [*SAFETY_NOTICE.rstrip().splitlines(), ""]
    assert path.read_text("utf-8") == "this is [not toml"
