"""Reading the person's own calendar file (.ics) into busy blocks for the planner.

Recurrence (RRULE, RDATE, EXDATE, moved instances) and time zones are the iCalendar
libraries' job (`icalendar` parses, `recurring-ical-events` expands), not this
module's. It only decides what counts as sitting: timed events the person is busy
in. All-day events, free (TRANSP:TRANSPARENT) and cancelled ones are not sitting.

A calendar that cannot be used is one line (`CalendarError`), and the day plan goes
on without it; a file too large or a rule that makes too many events is refused
rather than read for minutes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from breathpace.day.plan import Busy
from breathpace.safe_text import printable, quote
from breathpace.tomlfile import read_text

#: Far larger than a person's calendar export of many years (a few MB at most).
MAX_BYTES = 20_000_000
#: More events than this in the days asked for is not a calendar a person sits through.
MAX_EVENTS = 2_000


class CalendarError(ValueError):
    """A calendar file that cannot be used; `str()` is one line naming the file."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(printable(f"{source}: {message}"))
        self.detail = message


def read_busy(
    path: str | Path, first: date, last: date, tz: tzinfo, max_bytes: int = MAX_BYTES
) -> list[Busy]:
    """The busy timed events from the start of `first` to two days after `last`
    (local), in `tz`. Raises CalendarError with one line."""
    import icalendar

    source = str(path)
    text = read_text(path, CalendarError, "a calendar file", max_bytes=max_bytes)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise CalendarError(source, f"not an iCalendar file ({_short(exc)})") from None
    if calendar.name != "VCALENDAR":
        raise CalendarError(source, "not an iCalendar file (no VCALENDAR)")
    start = datetime.combine(first, datetime.min.time()).replace(tzinfo=tz)
    end = datetime.combine(last + timedelta(days=2), datetime.min.time()).replace(tzinfo=tz)
    busy: list[Busy] = []
    try:
        # A day's edges are asked from the day before: a meeting across midnight.
        for event in _events(calendar, start - timedelta(days=1), end, source):
            item = _busy(event, tz)
            if item is not None and item.start < end:
                busy.append(item)
    except CalendarError:
        raise
    except Exception as exc:  # a bad rule or date deep in either library
        raise CalendarError(source, f"cannot read its events ({_short(exc)})") from None
    return busy


def _events(calendar, start: datetime, end: datetime, source: str) -> list:
    """The events from `start` to `end`, at most MAX_EVENTS. A rule repeating every
    hour, minute or second is walked one event at a time and stopped at the cap; other
    calendars are asked for the span at once (about twice as fast)."""
    import recurring_ical_events

    too_many = CalendarError(source, f"more than {MAX_EVENTS:,} events in these days; not read")
    query = recurring_ical_events.of(calendar)
    fine_grained = any(
        str(freq).upper() in ("SECONDLY", "MINUTELY", "HOURLY")
        for event in calendar.walk("VEVENT")
        for rule in _rules(event)
        for freq in rule.get("FREQ", [])
    )
    if not fine_grained:
        events = query.between(start, end)
        if len(events) > MAX_EVENTS:
            raise too_many
        return sorted(events, key=lambda e: _sort_key(e, start))
    events = []
    for event in query.after(start):
        if len(events) >= MAX_EVENTS:
            raise too_many
        if _sort_key(event, start) >= end:
            break
        events.append(event)
    return events


def _rules(event) -> list:
    rule = event.get("RRULE")
    if rule is None:
        return []
    return rule if isinstance(rule, list) else [rule]


def _sort_key(event, fallback: datetime) -> datetime:
    begin = event.get("DTSTART")
    moment = getattr(begin, "dt", None)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=fallback.tzinfo)
    if moment is not None:  # a date: an all-day event, left out later
        return datetime.combine(moment, datetime.min.time()).replace(tzinfo=fallback.tzinfo)
    return fallback


def _busy(event, tz: tzinfo) -> Busy | None:
    start = event.get("DTSTART")
    if start is None:
        return None
    begin = start.dt
    if not isinstance(begin, datetime):
        return None  # all-day: a holiday or a birthday is not sitting
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    end_prop = event.get("DTEND")
    if end_prop is not None and isinstance(end_prop.dt, datetime):
        finish = end_prop.dt
    elif event.get("DURATION") is not None:
        finish = begin + event["DURATION"].dt
    else:
        return None
    begin, finish = _aware(begin, tz), _aware(finish, tz)
    summary = str(event.get("SUMMARY", "")).strip()
    return Busy(begin.astimezone(tz), finish.astimezone(tz), summary)


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    # A floating time (no TZID, no Z) is the person's own local time.
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _short(exc: Exception) -> str:
    return quote(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 80)
