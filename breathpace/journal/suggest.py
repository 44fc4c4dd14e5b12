"""Micro-calibration: the next small change to a routine, from the person's own data.

The method is to change one variable at a time (one rep, one breath of a hold, or the
level) and then watch how the back answers over the next day or two. So a suggestion is
exactly one of: hold steady, add one rep, add one breath to a hold, step back, or try
the next level, and it always says why in one sentence built from the journal.

Everything here is pure (no files, no clock): the rules are an ordered table of small
functions, each given the same `Context`; the first that has something to say wins.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from breathpace.routine.model import Exercise, Routine

EASY_EFFORT = 4
"""Effort at or below this (0–10) counts as easy."""
EASY_SESSIONS = 3
"""Sessions in a row that must be easy before anything is added."""
COMFORTABLE_MAX_REPS = 12
"""Past this many reps a set, more of the same teaches little: try the next level."""
MAX_HOLD_BREATHS = 5
"""A hold grows by breaths up to this; beyond it, reps or the next level."""
PAIN_RISE = 2
"""Pain this many points above the person's usual counts as pain going up."""
FLARE_WINDOW = 2
"""How many of the latest sessions a flare (more sensitive, pain up) is looked for in."""


class Kind(StrEnum):
    HOLD = "hold steady"
    ADD_REP = "add one rep"
    ADD_BREATH = "add one breath"
    STEP_BACK = "step back"
    NEXT_LEVEL = "next level"


@dataclass(frozen=True)
class SessionFacts:
    """What the journal knows about one session, for the rules."""

    session_id: int
    started_at: datetime
    outcome: str | None
    """completed, quit, interrupted, crashed, or None when the session was cut short."""
    effort: int | None = None
    pain: int | None = None
    followup: str | None = None
    """calmer, same, more sensitive, or None (not asked yet, or skipped)."""
    followup_pain: int | None = None


@dataclass(frozen=True)
class Dose:
    """The dose of the one exercise being calibrated, now and as the routine file has it."""

    exercise: int
    name: str
    sets: int
    reps: int
    hold_breaths: float | None
    builtin_reps: int
    builtin_hold_breaths: float | None


@dataclass(frozen=True)
class Context:
    routine: str
    dose: Dose | None
    """None when the routine has nothing to calibrate (breathing blocks only)."""
    sessions: tuple[SessionFacts, ...]
    """This routine's sessions, newest first (those before the last change too)."""
    last_change_at: datetime | None = None
    last_change_kind: str | None = None
    next_level: str | None = None
    previous_level: str | None = None

    @property
    def since_change(self) -> tuple[SessionFacts, ...]:
        if self.last_change_at is None:
            return self.sessions
        return tuple(s for s in self.sessions if s.started_at > self.last_change_at)


@dataclass(frozen=True)
class Suggestion:
    routine: str
    kind: Kind
    summary: str
    """What to do, e.g. "Add one rep to Glute bridge: 8 → 9 a set."."""
    why: str
    """One sentence from the person's own data."""
    exercise: int | None = None
    exercise_name: str | None = None
    reps: int | None = None
    """The new reps a set, when the change is to reps."""
    hold_breaths: float | None = None
    """The new hold length in breaths, when the change is to a hold."""
    routine_to: str | None = None
    """The routine to play instead, when the change is of level."""
    rule: str = field(default="", compare=False)
    """Which rule decided (for tests and curious people)."""

    @property
    def changes_dose(self) -> bool:
        return self.reps is not None or self.hold_breaths is not None


def day(moment: datetime) -> str:
    return moment.strftime("%a %d %b").replace(" 0", " ")


def _breaths(n: float) -> str:
    return f"{n:g} breath" + ("" if n == 1 else "s")


def usual_pain(ctx: Context, session: SessionFacts) -> float | None:
    """The median pain of up to five sessions before `session` (None without data)."""
    index = ctx.sessions.index(session)
    earlier = [s.pain for s in ctx.sessions[index + 1 : index + 6] if s.pain is not None]
    return statistics.median(earlier) if earlier else None


def flare_reason(ctx: Context, session: SessionFacts) -> str | None:
    """Why this session counts as a flare-up, or None."""
    if session.followup == "more sensitive":
        return f"After your session on {day(session.started_at)} the back felt more sensitive."
    usual = usual_pain(ctx, session)
    if session.pain is not None and usual is not None and session.pain >= usual + PAIN_RISE:
        return (
            f"Pain after your session on {day(session.started_at)} was {session.pain}, "
            f"up from your usual {usual:g}."
        )
    if (
        session.pain is not None
        and session.followup_pain is not None
        and session.followup_pain >= session.pain + PAIN_RISE
    ):
        return (
            f"The day after your session on {day(session.started_at)} pain was "
            f"{session.followup_pain}, up from {session.pain} right after it."
        )
    return None


def not_easy_reason(session: SessionFacts) -> str | None:
    """Why this session does not count as easy, or None when it does."""
    when = day(session.started_at)
    if session.outcome != "completed":
        return f"Your session on {when} ended before the end"
    if session.effort is None:
        return f"Your session on {when} has no check-in yet"
    if session.effort > EASY_EFFORT:
        return f"Your session on {when} had effort {session.effort}"
    if session.followup not in ("calmer", "same"):
        return f"There is no next-day answer yet for your session on {when}"
    return None


# The rules, in order. Each returns a Suggestion or None (to let the next rule speak).
Rule = Callable[[Context], "Suggestion | None"]


def _hold(ctx: Context, why: str, rule: str) -> Suggestion:
    summary = "Hold steady: keep the routine as it is."
    return Suggestion(ctx.routine, Kind.HOLD, summary, why, rule=rule)


def rule_nothing_to_calibrate(ctx: Context) -> Suggestion | None:
    if ctx.dose is not None:
        return None
    n = len(ctx.sessions)
    times = {0: "not yet", 1: "once", 2: "twice"}.get(n, f"{n} times")
    return _hold(
        ctx,
        f"This is breathing practice with no reps to change; you have done it {times}.",
        "nothing-to-calibrate",
    )


def rule_flare(ctx: Context) -> Suggestion | None:
    dose = ctx.dose
    assert dose is not None
    for session in ctx.since_change[:FLARE_WINDOW]:
        why = flare_reason(ctx, session)
        if why is not None:
            return step_back(ctx, dose, why)
    return None


def step_back(ctx: Context, dose: Dose, why: str) -> Suggestion:
    """Undo the last kind of change: a breath of hold, a rep, or the level."""
    name = dose.name
    base = {"exercise": dose.exercise, "exercise_name": name, "rule": "flare"}
    if (
        ctx.last_change_kind == Kind.ADD_BREATH
        and dose.hold_breaths is not None
        and dose.hold_breaths > 1
    ):
        new = dose.hold_breaths - 1
        summary = (
            f"Step back: one breath less in the hold of {name}: {dose.hold_breaths:g} → {new:g}."
        )
        return Suggestion(ctx.routine, Kind.STEP_BACK, summary, why, hold_breaths=new, **base)
    if ctx.previous_level is not None and dose.reps <= dose.builtin_reps:
        summary = f"Step back: go back to the previous level, {ctx.previous_level}, for now."
        return Suggestion(
            ctx.routine, Kind.STEP_BACK, summary, why, routine_to=ctx.previous_level, rule="flare"
        )
    if dose.reps > 1:
        summary = f"Step back: one rep fewer of {name}: {dose.reps} → {dose.reps - 1} a set."
        return Suggestion(ctx.routine, Kind.STEP_BACK, summary, why, reps=dose.reps - 1, **base)
    return _hold(ctx, why + " There is nothing smaller to step back to: rest.", "flare")


def rule_too_few(ctx: Context) -> Suggestion | None:
    n = len(ctx.since_change)
    if n >= EASY_SESSIONS:
        return None
    since = "since the last change" if ctx.last_change_at is not None else "so far"
    if n == 0:
        return _hold(
            ctx,
            f"There are no sessions at this dose {since}; practise it three times first.",
            "too-few",
        )
    return _hold(
        ctx,
        f"You have {n} session{'' if n == 1 else 's'} at this dose {since}; "
        f"{EASY_SESSIONS} easy ones come before any change.",
        "too-few",
    )


def rule_not_easy(ctx: Context) -> Suggestion | None:
    for session in ctx.since_change[:EASY_SESSIONS]:
        reason = not_easy_reason(session)
        if reason is not None:
            return _hold(
                ctx,
                f"{reason}; hold steady until {EASY_SESSIONS} sessions in a row are easy "
                f"(effort {EASY_EFFORT} or less, the next day the same or calmer).",
                "not-easy",
            )
    return None


EASY_WHY = (
    f"Your last three sessions had effort {EASY_EFFORT} or less and the next day the back "
    "felt the same or calmer."
)


def rule_progress(ctx: Context) -> Suggestion | None:
    dose = ctx.dose
    assert dose is not None
    name = dose.name
    base = {"exercise": dose.exercise, "exercise_name": name, "rule": "progress"}
    if dose.reps >= COMFORTABLE_MAX_REPS:
        if ctx.next_level is not None:
            return Suggestion(
                ctx.routine,
                Kind.NEXT_LEVEL,
                f"Try the next level: {ctx.next_level}.",
                f"{EASY_WHY[:-1]}, at {dose.reps} reps a set already.",
                routine_to=ctx.next_level,
                rule="progress",
            )
        return _hold(
            ctx,
            f"{EASY_WHY[:-1]}; at {dose.reps} reps a set and with no next level, this dose "
            "is the one to keep.",
            "progress",
        )
    if (
        dose.hold_breaths is not None
        and dose.hold_breaths < MAX_HOLD_BREATHS
        and ctx.last_change_kind == Kind.ADD_REP
    ):
        new = dose.hold_breaths + 1
        return Suggestion(
            ctx.routine,
            Kind.ADD_BREATH,
            f"Add one breath to the hold of {name}: {_breaths(dose.hold_breaths)} → {new:g}.",
            EASY_WHY,
            hold_breaths=new,
            **base,
        )
    return Suggestion(
        ctx.routine,
        Kind.ADD_REP,
        f"Add one rep to {name}: {dose.reps} → {dose.reps + 1} a set.",
        EASY_WHY,
        reps=dose.reps + 1,
        **base,
    )


RULES: tuple[Rule, ...] = (
    rule_nothing_to_calibrate,
    rule_flare,
    rule_too_few,
    rule_not_easy,
    rule_progress,
)


def suggest(ctx: Context) -> Suggestion:
    for rule in RULES:
        result = rule(ctx)
        if result is not None:
            return result
    raise AssertionError("rule_progress always answers")  # pragma: no cover


# Reading the dose out of a routine (pure: the routine models only).


def hold_breaths(ex: Exercise) -> float | None:
    """The first hold of a rep given in breaths (the one a breath is added to)."""
    if ex.phases is not None:
        for phase in ex.phases:
            if phase.resolved_breath == "hold" and phase.breaths is not None:
                return phase.breaths
        return None
    for hold in (ex.hold_top, ex.hold_bottom):
        if hold is not None and hold.breaths is not None:
            return hold.breaths
    return None


def main_exercise(routine: Routine, prefer: int | None = None) -> int | None:
    """The item number of the exercise a suggestion changes.

    The one changed last (`prefer`) if it still is an exercise, else the exercise with
    the most reps in the session (the routine's main work, not its warm-up).
    """
    items = routine.exercise
    if prefer is not None and 1 <= prefer <= len(items) and isinstance(items[prefer - 1], Exercise):
        return prefer
    best: tuple[int, int] | None = None
    for number, item in enumerate(items, start=1):
        if isinstance(item, Exercise):
            sides = 2 if item.sides in ("both", "alternate") else 1
            total = item.sets * item.reps * sides
            if best is None or total > best[0]:
                best = (total, number)
    return best[1] if best else None


def dose_of(routine: Routine, builtin: Routine, number: int) -> Dose:
    ex = routine.exercise[number - 1]
    base = builtin.exercise[number - 1] if number <= len(builtin.exercise) else ex
    assert isinstance(ex, Exercise)
    base_ex = base if isinstance(base, Exercise) else ex
    return Dose(
        exercise=number,
        name=ex.name,
        sets=ex.sets,
        reps=ex.reps,
        hold_breaths=hold_breaths(ex),
        builtin_reps=base_ex.reps,
        builtin_hold_breaths=hold_breaths(base_ex),
    )


def sessions_newest_first(sessions: Sequence[SessionFacts]) -> tuple[SessionFacts, ...]:
    return tuple(sorted(sessions, key=lambda s: s.started_at, reverse=True))
