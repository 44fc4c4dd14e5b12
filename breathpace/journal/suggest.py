"""Micro-calibration: the next small change to a routine, from the person's own data.

The method (from the source article) is to change one variable at a time and then watch
how the back answers over the next 24–48 hours, and to progress by complexity rather
than intensity. So a suggestion is exactly one of: hold steady, add one rep, add one
breath to a hold, step back, or try the next level, and it always says why in one
sentence built from the journal. The easy increments are few (reps up to the routine's
`next_level_at`, one breath of hold), a routine never grows past 30 % above its written
length, a capsule never past five minutes, and then the next level is the road on.

Everything here is pure (no files, no clock): the rules are an ordered table of small
functions, each given the same `Context`; the first that has something to say wins.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from breathpace.routine.model import MAX_BREATHS, MAX_REPS, Exercise, Length, Routine
from breathpace.timeline import TimelineTooLong, compile

EASY_EFFORT = 4
"""Effort at or below this (0–10) counts as easy."""
EASY_SESSIONS = 3
"""Sessions in a row that must be easy before anything is added."""
NEXT_LEVEL_EXTRA_REPS = 2
"""Without `next_level_at`, the next level opens at this many reps above the written ones."""
HOLD_EXTRA_BREATHS = 1
"""A hold grows by at most this many breaths above the written one: long holds are
intensity, and the next level (complexity) comes first."""
GROWTH_CAP = 1.3
"""A routine's adjusted length stays at or below this share of its written length."""
CAPSULE_MAX_MS = 5 * 60 * 1000
"""A movement capsule is five minutes at most, however its dose is adjusted."""
SETTLE = timedelta(hours=24)
"""The back's answer is judged over 24–48 h: nothing is added until the evidence since
the last change spans at least this long."""
FOLLOWUP_MIN_AGE = timedelta(hours=12)
"""A next-day answer counts as evidence only when given this long after its session."""
PAIN_RISE = 2
"""Pain this many points above the person's usual counts as pain going up."""


class Kind(StrEnum):
    HOLD = "hold steady"
    ADD_REP = "add one rep"
    ADD_BREATH = "add one breath"
    STEP_BACK = "step back"
    NEXT_LEVEL = "next level"


GROWS = (Kind.ADD_REP, Kind.ADD_BREATH, Kind.NEXT_LEVEL)
"""The kinds of change that add load (and so wait for the back's answer)."""


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
    followup_at: datetime | None = None
    """When the next-day answer was given."""
    first_item: int | None = None
    """Started part-way (`play --from N`): not a whole session of the routine."""

    @property
    def answered_next_day(self) -> bool:
        """The next-day answer was given at least 12 h after the session."""
        return (
            self.followup is not None
            and self.followup_at is not None
            and self.followup_at - self.started_at >= FOLLOWUP_MIN_AGE
        )


@dataclass(frozen=True)
class Dose:
    """The dose of the one exercise being calibrated, now and as the routine file has it,
    with the routine's compiled lengths that bound how far it may grow."""

    exercise: int
    name: str
    sets: int
    reps: int
    hold_breaths: float | None
    builtin_reps: int
    builtin_hold_breaths: float | None
    next_level_at: int
    """Reps a set at which the next level opens (the routine's, or written + 2)."""
    written_ms: int
    """The routine's length as its file has it (compiled)."""
    length_ms: int
    """The routine's length with the person's dose (compiled)."""
    plus_rep_ms: int | None
    """The length with one more rep a set (None when that cannot be compiled)."""
    plus_breath_ms: int | None
    """The length with one more breath of hold (None without a hold in breaths)."""
    capsule: bool = False
    """The routine is a movement capsule (five minutes at most)."""

    @property
    def cap_ms(self) -> int:
        cap = int(self.written_ms * GROWTH_CAP)
        return min(cap, CAPSULE_MAX_MS) if self.capsule else cap

    def fits(self, ms: int | None) -> bool:
        return ms is not None and ms <= self.cap_ms

    @property
    def cap_text(self) -> str:
        if self.capsule and self.cap_ms == CAPSULE_MAX_MS:
            return "a capsule stays within five minutes"
        return (
            f"the routine stays within {round((GROWTH_CAP - 1) * 100)} % of its written "
            f"{minutes(self.written_ms)}"
        )


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
    now: datetime | None = None
    """The moment of asking (no change that adds comes within 24 h of the last)."""

    @property
    def since_change(self) -> tuple[SessionFacts, ...]:
        if self.last_change_at is None:
            return self.sessions
        return tuple(s for s in self.sessions if s.started_at > self.last_change_at)

    def flare_candidates(self) -> tuple[SessionFacts, ...]:
        """Sessions whose flare has not been answered by a change yet: every session since
        the last change, and an earlier one whose answer came after a change that added
        (the change was made without knowing it); a step back or reset already answered."""
        if self.last_change_at is None:
            return self.sessions
        late = self.last_change_kind not in (Kind.STEP_BACK, "reset")
        return tuple(
            s
            for s in self.sessions
            if s.started_at > self.last_change_at
            or (late and s.followup_at is not None and s.followup_at > self.last_change_at)
        )


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


def minutes(ms: int) -> str:
    return f"{ms / 60000:.1f} min"


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
    if session.first_item:
        return f"Your session on {when} began part-way, at item {session.first_item}"
    if session.effort is None:
        return f"Your session on {when} has no check-in yet"
    if session.effort > EASY_EFFORT:
        return f"Your session on {when} had effort {session.effort}"
    if session.followup not in ("calmer", "same"):
        return f"There is no next-day answer yet for your session on {when}"
    if not session.answered_next_day:
        return (
            f"The answer for your session on {when} came less than "
            f"{FOLLOWUP_MIN_AGE.seconds // 3600} hours after it"
        )
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
    """Any flare since the last change steps back at once, whenever it was answered
    (stepping back never waits for the 24 h that adding does)."""
    dose = ctx.dose
    assert dose is not None
    for session in ctx.flare_candidates():
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


def evidence_span(ctx: Context) -> tuple[datetime, datetime]:
    """(from, to) of the evidence for a change: from the last change (or, before any, the
    first of the easy sessions) to the latest next-day answer among them (or now)."""
    recent = ctx.since_change[:EASY_SESSIONS]
    start = ctx.last_change_at or min(s.started_at for s in recent)
    answers = [s.followup_at for s in recent if s.followup_at is not None]
    end = max(answers)
    if ctx.now is not None:
        end = min(end, ctx.now)
    return start, end


def rule_settle(ctx: Context) -> Suggestion | None:
    """Nothing is added until the back has answered over at least 24 h."""
    start, end = evidence_span(ctx)
    if end - start >= SETTLE:
        return None
    hours = max(0, int((end - start).total_seconds() // 3600))
    since = (
        f"the last change on {day(start)}"
        if ctx.last_change_at is not None
        else f"your first easy session on {day(start)}"
    )
    return _hold(
        ctx,
        f"The back's answer is judged over 24 to 48 hours and your answers since {since} "
        f"span {hours} hour{'' if hours == 1 else 's'}; hold steady until they span a day.",
        "settle",
    )


EASY_WHY = (
    f"Your last three sessions had effort {EASY_EFFORT} or less and the next day the back "
    "felt the same or calmer."
)


def rule_progress(ctx: Context) -> Suggestion | None:
    """Complexity is the road: a rep at a time up to `next_level_at`, then the next
    level; without one, a breath of hold; never past the length cap."""
    dose = ctx.dose
    assert dose is not None
    name = dose.name
    base = {"exercise": dose.exercise, "exercise_name": name, "rule": "progress"}
    easy = EASY_WHY[:-1]
    rep_fits = dose.fits(dose.plus_rep_ms)
    if dose.reps < dose.next_level_at and rep_fits:
        road = (
            f"the next level opens at {dose.next_level_at} reps a set"
            if ctx.next_level is not None
            else f"reps grow one at a time up to {dose.next_level_at} a set, no further"
        )
        return Suggestion(
            ctx.routine,
            Kind.ADD_REP,
            f"Add one rep to {name}: {dose.reps} → {dose.reps + 1} a set.",
            f"{easy}; {road}.",
            reps=dose.reps + 1,
            **base,
        )
    if ctx.next_level is not None:
        where = (
            f"at {dose.reps} reps a set already"
            if dose.reps >= dose.next_level_at
            else f"and one more rep would break the cap ({dose.cap_text})"
        )
        return Suggestion(
            ctx.routine,
            Kind.NEXT_LEVEL,
            f"Try the next level: {ctx.next_level}.",
            f"{easy}, {where}.",
            routine_to=ctx.next_level,
            rule="progress",
        )
    written_hold = dose.builtin_hold_breaths
    hold_may_grow = (
        dose.hold_breaths is not None
        and written_hold is not None
        and dose.hold_breaths < written_hold + HOLD_EXTRA_BREATHS
    )
    if hold_may_grow and dose.fits(dose.plus_breath_ms):
        new = dose.hold_breaths + 1
        return Suggestion(
            ctx.routine,
            Kind.ADD_BREATH,
            f"Add one breath to the hold of {name}: {_breaths(dose.hold_breaths)} → {new:g}.",
            f"{easy}; there is no next level, so the hold grows by one breath, once.",
            hold_breaths=new,
            **base,
        )
    if hold_may_grow or dose.reps < dose.next_level_at:
        # an easy increment is left, but it would take the routine past its cap
        why = (
            f"{easy}; one more would take the routine past the cap ({dose.cap_text}, "
            f"{minutes(dose.length_ms)} now), so with no next level this dose is the one to keep."
        )
    else:
        why = (
            f"{easy}; at {dose.reps} reps a set and with no next level the easy increments "
            "are done, and this dose is the one to keep."
        )
    return _hold(ctx, why, "progress")


RULES: tuple[Rule, ...] = (
    rule_nothing_to_calibrate,
    rule_flare,
    rule_too_few,
    rule_not_easy,
    rule_settle,
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


def effort_phases(ex: Exercise) -> int:
    """Effort phases in one rep: the phases marked effort, or the effort part of a tempo."""
    if ex.phases is not None:
        return sum(1 for phase in ex.phases if phase.effort)
    return 1


def main_exercise(routine: Routine) -> int | None:
    """The item number of the exercise a suggestion changes: the routine's main one.

    The routine names it (`main_exercise`); else the exercise with the most effort
    phases a rep, ties going to the longest on the compiled timeline (the main work,
    not a short warm-up). None for a routine of breathing blocks only.
    """
    items = routine.exercise
    exercises = [(n, item) for n, item in enumerate(items, start=1) if isinstance(item, Exercise)]
    if not exercises:
        return None
    if routine.main_exercise is not None:
        for number, item in exercises:
            if item.name == routine.main_exercise:
                return number
    most = max(effort_phases(item) for _, item in exercises)
    tied = [number for number, item in exercises if effort_phases(item) == most]
    if len(tied) == 1:
        return tied[0]
    timeline = compile(routine)

    def length(number: int) -> int:
        start, end = timeline.item_span(number)
        return end - start

    # max keeps the first of equals: the earlier exercise wins an exact tie.
    return max(tied, key=length)


def _with_hold(ex: Exercise, breaths: float) -> Exercise:
    """The exercise with its first hold in breaths set to `breaths` (see hold_breaths)."""
    if ex.phases is not None:
        phases = list(ex.phases)
        for i, phase in enumerate(phases):
            if phase.resolved_breath == "hold" and phase.breaths is not None:
                phases[i] = phase.model_copy(update={"breaths": breaths})
                return ex.model_copy(update={"phases": tuple(phases)})
        return ex
    for key in ("hold_top", "hold_bottom"):
        hold = getattr(ex, key)
        if hold is not None and hold.breaths is not None:
            return ex.model_copy(update={key: Length(breaths=breaths)})
    return ex


def adjusted(
    routine: Routine,
    number: int,
    *,
    reps: int | None = None,
    sets: int | None = None,
    hold_breaths: float | None = None,
) -> Routine:
    """The routine with one exercise's dose changed (pure), validated like a file."""
    item = routine.exercise[number - 1]
    assert isinstance(item, Exercise)
    update = {k: v for k, v in (("reps", reps), ("sets", sets)) if v}
    new = item.model_copy(update=update)
    if hold_breaths is not None:
        new = _with_hold(new, hold_breaths)
    items = list(routine.exercise)
    items[number - 1] = new
    # model_copy skips validation; a round trip through the model checks every limit.
    copy = routine.model_copy(update={"exercise": tuple(items)})
    return Routine.model_validate(copy.model_dump())


def length_ms(routine: Routine) -> int | None:
    """The routine's compiled length at its own pace, or None past the 4-hour limit."""
    try:
        return compile(routine).duration_ms
    except TimelineTooLong:
        return None


def capsule_fits(capsule: Routine, written: Routine) -> bool:
    """Whether an adjusted capsule keeps within five minutes (or is no longer than its
    file, should the file itself be longer)."""
    now, base = length_ms(capsule), length_ms(written)
    return now is not None and (now <= CAPSULE_MAX_MS or (base is not None and now <= base))


def dose_of(routine: Routine, builtin: Routine, number: int) -> Dose:
    """The dose of exercise `number` in `routine` (`builtin` with the person's changes)."""
    ex = routine.exercise[number - 1]
    assert isinstance(ex, Exercise)
    base = builtin.exercise[number - 1] if number <= len(builtin.exercise) else ex
    base_ex = base if isinstance(base, Exercise) and base.name == ex.name else ex
    hold = hold_breaths(ex)
    plus_rep = None
    if ex.reps < MAX_REPS:
        plus_rep = length_ms(adjusted(routine, number, reps=ex.reps + 1))
    plus_breath = None
    if hold is not None and hold + 1 <= MAX_BREATHS:
        plus_breath = length_ms(adjusted(routine, number, hold_breaths=hold + 1))
    return Dose(
        exercise=number,
        name=ex.name,
        sets=ex.sets,
        reps=ex.reps,
        hold_breaths=hold,
        builtin_reps=base_ex.reps,
        builtin_hold_breaths=hold_breaths(base_ex),
        next_level_at=builtin.next_level_at or base_ex.reps + NEXT_LEVEL_EXTRA_REPS,
        written_ms=length_ms(builtin) or 0,
        length_ms=length_ms(routine) or 0,
        plus_rep_ms=plus_rep,
        plus_breath_ms=plus_breath,
        capsule=builtin.capsule is not None,
    )


def sessions_newest_first(sessions: Sequence[SessionFacts]) -> tuple[SessionFacts, ...]:
    return tuple(sorted(sessions, key=lambda s: s.started_at, reverse=True))
