"""`TERM=dumb`: no full-screen codes. play, breathe (and capsule, through the same
path) fall back to plain mode with a one-line notice; the home screen refuses in one
line, naming what works instead, with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from breathpace.tui.fallback import HOME_REFUSAL, PLAIN_NOTICE, full_screen_unsupported

#: Codes the full screen writes: the alternate screen, mouse reporting, truecolor.
FULL_SCREEN_CODES = ("\x1b[?1049h", "\x1b[?1000h", "\x1b[?1003h", "\x1b[38;2;")

ONE_REP = textwrap.dedent(
    """\
    format = 1
    title = "One rep"
    lead_in = 1

    [[exercise]]
    name = "Tilt"
    reps = 1
    phases = [
      { move = "tilt", breath = "exhale", seconds = 1, effort = true },
      { move = "release", breath = "inhale", seconds = 1 },
    ]
    """
)


def run(args, tmp_path, **env):
    (tmp_path / "config" / "breathpace").mkdir(parents=True, exist_ok=True)
    (tmp_path / "config" / "breathpace" / "settings.toml").write_text(
        'seen_safety = true\npace = "1-0-1-0"\n', "utf-8"
    )
    environ = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TERM": "dumb",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_only_a_dumb_terminal_is_refused():
    assert full_screen_unsupported({"TERM": "dumb"})
    assert not full_screen_unsupported({"TERM": "xterm-256color"})
    assert not full_screen_unsupported({})


@pytest.mark.slow
def test_play_falls_back_to_plain_mode_with_a_notice(tmp_path):
    routine = tmp_path / "one.toml"
    routine.write_text(ONE_REP, "utf-8")
    done = run(["play", str(routine), "--audio", "none"], tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert out.count(PLAIN_NOTICE) == 1
    assert "EXHALE" in out.upper()
    assert not any(code in out for code in FULL_SCREEN_CODES), repr(out[:300])


@pytest.mark.slow
def test_breathe_without_a_choice_plays_the_personal_pace_in_plain_mode(tmp_path):
    done = run(["breathe", "--cycles", "1", "--audio", "none"], tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert PLAIN_NOTICE in out
    assert not any(code in out for code in FULL_SCREEN_CODES), repr(out[:300])


@pytest.mark.slow
def test_the_home_screen_refuses_in_one_line(tmp_path):
    done = run([], tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"breathpace: {HOME_REFUSAL}\n"
    assert "breathpace list" in done.stderr and "--plain" in done.stderr
