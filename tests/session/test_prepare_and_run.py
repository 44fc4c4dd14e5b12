"""Preparing, opening, watching and ending a session; one personal dose everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from breathpace import fmt
from breathpace.audio.backends.silent import SilentBackend
from breathpace.clock import FakeClock
from breathpace.journal.db import open_journal
from breathpace.library import load_routine
from breathpace.player.events import PlayerState, Reloaded
from breathpace.routine.pattern import BreathPattern
from breathpace.session.errors import SessionError
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare
from breathpace.session.run import WatchReloader
from breathpace.session.runner import SessionRunner, end_all
from breathpace.settings import Settings, save_settings
from breathpace.timeline import compile

ROUTINE = textwrap.dedent(
    """\
    format = 1
    title = "Paced tilts"
    pace = "4-0-6-0"
    lead_in = 1

    [[exercise]]
    name = "Tilt"
    reps = 2
    phases = [
      { move = "tilt", breath = "exhale", breaths = 1, effort = true },
      { move = "release", breath = "inhale", breaths = 1 },
    ]
    """
)


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "paced.toml"
    path.write_text(ROUTINE, "utf-8")
    return path


def test_prepare_compiles_the_timeline_at_the_effective_dose(routine_file):
    save_settings(Settings(pace="1-0-1-0"))
    prepared = prepare(str(routine_file), session_options())
    assert prepared.name == "paced" and prepared.source == str(routine_file)
    assert prepared.dose.describe() == "your pace 1-0-1-0, from settings"
    expected = compile(load_routine(routine_file), BreathPattern.parse("1-0-1-0"))
    assert prepared.timeline == expected
    own = prepare(str(routine_file), session_options(), personal_pace=False)
    assert own.dose.pace is None and own.timeline == compile(load_routine(routine_file))


@pytest.mark.parametrize(
    ("args", "overrides", "message"),
    [
        ("no-such-routine", Overrides(), "no-such-routine: no routine of that name"),
        (None, Overrides(theme="sofft"), "--theme: "),
    ],
)
def test_prepare_reports_bad_input_in_one_line(routine_file, args, overrides, message):
    with pytest.raises(SessionError) as caught:
        prepare(args or str(routine_file), session_options(overrides))
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_a_bad_theme_in_the_settings_names_the_settings_file(routine_file):
    save_settings(Settings(theme="sofft"))
    with pytest.raises(SessionError, match=r"settings\.toml: theme: "):
        prepare(str(routine_file), session_options())
    lenient = prepare(str(routine_file), session_options(), lenient_theme=True)
    assert lenient.theme.name == "soft"


def test_a_session_ends_once_with_one_outcome_in_the_journal(routine_file):
    clock = FakeClock(100.0)
    prepared = prepare(str(routine_file), session_options(Overrides(audio="none")))
    session = SessionRunner(
        prepared, mode="plain", backend=SilentBackend(clock=clock), clock=clock
    ).open()
    assert session.poll() == []  # nothing to say before it starts
    session.start()
    for _ in range(32):  # past the first 15 s: a practice, kept
        clock.advance(0.5)
        session.poll()
    session.end("quit")
    session.end("completed")  # a later end changes nothing
    end_all([session], "interrupted")
    assert session.outcome == "quit" and session.player.state is PlayerState.STOPPED
    with open_journal() as journal:
        rows = journal.conn.execute("SELECT routine, outcome FROM session").fetchall()
    assert [tuple(r) for r in rows] == [("paced", "quit")]


def test_the_watch_reloader_reloads_a_saved_file_and_reports_a_broken_one(routine_file):
    clock = FakeClock(100.0)
    prepared = prepare(str(routine_file), session_options(Overrides(audio="none")))
    session = SessionRunner(
        prepared, mode="tui", backend=SilentBackend(clock=clock), clock=clock
    ).open()
    reloader = WatchReloader(routine_file)
    session.start()
    assert reloader.poll(session.player) is None  # unchanged
    routine_file.write_text(ROUTINE.replace("reps = 2", "reps = 3"), "utf-8")
    os.utime(routine_file, ns=(1, 1))
    assert reloader.poll(session.player) == Reloaded(ok=True, error=None)
    assert session.player.routine.exercise[0].reps == 3
    routine_file.write_text(ROUTINE.replace("reps = 2", "rep = 3"), "utf-8")
    result = reloader.poll(session.player)
    assert result is not None and not result.ok
    assert 'unknown key "rep"' in result.error and "\n" not in result.error
    assert session.player.routine.exercise[0].reps == 3  # the session carries on
    session.end("quit")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_one_personal_dose_in_list_preview_render_and_play(user_routines_dir, tmp_path):
    """A saved personal pace gives the same timings everywhere, and each says so."""
    (user_routines_dir / "paced.toml").write_text(ROUTINE, "utf-8")
    save_settings(Settings(pace="1-0-1-0", audio="none", seen_safety=True))
    ms = compile(load_routine(user_routines_dir / "paced.toml"), BreathPattern.parse("1-0-1-0"))
    total = ms.duration_ms
    assert total != compile(load_routine(user_routines_dir / "paced.toml")).duration_ms

    listed = _cli("list")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.split()[:1] == ["paced"])
    assert fmt.length(total) in row
    assert "Lengths at your pace 1-0-1-0, from settings." in listed.stdout

    preview = _cli("preview", "paced")
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.splitlines()[1] == "your pace 1-0-1-0, from settings"
    assert f"({total / 1000:g} s)" in preview.stdout.splitlines()[-1]

    wav = tmp_path / "paced.wav"
    render = _cli("render", "paced", "-o", str(wav))
    assert render.returncode == 0, render.stderr
    assert "your pace 1-0-1-0, from settings" in render.stdout
    import wave

    with wave.open(str(wav)) as w:
        assert w.getnframes() * 1000 // w.getframerate() == total

    play = _cli("play", "paced", "--plain")
    assert play.returncode == 0, play.stderr
    assert "your pace 1-0-1-0, from settings" in play.stdout.splitlines()
    seconds = [float(m) for m in re.findall(r"  (\d+\.\d)s$", play.stdout, re.MULTILINE)]
    assert sum(seconds) * 1000 == pytest.approx(total, abs=50)


def test_the_first_tone_does_not_wait_for_a_busy_journal(routine_file):
    """Another process holds the journal's write lock as the session starts: the player
    starts at once (its first cue is not held back), and the session row is written
    once the lock is let go."""
    import sqlite3

    from breathpace import paths

    with open_journal():
        pass  # the journal exists, so the other process can lock it
    clock = FakeClock(100.0)
    prepared = prepare(str(routine_file), session_options(Overrides(audio="none")))
    runner = SessionRunner(
        prepared, mode="plain", backend=SilentBackend(clock=clock), clock=clock
    ).open()
    holder = sqlite3.connect(paths.journal_file(), isolation_level=None, timeout=10)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        runner.start()
        assert runner.player.state is PlayerState.PLAYING
        assert runner.session_id is None  # not written yet: the lock is held
        clock.advance(0.5)
        runner.poll()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert runner.recorder is not None and runner.recorder.flush(10)
    assert runner.session_id is not None
    runner.end("quit")
