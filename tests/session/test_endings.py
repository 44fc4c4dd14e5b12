"""Endings: the summary, `--from`, `--resume` and the 15-second rule, on real
SQLite journals and the silent backend with a fake clock."""

from __future__ import annotations

import csv
import io
import sqlite3
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from breathpace import paths
from breathpace.journal import history
from breathpace.journal.db import SCHEMA_V1, SCHEMA_V2, open_journal
from breathpace.session.errors import SessionError
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare
from breathpace.session.runner import SessionRunner
from breathpace.session.start import after_rep_ms, find_item
from breathpace.session.summary import Summary, gather, print_summaries, summary_lines
from tests.fakes import FakeRig

ROUTINE = textwrap.dedent(
    """\
    format = 1
    title = "Three moves"
    pace = "2-0-2-0"
    lead_in = 1

    [[exercise]]
    name = "Pelvic tilt"
    reps = 3
    phases = [
      { move = "tilt", breath = "exhale", breaths = 1, effort = true },
      { move = "release", breath = "inhale", breaths = 1 },
    ]

    [[exercise]]
    name = "Glute bridge"
    sets = 2
    reps = 2
    rest = { breaths = 1 }
    phases = [
      { move = "lift", breath = "exhale", breaths = 1, effort = true },
      { move = "lower", breath = "inhale", breaths = 1 },
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


@pytest.fixture
def routine_file(user_routines_dir: Path) -> Path:
    path = user_routines_dir / "three.toml"
    path.write_text(ROUTINE, "utf-8")
    return path


def play(prepared, seconds: float, outcome: str | None = "quit"):
    """Open the prepared session on a fake clock, play `seconds`, end it with `outcome`
    (None: play on until it finishes by itself)."""
    rig = FakeRig(50.0)
    session = SessionRunner(prepared, mode="plain", backend=rig.backend, clock=rig.clock)
    session.open().start()
    steps = 0
    while seconds is None or steps * 0.25 < seconds:
        rig.clock.advance(0.25)
        session.poll()
        if session.player.state.value == "waiting":
            session.player.confirm_ready()  # the person is in position: Enter
        steps += 1
        if session.player.state.value == "finished":
            break
    if outcome is not None:
        session.end(outcome)
    return session


def session_rows():
    with open_journal() as journal:
        return [
            dict(r)
            for r in journal.conn.execute(
                "SELECT id, outcome, continues, last_rep FROM session ORDER BY id"
            )
        ]


def options():
    return session_options(Overrides(audio="none"))


# -- the summary's wording (pure) -----------------------------------------------------


def test_summary_lines_say_what_was_done_and_what_comes_next():
    done = Summary(
        routine="three",
        title="Three moves",
        outcome="quit",
        played_ms=95_000,
        exercises_done=2,
        exercises=3,
        reps_done=5,
        reps_planned=9,
        session_id=7,
        suggestion="Hold steady: keep the routine as it is.",
    )
    screen = summary_lines(done)
    assert screen[0] == "Three moves: stopped · 1 min 35 s practised"
    assert screen[1] == "2 of 3 exercises, 5 of 9 reps"
    assert screen[2].startswith("Next: a short check-in")
    assert any("12 hours" in line for line in screen)
    assert "Suggestion: Hold steady: keep the routine as it is." in screen
    assert screen[-1] == "To carry on later: breathpace play three --resume"
    plain = summary_lines(done, plain=True)
    assert "Check in now: breathpace history --session 7 --effort N --pain N (0-10)" in plain
    assert any("breathpace history --next-day" in line for line in plain)


def test_summary_of_a_discarded_or_unrecorded_or_checked_in_session():
    base = dict(routine="r", title="R", outcome="quit", played_ms=4000, exercises_done=0)
    gone = summary_lines(Summary(**base, exercises=1, reps_done=0, reps_planned=3, discarded=True))
    assert gone == [
        "R: stopped before the first rep, in the first 15 s.",
        "Not kept in the journal: it does not count as a practice.",
    ]
    unrecorded = summary_lines(
        Summary(**base, exercises=1, reps_done=0, reps_planned=0, not_recorded="No journal.")
    )
    assert unrecorded[-1] == "No journal." and not any("Check in" in x for x in unrecorded)
    checked = summary_lines(
        Summary(
            **{**base, "outcome": "completed"},
            exercises=1,
            reps_done=3,
            reps_planned=3,
            session_id=2,
            checked_in=True,
        ),
        plain=True,
    )
    assert "Checked in (session #2)." in checked
    assert not any("--effort" in x or "--resume" in x for x in checked)


# -- the 15-second rule ---------------------------------------------------------------


def test_a_session_stopped_in_its_first_15_s_before_a_rep_is_not_kept(routine_file):
    session = play(prepare("three", options()), seconds=1.5)
    assert session.recorder.discarded and session.session_id is None
    assert session_rows() == []
    with open_journal() as journal:
        assert history.sessions(journal) == []
        assert history.routines_practised(journal) == []
        assert journal.conn.execute("SELECT COUNT(*) FROM progress").fetchone()[0] == 0
    assert summary_lines(gather(session))[1].startswith("Not kept in the journal")


def test_a_first_rep_or_15_s_of_play_makes_it_a_practice(routine_file):
    # The lead-in is 1 s and a rep 4 s: 6 s finishes the first rep.
    with_rep = play(prepare("three", options()), seconds=6)
    assert not with_rep.recorder.discarded
    long_wait = play(prepare("three", options()), seconds=0.5, outcome=None)
    long_wait.player.pause()  # paused time is not play: still within 15 s of play
    long_wait.end("quit")
    assert long_wait.recorder.discarded
    rows = session_rows()
    assert [r["outcome"] for r in rows] == ["quit"]
    assert rows[0]["last_rep"] == "1||1|1"


def test_a_completed_session_is_kept_and_summarised_from_the_journal(routine_file):
    session = play(prepare("three", options()), seconds=None, outcome=None)
    session.end("completed")
    s = gather(session)
    assert (s.outcome, s.exercises_done, s.exercises, s.reps_done, s.reps_planned) == (
        "completed",
        3,
        3,
        9,
        9,
    )
    assert s.session_id == session.session_id and not s.checked_in
    out = io.StringIO()
    print_summaries([session], out)
    text = out.getvalue()
    assert text.startswith("Three moves: completed · ")
    assert "3 of 3 exercises, 9 of 9 reps" in text and "--resume" not in text


def test_a_session_the_journal_could_not_take_is_summarised_from_what_it_played(routine_file):
    """The journal's folder cannot be made (a file stands where it should be, as a full
    or read-only disk would refuse it): the summary still counts what was played, not
    "0 of 3 exercises"."""
    folder = paths.journal_file().parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.write_text("not a folder", "utf-8")
    session = play(prepare("three", options()), seconds=None, outcome=None)
    session.end("completed")
    s = gather(session)
    assert session.session_id is None and s.not_recorded is not None
    assert (s.exercises_done, s.exercises, s.reps_done, s.reps_planned) == (3, 3, 9, 9)
    assert "3 of 3 exercises, 9 of 9 reps" in summary_lines(s)


def test_a_pace_change_is_kept_with_the_rep_it_took_effect_at(routine_file):
    """Slower (+) asked half-way through the first tilt takes effect at the second: the
    journal, the summary and `history --session N` all say so."""
    from click.testing import CliRunner

    from breathpace.cli import main
    from breathpace.journal.pace_log import pace_changes

    rig = FakeRig(50.0)
    runner = SessionRunner(
        prepare("three", options()), mode="plain", backend=rig.backend, clock=rig.clock
    ).open()
    runner.start()
    for step in range(40):  # 10 s: the lead-in, then reps of 4 s (4.4 s once slower)
        rig.clock.advance(0.25)
        runner.poll()
        if step == 7:  # 2 s in: inside rep 1
            runner.player.slower()
    runner.end("quit")
    with open_journal() as journal:
        (change,) = pace_changes(journal, runner.session_id)
    assert (change.at_rep, change.pace, change.tempo_scale) == ("1||1|2", "2-0-2-0", 1.1)
    assert "Pace changed: pace 2-0-2-0, tempo x1.1 from Pelvic tilt, set 1, rep 2" in (
        summary_lines(gather(runner))
    )
    shown = CliRunner().invoke(main, ["history", "--session", str(runner.session_id)])
    assert shown.exit_code == 0, shown.output
    assert "  pace changed: pace 2-0-2-0, tempo x1.1 from Pelvic tilt, set 1, rep 2" in (
        shown.output.splitlines()
    )
    exported = CliRunner().invoke(main, ["export", "--csv", "-"])
    assert exported.exit_code == 0, exported.output
    (row,) = csv.DictReader(io.StringIO(exported.stdout))
    assert row["pace_changes"] == "pace 2-0-2-0, tempo x1.1 from Pelvic tilt, set 1, rep 2"


# -- --from ---------------------------------------------------------------------------


def test_find_item_by_number_name_or_unique_start(routine_file):
    routine = prepare("three", options()).routine
    assert find_item(routine, "2") == 2
    assert find_item(routine, "glute  BRIDGE") == 2
    assert find_item(routine, "knee") == 3
    for bad in ("0", "4", "bridge", "squat"):
        with pytest.raises(SessionError) as caught:
            find_item(routine, bad)
        message = str(caught.value)
        assert message.startswith(f"--from: no item {bad!r}") and "\n" not in message
        assert "items: 1 Pelvic tilt, 2 Glute bridge, 3 Knee rock" in message


def test_from_item_starts_at_its_get_ready_and_plays_on_from_there(routine_file):
    prepared = prepare("three", options(), from_item="Knee rock")
    assert prepared.start.ms == prepared.timeline.item_span(3)[0] > 0
    assert "Starting at item 3: Knee rock" in prepared.notices
    session = play(prepared, seconds=None, outcome=None)
    session.end("completed")
    with open_journal() as journal:
        done = {
            r["exercise"]: r["reps_done"] for r in history.progress(journal, session.session_id)
        }
    # It covered item 3 alone, and records just that: items 1 and 2 were never played.
    assert done == {3: 2}
    assert session.player.played_ms < prepared.timeline.duration_ms - prepared.start.ms + 500
    assert prepare("three", options(), from_item="1").start.ms == 0


def test_a_session_begun_part_way_never_counts_as_a_whole_one(routine_file):
    """Played from item 3 to the end, with an easy check-in and a calm next day, it is
    still no evidence that the whole routine was easy: the one-variable rule waits."""
    from breathpace.journal.db import save_checkin, save_followup
    from breathpace.journal.suggest import Kind

    session = play(prepare("three", options(), from_item="3"), seconds=None, outcome=None)
    session.end("completed")
    assert "Began at item 3: not counted as a whole session." in summary_lines(gather(session))
    with open_journal() as journal:
        sid = session.session_id
        save_checkin(journal, sid, effort=2, pain=1)
        row = history.session(journal, sid)
        save_followup(
            journal, sid, response="calmer", pain=0, now=row.started_at + timedelta(hours=14)
        )
        row = history.session(journal, sid)
        later = row.started_at + timedelta(days=3)
        suggestion = history.suggestion_for(journal, "three", now=later)
    assert (row.outcome, row.first_item, row.reps_done, row.reps_planned) == ("completed", 3, 2, 2)
    assert suggestion is not None
    assert suggestion.kind not in (Kind.ADD_REP, Kind.ADD_BREATH, Kind.NEXT_LEVEL)
    assert any("began at item 3" in fact for fact in suggestion.facts), suggestion.facts


# -- --resume -------------------------------------------------------------------------


def test_resume_continues_after_the_last_finished_rep_as_a_continuation(routine_file):
    with pytest.raises(SessionError, match=r"^--resume: nothing to resume for 'three'"):
        prepare("three", options(), resume_last=True)
    # A 1 s lead-in and reps of 4 s: 10 s finish two reps of the first item.
    first = play(prepare("three", options()), seconds=10)
    assert session_rows()[0]["last_rep"] == "1||1|2"
    again = prepare("three", options(), resume_last=True)
    timeline = again.timeline
    assert again.start.continues == first.session_id
    assert again.start.ms == after_rep_ms(timeline, "1||1|2")
    seg = timeline.at(again.start.ms)
    assert (seg.exercise, seg.set, seg.rep) == (1, 1, 3)
    assert (
        again.start.note == f"Continuing session #{first.session_id} at Pelvic tilt, set 1, rep 3"
    )
    # It begins with a moving rep: held at its start until the person is ready.
    assert again.start.wait

    # Stopped again before a rep within 15 s: not kept, and the first stays resumable.
    play(again, seconds=1)
    assert [r["id"] for r in session_rows()] == [first.session_id]
    second = play(prepare("three", options(), resume_last=True), seconds=None, outcome=None)
    second.end("completed")
    rows = session_rows()
    assert rows[-1]["continues"] == first.session_id and rows[-1]["outcome"] == "completed"
    summary = gather(second)
    assert summary.continues == first.session_id and summary.reps_done == 7
    assert f"(continuing session #{first.session_id})" in summary_lines(summary)[1]
    # The latest session was completed: nothing to resume.
    with pytest.raises(SessionError, match="its last session was completed"):
        prepare("three", options(), resume_last=True)


def test_a_resumed_rep_waits_for_the_person_before_it_moves(routine_file):
    """Resumed at rep 3 of the tilts: nothing moves until the person says they are in
    position, then the rep plays from its start."""
    play(prepare("three", options()), seconds=10)
    again = prepare("three", options(), resume_last=True)
    rig = FakeRig(50.0)
    runner = SessionRunner(again, mode="plain", backend=rig.backend, clock=rig.clock).open()
    runner.start()
    for _ in range(20):
        rig.clock.advance(0.25)
        runner.poll()
    assert runner.player.state.value == "waiting"
    assert runner.player.position_ms == again.start.ms
    runner.player.confirm_ready()
    rig.clock.advance(1.0)
    runner.poll()
    assert runner.player.position_ms == again.start.ms + 1000
    runner.end("quit")


def test_resume_after_the_last_rep_or_after_a_rest_between_sets(routine_file):
    timeline = prepare("three", options()).timeline
    assert after_rep_ms(timeline, None) == 0
    assert after_rep_ms(timeline, "3||1|2") is None  # every rep done
    after_set = timeline.at(after_rep_ms(timeline, "2||1|2"))
    assert after_set.kind.value == "rest" and after_set.exercise == 2
    # A rep today's dose no longer has: the start of the next item.
    assert after_rep_ms(timeline, "1||1|9") == timeline.item_span(2)[0]


# -- the schema -----------------------------------------------------------------------


def test_a_version_2_journal_is_upgraded_and_reads_as_before(isolated_home):
    path = paths.journal_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statement in (*SCHEMA_V1, *SCHEMA_V2):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, played_ms,"
        " started_at, ended_at, outcome) VALUES ('three', 'x', 'tui', '2-0-2-0', 1, 60000,"
        " 30000, '2026-11-20T08:00:00+00:00', '2026-11-20T08:01:00+00:00', 'quit')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with open_journal() as journal:
        row = journal.conn.execute("SELECT continues, last_rep FROM session").fetchone()
        assert tuple(row) == (None, None)
        assert [r.routine for r in history.sessions(journal)] == ["three"]


def test_the_resume_hint_only_where_play_can_resume_and_quoted():
    base = dict(
        title="T",
        outcome="quit",
        played_ms=60_000,
        exercises_done=1,
        exercises=1,
        reps_done=3,
        reps_planned=10,
        session_id=3,
    )
    practice = summary_lines(Summary(routine="breathe 4-0-6-0", resumable=False, **base))
    assert not any("--resume" in line for line in practice)
    named = summary_lines(Summary(routine="my bridges", **base))
    assert named[-1] == "To carry on later: breathpace play 'my bridges' --resume"
    # Played by path: the name alone would not find it again, the path does.
    by_path = summary_lines(Summary(routine="bridges", play_as="my files/bridges.toml", **base))
    assert by_path[-1] == "To carry on later: breathpace play 'my files/bridges.toml' --resume"


def test_a_routine_played_by_path_is_named_by_that_path_for_the_next_play(routine_file):
    assert prepare(str(routine_file), options()).play_as == str(routine_file)
    assert prepare("three", options()).play_as is None
