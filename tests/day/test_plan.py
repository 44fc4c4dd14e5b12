"""Where the day's capsules go, from a test calendar, as a person would expect them.

The calendar (work-calendar.ics, in Europe/Berlin) holds: a weekly Monday planning
meeting (10:00-11:30, one Monday left out), a daily stand-up (15 minutes), an all-day
conference on Tuesday, three meetings back to back on Wednesday afternoon, a weekly
call set in New York's time, a free "focus time" and a launch watch across midnight on
Friday. The day: up 07:00, bed 23:00, sitting hours 09:00-17:00 on weekdays.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from breathpace.day.calendar import CalendarError, read_busy
from breathpace.day.plan import Busy, plan_day
from breathpace.dayplan import DayPlan

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = Path(__file__).with_name("work-calendar.ics")
MONDAY = date(2026, 3, 2)


def week(plan: DayPlan, first: date = MONDAY, days: int = 7) -> str:
    busy = read_busy(CALENDAR, first, first + timedelta(days=days - 1), BERLIN)
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        out.append(f"{day:%a %d %b}")
        for item in plan_day(plan, day, BERLIN, busy):
            out.append(f"  {item.at:%a %H:%M}  {item.slot:<8} {item.routine:<23} {item.why}")
    return "\n".join(out) + "\n"


GOLDEN_WEEK = """\
Mon 02 Mar
  Mon 07:00  waking   capsule-waking          on waking (07:00)
  Mon 09:55  sitting  capsule-sitting         before Team planning, 10:00-11:30
  Mon 12:55  sitting  capsule-sitting-seated  before the afternoon's sitting (13:00)
  Mon 18:30  main     everyday-back           evening main session
  Mon 22:45  bedtime  capsule-bedtime         before bed (23:00)
Tue 03 Mar
  Tue 07:00  waking   capsule-waking-hips     on waking (07:00)
  Tue 08:55  sitting  capsule-sitting-seated  before the sitting hours (09:00)
  Tue 12:55  sitting  capsule-sitting-wall    before the afternoon's sitting (13:00)
  Tue 18:30  main     everyday-back           evening main session
  Tue 22:45  bedtime  capsule-bedtime-hips    before bed (23:00)
Wed 04 Mar
  Wed 07:00  waking   capsule-waking-core     on waking (07:00)
  Wed 08:55  sitting  capsule-sitting-wall    before the sitting hours (09:00)
  Wed 12:55  sitting  capsule-sitting         before Design review and 2 more, 13:00-14:30
  Wed 18:30  main     everyday-back           evening main session
  Wed 22:45  bedtime  capsule-bedtime-floor   before bed (23:00)
Thu 05 Mar
  Thu 07:00  waking   capsule-waking          on waking (07:00)
  Thu 08:55  sitting  capsule-sitting         before the sitting hours (09:00)
  Thu 12:55  sitting  capsule-sitting-seated  before the afternoon's sitting (13:00)
  Thu 15:55  sitting  capsule-sitting-wall    before Call with Boston, 16:00-17:00
  Thu 18:30  main     everyday-back           evening main session
  Thu 22:45  bedtime  capsule-bedtime         before bed (23:00)
Fri 06 Mar
  Fri 07:00  waking   capsule-waking-hips     on waking (07:00)
  Fri 08:55  sitting  capsule-sitting-seated  before the sitting hours (09:00)
  Fri 12:55  sitting  capsule-sitting-wall    before the afternoon's sitting (13:00)
  Fri 18:30  main     everyday-back           evening main session
  Fri 22:25  sitting  capsule-sitting         before Launch watch, 22:30-00:30
  Sat 00:30  bedtime  capsule-bedtime-hips    before bed (23:00), after the meeting
Sat 07 Mar
  Sat 07:00  waking   capsule-waking-core     on waking (07:00)
  Sat 18:30  main     everyday-back           evening main session
  Sat 22:45  bedtime  capsule-bedtime-floor   before bed (23:00)
Sun 08 Mar
  Sun 07:00  waking   capsule-waking          on waking (07:00)
  Sun 18:30  main     everyday-back           evening main session
  Sun 22:45  bedtime  capsule-bedtime         before bed (23:00)
"""


def test_a_week_from_the_test_calendar():
    assert week(DayPlan()) == GOLDEN_WEEK


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def sitting_times(plan: DayPlan, day: date, busy) -> list[str]:
    return [f"{i.at:%H:%M}" for i in plan_day(plan, day, BERLIN, busy) if i.slot == "sitting"]


def test_back_to_back_meetings_are_one_block_with_one_capsule_before_it():
    """Design review 13:00-13:30, Budget 13:30-14:00, One-to-one 14:05-14:30: the person
    does not get up between them, so there is one capsule, at 12:55, and none at 13:55."""
    busy = read_busy(CALENDAR, date(2026, 3, 4), date(2026, 3, 4), BERLIN)
    assert sitting_times(DayPlan(sitting_days=[]), date(2026, 3, 4), busy) == ["12:55"]


def test_short_meetings_alone_get_no_capsule_and_free_or_all_day_events_are_not_sitting():
    """The 15-minute stand-up, the all-day conference and the 3-hour "focus time" marked
    free place nothing when the usual sitting hours are off."""
    busy = read_busy(CALENDAR, date(2026, 3, 3), date(2026, 3, 3), BERLIN)
    assert sitting_times(DayPlan(sitting_days=[]), date(2026, 3, 3), busy) == []
    busy = read_busy(CALENDAR, date(2026, 3, 5), date(2026, 3, 5), BERLIN)
    assert sitting_times(DayPlan(sitting_days=[]), date(2026, 3, 5), busy) == ["15:55"]


def test_a_weekly_meeting_recurs_and_its_left_out_week_has_no_capsule():
    plan = DayPlan(sitting_days=[])
    for monday, expected in ((date(2026, 3, 2), ["09:55"]), (date(2026, 3, 16), ["09:55"])):
        busy = read_busy(CALENDAR, monday, monday, BERLIN)
        assert sitting_times(plan, monday, busy) == expected
    excluded = date(2026, 3, 9)
    assert sitting_times(plan, excluded, read_busy(CALENDAR, excluded, excluded, BERLIN)) == []


def test_a_call_set_in_new_york_time_follows_both_zones_daylight_saving():
    """10:00 in New York is 16:00 in Berlin on 5 March, and 15:00 on 12 March (New
    York has moved its clocks on 8 March, Berlin not until 29 March)."""
    plan = DayPlan(sitting_days=[])
    for day, expected in ((date(2026, 3, 5), ["15:55"]), (date(2026, 3, 12), ["14:55"])):
        assert sitting_times(plan, day, read_busy(CALENDAR, day, day, BERLIN)) == expected


def test_a_meeting_across_midnight_belongs_to_the_evening_it_starts():
    """Launch watch 22:30-00:30: a capsule at 22:25, the bedtime capsule after it, and
    nothing for it on Saturday."""
    busy = read_busy(CALENDAR, date(2026, 3, 6), date(2026, 3, 7), BERLIN)
    friday = plan_day(DayPlan(), date(2026, 3, 6), BERLIN, busy)
    assert [(i.slot, i.at) for i in friday if i.at >= at("2026-03-06T22:00")] == [
        ("sitting", at("2026-03-06T22:25")),
        ("bedtime", at("2026-03-07T00:30")),
    ]
    assert sitting_times(DayPlan(), date(2026, 3, 7), busy) == []


def test_none_where_the_day_already_moves():
    """Sitting hours from 07:30 when the waking capsule ends at about 07:04: the body
    has just moved, so no capsule at 07:25. A meeting at 19:00 right after the evening
    session (18:30) gets none either; one at 20:30 does."""
    plan = DayPlan(sitting_from="07:30", sitting_until="10:00")
    assert sitting_times(plan, MONDAY, []) == []
    busy = [
        Busy(at("2026-03-02T19:00"), at("2026-03-02T20:00"), "Evening call"),
        Busy(at("2026-03-02T20:30"), at("2026-03-02T21:30"), "Late review"),
    ]
    assert sitting_times(plan, MONDAY, busy) == ["20:25"]


def test_no_capsule_inside_a_meeting_and_the_main_session_moves_after_one():
    busy = [
        Busy(at("2026-03-02T08:30"), at("2026-03-02T09:30"), "Early"),
        Busy(at("2026-03-02T18:00"), at("2026-03-02T19:15"), "Dinner talk"),
    ]
    items = plan_day(DayPlan(sitting_days=["mon"]), MONDAY, BERLIN, busy)
    times = {(i.slot, f"{i.at:%H:%M}") for i in items}
    assert ("sitting", "08:55") not in times  # inside "Early"
    assert ("sitting", "08:25") in times
    assert ("main", "19:15") in times


def test_capsules_take_turns_across_days_and_each_shows_up_in_a_week():
    plan = DayPlan()
    seen = {"waking": set(), "bedtime": set(), "sitting": set()}
    for n in range(7):
        for item in plan_day(plan, MONDAY + timedelta(days=n), BERLIN, []):
            if item.slot in seen:
                seen[item.slot].add(item.routine)
    assert seen == {
        "waking": set(plan.waking_capsules),
        "sitting": set(plan.sitting_capsules),
        "bedtime": set(plan.bedtime_capsules),
    }
    monday = [i.routine for i in plan_day(plan, MONDAY, BERLIN, []) if i.slot == "waking"]
    tuesday = [
        i.routine for i in plan_day(plan, MONDAY + timedelta(1), BERLIN, []) if i.slot == "waking"
    ]
    assert monday != tuesday


def test_a_bedtime_after_midnight_and_a_daylight_saving_night():
    plan = DayPlan(wake="08:00", bedtime="00:30", sitting_days=[])
    items = plan_day(plan, date(2026, 3, 28), BERLIN, [])
    bedtime = next(i for i in items if i.slot == "bedtime")
    assert bedtime.at == at("2026-03-29T00:15")
    # The clocks go forward at 02:00 that night: waking is still at 08:00 local.
    sunday = plan_day(plan, date(2026, 3, 29), BERLIN, [])
    assert sunday[0].at == at("2026-03-29T08:00")
    assert sunday[0].at.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("this is not a calendar\n", "not an iCalendar file"),
        ("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n", "not an iCalendar file"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260302T100000Z\n"
            "DTEND:20260302T110000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n",
            "more than 2,000 events",
        ),
    ],
)
def test_a_calendar_that_cannot_be_used_is_one_line(tmp_path, content, words):
    path = tmp_path / "cal.ics"
    path.write_text(content)
    with pytest.raises(CalendarError) as caught:
        read_busy(path, MONDAY, MONDAY, BERLIN)
    message = str(caught.value)
    assert words in message and str(path) in message and "\n" not in message


def test_a_huge_calendar_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\n" + b"X" * 2_000)
    with pytest.raises(CalendarError, match="larger than 1,000 bytes"):
        read_busy(path, MONDAY, MONDAY, BERLIN, max_bytes=1_000)


def test_a_calendar_with_thousands_of_events_in_the_days_asked_is_refused(tmp_path):
    events = "".join(
        f"BEGIN:VEVENT\nUID:e{n}\nDTSTART:20260302T{n // 60 % 24:02d}{n % 60:02d}00Z\n"
        f"DURATION:PT30M\nEND:VEVENT\n"
        for n in range(2_100)
    )
    path = tmp_path / "busy.ics"
    path.write_text(f"BEGIN:VCALENDAR\n{events}END:VCALENDAR\n")
    with pytest.raises(CalendarError, match="more than 2,000 events in these days; not read"):
        read_busy(path, MONDAY, MONDAY, BERLIN)


def test_an_unchanged_calendar_is_not_read_again_and_a_changed_one_is(tmp_path):
    """The home screen looks at the plan every minute: the calendar is parsed again
    only when its file changed."""
    from breathpace.day.context import load_context

    path = tmp_path / "cal.ics"
    path.write_bytes(CALENDAR.read_bytes())
    plan = DayPlan(calendar=str(path))
    first = load_context(plan, MONDAY, MONDAY, tz=BERLIN).busy
    assert load_context(plan, MONDAY, MONDAY, tz=BERLIN).busy is first
    path.write_bytes(CALENDAR.read_bytes().replace(b"SUMMARY:Team planning", b"SUMMARY:Planning"))
    os.utime(path, ns=(1, 1))
    again = load_context(plan, MONDAY, MONDAY, tz=BERLIN).busy
    assert again is not first
    assert "Planning" in {b.summary for b in again}
