"""Today at a glance, and how each slot went over two weeks, from the journal's sessions.

Pure: it takes the day's plan and the journal's session rows (anything with `routine`,
`started_at` and `practised`) and the moment "now", so the home screen, `breathpace
day` and `breathpace history` say the same thing and tests need no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from breathpace.capsule import CAPSULE_VARIANTS
from breathpace.day.plan import SLOT_WORDS, Planned, day_window
from breathpace.dayplan import DayPlan

#: A capsule done this long before waking or after bedtime still counts for the day
#: (an early riser, a late night).
SLACK = timedelta(hours=3)
#: A planned capsule is still "next" until this long after its time has passed.
STILL_NEXT = timedelta(minutes=60)
#: Adherence is counted over this many days, today included.
ADHERENCE_DAYS = 14


class SessionLike(Protocol):
    routine: str
    started_at: datetime

    @property
    def practised(self) -> bool: ...


@dataclass(frozen=True)
class Entry:
    item: Planned
    done: bool


@dataclass(frozen=True)
class Today:
    day: date
    entries: tuple[Entry, ...]
    next: Planned | None
    """The first capsule (or main session) not done whose time has not long passed."""

    @property
    def done_count(self) -> int:
        return sum(1 for e in self.entries if e.done)


def slot_of(routine: str, plan: DayPlan) -> str | None:
    """Which slot a played routine counts for: the plan's own lists first, then the
    built-in capsules, then the main routine (None: not part of the day plan)."""
    for slot in ("waking", "sitting", "bedtime"):
        if routine in plan.capsules(slot) or routine in CAPSULE_VARIANTS[slot]:
            return slot
    if routine == plan.main_routine and plan.main_session != "none":
        return "main"
    return None


def _done_slots(
    plan: DayPlan, day: date, tz: tzinfo, rows: Iterable[SessionLike]
) -> dict[str, int]:
    wake, bed = day_window(plan, day, tz)
    counts: dict[str, int] = {}
    for row in rows:
        if not row.practised or not wake - SLACK <= row.started_at <= bed + SLACK:
            continue
        if row.started_at.astimezone(tz).date() != day and row.started_at < wake:
            continue  # last night's late capsule belongs to yesterday
        slot = slot_of(row.routine, plan)
        if slot is not None:
            counts[slot] = counts.get(slot, 0) + 1
    return counts


def today(
    plan: DayPlan,
    day: date,
    items: Sequence[Planned],
    rows: Iterable[SessionLike],
    now: datetime,
    tz: tzinfo,
) -> Today:
    """Which of the day's items are done (the first N of a slot for N sessions of it
    practised that day) and which is next."""
    left = _done_slots(plan, day, tz, rows)
    entries = []
    for item in items:
        done = left.get(item.slot, 0) > 0
        if done:
            left[item.slot] -= 1
        entries.append(Entry(item, done))
    upcoming = next((e.item for e in entries if not e.done and now < e.item.at + STILL_NEXT), None)
    return Today(day, tuple(entries), upcoming)


@dataclass(frozen=True)
class SlotAdherence:
    slot: str
    done: int
    planned: int

    def __str__(self) -> str:
        return f"{SLOT_WORDS[self.slot]} {self.done} of {self.planned}"


def adherence(
    plan: DayPlan,
    plan_for: Callable[[date], Sequence[Planned]],
    rows: Iterable[SessionLike],
    today_: date,
    tz: tzinfo,
    days: int = ADHERENCE_DAYS,
) -> list[SlotAdherence]:
    """Per capsule slot, on how many of the last `days` days (today included) it was
    planned and on how many of those it was done."""
    rows = [r for r in rows if r.practised]
    planned = {"waking": 0, "sitting": 0, "bedtime": 0}
    done = dict(planned)
    for back in range(days):
        day = today_ - timedelta(days=back)
        slots = {i.slot for i in plan_for(day)}
        counts = _done_slots(plan, day, tz, rows)
        for slot in planned:
            if slot in slots:
                planned[slot] += 1
                done[slot] += counts.get(slot, 0) > 0
    return [SlotAdherence(slot, done[slot], planned[slot]) for slot in planned]


def adherence_line(slots: Sequence[SlotAdherence]) -> str:
    """ "waking 9 of 14 · before sitting 5 of 10 · bedtime 12 of 14" """
    return " · ".join(str(s) for s in slots)
