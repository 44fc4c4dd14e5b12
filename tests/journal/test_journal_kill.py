"""A `play --plain` process killed with SIGKILL mid-session: the journal keeps the
session, marked as cut short, with the reps completed before the kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from breathpace import paths
from breathpace.cli import main

ROUTINE = """
format = 1
title = "Quick tilts"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Pelvic tilt"
sets = 1
reps = 40
phases = [
  { move = "tilt", breath = "exhale", seconds = 0.3, effort = true },
  { move = "release", breath = "inhale", seconds = 0.3 },
]
"""


def reps_done() -> int:
    path = paths.journal_file()
    if not path.exists():
        return 0
    conn = sqlite3.connect(path, timeout=5)
    try:
        row = conn.execute("SELECT COALESCE(SUM(reps_done), 0) FROM progress").fetchone()
        return row[0]
    except sqlite3.OperationalError:  # the schema is still being written
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_session_leaves_a_partial_session(tmp_path):
    routine = tmp_path / "quick-tilts.toml"
    routine.write_text(ROUTINE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "breathpace", "play", str(routine), "--plain", "--audio", "none"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),  # the isolated XDG folders of this test
    )
    try:
        deadline = time.monotonic() + 30
        while reps_done() < 3:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "no reps were recorded"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    done_after_kill = reps_done()
    assert 3 <= done_after_kill < 40
    conn = sqlite3.connect(paths.journal_file())
    routine_name, outcome, ended, played = conn.execute(
        "SELECT routine, outcome, ended_at, played_ms FROM session"
    ).fetchone()
    (name, reps, sets_planned) = conn.execute("SELECT name, reps, sets FROM progress").fetchone()
    conn.close()
    assert routine_name == "quick-tilts" and outcome is None and ended is None
    assert (name, reps, sets_planned) == ("Pelvic tilt", 40, 1)
    assert played >= 3 * 600 - 600  # played time is written with each rep

    # the journal is whole (not kept aside as damaged) and shows the session as cut short
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert "cut short" in result.output and "damaged" not in result.output
    assert not list(paths.journal_file().parent.glob("*.corrupt-*"))
