"""End to end: the installed `breathpace play` in a real terminal (tmux).

The pane is read with `capture-pane` several times a second: INHALE and EXHALE must
alternate every two seconds (within a second: this checks the wiring, not the
precision, which the benchmarks measure), `q` and a confirmation must end the session,
the process must exit 0 and the terminal must be back on the normal screen.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux

ROUTINE = textwrap.dedent(
    """\
    format = 1
    title = "Two-second breaths"
    lead_in = 2

    [[exercise]]
    name = "Tilt"
    reps = 4
    phases = [
      { move = "tilt", breath = "exhale", seconds = 2, effort = true },
      { move = "release", breath = "inhale", seconds = 2 },
    ]
    """
)


def _breathpace() -> str | None:
    beside = Path(sys.executable).with_name("breathpace")
    return str(beside) if beside.exists() else shutil.which("breathpace")


#: A tmux server of the tests' own (`tmux -L`): never the one a person works in.
TMUX = ["tmux", "-L", f"breathpace-tests-{os.getpid()}"]


def tmux(*args: str) -> str:
    return subprocess.run(
        [*TMUX, *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


@pytest.fixture
def session_name(tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if _breathpace() is None:
        pytest.skip("the breathpace command is not installed")
    name = f"bp-test-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    yield name
    subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)


def wait_until(predicate, timeout: float, what: str, poll: float = 0.05):
    """Poll until `predicate()` is truthy and return it; fail naming `what` after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(poll)
    return value


def start_tmux(*args: str) -> None:
    """Start a tmux session; a server that was just shutting down refuses once, so
    ask again until it answers."""

    def started() -> bool:
        try:
            tmux(*args)
        except subprocess.CalledProcessError:
            return False
        return True

    wait_until(started, 10, "tmux to start a session", poll=0.1)


def play_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """ROUTINE's file and a settings folder and a journal folder of its own (the
    first-run safety notice already seen: it has its own tests, here it would hold the
    start)."""
    routine = tmp_path / "two.toml"
    routine.write_text(ROUTINE, "utf-8")
    config, data = tmp_path / "config", tmp_path / "data"
    (config / "breathpace").mkdir(parents=True)
    data.mkdir()
    (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n", "utf-8")
    return routine, config, data


def play_command(tmp_path: Path) -> str:
    """The command line that plays ROUTINE silently (see `play_files`)."""
    routine, config, data = play_files(tmp_path)
    return (
        f"XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} {_breathpace()} play {routine} --audio none"
    )


def normal_screen(session_name: str) -> bool:
    return tmux("display-message", "-p", "-t", session_name, "#{alternate_on}").strip() == "0"


def phase_in(pane: str) -> str | None:
    for word in ("INHALE", "EXHALE"):
        if word in pane:
            return word
    return None


def test_play_in_tmux_alternates_on_time_and_restores_the_terminal(tmp_path, session_name):
    status = tmp_path / "status"
    command = play_command(tmp_path) + f"; echo $? > {status}"
    start_tmux("new-session", "-d", "-s", session_name, "-x", "100", "-y", "30", "bash --norc")
    tmux("send-keys", "-t", session_name, command, "Enter")

    changes: list[tuple[float, str]] = []
    deadline = time.monotonic() + 25
    last = None
    while time.monotonic() < deadline and len(changes) < 6:
        word = phase_in(tmux("capture-pane", "-p", "-t", session_name))
        if word is not None and word != last:
            changes.append((time.monotonic(), word))
            last = word
        time.sleep(0.05)
    assert len(changes) >= 6, f"saw only {changes}"
    words = [w for _, w in changes]
    assert words[:6] == ["EXHALE", "INHALE"] * 3
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(changes)]
    assert all(abs(gap - 2.0) < 1.0 for gap in gaps), gaps

    tmux("send-keys", "-t", session_name, "q")
    deadline = time.monotonic() + 5
    while "End the session now?" not in (pane := tmux("capture-pane", "-p", "-t", session_name)):
        assert time.monotonic() < deadline, pane
        time.sleep(0.1)
    tmux("send-keys", "-t", session_name, "y")
    # After the session, the check-in may ask how it felt: skip it.
    deadline = time.monotonic() + 10
    while not status.exists() and time.monotonic() < deadline:
        # The end-of-session summary sits above the form: at 24 rows its title may
        # have scrolled out of view, its first field has not.
        shown = tmux("capture-pane", "-p", "-t", session_name)
        if "How did that feel?" in shown or "Effort: 0 = none" in shown:
            tmux("send-keys", "-t", session_name, "Escape")
        time.sleep(0.2)
    assert status.exists(), tmux("capture-pane", "-p", "-t", session_name)
    assert status.read_text().strip() == "0"
    # Back on the normal screen, with the shell's prompt and no leftover interface.
    wait_until(lambda: normal_screen(session_name), 5, "the normal screen")
    pane = tmux("capture-pane", "-p", "-t", session_name)
    assert "INHALE" not in pane and "EXHALE" not in pane
    assert "play" in pane  # the command line we typed is still there


def test_sigterm_ends_the_session_cleanly_and_keeps_it_in_the_journal(tmp_path, session_name):
    routine, config, data = play_files(tmp_path)
    status, pidfile = tmp_path / "status", tmp_path / "pid"
    command = (
        f"XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} "
        f"sh -c 'echo $$ > {pidfile}; exec {_breathpace()} play {routine} --audio none'; "
        f"echo $? > {status}"
    )
    start_tmux("new-session", "-d", "-s", session_name, "-x", "100", "-y", "30", "bash --norc")
    tmux("send-keys", "-t", session_name, command, "Enter")

    def phase() -> str | None:
        return phase_in(tmux("capture-pane", "-p", "-t", session_name))

    first = wait_until(phase, 15, "the first phase on screen")
    # Past the first rep (a session stopped before one, in its first 15 s, is not
    # kept): the screen has moved on to the next phase, and back again.
    second = wait_until(lambda: (p := phase()) not in (None, first) and p, 10, "the second phase")
    wait_until(lambda: phase() not in (None, second), 10, "the next rep on screen")
    os.kill(int(pidfile.read_text()), 15)
    deadline = time.monotonic() + 10
    while not status.exists():
        assert time.monotonic() < deadline, tmux("capture-pane", "-p", "-t", session_name)
        time.sleep(0.1)
    assert status.read_text().strip() == "143"
    wait_until(lambda: normal_screen(session_name), 5, "the normal screen")
    pane = tmux("capture-pane", "-p", "-t", session_name)
    assert "Traceback" not in pane and "INHALE" not in pane and "EXHALE" not in pane

    import sqlite3

    journal = next(data.rglob("journal.sqlite3"))
    with sqlite3.connect(journal) as conn:
        rows = conn.execute("SELECT outcome, ended_at FROM session").fetchall()
    assert len(rows) == 1
    assert rows[0][0] == "interrupted" and rows[0][1] is not None


def test_the_screen_drawn_step_by_step_is_the_screen_a_full_repaint_draws(tmp_path, session_name):
    """The partial updates (changed cells only, colours carried from span to span:
    tui/partial_update.py) leave the terminal showing exactly what Textual's full
    repaint shows, character and colour, after seconds of a breathing lens. (A resize
    would repaint too, but a tmux server started by pytest does not pass the window's
    new size on to the program; help opening and closing does the same.)"""
    command = play_command(tmp_path)
    start_tmux("new-session", "-d", "-s", session_name, "-x", "80", "-y", "24", "bash --norc")
    tmux("send-keys", "-t", session_name, command, "Enter")
    # The start-up notice (a toast, gone after 8 s) would be drawn over part of it.
    wait_until(
        lambda: "Sound is off" in tmux("capture-pane", "-p", "-t", session_name), 15, "notice"
    )
    wait_until(
        lambda: "Sound is off" not in tmux("capture-pane", "-p", "-t", session_name),
        15,
        "the notice to go",
    )
    wait_until(lambda: "INHALE" in tmux("capture-pane", "-p", "-t", session_name), 5, "inhale")
    time.sleep(0.9)  # mid-breath: the lens has grown step by step
    tmux("send-keys", "-t", session_name, "space")  # pause: nothing moves from here
    # The footer's keys follow the pause a frame later ("space Resume"): both shown
    # before the still screen is taken.
    wait_until(
        lambda: all(
            word in tmux("capture-pane", "-p", "-t", session_name) for word in ("Paused", "Resume")
        ),
        5,
        "pause",
    )
    stepped = tmux("capture-pane", "-e", "-p", "-t", session_name)
    # Help opens over it (the session stays paused) and closes: Textual then repaints
    # the whole screen at once, its own way, not span by span.
    tmux("send-keys", "-t", session_name, "?")
    wait_until(lambda: tmux("capture-pane", "-e", "-p", "-t", session_name) != stepped, 5, "help")
    tmux("send-keys", "-t", session_name, "Escape")
    deadline = time.monotonic() + 3
    while shown_cells(
        repainted := tmux("capture-pane", "-e", "-p", "-t", session_name)
    ) != shown_cells(stepped):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # Compared cell by cell: the character, its colours and attributes (a blank cell's
    # foreground is not compared: nothing shows it, and a shrinking lens leaves it as
    # it was rather than repainting the margins).
    assert shown_cells(repainted) == shown_cells(stepped)
    assert "\x1b[38;5;" in stepped or "\x1b[38;2;" in stepped  # colours were compared too
    tmux("send-keys", "-t", session_name, "q")


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def shown_cells(capture: str) -> list[list[tuple]]:
    """`capture-pane -e` output as rows of (character, foreground, background, other
    attributes); a blank's foreground is left out, as nothing shows it."""
    rows = []
    fg = bg = None
    attrs: frozenset = frozenset()
    for line in capture.split("\n"):
        row = []
        pos = 0
        for match in [*SGR.finditer(line), None]:
            text = line[pos : match.start() if match else len(line)]
            row.extend((c, None if c == " " else fg, bg, attrs) for c in text)
            if match is None:
                break
            pos = match.end()
            params = (match.group(1) or "0").split(";")
            i = 0
            while i < len(params):
                p = params[i]
                if p in ("0", ""):
                    fg = bg = None
                    attrs = frozenset()
                elif p in ("38", "48") and i + 1 < len(params):
                    size = 3 if params[i + 1] == "5" else 5
                    value = tuple(params[i + 1 : i + size])
                    fg, bg = (value, bg) if p == "38" else (fg, value)
                    i += size - 1
                elif p == "39":
                    fg = None
                elif p == "49":
                    bg = None
                else:
                    attrs = attrs | {p}
                i += 1
        rows.append(row)
    return rows
