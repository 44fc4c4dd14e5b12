"""Movement capsules: which short routine belongs to which part of the day.

A capsule is a 2–5 minute routine for one edge of the day: on waking, before a long
sit, before bed. Choosing one is a pure function of the hour so it can be tested as a
table and reused by the command line, the home screen and the journal's streaks.
"""

from __future__ import annotations

from datetime import date
from typing import Final, get_args

from breathpace.routine.model import Capsule

SLOTS: Final[tuple[str, ...]] = get_args(Capsule)

#: The built-in routine (file name without .toml) played for each slot.
CAPSULE_ROUTINES: Final[dict[str, str]] = {
    "waking": "capsule-waking",
    "sitting": "capsule-sitting",
    "bedtime": "capsule-bedtime",
}

#: Every built-in capsule of each slot, in the order they take turns across days: the
#: first is the slot's classic; the others vary the same dose (hips, rotation, core).
CAPSULE_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "waking": ("capsule-waking", "capsule-waking-hips", "capsule-waking-core"),
    "sitting": ("capsule-sitting", "capsule-sitting-seated", "capsule-sitting-wall"),
    "bedtime": ("capsule-bedtime", "capsule-bedtime-hips", "capsule-bedtime-floor"),
}

#: The hours (local, 24 h) each slot starts at; anything before 04:00 is still bedtime.
WAKING_FROM: Final = 4
SITTING_FROM: Final = 11
BEDTIME_FROM: Final = 18


def capsule_for(hour: int) -> Capsule:
    """The capsule for a local hour 0–23: waking 04–10, sitting 11–17, bedtime otherwise."""
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValueError(f"hour must be a whole number from 0 to 23 (found {hour!r})")
    if WAKING_FROM <= hour < SITTING_FROM:
        return "waking"
    if SITTING_FROM <= hour < BEDTIME_FROM:
        return "sitting"
    return "bedtime"


def capsule_routine(slot: str) -> str:
    """The routine name of the capsule for a slot ("waking", "sitting" or "bedtime")."""
    try:
        return CAPSULE_ROUTINES[slot]
    except KeyError:
        raise ValueError(f"unknown capsule {slot!r}; choose one of {', '.join(SLOTS)}") from None


def capsule_of_the_day(choices: tuple[str, ...] | list[str], day: date, turn: int = 0) -> str:
    """The capsule whose turn it is on `day`: the choices take turns one day after
    another (and `turn` moves on for a second capsule of the same slot that day), so a
    week brings each of three capsules at least twice."""
    if not choices:
        raise ValueError("no capsules to choose from")
    return choices[(day.toordinal() + turn) % len(choices)]
