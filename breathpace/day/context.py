"""Everything the day plan needs from outside: the plan, the local time zone, the
person's calendar, the capsules' lengths and the journal's sessions.

The planner and "today" are pure; this module does the reading, and turns every
failure of an optional part (a calendar that does not parse, a journal that is locked)
into a one-line notice so the plan still works without it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from breathpace.day.plan import Busy, Planned, plan_day
from breathpace.dayplan import DayPlan


def local_zone() -> tzinfo:
    """The person's time zone with its rules (so a plan across a DST change keeps its
    wall-clock times): $TZ, else /etc/localtime's zone name, else the current offset."""
    names = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in names:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


@dataclass
class DayContext:
    plan: DayPlan
    tz: tzinfo
    busy: list[Busy] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """One line each: what could not be used (the calendar, the journal)."""
    lengths: dict[str, int] = field(default_factory=dict)
    rows: list = field(default_factory=list)

    def plan_for(self, day: date) -> list[Planned]:
        return plan_day(self.plan, day, self.tz, self.busy, self.lengths)


def calendar_path(plan: DayPlan) -> Path | None:
    return Path(plan.calendar).expanduser() if plan.calendar else None


def load_context(
    plan: DayPlan,
    first: date,
    last: date,
    *,
    tz: tzinfo | None = None,
    journal_since: datetime | None = None,
) -> DayContext:
    """The plan with its calendar read for `first`..`last`, the lengths of its routines
    and the journal's sessions since `journal_since` (None: no journal)."""
    context = DayContext(plan=plan, tz=tz or local_zone())
    path = calendar_path(plan)
    if path is not None:
        from breathpace.day.calendar import CalendarError, read_busy

        try:
            context.busy = _cached_busy(path, first, last, context.tz, read_busy)
        except CalendarError as exc:
            context.notices.append(f"{exc}; the plan goes on without the calendar")
    context.lengths = routine_lengths(plan)
    if journal_since is not None:
        context.rows = journal_rows(journal_since, context.notices)
    return context


#: The last calendar read, by file identity and days: the home screen looks again every
#: minute, and a large calendar takes seconds to parse; an unchanged file is not re-read.
_LAST_READ: dict[tuple, list[Busy]] = {}


def _cached_busy(path: Path, first: date, last: date, tz: tzinfo, read) -> list[Busy]:
    try:
        info = path.stat()
        key: tuple | None = (
            str(path),
            info.st_mtime_ns,
            info.st_size,
            info.st_ino,
            first,
            last,
            str(tz),
        )
    except OSError:
        key = None  # read_busy words what is wrong with it
    if key is not None and key in _LAST_READ:
        return _LAST_READ[key]
    busy = read(path, first, last, tz)
    if key is not None:
        _LAST_READ.clear()
        _LAST_READ[key] = busy
    return busy


def routine_lengths(plan: DayPlan) -> dict[str, int]:
    """Each routine's length at the person's dose (as `list` measures it); a routine
    that does not load is left out (the planner assumes a capsule's length)."""
    from breathpace.session.routines import playable_entries

    wanted = {*plan.waking_capsules, *plan.sitting_capsules, *plan.bedtime_capsules}
    wanted.add(plan.main_routine)
    try:
        entries = playable_entries(None)
    except Exception:  # the list of routines is a nicety here, never a failure
        return {}
    return {e.name: e.length_ms for e in entries if e.name in wanted and e.length_ms}


def journal_rows(since: datetime, notices: list[str]) -> list:
    from breathpace.journal.db import JournalError, open_journal
    from breathpace.journal.history import sessions

    try:
        with open_journal() as journal:
            rows = []
            for row in sessions(journal, limit=500):
                if row.started_at < since:
                    break
                rows.append(row)
            return rows
    except JournalError as exc:
        notices.append(f"{exc}; nothing is marked done")
        return []


def since_for(day: date, days: int, tz: tzinfo) -> datetime:
    """The start of the day `days - 1` days before `day`, a little early for slack."""
    start = datetime.combine(day - timedelta(days=days), datetime.min.time())
    return start.replace(tzinfo=tz)
