"""Today at a glance for the home screen: the plan, what is done and what is next.

Reads what `breathpace day` reads (the settings' plan, or the defaults until the
person sets one; the calendar; the journal) and words it in two short lines that fit
an 80-column screen. Nothing here fails: a calendar or journal that cannot be read is
a notice, and the plan still shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from breathpace.day.plan import Planned
from breathpace.day.today import Today, today
from breathpace.dayplan import DayPlan
from breathpace.safe_text import cut, printable

#: The short slot words of the glance line (the full ones do not fit 80 columns).
SHORT = {"waking": "waking", "sitting": "sitting", "bedtime": "bedtime", "main": "main"}


@dataclass(frozen=True)
class Glance:
    today: Today
    titles: dict[str, str]
    default_plan: bool
    notices: tuple[str, ...]

    @property
    def next(self) -> Planned | None:
        return self.today.next

    def lines(self, now: datetime) -> list[str]:
        from breathpace.day.view import what

        state = self.today
        head = f"Today {state.done_count} of {len(state.entries)} done"
        if state.next is None:
            head += " · nothing more today"
        else:
            when = "now" if state.next.at <= now else f"at {state.next.at:%H:%M}"
            head += f" · next {when}: {what(state.next, self.titles)} · n starts it"
        marks = " · ".join(
            f"{e.item.at:%H:%M} {SHORT[e.item.slot]}{' done' if e.done else ''}"
            for e in state.entries
        )
        out = [printable(head), marks]
        out += [cut(printable(f"! {notice}"), 78) for notice in self.notices]
        if self.default_plan:
            out.append("A default day: `breathpace day` sets your own.")
        return out


def wall_now() -> datetime:
    """The local time now, with the zone's rules (a screen test fixes it)."""
    from breathpace.day.context import local_zone

    return datetime.now(local_zone())


def glance(plan: DayPlan | None, now: datetime) -> Glance:
    from breathpace.day.context import load_context, since_for
    from breathpace.day.view import titles_of

    default = plan is None
    plan = plan or DayPlan()
    tz = now.tzinfo
    assert tz is not None
    day = now.date()
    context = load_context(plan, day, day, tz=tz, journal_since=since_for(day, 1, tz))
    items = context.plan_for(day)
    state = today(plan, day, items, context.rows, now, tz)
    titles = titles_of({i.routine for i in items})
    return Glance(state, titles, default, tuple(context.notices))


def two_weeks(plan: DayPlan | None, rows, now: datetime) -> str:
    """How each capsule slot went over the last two weeks, as one line:
    "waking 9 of 14 · before sitting 5 of 10 · bedtime 12 of 14"."""
    from datetime import timedelta

    from breathpace.day.context import load_context
    from breathpace.day.today import ADHERENCE_DAYS, adherence, adherence_line

    plan = plan or DayPlan()
    tz = now.tzinfo
    assert tz is not None
    day = now.date()
    first = day - timedelta(days=ADHERENCE_DAYS - 1)
    context = load_context(plan, first, day, tz=tz)
    return adherence_line(adherence(plan, context.plan_for, rows, day, tz))
