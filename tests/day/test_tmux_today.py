"""End to end: the installed `breathpace` home screen in a real 80x24 terminal (tmux,
on a socket of its own) shows today's plan, and its "today" line counts a capsule
done once the journal holds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.tmux, pytest.mark.slow]

UTC = ZoneInfo("UTC")


def _breathpace() -> str | None:
    beside = Path(sys.executable).with_name("breathpace")
    return str(beside) if beside.exists() else shutil.which("breathpace")


@pytest.fixture
def tmux(tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if _breathpace() is None:
        pytest.skip("the breathpace command is not installed")
    socket = f"bp-day-{os.getpid()}-{time.monotonic_ns() % 10**9}"

    def run(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", socket, *args], check=True, capture_output=True, text=True, timeout=10
        ).stdout

    yield run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)
    return value


def test_home_today_in_tmux_at_80_by_24(tmp_path, tmux, monkeypatch):
    config, data = tmp_path / "config", tmp_path / "data"
    (config / "breathpace").mkdir(parents=True)
    data.mkdir()
    (config / "breathpace" / "settings.toml").write_text(
        'seen_safety = true\n\n[day]\nwake = "07:00"\nbedtime = "23:00"\nsitting_days = []\n'
        'main_session = "none"\n',
        "utf-8",
    )
    env = f"TZ=UTC XDG_CONFIG_HOME={config} XDG_DATA_HOME={data}"
    tmux("new-session", "-d", "-s", "day", "-x", "80", "-y", "24", f"{env} {_breathpace()}")

    def pane() -> str:
        return tmux("capture-pane", "-p", "-t", "day")

    wait_for(lambda: "Today 0 of 2 done" in pane(), 30, "the home screen's today line")
    assert "07:00 waking · 22:45 bedtime" in pane()

    # A waking capsule played today (through the journal's real write path).
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
    from journal_helpers import add_session

    from breathpace.journal.db import open_journal

    today = datetime.now(UTC).date()
    with open_journal() as journal:
        add_session(journal, "capsule-waking", datetime(*today.timetuple()[:3], 7, 1, tzinfo=UTC))

    # Back on the home screen from another one, today is read again.
    tmux("send-keys", "-t", "day", "h")
    wait_for(lambda: "Today" not in pane(), 15, "the history screen")
    tmux("send-keys", "-t", "day", "Escape")
    wait_for(lambda: "Today 1 of 2 done" in pane(), 15, "the capsule counted as done")
    screen = pane()
    assert "07:00 waking done · 22:45 bedtime" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    tmux("send-keys", "-t", "day", "q")


def test_first_use_on_a_terminal_asks_a_couple_of_questions(tmp_path, tmux):
    """The questions re-ask a wrong answer on the spot, and the answers become the plan
    (in the settings file's [day] table)."""
    config, data = tmp_path / "config", tmp_path / "data"
    calendar = Path(__file__).with_name("work-calendar.ics")
    env = f"TZ=Europe/Berlin XDG_CONFIG_HOME={config} XDG_DATA_HOME={data}"
    tmux("new-session", "-d", "-s", "ask", "-x", "100", "-y", "40", f"{env} {_breathpace()} day")

    def pane() -> str:
        return tmux("capture-pane", "-p", "-t", "ask")

    def answer(question: str, text: str) -> None:
        wait_for(lambda: pane().rstrip().endswith(question), 20, question)
        tmux("send-keys", "-t", "ask", text, "Enter")

    answer("When do you usually get up? [07:00]:", "06:45")
    answer("And go to bed? [23:00]:", "2330")
    answer("And go to bed? [23:00]:", "23:15")
    answer("driving), or none [09:00-17:00]:", "08:30-16:30")
    answer("if you have one:", str(calendar))
    wait_for(lambda: "Today," in pane(), 20, "the plan")
    screen = pane()
    assert "Error: a time of day as HH:MM, 24-hour (like 07:30) (found '2330')" in screen
    assert "up 06:45 · bed 23:15 · sitting 08:30-16:30" in screen
    settings = (config / "breathpace" / "settings.toml").read_text()
    assert 'wake = "06:45"' in settings and f'calendar = "{calendar}"' in settings
    tmux("send-keys", "-t", "ask", "x")
