"""Plain mode: one line per segment, waits, signals, the journal, live reload.

The session runs on a FakeClock: `play_plain` sleeps by advancing it, so a whole session
takes milliseconds and every line is deterministic. A test acts mid-session (a signal,
Ctrl-C, an edit) from that sleep, between two looks at the player, as time passes.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace import plain
from breathpace.library import load_routine
from breathpace.session import runner as runner_module
from breathpace.timeline import compile
from breathpace.timeline.segment import Breath, Kind, Segment
from tests.fakes import FakeRig

ROUTINE = """
format = 1
title = "Plain"
pace = "2-0-3-0"
lead_in = 2

[[exercise]]
name = "Pelvic tilt"
sets = 2
reps = 2
rest = { seconds = 4 }
phases = [
  { move = "tilt", breath = "exhale", breaths = 1, effort = true },
  { move = "release", breath = "inhale", breaths = 1 },
]

[[exercise]]
name = "Bridge"
wait_for_ready = true
sides = "both"
sets = 1
reps = 1
tempo = "2-0-1-0"
"""


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain-test.toml"
    path.write_text(ROUTINE)
    return path


def session(path: Path, *, watch: bool = False):
    """The runner of the routine file at `path` on a fake clock, as `play --plain` makes
    it; (runner, clock)."""
    rig = FakeRig()
    runner = rig.runner(
        load_routine(path), name=path.stem, path=path, source=None, mode="plain", watch=watch
    )
    return runner, rig.clock


def stamped(clock) -> tuple[io.StringIO, list[tuple[float, str]]]:
    """An output that notes the fake clock's time of each line printed to it."""
    printed_at: list[tuple[float, str]] = []

    class Stamped(io.StringIO):
        def write(self, text):
            if text.strip():
                printed_at.append((clock.now(), text.strip()))
            return super().write(text)

    return Stamped(), printed_at


def journal_rows():
    from breathpace import paths

    conn = sqlite3.connect(paths.journal_file())
    try:
        return conn.execute("SELECT routine, mode, outcome, played_ms FROM session").fetchall()
    finally:
        conn.close()


def test_segment_line_has_time_exercise_counters_word_move_and_length():
    seg = Segment(
        index=3, kind=Kind.PHASE, start_ms=5000, duration_ms=6000, exercise=1,
        exercise_name="Pelvic tilt", side=None, set=1, sets=2, rep=1, reps=8, move="tilt",
        breath=Breath.EXHALE, effort=True, marks=frozenset(),
    )  # fmt: skip
    assert plain.segment_line(seg) == "00:05  Pelvic tilt  set 1/2  rep 1/8  EXHALE  tilt  6.0s"
    side = Segment(
        index=9, kind=Kind.SWITCH, start_ms=3_725_500, duration_ms=5000, exercise=2,
        exercise_name="Bridge", side="right", set=1, sets=1, rep=0, reps=6,
        move="switch sides", breath=Breath.FREE, effort=False, marks=frozenset(),
    )  # fmt: skip
    assert plain.segment_line(side) == "1:02:05  Bridge  right  set 1/1  SWITCH SIDES  5.0s"


def test_a_whole_session_prints_every_segment_once_and_is_journaled(routine_file):
    runner, clock = session(routine_file)
    runner.notice("Sound is off.")
    out = io.StringIO()
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=clock.advance)
    assert code == 0
    lines = out.getvalue().splitlines()
    timeline = compile(load_routine(routine_file))
    segment_lines = [plain.segment_line(s) for s in timeline.segments]
    assert lines[0] == "Sound is off."
    assert [line for line in lines if line in segment_lines] == segment_lines
    # The wait printed its prompt and (stdin is no terminal) went on with the count.
    assert plain.READY_PROMPT in lines
    assert lines.index(plain.READY_PROMPT) == lines.index(segment_lines[10]) + 1
    assert journal_rows() == [("plain-test", "plain", "completed", timeline.duration_ms)]


def test_lines_are_printed_when_their_segment_starts(routine_file):
    runner, clock = session(routine_file)
    out, printed_at = stamped(clock)
    plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=clock.advance)
    timeline = runner.player.timeline
    for now, text in printed_at:
        for seg in timeline.segments[:10]:  # before the wait shifts the clock
            if text == plain.segment_line(seg):
                assert now * 1000 == pytest.approx(seg.start_ms, abs=3)


def test_a_sound_device_still_waking_holds_the_start_until_it_plays(routine_file):
    # A freshly started sound server opens the device at once and pulls steadily only
    # a second or two later: the session begins then, not before, so the get-ready is
    # heard from its start and the wait is never taken for a lost device.
    runner, clock = session(routine_file)
    backend = runner.player.backend
    wakes_at = clock.now() + 1.6
    backend.ready = lambda: clock.now() >= wakes_at
    out, printed_at = stamped(clock)
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=clock.advance)
    assert code == 0
    timeline = runner.player.timeline
    first = plain.segment_line(timeline.segments[0])
    started = next(now for now, text in printed_at if text == first)
    assert wakes_at <= started < wakes_at + 0.05
    second = plain.segment_line(timeline.segments[1])
    assert next(now for now, text in printed_at if text == second) == pytest.approx(
        started + timeline.segments[1].start_ms / 1000, abs=0.003
    )
    assert not [text for _, text in printed_at if "sound device" in text]


HOLD_ROUTINE = """
format = 1
title = "Long hold"
pace = "4-0-6-0"
lead_in = 2

[[exercise]]
name = "Side plank on the knees"
sets = 1
reps = 2
halfway = true
phases = [
  { move = "up", breath = "exhale", breaths = 1 },
  { move = "hold", breath = "hold", seconds = 20 },
  { move = "down", breath = "inhale", breaths = 1 },
]
"""


def test_the_halfway_tone_of_a_long_hold_has_its_line_at_its_time(tmp_path: Path):
    path = tmp_path / "hold.toml"
    path.write_text(HOLD_ROUTINE)
    runner, clock = session(path)
    out, printed_at = stamped(clock)
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=clock.advance)
    assert code == 0
    halfways = [s for s in runner.player.timeline.segments if s.halfway_ms is not None]
    assert len(halfways) == 2  # one per rep's hold
    said = [(now, text) for now, text in printed_at if text.endswith("halfway")]
    assert [text for _, text in said] == [
        f"{plain.clock_text(s.halfway_ms)}  halfway" for s in halfways
    ]
    for (now, _), seg in zip(said, halfways, strict=True):
        assert now * 1000 == pytest.approx(seg.halfway_ms, abs=3)


def test_sigterm_stops_cleanly_with_143_and_the_journal_says_interrupted(routine_file):
    runner, clock = session(routine_file)
    player = runner.player
    sent = []

    def sleep(seconds):
        clock.advance(seconds)
        if not sent and player.segment.index >= 5:  # six segments in
            sent.append(True)
            os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=sleep)
    assert code == 143
    lines = out.getvalue().splitlines()
    # "stopped at" closes the segment lines; the end-of-session summary follows.
    stops = [i for i, line in enumerate(lines) if line.startswith("stopped at ")]
    assert len(stops) == 1 and lines[stops[0] + 1].startswith("Plain: interrupted · ")
    assert signal.getsignal(signal.SIGTERM) == before
    ((name, _mode, outcome, played),) = journal_rows()
    assert (name, outcome) == ("plain-test", "interrupted")
    assert 0 < played < player.timeline.duration_ms


def test_ctrl_c_while_the_sound_device_wakes_stops_cleanly_with_130(routine_file):
    # Nothing has played yet: the session ends as quit, says where it stopped, and
    # never starts afterwards.
    runner, clock = session(routine_file)
    runner.player.backend.ready = lambda: False

    def sleep(seconds):
        clock.advance(seconds)
        raise KeyboardInterrupt

    out = io.StringIO()
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=sleep)
    assert code == 130
    assert runner.outcome == "quit" and not runner.started
    assert "stopped at 00:00" in out.getvalue().splitlines()


def test_ctrl_c_stops_with_130_and_the_journal_says_quit(routine_file):
    runner, clock = session(routine_file)

    pressed = []

    def sleep(seconds):
        clock.advance(seconds)
        if clock.now() > 8 and not pressed:
            pressed.append(True)
            raise KeyboardInterrupt

    code = plain.play_plain(runner, out=io.StringIO(), stdin=io.StringIO(""), sleep=sleep)
    assert code == 130
    assert journal_rows()[0][2] == "quit"
    assert runner.player.state == "stopped"


def test_a_clock_jump_is_reported_once_and_the_session_goes_on(routine_file):
    runner, clock = session(routine_file)
    player = runner.player
    jumped = []

    def sleep(seconds):
        clock.advance(seconds)
        if not jumped and clock.now() > 4:
            jumped.append(True)
            clock.advance(30)  # the laptop lid was closed

    out = io.StringIO()
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=sleep)
    assert code == 0
    lines = out.getvalue().splitlines()
    assert sum("clock jumped" in line for line in lines) == 1
    segment_lines = [plain.segment_line(s) for s in player.timeline.segments]
    assert [line for line in lines if line in segment_lines] == segment_lines


def play_saving_midway(routine_file, text: str) -> str:
    """Play with --watch and save `text` into the routine file three seconds in; the
    plain output."""
    runner, clock = session(routine_file, watch=True)
    saved = []

    def sleep(seconds):
        clock.advance(seconds)
        if not saved and clock.now() > 3:
            saved.append(True)
            routine_file.write_text(text)
            st = routine_file.stat()
            os.utime(routine_file, (st.st_atime, st.st_mtime + 10))

    out = io.StringIO()
    code = plain.play_plain(runner, out=out, stdin=io.StringIO(""), sleep=sleep)
    assert code == 0
    return out.getvalue()


def test_watch_reloads_the_file_when_it_is_saved(routine_file, monkeypatch):
    monkeypatch.setattr(runner_module, "WATCH_EVERY_S", 0)
    text = play_saving_midway(routine_file, ROUTINE.replace("reps = 2", "reps = 3"))
    assert "reloaded" in text.splitlines()
    assert "rep 3/3" in text


def test_watch_reports_a_broken_file_and_plays_on(routine_file, monkeypatch):
    monkeypatch.setattr(runner_module, "WATCH_EVERY_S", 0)
    text = play_saving_midway(routine_file, ROUTINE.replace("reps = 2", "reps = -1"))
    errors = [line for line in text.splitlines() if line.startswith("not reloaded")]
    assert len(errors) == 1 and "reps" in errors[0]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--pace", "4-0"], "--pace"),
        (["--theme", "no-such-theme"], "--theme"),
        (["--volume", "3"], "--volume"),
        (["--tempo", "9"], "--tempo"),
        (["--audio", "miniaudio", "--device", "no such device at all"], "--audio"),
    ],
)
@pytest.mark.slow
def test_bad_options_are_one_line_and_exit_2(routine_file, args, needle):
    done = run_cli("play", str(routine_file), "--plain", *args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert needle in done.stderr


@pytest.mark.slow
def test_a_missing_routine_is_one_line_and_exit_2():
    done = run_cli("play", "no-such-routine", "--plain", "--audio", "none")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no-such-routine" in done.stderr


@pytest.mark.slow
def test_options_default_from_the_settings_file(routine_file):
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(audio="none", pace="1-0-1-0"))
    short = routine_file.parent / "short.toml"
    short.write_text(
        ROUTINE.split('[[exercise]]\nname = "Bridge"')[0]
        .replace("sets = 2", "sets = 1")
        .replace("reps = 2", "reps = 1")
        .replace("lead_in = 2", "lead_in = 1")
    )
    done = run_cli("play", str(short), "--plain")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "silent" in lines[0]  # audio = "none" from the settings
    assert any("EXHALE  tilt  1.0s" in line for line in lines)  # the 1-0-1-0 pace
