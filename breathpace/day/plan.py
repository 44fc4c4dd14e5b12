"""Placing the day's capsules: at waking, before each long sitting block, before bed.

A pure function of the day plan, one date, the time zone and the person's busy blocks
(already read from their calendar): no files, no clock. The rules are the ones a
physiotherapist would give in words, and the tests hold them as such:

- the waking capsule on waking, the bedtime capsule a quarter of an hour before bed;
- a before-sitting capsule a few minutes before each block of sitting of an hour or
  more (meetings less than ten minutes apart are one block), and before the usual
  sitting hours begin on a sitting day;
- none where the day already moves: no sitting capsule when a capsule or the main
  session ended within the hour before the block, none inside a busy block;
- a capsule that would fall inside a meeting moves to the meeting's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from breathpace.capsule import capsule_of_the_day
from breathpace.dayplan import WEEKDAYS, DayPlan, parse_hhmm

#: Meetings closer than this are back to back: the person does not get up between.
MERGE_GAP = timedelta(minutes=10)
#: A capsule or main session that ended this recently means the body already moved.
MOVED_WITHIN = timedelta(minutes=60)
#: The bedtime capsule starts this long before bedtime, so it is done before lights out.
BEFORE_BED = timedelta(minutes=15)
#: A usual-hours capsule this close to one the calendar placed is left out (the
#: calendar knows the day better than the usual hours do).
NEAR_CALENDAR = timedelta(minutes=90)
#: Length assumed for a routine whose length is not known (a capsule is 2-5 minutes).
DEFAULT_LENGTH_MS = 4 * 60_000

SLOT_WORDS = {
    "waking": "waking",
    "sitting": "before sitting",
    "bedtime": "bedtime",
    "main": "main session",
}


@dataclass(frozen=True)
class Busy:
    """A timed, busy calendar event (all-day and free events are not sitting)."""

    start: datetime
    end: datetime
    summary: str = ""


@dataclass(frozen=True)
class Block:
    """Back-to-back busy events merged into one stretch of sitting."""

    start: datetime
    end: datetime
    summaries: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Planned:
    """One thing the day plan puts at a time: a capsule or the main session."""

    slot: str
    """waking, sitting, bedtime or main."""
    routine: str
    at: datetime
    length_ms: int
    why: str
    """One line: what puts it there ("before Team sync, 10:00-11:30")."""
    key: str
    """Stable within the day: the date, the slot and its turn ("2026-03-02-sitting-1")."""

    @property
    def end(self) -> datetime:
        return self.at + timedelta(milliseconds=self.length_ms)


def merge(events: Iterable[Busy]) -> list[Block]:
    """Busy events merged into blocks: overlapping or less than `MERGE_GAP` apart."""
    blocks: list[Block] = []
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        if event.end <= event.start:
            continue
        if blocks and event.start - blocks[-1].end < MERGE_GAP:
            last = blocks[-1]
            blocks[-1] = Block(
                last.start, max(last.end, event.end), (*last.summaries, event.summary)
            )
        else:
            blocks.append(Block(event.start, event.end, (event.summary,)))
    return blocks


def day_window(plan: DayPlan, day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """From waking to bedtime of `day`; a bedtime before the wake time is past midnight."""
    wake = _at(day, parse_hhmm(plan.wake), tz)
    bed_time = parse_hhmm(plan.bedtime)
    bed = _at(day, bed_time, tz)
    if bed <= wake:
        bed = _at(day + timedelta(days=1), bed_time, tz)
    return wake, bed


def plan_day(
    plan: DayPlan,
    day: date,
    tz: tzinfo,
    busy: Iterable[Busy] = (),
    lengths: Mapping[str, int] | None = None,
) -> list[Planned]:
    """The day's capsules and main session, in time order."""
    lengths = lengths or {}

    def length(name: str) -> int:
        return lengths.get(name, DEFAULT_LENGTH_MS)

    wake, bed = day_window(plan, day, tz)
    blocks = merge(busy)
    items: list[Planned] = []

    def add(slot: str, choices: list[str], at: datetime, why: str) -> Planned:
        turn = sum(1 for i in items if i.slot == slot)
        name = capsule_of_the_day(choices, day, turn) if choices else plan.main_routine
        item = Planned(slot, name, at, length(name), why, f"{day.isoformat()}-{slot}-{turn}")
        items.append(item)
        return item

    add("waking", plan.waking_capsules, wake, f"on waking ({plan.wake})")

    bedtime_at, moved = _out_of_meetings(bed - BEFORE_BED, blocks)
    bed_why = f"before bed ({plan.bedtime})" + (", after the meeting" if moved else "")

    main_at = _main_time(plan, day, tz, wake, bed)
    if main_at is not None:
        main_at, moved = _out_of_meetings(main_at, blocks)
        if main_at + timedelta(milliseconds=length(plan.main_routine)) <= bedtime_at:
            why = f"{plan.main_session} main session" + (", after the meeting" if moved else "")
            items.append(
                Planned(
                    "main",
                    plan.main_routine,
                    main_at,
                    length(plan.main_routine),
                    why,
                    f"{day.isoformat()}-main-0",
                )
            )

    lead = timedelta(minutes=plan.lead_minutes)
    long_enough = timedelta(minutes=plan.long_sitting_minutes)
    candidates: list[tuple[datetime, str, bool]] = []
    for block in blocks:
        if block.end - block.start >= long_enough and wake <= block.start < bed:
            candidates.append((block.start, _block_why(block, tz), True))
    if WEEKDAYS[day.weekday()] in plan.sitting_days:
        start = _at(day, parse_hhmm(plan.sitting_from), tz)
        end = _at(day, parse_hhmm(plan.sitting_until), tz)
        candidates.append((start, f"before the sitting hours ({plan.sitting_from})", False))
        if end - start >= timedelta(hours=6):
            middle = start + (end - start) / 2
            middle = middle.replace(minute=0, second=0, microsecond=0)
            candidates.append((middle, f"before the afternoon's sitting ({middle:%H:%M})", False))

    # The calendar's blocks first: a usual-hours capsule gives way to one it placed.
    from_calendar: list[datetime] = []
    for sit_start, why, calendar in sorted(candidates, key=lambda c: (not c[2], c[0])):
        at = sit_start - lead
        if not wake <= at or at + timedelta(minutes=2) > bedtime_at:
            continue
        if any(b.start <= at < b.end for b in blocks):
            continue  # in a meeting: no room for it
        if not calendar and any(abs(at - t) < NEAR_CALENDAR for t in from_calendar):
            continue
        if any(sit_start - MOVED_WITHIN <= i.end <= sit_start for i in items):
            continue  # the body moved within the hour: the day already moves
        placed = add("sitting", plan.sitting_capsules, at, why)
        if calendar:
            from_calendar.append(placed.at)
    # Turns follow the time of day, so the first sitting capsule is turn 0.
    sitting = sorted((i for i in items if i.slot == "sitting"), key=lambda i: i.at)
    items = [i for i in items if i.slot != "sitting"]
    for turn, item in enumerate(sitting):
        name = capsule_of_the_day(plan.sitting_capsules, day, turn)
        items.append(
            Planned(
                "sitting",
                name,
                item.at,
                length(name),
                item.why,
                f"{day.isoformat()}-sitting-{turn}",
            )
        )

    add("bedtime", plan.bedtime_capsules, bedtime_at, bed_why)
    return sorted(items, key=lambda i: (i.at, i.slot))


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    # Through UTC and back so a wall time in a DST gap lands on a real moment.
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _out_of_meetings(at: datetime, blocks: list[Block]) -> tuple[datetime, bool]:
    for block in blocks:
        if block.start <= at < block.end:
            return block.end, True
    return at, False


def _main_time(
    plan: DayPlan, day: date, tz: tzinfo, wake: datetime, bed: datetime
) -> datetime | None:
    if plan.main_session == "none":
        return None
    if plan.main_session == "morning":
        return wake + timedelta(minutes=30)
    if plan.main_session == "midday":
        return _at(day, time(12, 30), tz)
    return max(min(_at(day, time(18, 30), tz), bed - timedelta(hours=2)), wake)


def _block_why(block: Block, tz: tzinfo) -> str:
    names = [s for s in block.summaries if s] or ["a meeting"]
    what = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"
    span = f"{block.start.astimezone(tz):%H:%M}-{block.end.astimezone(tz):%H:%M}"
    return f"before {what}, {span}"
