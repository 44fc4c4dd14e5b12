"""End to end in a real terminal (tmux): a session played to its end shows its summary
above the check-in, and once the full screen has closed the summary is printed in the
terminal, saying the check-in was saved."""

from __future__ import annotations

import textwrap
import time

import pytest

from tests.tui.test_tmux import (  # noqa: F401 (session_name is a fixture)
    _breathpace,
    session_name,
    start_tmux,
    tmux,
)

pytestmark = pytest.mark.tmux

ROUTINE = textwrap.dedent(
    """\
    format = 1
    title = "One quick tilt"
    lead_in = 1

    [[exercise]]
    name = "Tilt"
    reps = 2
    phases = [
      { move = "tilt", breath = "exhale", seconds = 1, effort = true },
      { move = "release", breath = "inhale", seconds = 1 },
    ]
    """
)


def wait_for(session: str, texts: tuple[str, ...], seconds: float) -> str:
    """The pane once it shows every one of `texts`. A capture can fall between two
    writes of one frame, so a text is looked for again until the deadline."""
    deadline = time.monotonic() + seconds
    while not all(text in (pane := tmux("capture-pane", "-p", "-t", session)) for text in texts):
        assert time.monotonic() < deadline, pane
        time.sleep(0.1)
    return pane


def test_summary_above_the_check_in_and_printed_after_the_screen_closes(
    tmp_path,
    session_name,  # noqa: F811
):
    routine = tmp_path / "quick.toml"
    routine.write_text(ROUTINE, "utf-8")
    config, data = tmp_path / "config", tmp_path / "data"
    (config / "breathpace").mkdir(parents=True)
    data.mkdir()
    (config / "breathpace" / "settings.toml").write_text("seen_safety = true\n", "utf-8")
    status = tmp_path / "status"
    command = (
        f"clear; XDG_CONFIG_HOME={config} XDG_DATA_HOME={data} {_breathpace()} play {routine} "
        f"--audio none; echo $? > {status}"
    )
    start_tmux("new-session", "-d", "-s", session_name, "-x", "100", "-y", "30", "bash --norc")
    tmux("send-keys", "-t", session_name, command, "Enter")

    summary = ("One quick tilt: completed", "1 of 1 exercises, 2 of 2 reps")
    pane = wait_for(session_name, ("How did that feel?", *summary), 30)
    rows = pane.splitlines()

    def row_of(text: str) -> int:
        return next(i for i, row in enumerate(rows) if text in row)

    # Above the form's first question, inside the check-in's frame.
    assert row_of("How did that feel?") < row_of(summary[0]) < row_of(summary[1])
    assert row_of(summary[1]) < row_of("Effort")
    for key in ("3", "Enter", "1", "Enter", "Enter"):
        tmux("send-keys", "-t", session_name, key)
        time.sleep(0.15)
    deadline = time.monotonic() + 10
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.read_text().strip() == "0"
    time.sleep(0.3)
    pane = tmux("capture-pane", "-p", "-t", session_name)
    assert tmux("display-message", "-p", "-t", session_name, "#{alternate_on}").strip() == "0"
    assert "One quick tilt: completed" in pane
    assert "1 of 1 exercises, 2 of 2 reps" in pane
    assert "Checked in (session #1)." in pane
