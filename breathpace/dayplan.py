"""The day plan as the person writes it: the `[day]` table of the settings file.

Times are local wall-clock "HH:MM" strings so the file reads as a person would write
it; the planner turns them into moments of a given date. Pure: no files, no clock.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from breathpace.capsule import CAPSULE_VARIANTS

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS: Final[tuple[Weekday, ...]] = ("mon", "tue", "wed", "thu", "fri")
MainSlot = Literal["morning", "midday", "evening", "none"]

#: Keys a plan no longer has -> why, for the one line that says so.
RETIRED_KEYS: Final[dict[str, str]] = {
    "feed_url": "track links use the address `breathpace feed` was given (its --base-url)",
}

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(text: str) -> time:
    """ "07:30" -> time(7, 30); ValueError in the person's words otherwise."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("a time of day as HH:MM, 24-hour (like 07:30)")
    return time(int(match[1]), int(match[2]))


def _capsules(value: list[str], slot: str) -> list[str]:
    if not value:
        raise ValueError(f"at least one {slot} capsule routine")
    if len(set(value)) != len(value):
        raise ValueError("each routine once")
    for name in value:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}", name):
            raise ValueError("routine names (like capsule-waking), not paths")
    return value


class DayPlan(BaseModel):
    """Wake time, bedtime, the usual sitting hours and which capsules go where."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wake: str = "07:00"
    """When the day starts (HH:MM); the waking capsule is a few minutes after."""
    bedtime: str = "23:00"
    """When the person goes to bed (HH:MM); the bedtime capsule is shortly before."""
    sitting_from: str = "09:00"
    """Start of the usual sitting hours (desk, study, long drives), HH:MM."""
    sitting_until: str = "17:00"
    """End of the usual sitting hours, HH:MM."""
    sitting_days: list[Weekday] = Field(default_factory=lambda: list(WORKDAYS))
    """The days with sitting hours (mon ... sun); other days have no sitting capsules."""
    waking_capsules: list[str] = Field(default_factory=lambda: list(CAPSULE_VARIANTS["waking"]))
    """Waking capsules (routine names), one a day in turn."""
    sitting_capsules: list[str] = Field(default_factory=lambda: list(CAPSULE_VARIANTS["sitting"]))
    """Before-sitting capsules (routine names), one a day in turn."""
    bedtime_capsules: list[str] = Field(default_factory=lambda: list(CAPSULE_VARIANTS["bedtime"]))
    """Bedtime capsules (routine names), one a day in turn."""
    main_session: MainSlot = "evening"
    """When the longer main session goes: morning, midday, evening or none."""
    main_routine: str = "everyday-back"
    """The routine of the main session."""
    calendar: str | None = None
    """A calendar file (.ics) whose long meetings get a capsule a few minutes before."""
    lead_minutes: int = Field(default=5, ge=1, le=30)
    """How many minutes before a long sitting block its capsule starts."""
    long_sitting_minutes: int = Field(default=60, ge=30, le=240)
    """How long a block of meetings must be to earn a capsule before it."""
    feed: str | None = None
    """The folder `breathpace feed` writes to; each capsule's event in an exported
    calendar links its current track there, at the address the feed is served from."""

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: object) -> object:
        # An older plan's keys are read and ignored, so its settings file still loads.
        if isinstance(data, dict) and RETIRED_KEYS.keys() & data.keys():
            return {k: v for k, v in data.items() if k not in RETIRED_KEYS}
        return data

    @field_validator("wake", "bedtime", "sitting_from", "sitting_until")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @field_validator("waking_capsules")
    @classmethod
    def _waking(cls, value: list[str]) -> list[str]:
        return _capsules(value, "waking")

    @field_validator("sitting_capsules")
    @classmethod
    def _sitting(cls, value: list[str]) -> list[str]:
        return _capsules(value, "before-sitting")

    @field_validator("bedtime_capsules")
    @classmethod
    def _bedtime(cls, value: list[str]) -> list[str]:
        return _capsules(value, "bedtime")

    @field_validator("sitting_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each day once")
        return value

    @model_validator(mode="after")
    def _order(self) -> DayPlan:
        wake, bed = parse_hhmm(self.wake), parse_hhmm(self.bedtime)
        if bed <= wake and bed.hour >= 4:
            raise ValueError("bedtime must come after wake (a bedtime after midnight is fine)")
        start, end = parse_hhmm(self.sitting_from), parse_hhmm(self.sitting_until)
        if end <= start:
            raise ValueError("sitting_until must come after sitting_from")
        return self

    def capsules(self, slot: str) -> list[str]:
        """The capsule routines of a slot, in the order they take turns."""
        return {"waking": self.waking_capsules, "sitting": self.sitting_capsules}.get(
            slot, self.bedtime_capsules
        )
