"""`breathpace day`: first use without a terminal takes the defaults and says so; the
plan is set by options and by hand in the settings file; each problem of the file is
one line; a calendar that cannot be read is one line and the plan still shows; today
marks what the journal holds as done and says what is next."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import breathpace.commands.day as day_command
from breathpace import paths
from breathpace.cli import main
from breathpace.journal.db import open_journal
from breathpace.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = Path(__file__).with_name("work-calendar.ics")


class Fixed:
    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def at_moment(monkeypatch):
    def fix(text: str) -> None:
        moment = datetime.fromisoformat(text).replace(tzinfo=BERLIN)
        monkeypatch.setattr(day_command, "wall_clock", lambda tz: Fixed(moment))

    return fix


def day(*args: str):
    return CliRunner().invoke(main, ["day", *args], env={"TZ": "Europe/Berlin"})


def test_first_use_without_a_terminal_takes_the_defaults_says_so_and_keeps_them(at_moment):
    at_moment("2026-03-02T10:00")
    result = day()
    assert result.exit_code == 0
    assert "no day plan yet, and no terminal to ask in: using the defaults" in result.output
    plan = load_settings().day
    assert plan is not None and (plan.wake, plan.bedtime) == ("07:00", "23:00")
    again = day()
    assert "no day plan yet" not in again.output


def test_options_set_the_plan_and_a_hand_edited_file_is_read(at_moment):
    at_moment("2026-03-02T10:00")
    result = day("--wake", "06:30", "--sitting", "08:00-16:00", "--sitting-days", "mon,wed")
    assert result.exit_code == 0, result.output
    plan = load_settings().day
    assert (plan.wake, plan.sitting_from, plan.sitting_days) == ("06:30", "08:00", ["mon", "wed"])
    text = paths.settings_file().read_text()
    paths.settings_file().write_text(text.replace('wake = "06:30"', 'wake = "05:45"'))
    assert "up 05:45" in day().output


def test_every_problem_of_the_day_table_is_one_line_naming_file_and_key(at_moment):
    at_moment("2026-03-02T10:00")
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file().write_text(
        '[day]\nwake = "7am"\nbedtime = "25:00"\nlead_minutes = 0\nsitting_day = ["mon"]\n'
    )
    result = day()
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    where = f"breathpace: {paths.settings_file()}: "
    assert all(line.startswith(where) for line in lines), lines
    keys = [line[len(where) :].split(":")[0] for line in lines]
    assert keys[0].startswith('unknown key "day.sitting_day" (did you mean "day.sitting_days"?)')
    assert set(keys[1:]) == {"day.wake", "day.bedtime", "day.lead_minutes"}
    assert "Traceback" not in result.output


def test_a_bad_option_value_is_one_line_and_nothing_is_saved(at_moment):
    at_moment("2026-03-02T10:00")
    assert day("--wake", "07:00").exit_code == 0
    result = day("--bedtime", "half past ten")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "breathpace: --bedtime: a time of day as HH:MM, 24-hour (like 07:30) "
        '(found "half past ten")'
    ]
    assert load_settings().day.bedtime == "23:00"
    result = day("--waking-capsules", "capsule-waking,no-such-routine")
    assert result.exit_code == 2
    assert "day.waking_capsules: no routine named 'no-such-routine'" in result.output


def test_a_calendar_that_cannot_be_read_is_one_line_and_the_plan_still_shows(tmp_path, at_moment):
    at_moment("2026-03-04T10:00")
    bad = tmp_path / "broken.ics"
    bad.write_text("BEGIN:VCALENDAR\nthis line is not iCalendar\n")
    result = day("--calendar", str(bad))
    assert result.exit_code == 0
    notices = [line for line in result.output.splitlines() if line.startswith("breathpace:")]
    assert len(notices) == 1 and str(bad) in notices[0]
    assert notices[0].endswith("the plan goes on without the calendar")
    assert "07:00  waking" in result.output and "22:45  bedtime" in result.output


def test_today_shows_what_is_done_and_what_is_next(at_moment):
    at_moment("2026-03-04T12:00")
    assert day("--calendar", str(CALENDAR)).exit_code == 0
    with open_journal() as journal:
        add_session(journal, "capsule-waking-core", datetime(2026, 3, 4, 7, 5, tzinfo=BERLIN))
        # Opened and stopped at once: not practised, so not done.
        add_session(
            journal,
            "capsule-sitting",
            datetime(2026, 3, 4, 8, 56, tzinfo=BERLIN),
            reps=0,
            played_ms=5_000,
            outcome=None,
        )
    result = day()
    lines = result.output.splitlines()
    assert "Today, Wed 04 Mar: 1 of 5 done" in lines
    today = lines[lines.index("Today, Wed 04 Mar: 1 of 5 done") + 1 :]
    assert today[0].startswith("  07:00  waking          Waking capsule: core (3 min)")
    assert today[0].endswith("[done]")
    assert today[1].startswith("  08:55  before sitting") and not today[1].endswith("]")
    assert today[2] == (
        "  12:55  before sitting  Before-sitting capsule (3 min) · "
        "before Design review and 2 more, 13:00-14:30  [next]"
    )
    assert "Next: Before-sitting capsule (3 min) at 12:55" in result.output
    assert "breathpace day --start (or breathpace play capsule-sitting)" in result.output


def test_history_shows_each_slot_over_two_weeks(monkeypatch):
    from breathpace.day import glance

    monkeypatch.setattr(glance, "wall_now", lambda: datetime(2026, 3, 13, 23, 30, tzinfo=BERLIN))
    assert day().exit_code == 0  # the default day: sitting hours on weekdays
    with open_journal() as journal:
        for n in range(9):  # waking on 9 days
            add_session(journal, "capsule-waking", datetime(2026, 3, 1 + n, 7, 3, tzinfo=BERLIN))
        for n in (2, 3, 4, 9, 10):  # before sitting on 5 weekdays
            add_session(journal, "capsule-sitting", datetime(2026, 3, n, 8, 55, tzinfo=BERLIN))
        for n in range(12):  # bedtime on 12 days
            add_session(journal, "capsule-bedtime", datetime(2026, 3, 2 + n, 22, 50, tzinfo=BERLIN))
    result = CliRunner().invoke(main, ["history"], env={"TZ": "Europe/Berlin"})
    assert result.exit_code == 0, result.output
    assert (
        "Capsules over two weeks: waking 9 of 14 · before sitting 5 of 10 · bedtime 12 of 14."
        in result.output
    )


def test_a_meeting_title_from_the_calendar_is_shown_as_text(tmp_path, at_moment):
    """A calendar is someone else's text: an escape sequence in a meeting's title is
    shown as a visible stand-in, never sent to the terminal."""
    at_moment("2026-03-02T06:00")
    calendar = tmp_path / "odd.ics"
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:odd\r\n"
        b"SUMMARY:Review \x1b]0;owned\x07 [/]\r\nDTSTART:20260302T130000Z\r\n"
        b"DTEND:20260302T143000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = day("--calendar", str(calendar))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    line = next(line for line in result.output.splitlines() if "before Review" in line)
    assert "[/]" in line
