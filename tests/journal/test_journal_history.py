"""Adherence, trends, sparklines, `breathpace history` and `breathpace export --csv`."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from journal_helpers import add_session

from breathpace.cli import main
from breathpace.journal import history as h
from breathpace.journal.db import open_journal
from breathpace.journal.export import COLUMNS

TODAY = date(2026, 11, 25)


def at(days_ago: int, hour: int = 8) -> datetime:
    d = TODAY - timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def test_adherence_counts_days_not_sessions_and_capsule_streaks():
    with open_journal() as journal:
        add_session(journal, "capsule-waking", at(0))
        add_session(journal, "capsule-waking", at(1))
        add_session(journal, "capsule-bedtime", at(1, hour=21))
        add_session(journal, "capsule-waking", at(2))
        add_session(journal, "glute-bridge", at(2, hour=18))
        add_session(journal, "glute-bridge", at(4))  # breaks the capsule streak at day 3
        add_session(journal, "capsule-waking", at(5))
        add_session(journal, "glute-bridge", at(20))
        add_session(journal, "glute-bridge", at(40))
        add_session(journal, "glute-bridge", at(3), reps=0, played_ms=0)  # opened, not done
        rows = h.sessions(journal)
    adh = h.adherence(rows, TODAY, UTC)
    assert (adh.days_7, adh.days_30, adh.capsule_streak) == (5, 6, 3)
    # no capsule yet today: yesterday's streak still stands until the day is over
    assert h.adherence(rows, TODAY + timedelta(days=1), UTC).capsule_streak == 3
    assert h.adherence(rows, TODAY + timedelta(days=2), UTC).capsule_streak == 0


def test_trend_averages_last_7_against_the_7_before():
    with open_journal() as journal:
        for days_ago, pain in [(0, 2), (3, 2), (6, 3), (8, 5), (12, 5)]:
            add_session(journal, "glute-bridge", at(days_ago), effort=4, pain=pain)
        add_session(journal, "glute-bridge", at(1), followup="same", followup_pain=1)
        rows = h.sessions(journal)
    pain = h.trend(rows, "pain", TODAY, tz=UTC)
    assert (pain.recent, pain.before, pain.direction) == (2.0, 5.0, "down")
    assert len(pain.daily) == 14 and pain.daily[-1] == 2 and pain.daily[-2] == 1
    assert pain.daily[0] is None
    effort = h.trend(rows, "effort", TODAY, tz=UTC)
    assert (effort.recent, effort.before, effort.direction) == (4.0, 4.0, "steady")


def test_sparkline():
    assert h.sparkline([0, 5, 10, None]) == "▁▅█·"


@pytest.mark.usefixtures("classic_glute_bridge")
def test_history_command_prints_sessions_adherence_trends_and_suggestions():
    now = datetime.now(UTC).replace(microsecond=0)
    with open_journal() as journal:
        for i in range(3):
            add_session(
                journal,
                "glute-bridge",
                now - timedelta(days=3 - i),
                effort=3,
                pain=1,
                followup="calmer",
            )
        add_session(journal, "glute-bridge", now, outcome=None, reps=4, played_ms=61_000)
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "cut short" in out and "1 min 01 s / 7 min 51 s" in out
    assert "Practised on 4 of the last 7 days" in out
    assert "pain" in out and "effort" in out
    # the cut-short session today is not easy: hold steady, and the reason says so
    assert "glute-bridge: Hold steady" in out and "ended before the end" in out


def test_history_on_an_empty_journal():
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0 and "No sessions yet" in result.output


def test_history_tells_on_stderr_when_a_damaged_journal_was_kept_aside():
    from breathpace import paths

    path = paths.journal_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("garbage" * 100)
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0
    assert "corrupt-" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "No sessions yet" in result.stdout


@pytest.mark.usefixtures("classic_glute_bridge")
def test_export_csv_one_row_per_session_with_checkin_and_followup(tmp_path):
    with open_journal() as journal:
        first = add_session(
            journal,
            "glute-bridge",
            at(2),
            effort=3,
            pain=2,
            note='felt "fine", hips tight',
            followup="calmer",
            followup_pain=1,
        )
        second = add_session(journal, "open-books", at(1), outcome=None, reps=3)
    out = tmp_path / "journal.csv"
    result = CliRunner().invoke(main, ["export", "--csv", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS
        rows = list(reader)
    assert [r["session"] for r in rows] == [str(first), str(second)]
    a, b = rows
    assert (a["routine"], a["outcome"]) == ("glute-bridge", "completed")
    assert (a["effort"], a["pain"]) == ("3", "2")
    assert a["note"] == 'felt "fine", hips tight'
    assert (a["followup"], a["followup_pain"]) == ("calmer", "1")
    assert a["reps_done"] == a["reps_planned"] == "25"
    assert "Glute bridge 16/16" in a["exercises"]
    assert (b["outcome"], b["effort"], b["followup"], b["reps_done"]) == ("cut short", "", "", "3")
    assert b["ended"] == ""


def test_export_to_a_missing_folder_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["export", "--csv", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 2
    assert (
        len(result.output.strip().splitlines()) == 1
        and "is not an existing folder" in result.output
    )


def test_check_in_and_next_day_answer_from_the_command_line():
    now = datetime.now(UTC).replace(microsecond=0)
    with open_journal() as journal:
        older = add_session(journal, "glute-bridge", now - timedelta(hours=30))
        latest = add_session(journal, "pelvic-tilts", now - timedelta(minutes=10))
    runner = CliRunner()
    result = runner.invoke(main, ["history", "--effort", "3", "--pain", "2", "--note", "ok"])
    assert result.exit_code == 0, result.output
    assert f"Check-in saved for session #{latest} pelvic-tilts" in result.output
    result = runner.invoke(main, ["history", "--next-day", "more-sensitive", "--pain", "4"])
    assert result.exit_code == 0, result.output
    assert f"#{older} glute-bridge" in result.output and "more sensitive" in result.output
    with open_journal() as journal:
        rows = {r.id: r for r in h.sessions(journal)}
    assert (rows[latest].effort, rows[latest].pain, rows[latest].note) == (3, 2, "ok")
    assert (rows[older].followup, rows[older].followup_pain) == ("more sensitive", 4)
    # nothing else is waiting now
    result = runner.invoke(main, ["history", "--next-day", "calmer"])
    assert result.exit_code == 2 and "no session 12-72 hours ago" in result.output
    result = runner.invoke(main, ["history", "--next-day", "calmer", "--session", str(latest)])
    assert result.exit_code == 0
    shown = runner.invoke(main, ["history"]).output
    assert f"  {latest}  " in shown and "calmer" in shown


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--effort", "11"], "--effort"),
        (["--pain", "-1"], "--pain"),
        (["--effort", "lots"], "--effort"),
        (["--limit", "0"], "--limit"),
        (["--next-day", "worse"], "--next-day"),
        (["--effort", "2", "--session", "99"], "--session"),
        (["--session", "first"], "--session"),
    ],
)
def test_bad_values_are_one_line_naming_the_option(args, field):
    with open_journal() as journal:
        add_session(journal, "glute-bridge", datetime.now(UTC))
    result = CliRunner().invoke(main, ["history", *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and field in lines[0], result.output


@pytest.mark.usefixtures("classic_glute_bridge")
def test_one_session_in_detail():
    with open_journal() as journal:
        sid = add_session(
            journal, "glute-bridge", at(1), outcome=None, reps=9, effort=6, note="stopped early"
        )
    result = CliRunner().invoke(main, ["history", "--session", str(sid)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Session #{sid} glute-bridge" in out and "cut short" in out
    assert "1. Pelvic tilt warm-up: 5 of 5 reps, 1 of 1 sets" in out
    assert "2. Glute bridge: 4 of 16 reps, 0 of 2 sets" in out
    assert 'check-in: effort 6, "stopped early"' in out and "next day: -" in out


def test_an_unopenable_journal_is_one_line_not_a_traceback():
    from breathpace import paths

    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the folder should be")
    for args in (["history"], ["export", "--csv", "-"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("breathpace: ") and "journal" in lines[0]


def test_a_journal_failing_after_it_opened_is_one_line_not_a_traceback():
    """A table lost under the running journal (a damaged page, another program): the
    commands say so in one line naming the file, exit 1."""
    import sqlite3

    from breathpace import paths
    from breathpace.journal.db import open_journal

    open_journal().close()
    raw = sqlite3.connect(paths.journal_file())
    raw.execute("DROP TABLE followup")
    raw.commit()
    raw.close()
    for args in (["history"], ["export", "--csv", "-"], ["history", "--accept", "glute-bridge"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith(f"breathpace: {paths.journal_file()}: ")
        assert "no such table: followup" in lines[0]


T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def test_delete_asks_first_and_removes_the_session_with_its_answers():
    with open_journal() as journal:
        keep = add_session(journal, "pelvic-tilts", T0, effort=3, pain=2)
        gone = add_session(
            journal, "glute-bridge", T0 + timedelta(days=1), effort=4, pain=3, followup="same"
        )
    runner = CliRunner()
    # no answer (or "n") keeps it
    for answer in ("", "n\n"):
        result = runner.invoke(main, ["history", "--delete", str(gone)], input=answer)
        assert result.exit_code == 1, result.output
        assert f"Delete session #{gone} glute-bridge" in result.output
    with open_journal() as journal:
        assert h.session(journal, gone) is not None
    result = runner.invoke(main, ["history", "--delete", str(gone)], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Deleted session #{gone} glute-bridge" in result.output
    with open_journal() as journal:
        assert h.session(journal, gone) is None
        assert [r.id for r in h.sessions(journal)] == [keep]
        for table in ("progress", "checkin", "followup"):
            n = journal.conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE session_id = ?", (gone,)
            ).fetchone()[0]
            assert n == 0, table
    # --yes for scripts; an unknown number is one line, exit 2
    result = runner.invoke(main, ["history", "--delete", str(keep), "--yes"])
    assert result.exit_code == 0 and f"Deleted session #{keep}" in result.output
    result = runner.invoke(main, ["history", "--delete", "99"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--delete: no session #99 (see `breathpace history`)" in lines[0]


def test_breathing_practice_without_a_file_gets_a_useful_suggestion():
    """A pattern practised from the Breathe screen or `breathe 4-4-4-4` has no routine
    file: its suggestion says what it is and how often it was done."""
    from breathpace.routine.practice import build_practice
    from breathpace.session.recorder import start_session
    from breathpace.timeline import compile

    routine = build_practice("4-4-4-4", minutes=2)
    with open_journal() as journal:
        for day in range(2):
            start_session(
                journal,
                compile(routine),
                routine_name="breathe 4-4-4-4",
                source="breathe",
                mode="tui",
                pace="4-4-4-4",
                tempo_scale=1.0,
                now=T0 + timedelta(days=day),
            )
        suggestion = h.suggestion_for(journal, "breathe 4-4-4-4")
    assert suggestion is not None
    assert suggestion.why == (
        "This is breathing practice with no reps to change; you have done it twice."
    )
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert "cannot be found or loaded" not in result.output
    assert "breathe 4-4-4-4: Hold steady" in result.output
