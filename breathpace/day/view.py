"""The day plan in words: the lines `breathpace day` prints and the home screen shows.

One wording for both, so the terminal and the screen never disagree. Routine titles
come from files and are made printable here; the screen escapes markup on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from breathpace.day.plan import SLOT_WORDS, Planned
from breathpace.day.today import Today
from breathpace.safe_text import printable


def minutes(ms: int) -> str:
    """A capsule's length as a calendar says it: "3 min" (never "0 min")."""
    return f"{max(1, round(ms / 60_000))} min"


@dataclass(frozen=True)
class Line:
    time: str
    slot: str
    what: str
    why: str
    state: str
    """done, next, or "" (still to come or passed)."""

    def text(self) -> str:
        state = f"  [{self.state}]" if self.state else ""
        return f"{self.time}  {self.slot:<14}  {self.what} · {self.why}{state}"


def titles_of(names: set[str]) -> dict[str, str]:
    """routine -> title (the name itself for a routine that does not load)."""
    from breathpace.library import resolve

    titles = {}
    for name in names:
        try:
            titles[name] = resolve(name).routine.title
        except Exception:
            titles[name] = name
    return titles


def what(item: Planned, titles: Mapping[str, str]) -> str:
    return printable(f"{titles.get(item.routine, item.routine)} ({minutes(item.length_ms)})")


def lines(today: Today, titles: Mapping[str, str]) -> list[Line]:
    day = today.entries[0].item.at.date() if today.entries else None
    out = []
    for entry in today.entries:
        item = entry.item
        at = item.at
        time = f"{at:%H:%M}" if day is None or at.date() == day else f"{at:%a %H:%M}"
        state = "done" if entry.done else ("next" if item is today.next else "")
        out.append(
            Line(time, SLOT_WORDS[item.slot], what(item, titles), printable(item.why), state)
        )
    return out


def heading(today: Today) -> str:
    return f"Today, {today.day:%a %d %b}: {today.done_count} of {len(today.entries)} done"


def next_line(today: Today, titles: Mapping[str, str], now: datetime) -> str:
    item = today.next
    if item is None:
        return "Nothing more today."
    when = "now" if item.at <= now else f"at {item.at:%H:%M}"
    return f"Next: {what(item, titles)} {when}"
