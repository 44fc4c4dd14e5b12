"""`breathpace day --ics FILE`: the plan as a calendar file that two independent
iCalendar parsers read, one alarm per capsule, the same UIDs when exported again, and
never written through a link, a pipe or a device."""

from __future__ import annotations

import os
from pathlib import Path

import icalendar
import pytest
import vobject
from click.testing import CliRunner

from breathpace.cli import main

CALENDAR = Path(__file__).with_name("work-calendar.ics")


def run(*args: str, tz: str = "Europe/Berlin"):
    return CliRunner().invoke(main, ["day", *args], env={"TZ": tz}, catch_exceptions=False)


def setup_day() -> None:
    result = run("--calendar", str(CALENDAR), "--wake", "07:00", "--bedtime", "23:00")
    assert result.exit_code == 0, result.output


def export(path: Path, *extra: str) -> bytes:
    result = run("--ics", str(path), "--date", "2026-03-02", "--days", "7", *extra)
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def events_icalendar(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return [c for c in calendar.walk("VEVENT")]


def test_the_export_parses_with_two_parsers_and_has_one_alarm_per_event(tmp_path):
    setup_day()
    data = export(tmp_path / "plan.ics")

    events = events_icalendar(data)
    # The golden week: 5 + 5 + 5 + 6 + 6 + 3 + 3 items.
    assert len(events) == 33
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["ACTION"] == "DISPLAY"
        description = str(event["DESCRIPTION"])
        assert "Run: breathpace play " in description
        assert str(event["SUMMARY"]).endswith(" min)")
    capsules = [e for e in events if "breathpace play capsule-" in str(e["DESCRIPTION"])]
    assert len(capsules) == 26

    parsed = vobject.readOne(data.decode("utf-8"))
    second = list(parsed.vevent_list)
    assert len(second) == 33
    assert all(len(e.valarm_list) == 1 for e in second)
    assert {e.uid.value for e in second} == {str(e["UID"]) for e in events}

    # The capsule before the Boston call: 15:55 Berlin is 14:55 UTC, and it lasts.
    boston = next(e for e in second if "Call with Boston" in e.description.value)
    assert boston.dtstart.value.isoformat() == "2026-03-05T14:55:00+00:00"
    assert boston.dtend.value > boston.dtstart.value
    assert "capsule-sitting-wall" in boston.description.value


def test_exporting_again_keeps_the_uids_so_a_calendar_updates_instead_of_duplicating(tmp_path):
    setup_day()
    first = {str(e["UID"]): e for e in events_icalendar(export(tmp_path / "a.ics"))}
    second = {str(e["UID"]): e for e in events_icalendar(export(tmp_path / "b.ics"))}
    assert set(first) == set(second)
    # Moved wake time: the same events (same UIDs), at the new time.
    assert run("--wake", "06:30").exit_code == 0
    third = {str(e["UID"]): e for e in events_icalendar(export(tmp_path / "c.ics"))}
    assert set(third) == set(first)
    uid = "2026-03-02-waking-0@breathpace.day"
    assert third[uid]["DTSTART"].dt != first[uid]["DTSTART"].dt
    assert len(set(first)) == len(first)


def test_no_feed_no_link(tmp_path):
    events = events_icalendar(export(tmp_path / "plan.ics"))
    assert not any("URL" in e for e in events)


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device", "folder"])
def test_the_export_refuses_what_is_not_a_plain_file(tmp_path, kind):
    target = tmp_path / "plan.ics"
    real = tmp_path / "real.ics"
    real.write_text("keep me")
    setup_day()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        target.symlink_to(real)
    elif kind == "device":
        target = Path("/dev/null")
    else:
        target.mkdir()
    result = run("--ics", str(target))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"breathpace: --ics: {target}"), lines
    assert real.read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".breathpace-")]


def test_an_existing_plain_file_is_replaced_whole(tmp_path):
    target = tmp_path / "plan.ics"
    target.write_text("old")
    data = export(target)
    assert data.startswith(b"BEGIN:VCALENDAR")
