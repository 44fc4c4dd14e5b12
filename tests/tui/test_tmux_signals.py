"""Stopped, continued and closed: the installed `breathpace play` in a real terminal (tmux).

- Ctrl-Z then `fg` (and a SIGSTOP from outside then `fg`), then quitting with q, y and
  Escape: the process exits, the journal row is closed, and the terminal's settings
  (`stty -a`) are exactly what they were before the session.
- The terminal closed (the tmux session killed) before the first screen, as it appears
  and mid-session, silent and with sound: the process is gone within a few seconds and
  any journal row is closed as interrupted.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from breathpace.player.core import JUMP_S
from tests.sound import NO_SERVER, pulse_runtime
from tests.tui.test_tmux import ROUTINE, TMUX, _breathpace, phase_in, tmux

pytestmark = pytest.mark.tmux


@pytest.fixture
def session_name():
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if _breathpace() is None:
        pytest.skip("the breathpace command is not installed")
    name = f"bp-sig-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    yield name
    subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)


@pytest.fixture
def home(tmp_path):
    config, data = tmp_path / "config", tmp_path / "data"
    (config / "breathpace").mkdir(parents=True)
    data.mkdir()
    (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n", "utf-8")
    routine = tmp_path / "two.toml"
    # Long enough that the session is still playing whenever a test acts.
    routine.write_text(ROUTINE.replace("reps = 4", "reps = 30"), "utf-8")
    return config, data, routine


def pane(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_for(what, name: str, timeout: float = 15.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while not (found := what()):
        assert time.monotonic() < deadline, pane(name)
        time.sleep(step)
    return found


def journal_rows(data: Path) -> list[tuple]:
    journals = list(data.rglob("journal.sqlite3"))
    if not journals:
        return []
    with sqlite3.connect(journals[0]) as conn:
        try:
            return conn.execute("SELECT outcome, ended_at FROM session").fetchall()
        except sqlite3.OperationalError:  # created, but no table yet
            return []


def child_of(pid: int) -> int | None:
    try:
        out = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, timeout=5
        ).stdout.split()
    except FileNotFoundError:
        pytest.skip("pgrep is not installed")
    return int(out[0]) if out else None


def past_the_first_rep(name: str) -> None:
    """Wait until the second rep is on screen: a session stopped before its first rep,
    within its first 15 s, is not kept, and these tests are about sessions that are."""
    wait_for(lambda: re.search(r"\brep ([2-9]|\d\d+)/", pane(name)), name)


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("audio", ["none", "miniaudio"])
@pytest.mark.parametrize("stop", ["ctrl-z", "sigstop"])
def test_stopped_and_continued_then_quit_leaves_the_terminal_as_it_was(
    tmp_path, session_name, home, stop, audio
):
    """Stopped longer than the jump threshold, the session pauses where it was and
    says so, with sound as without; quitting then leaves the terminal as it was."""
    config, data, routine = home
    runtime = ""
    if audio == "miniaudio":
        if (server := pulse_runtime()) is None:
            pytest.skip(NO_SERVER)
        runtime = f"XDG_RUNTIME_DIR={server} "
    before, after, status = tmp_path / "before", tmp_path / "after", tmp_path / "status"
    tmux("new-session", "-d", "-s", session_name, "-x", "100", "-y", "30", "bash --norc")
    tmux("send-keys", "-t", session_name, f"stty -a > {before}", "Enter")
    wait_for(before.exists, session_name)
    # The command alone on its line: a stopped job must not let the shell run on.
    command = (
        f"{runtime}XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} {_breathpace()} play "
        f"{routine} --audio {audio}"
    )
    tmux("send-keys", "-t", session_name, command, "Enter")
    wait_for(lambda: phase_in(pane(session_name)), session_name)
    past_the_first_rep(session_name)
    shell = int(tmux("display-message", "-p", "-t", session_name, "#{pane_pid}").strip())
    pid = wait_for(lambda: child_of(shell), session_name)

    if stop == "ctrl-z":
        tmux("send-keys", "-t", session_name, "C-z")
    else:
        os.kill(pid, signal.SIGSTOP)  # uncatchable: the app cannot leave first
    wait_for(lambda: "Stopped" in pane(session_name), session_name)
    time.sleep(JUMP_S + 0.5)
    tmux("send-keys", "-t", session_name, "fg", "Enter")
    # Drawn again whole (what the shell printed meanwhile is gone), and paused where
    # it was, with the notice.
    wait_for(lambda: "Stopped" not in (p := pane(session_name)) and phase_in(p), session_name)
    wait_for(lambda: "Paused: space to resume" in pane(session_name), session_name, timeout=5)
    assert "clock jumped" in pane(session_name)
    # One input thread and one writer: the keys still work.
    time.sleep(0.5)
    tmux("send-keys", "-t", session_name, "q")
    wait_for(lambda: "End the session now?" in pane(session_name), session_name)
    tmux("send-keys", "-t", session_name, "y")
    wait_for(lambda: "How did that feel?" in pane(session_name), session_name)
    tmux("send-keys", "-t", session_name, "Escape")
    wait_for(lambda: gone(pid), session_name, timeout=10)

    tmux("send-keys", "-t", session_name, f"echo $? > {status}; stty -a > {after}", "Enter")
    wait_for(after.exists, session_name)
    time.sleep(0.3)
    assert status.read_text().strip() == "0"
    assert after.read_text() == before.read_text()
    assert tmux("display-message", "-p", "-t", session_name, "#{alternate_on}").strip() == "0"
    assert journal_rows(data) == [("quit", journal_rows(data)[0][1])]
    assert journal_rows(data)[0][1] is not None


@pytest.mark.parametrize("audio", ["none", "miniaudio"])
@pytest.mark.parametrize("moment", ["before-the-first-screen", "first-screen", "mid-session"])
def test_a_closed_terminal_ends_the_process_and_the_session(session_name, home, audio, moment):
    config, data, routine = home
    env = [f"XDG_CONFIG_HOME={config}", f"XDG_DATA_HOME={data}"]
    if audio == "miniaudio":
        if (server := pulse_runtime()) is None:
            pytest.skip(NO_SERVER)
        env.append(f"XDG_RUNTIME_DIR={server}")
    env_args = [arg for pair in env for arg in ("-e", pair)]
    # The command is the pane's own process (exec): the session leader of the
    # terminal, as in a window opened to run it.
    tmux(
        "new-session",
        "-d",
        "-s",
        session_name,
        "-x",
        "100",
        "-y",
        "30",
        *env_args,
        f"exec {_breathpace()} play {routine} --audio {audio}",
    )
    pid = int(tmux("display-message", "-p", "-t", session_name, "#{pane_pid}").strip())
    if moment == "before-the-first-screen":
        time.sleep(0.3)
    else:
        wait_for(lambda: "Tilt" in pane(session_name) or gone(pid), session_name, step=0.02)
        if moment == "mid-session":
            wait_for(lambda: phase_in(pane(session_name)), session_name)
            past_the_first_rep(session_name)
    subprocess.run([*TMUX, "kill-session", "-t", session_name], capture_output=True)

    deadline = time.monotonic() + 8
    while not gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"{pid} still running after the terminal closed")
        time.sleep(0.1)
    rows = journal_rows(data)
    assert all(outcome == "interrupted" and ended for outcome, ended in rows), rows
    if moment == "mid-session":
        assert len(rows) == 1


@pytest.mark.parametrize("audio", ["none", "miniaudio"])
def test_a_closed_terminal_ends_a_session_that_gets_no_hangup_signal(session_name, home, audio):
    """Started with `setsid`, the process has the terminal open but not as its
    controlling terminal, so closing it sends no SIGHUP: only the failed writes say
    it is gone. It used to block for ever on Textual's full write queue, parented to
    init, still playing and deaf to SIGTERM."""
    if shutil.which("setsid") is None:
        pytest.skip("setsid is not installed")
    config, data, routine = home
    env = [f"XDG_CONFIG_HOME={config}", f"XDG_DATA_HOME={data}"]
    if audio == "miniaudio":
        if (server := pulse_runtime()) is None:
            pytest.skip(NO_SERVER)
        env.append(f"XDG_RUNTIME_DIR={server}")
    env_args = [arg for pair in env for arg in ("-e", pair)]
    tmux(
        "new-session",
        "-d",
        "-s",
        session_name,
        "-x",
        "100",
        "-y",
        "30",
        *env_args,
        f"exec setsid -w {_breathpace()} play {routine} --audio {audio}",
    )
    outer = int(tmux("display-message", "-p", "-t", session_name, "#{pane_pid}").strip())
    wait_for(lambda: phase_in(pane(session_name)), session_name)
    pid = wait_for(lambda: child_of(outer), session_name)
    past_the_first_rep(session_name)
    subprocess.run([*TMUX, "kill-session", "-t", session_name], capture_output=True)
    deadline = time.monotonic() + 8
    while not gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"{pid} still running after the terminal closed")
        time.sleep(0.1)
    assert journal_rows(data) and all(
        outcome == "interrupted" and ended for outcome, ended in journal_rows(data)
    ), journal_rows(data)


def test_an_old_journal_row_cannot_retitle_the_terminal(tmp_path, session_name, isolated_home):
    """A routine name holding `ESC ] 2 ; … BEL` (written by an older breathpace, which
    did not refuse control characters) is shown with visible stand-ins on the history
    screen: the terminal's title stays as it was."""
    import sys
    from datetime import UTC, datetime, timedelta

    from breathpace.journal.db import open_journal

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
    from journal_helpers import add_session

    config = Path(os.environ["XDG_CONFIG_HOME"])
    data = Path(os.environ["XDG_DATA_HOME"])
    (config / "breathpace").mkdir(parents=True, exist_ok=True)
    (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n", "utf-8")
    with open_journal() as journal:
        sid = add_session(journal, "glute-bridge", datetime.now(UTC) - timedelta(days=5))
        with journal.transaction() as conn:
            conn.execute(
                "UPDATE session SET routine = ? WHERE id = ?",
                ("bridge\x1b]2;PWNED\x07\x1b]0;PWNED\x07", sid),
            )
    tmux("new-session", "-d", "-s", session_name, "-x", "120", "-y", "40", "bash --norc")
    # The terminal does take titles (so the check below can fail): set one, plainly.
    tmux("send-keys", "-t", session_name, "printf '\\033]2;before\\007'; clear", "Enter")
    title = lambda: tmux("display-message", "-p", "-t", session_name, "#{pane_title}").strip()  # noqa: E731
    wait_for(lambda: title() == "before", session_name)
    tmux(
        "send-keys",
        "-t",
        session_name,
        f"XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} {_breathpace()}",
        "Enter",
    )
    wait_for(lambda: "Enter starts" in pane(session_name), session_name)
    tmux("send-keys", "-t", session_name, "h")
    wait_for(lambda: "Your practice" in pane(session_name), session_name)
    time.sleep(0.5)
    raw = tmux("capture-pane", "-e", "-p", "-t", session_name)
    assert title() == "before"
    assert "\x1b]" not in raw and "\x07" not in raw
    assert "bridge\\x1b]2;PWNED\\x07" in pane(session_name)
    tmux("send-keys", "-t", session_name, "Escape")
    time.sleep(0.3)
    tmux("send-keys", "-t", session_name, "q")
    time.sleep(0.5)
    assert title() == "before"
