"""The first time a person plays a session, in plain mode as on the full screen, the
safety notice comes first, whole, before anything of the session; it is then
remembered as seen. The same story as a real process is in tests/test_plain_words.py;
this one runs the command in-process, in the fast lane (one session of 3.3 s: the
ending a timeline always has is 3 s).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from breathpace.cli import main
from breathpace.safety import SAFETY_NOTICE
from breathpace.settings import load_settings

ROUTINE = """\
format = 1
title = "Short"
lead_in = 0
[[exercise]]
name = "Bridge"
reps = 1
phases = [{ move = "lift", breath = "exhale", seconds = 0.3 }]
"""


def play(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["play", str(path), "--plain", "--audio", "none"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_the_first_session_shows_the_safety_notice_first_and_only_once(tmp_path: Path):
    path = tmp_path / "short.toml"
    path.write_text(ROUTINE, "utf-8")
    assert not load_settings().seen_safety

    first = play(path)
    notice = SAFETY_NOTICE.rstrip().splitlines()
    start = first.index(notice[0])
    assert first[start : start + len(notice)] == notice  # whole, in order
    lift = next(i for i, line in enumerate(first) if "lift" in line)
    assert start < lift  # before anything of the session
    assert load_settings().seen_safety  # what keeps the next session from repeating it
