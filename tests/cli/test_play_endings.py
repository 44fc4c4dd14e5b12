"""`play --plain` endings as real processes: the summary with the command to
check in, `--from` and `--resume` (and their one-line errors), and a session stopped
in its first seconds that is not kept."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from breathpace import paths

SHORT = textwrap.dedent(
    """\
    format = 1
    title = "Short pair"
    pace = "2-0-2-0"
    lead_in = 1

    [[exercise]]
    name = "Pelvic tilt"
    reps = 2
    rest_after = { seconds = 1 }
    phases = [
      { move = "tilt", breath = "exhale", breaths = 1, effort = true },
      { move = "release", breath = "inhale", breaths = 1 },
    ]

    [[exercise]]
    name = "Knee rock"
    reps = 2
    phases = [
      { move = "rock", breath = "exhale", breaths = 1 },
      { move = "back", breath = "inhale", breaths = 1 },
    ]
    """
)

pytestmark = pytest.mark.slow


@pytest.fixture
def short(user_routines_dir: Path) -> str:
    (user_routines_dir / "short.toml").write_text(SHORT, "utf-8")
    return "short"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def sessions() -> list[tuple]:
    conn = sqlite3.connect(paths.journal_file())
    try:
        return conn.execute("SELECT id, outcome, continues FROM session ORDER BY id").fetchall()
    finally:
        conn.close()


def test_from_and_resume_errors_are_one_line_exit_2(short):
    bad = cli("play", short, "--plain", "--audio", "none", "--from", "squat")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "breathpace: --from: no item 'squat' in this routine (items: 1 Pelvic tilt, 2 Knee rock)"
    ]
    nothing = cli("play", short, "--plain", "--audio", "none", "--resume")
    assert nothing.returncode == 2 and nothing.stdout == ""
    assert nothing.stderr.strip() == (
        "breathpace: --resume: nothing to resume for 'short': "
        "its last session was completed, or there is none"
    )
    both = cli("play", short, "--plain", "--audio", "none", "--resume", "--from", "2")
    assert both.returncode == 2 and len(both.stderr.strip().splitlines()) == 1


def test_a_completed_plain_session_prints_its_summary_and_how_to_check_in(short):
    done = cli("play", short, "--plain", "--audio", "none", "--from", "knee rock")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Starting at item 2: Knee rock"
    assert not any("Pelvic tilt  set" in line for line in lines)  # item 1 never played
    assert "Short pair: completed · " in done.stdout
    # It covered item 2 alone: that is what it records, and it is not a whole session.
    assert "1 of 1 exercises, 2 of 2 reps" in lines
    assert "Began at item 2: not counted as a whole session." in lines
    assert "Check in now: breathpace history --session 1 --effort N --pain N (0-10)" in lines
    assert any(
        line.startswith("In 12 hours or more: breathpace history --next-day") for line in lines
    )
    checked = cli("history", "--effort", "3", "--pain", "1")
    assert checked.returncode == 0, checked.stderr


def test_quit_then_resume_continues_from_the_last_finished_rep(short):
    proc = subprocess.Popen(
        [sys.executable, "-m", "breathpace", "play", short, "--plain", "--audio", "none"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line.rstrip("\n"))
        if "rep 2/2  EXHALE" in line and "Pelvic tilt" in line:
            break  # rep 1 is done, rep 2 under way (2 s long)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    text = "\n".join(seen) + "\n" + out
    assert proc.returncode == 130
    assert "Short pair: stopped · " in text
    assert "To carry on later: breathpace play short --resume" in text
    assert sessions() == [(1, "quit", None)]

    again = cli("play", short, "--plain", "--audio", "none", "--resume")
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0] == "Continuing session #1 at Pelvic tilt, set 1, rep 2"
    assert "Pelvic tilt  set 1/1  rep 1/2" not in again.stdout
    assert "2 of 2 exercises, 3 of 4 reps (continuing session #1)" in lines
    assert sessions() == [(1, "quit", None), (2, "completed", 1)]
    shown = cli("history", "--session", "2")
    assert "  continues session #1 (play --resume)" in shown.stdout.splitlines()


def test_a_plain_session_stopped_at_once_is_not_kept(short):
    proc = subprocess.Popen(
        [sys.executable, "-m", "breathpace", "play", short, "--plain", "--audio", "none"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first  # playing
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert "Not kept in the journal: it does not count as a practice." in out
    assert sessions() == []
    history = cli("history")
    assert history.returncode == 0 and "short" not in history.stdout
