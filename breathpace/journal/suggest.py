"""Micro-calibration: the next small change to a routine, from the person's own data.

The method (from the source article): stop before pain; change one variable at a time;
judge the back's answer over the next 24–48 hours; progress by complexity rather than
intensity; short, frequent capsules. Pain is read with the traffic light
physiotherapists use with exercise: 0–3 green, 4–5 amber, 6–10 red, in the session or
the next day (the worse of the two counts).

The rules, in the order they are asked (the first that applies decides):

1. Pain that does not settle: amber or red pain in every session of a run that spans
   two days (or three sessions), with no green session between, steps back further:
   to the previous level, or else a rest day with breathing only. It says, once, that
   pain that does not settle is a reason to see a physiotherapist or doctor, and names
   the red flags that need help at once.
2. Red pain (6–10, in the session or the next day) steps back at once, from the very
   first session; no earlier sessions are needed to compare with.
3. A flare (the next day the back felt more sensitive) steps back at once. Red pain
   and a flare are said with a word on resting and on seeing a physiotherapist or
   doctor if the pain has not settled within a few days. Both count whenever they are
   reported: an answer given late, after a change that added, still steps back.
4. A break: about a week (7 days) without the routine steps back one step; two weeks
   or more steps back two (or to the previous level). Progress then starts again from
   fresh easy sessions.
5. Very high effort (8 or more) in two sessions in a row steps back.
6. Amber pain (4–5) holds: nothing is added until fresh easy sessions follow it.
7. Evidence spans days: a change that adds needs easy sessions on at least two
   different days since the last change. A session is easy when it was played to the
   end, its effort was 4 or less, its pain was green, and the next day the back felt
   the same or calmer with green pain. One next-day answer speaks for all of that day's
   sessions, so three sessions a day progress as fast as one a day, never slower. A
   session still within 72 hours without its answer neither counts nor holds things
   up; one never answered holds.
8. 24 hours pass after any change before the next change that adds.
9. Then one change, the smallest there is: one more rep a set, up to the routine's
   `next_level_at`; then the next level (complexity is the variable a level changes:
   it starts at the volume the person had, never more than 5 % longer); without a next
   level, one breath more in a hold, once. A routine never grows past 30 % above its
   written length, a capsule never past five minutes. A routine that grows as a whole
   (`grow = "all"`) adds the rep to every exercise at once.

A step back undoes the newest growth: a breath of hold above the file's comes off
first; at the file's dose (or for two steps) the previous level, when there is one;
else one rep fewer (two for two steps), down to one; with nothing smaller, a rest day.

Everything here is pure (no files, no clock): the rules are an ordered table of small
functions, each given the same `Context`; the first that has something to say wins.
Each answer names its rule and lists the facts it read, so a person or a
physiotherapist can check it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property
from typing import Any

from breathpace.routine.model import MAX_BREATHS, MAX_REPS, Exercise, Length, Routine
from breathpace.timeline import TimelineTooLong, compile

GREEN_MAX = 3
"""Pain 0–3 is green: fine to go on."""
AMBER_MAX = 5
"""Pain 4–5 is amber: hold. 6–10 is red: step back."""
EASY_EFFORT = 4
"""Effort at or below this (0–10) counts as easy."""
VERY_HIGH_EFFORT = 8
"""Effort at or above this (0–10), twice in a row, steps back."""
EVIDENCE_DAYS = 2
"""Easy sessions on this many different days come before any change that adds."""
PERSIST_DAYS = 2
"""Amber or red pain over this many days (with no green between) has not settled."""
PERSIST_SESSIONS = 3
"""…or in this many sessions in a row, on whatever days."""
PERSIST_WINDOW = timedelta(days=14)
"""Pain older than this (before the newest session) no longer counts towards "not settling"."""
BREAK = timedelta(days=7)
"""About a week without the routine: the next session starts a step lower."""
LONG_BREAK = timedelta(days=14)
"""Two weeks or more: lower again (or the previous level)."""
NEXT_LEVEL_EXTRA_REPS = 2
"""Without `next_level_at`, the next level opens at this many reps above the written ones."""
HOLD_EXTRA_BREATHS = 1
"""A hold grows by at most this many breaths above the written one: long holds are
intensity, and the next level (complexity) comes first."""
GROWTH_CAP = 1.3
"""A routine's adjusted length stays at or below this share of its written length."""
LEVEL_VOLUME_CAP = 1.05
"""The next level starts no longer than this share of the length the person had."""
CAPSULE_MAX_MS = 5 * 60 * 1000
"""A movement capsule is five minutes at most, however its dose is adjusted."""
SETTLE = timedelta(hours=24)
"""The back's answer is judged over 24–48 h: nothing is added within this of a change."""
FOLLOWUP_MIN_AGE = timedelta(hours=12)
"""A next-day answer counts as evidence only when given this long after its session."""
FOLLOWUP_WINDOW = timedelta(hours=72)
"""A session this young without its next-day answer is still waiting for it; older, it
never got one."""
REST_ROUTINE = "hook-lying-breathing"
"""The breathing practice suggested for a rest day."""

SEE_CLINICIAN = (
    "Pain that does not settle is a reason to see a physiotherapist or doctor. "
    "Get help at once (urgent care or emergency services) if back pain comes with numbness "
    "around the genitals or buttocks, trouble passing or holding urine or stools, "
    "weakness or numbness in the legs that is getting worse, a fever or feeling very "
    "unwell, or after a fall or injury."
)
"""Said once, with the suggestion of the rule for pain that does not settle."""
AFTER_FLARE = (
    "Rest the back for a day if it asks for it (gentle walking and easy breathing are "
    "fine); if the pain has not settled within a few days, see a physiotherapist or doctor."
)
"""Said with a step back for red pain or a flare."""


class Kind(StrEnum):
    HOLD = "hold steady"
    ADD_REP = "add one rep"
    ADD_BREATH = "add one breath"
    STEP_BACK = "step back"
    NEXT_LEVEL = "next level"
    REST = "rest"


GROWS = (Kind.ADD_REP, Kind.ADD_BREATH, Kind.NEXT_LEVEL)
"""The kinds of change that add load (and so wait for the back's answer)."""
BACKS = (Kind.STEP_BACK, Kind.REST)
"""The kinds of change that take load away."""

RULE_TEXT: dict[str, str] = {
    "pain-not-settling": (
        "Amber or red pain (4-10) over two days or three sessions, with no green between, "
        "steps back further: the previous level, or a rest day with breathing only."
    ),
    "red-pain": "Red pain (6-10) in a session or the next day steps back at once.",
    "flare": "The back more sensitive the next day steps back at once.",
    "break": (
        "About a week without the routine steps back one step; two weeks or more, two "
        "steps (or the previous level)."
    ),
    "very-high-effort": "Effort 8 or more in two sessions in a row steps back.",
    "amber-pain": "Amber pain (4-5) holds: easy sessions must follow it before anything is added.",
    "evidence": (
        "A change that adds needs easy sessions (played to the end, effort 4 or less, pain "
        "0-3, the next day the same or calmer with pain 0-3) on two different days since "
        "the last change."
    ),
    "settle": "Nothing is added within 24 hours of the last change.",
    "progress": (
        "One rep more a set up to the routine's mark, then the next level at the same "
        "volume; without one, one breath more in a hold, once; within 30 % of the "
        "written length."
    ),
    "nothing-to-calibrate": "Breathing practice has no reps to change.",
}
"""Each rule in plain words, as `history` shows it beside the suggestion it made."""


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
class Answer:
    """The back's next-day answer that speaks for a session: its own, or one given for
    another session of the same day at least 12 h after this one."""

    response: str
    pain: int | None
    at: datetime
    borrowed: bool


@dataclass(frozen=True)
class Dose:
    """The dose of the exercise being calibrated, now and as the routine file has it,
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
    others: tuple[tuple[int, str, int], ...] = ()
    """With `grow = "all"`: the other exercises that change reps with this one
    (item number, name, reps now)."""

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
class LevelStart:
    """Where the next level starts so that it is no longer than what the person does now."""

    exercise: int
    name: str
    reps: int
    """Reps a set of the next level's main exercise to start at."""
    written_reps: int
    length_ms: int
    """The next level's length at that start."""


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
    """The moment of asking (breaks are measured to it; nothing adds within 24 h of a change)."""
    tz: tzinfo | None = None
    """The person's time zone: "a day" is their local day."""
    level_start: LevelStart | None = None
    """Where the next level starts when its written start is longer than the person's
    current routine by more than 5 % (None: its written start is fine)."""

    @property
    def moment(self) -> datetime:
        if self.now is not None:
            return self.now
        times = [s.started_at for s in self.sessions]
        times += [s.followup_at for s in self.sessions if s.followup_at is not None]
        if self.last_change_at is not None:
            times.append(self.last_change_at)
        return max(times) if times else datetime.min

    @property
    def since_change(self) -> tuple[SessionFacts, ...]:
        if self.last_change_at is None:
            return self.sessions
        return tuple(s for s in self.sessions if s.started_at > self.last_change_at)

    def flare_candidates(self) -> tuple[SessionFacts, ...]:
        """Sessions whose pain or flare has not been answered by a change yet: every
        session since the last change, and an earlier one whose answer came after a change
        that added (the change was made without knowing it); a step back, a rest or a
        reset already answered."""
        if self.last_change_at is None:
            return self.sessions
        late = self.last_change_kind not in (Kind.STEP_BACK, Kind.REST, "reset")
        return tuple(
            s
            for s in self.sessions
            if s.started_at > self.last_change_at
            or (late and s.followup_at is not None and s.followup_at > self.last_change_at)
        )

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def day(self, moment: datetime) -> str:
        """ "Mon 2 Nov" in the person's time zone."""
        local = moment.astimezone(self.tz)
        return f"{local:%a} {local.day} {local:%b}"

    def when(self, moment: datetime) -> str:
        """ "Mon 2 Nov 08:00" in the person's time zone."""
        return f"{self.day(moment)} {moment.astimezone(self.tz):%H:%M}"

    @cached_property
    def _answers_by_day(self) -> dict[date, list[tuple[int, Answer]]]:
        """Each local day's given answers, with the session each was given for."""
        days: dict[date, list[tuple[int, Answer]]] = {}
        for s in self.sessions:
            if s.followup is not None and s.followup_at is not None:
                answer = Answer(s.followup, s.followup_pain, s.followup_at, True)
                days.setdefault(self.local_day(s.started_at), []).append((s.session_id, answer))
        return days

    def answer(self, session: SessionFacts) -> Answer | None:
        """The next-day answer for a session: its own when given 12 h or more after it;
        else the worst of the answers given for that day's other sessions 12 h or more
        after this one (a next-day answer is about the day's practice)."""
        if session.answered_next_day:
            assert session.followup is not None and session.followup_at is not None
            return Answer(session.followup, session.followup_pain, session.followup_at, False)
        today = self.local_day(session.started_at)
        found = [
            answer
            for sid, answer in self._answers_by_day.get(today, [])
            if sid != session.session_id and answer.at - session.started_at >= FOLLOWUP_MIN_AGE
        ]
        if not found:
            return None
        order = {"calmer": 0, "same": 1, "more sensitive": 2}
        return max(found, key=lambda a: (order.get(a.response, 1), a.pain or 0))

    def worst_pain(self, session: SessionFacts) -> int | None:
        """The worse of the pain in the session and the day after (None: neither given)."""
        answer = self.answer(session)
        values = [session.pain, session.followup_pain, answer.pain if answer else None]
        known = [v for v in values if v is not None]
        return max(known) if known else None


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
    """The routine to play instead, when the change is of level (or a rest day)."""
    rule: str = field(default="", compare=False)
    """Which rule decided (a key of RULE_TEXT)."""
    facts: tuple[str, ...] = field(default=(), compare=False)
    """The facts the rule read (dates, efforts, pains), one line each."""
    advice: str | None = field(default=None, compare=False)
    """Advice beyond the dose (to see a clinician, with the red flags), said once."""
    others: tuple[tuple[int, str, int], ...] = ()
    """Further exercises whose reps change with this one (item number, name, new reps)."""
    level_start: LevelStart | None = None
    """With the next level: the dose it starts at, when not its written one."""

    @property
    def changes_dose(self) -> bool:
        return self.reps is not None or self.hold_breaths is not None

    @property
    def rule_text(self) -> str:
        return RULE_TEXT.get(self.rule, "")


def minutes(ms: int) -> str:
    return f"{ms / 60000:.1f} min"


def light(pain: int | None) -> str | None:
    """The traffic light of a pain number: green, amber or red (None without one)."""
    if pain is None:
        return None
    if pain <= GREEN_MAX:
        return "green"
    return "amber" if pain <= AMBER_MAX else "red"


def _breaths(n: float) -> str:
    return f"{n:g} breath" + ("" if n == 1 else "s")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def fact_line(ctx: Context, s: SessionFacts) -> str:
    """One session as the rules read it: when, how it ended, effort, pain, the next day."""
    bits = [ctx.when(s.started_at)]
    if s.outcome != "completed":
        bits.append(s.outcome or "cut short")
    if s.first_item:
        bits.append(f"began at item {s.first_item}")
    bits.append("no check-in" if s.effort is None and s.pain is None else "")
    if s.effort is not None:
        bits.append(f"effort {s.effort}")
    if s.pain is not None:
        bits.append(f"pain {s.pain} ({light(s.pain)})")
    answer = ctx.answer(s)
    if answer is None:
        bits.append("next day: no answer")
    else:
        said = f"next day: {answer.response}"
        if answer.pain is not None:
            said += f", pain {answer.pain} ({light(answer.pain)})"
        if answer.borrowed:
            said += " (the day's answer)"
        bits.append(said)
    return ", ".join(b for b in bits if b)


def _facts(ctx: Context, sessions: Sequence[SessionFacts], limit: int = 8) -> tuple[str, ...]:
    lines = []
    if ctx.last_change_at is not None:
        lines.append(f"last change {ctx.when(ctx.last_change_at)} ({ctx.last_change_kind})")
    lines += [fact_line(ctx, s) for s in list(sessions)[:limit]]
    return tuple(lines)


# The rules, in order. Each returns a Suggestion or None (to let the next rule speak).
Rule = Callable[[Context], "Suggestion | None"]


def _hold(ctx: Context, why: str, rule: str, read: Sequence[SessionFacts] = ()) -> Suggestion:
    summary = "Hold steady: keep the routine as it is."
    return Suggestion(ctx.routine, Kind.HOLD, summary, why, rule=rule, facts=_facts(ctx, read))


def pain_run(ctx: Context) -> list[SessionFacts]:
    """The newest run of sessions with amber or red pain (sessions without a pain number
    are passed over), newest first, within two weeks of the newest."""
    run: list[SessionFacts] = []
    for s in ctx.sessions:
        pain = ctx.worst_pain(s)
        if pain is None:
            continue
        if run and run[0].started_at - s.started_at > PERSIST_WINDOW:
            break
        if pain <= GREEN_MAX:
            break
        run.append(s)
    return run


def rule_pain_not_settling(ctx: Context) -> Suggestion | None:
    run = pain_run(ctx)
    if not run:
        return None
    days = {ctx.local_day(s.started_at) for s in run}
    if len(days) < PERSIST_DAYS and len(run) < PERSIST_SESSIONS:
        return None
    # Once a change answered this pain, only a new session in pain asks again.
    if ctx.last_change_at is not None and run[0].started_at <= ctx.last_change_at:
        return None
    pains = ", ".join(str(ctx.worst_pain(s)) for s in reversed(run))
    span = (
        f"over {_plural(len(days), 'day')}"
        if len(days) >= PERSIST_DAYS
        else f"in {_plural(len(run), 'session')} in a row"
    )
    why = (
        f"Pain has stayed amber or red {span} (worst each time: {pains}, since "
        f"{ctx.day(run[-1].started_at)}): it has not settled."
    )
    base: dict[str, Any] = {
        "rule": "pain-not-settling",
        "facts": _facts(ctx, run),
        "advice": SEE_CLINICIAN,
    }
    if ctx.dose is None:
        summary = "Hold steady, gently, or rest: this practice has no dose to lower."
        return Suggestion(ctx.routine, Kind.HOLD, summary, why, **base)
    if ctx.previous_level is not None:
        summary = f"Step back: go back to the previous level, {ctx.previous_level}, for now."
        return Suggestion(
            ctx.routine, Kind.STEP_BACK, summary, why, routine_to=ctx.previous_level, **base
        )
    return _rest(ctx, why, base)


def _rest(ctx: Context, why: str, base: dict[str, Any]) -> Suggestion:
    summary = f"Rest from {ctx.routine} for a day: breathing only (breathpace play {REST_ROUTINE})."
    return Suggestion(ctx.routine, Kind.REST, summary, why, routine_to=REST_ROUTINE, **base)


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


def rule_red_pain(ctx: Context) -> Suggestion | None:
    """Red pain since the last change steps back at once, whenever it was reported."""
    dose = ctx.dose
    assert dose is not None
    for s in ctx.flare_candidates():
        pain = ctx.worst_pain(s)
        if pain is not None and pain > AMBER_MAX:
            where = "in" if s.pain == pain else "the day after"
            why = (
                f"Pain was {pain} {where} your session on {ctx.when(s.started_at)}: red "
                f"(6-10) steps back at once."
            )
            return step_back(ctx, dose, why, "red-pain", [s], advice=AFTER_FLARE)
    return None


def rule_flare(ctx: Context) -> Suggestion | None:
    """A more sensitive next day since the last change steps back at once."""
    dose = ctx.dose
    assert dose is not None
    for s in ctx.flare_candidates():
        answer = ctx.answer(s)
        own = s.followup == "more sensitive"
        if own or (answer is not None and answer.response == "more sensitive"):
            why = (
                f"After your session on {ctx.when(s.started_at)} the back felt more sensitive "
                "the next day: a flare steps back at once."
            )
            return step_back(ctx, dose, why, "flare", [s], advice=AFTER_FLARE)
    return None


def rule_break(ctx: Context) -> Suggestion | None:
    """The longest quiet spell since the last change (or the first session), up to now."""
    dose = ctx.dose
    assert dose is not None
    points = sorted(s.started_at for s in ctx.since_change)
    if ctx.last_change_at is not None:
        points.insert(0, ctx.last_change_at)
    if not points:
        return None
    points.append(max(ctx.moment, points[-1]))
    gap, start, end = max((b - a, a, b) for a, b in itertools.pairwise(points))
    if gap < BREAK:
        return None
    steps = 2 if gap >= LONG_BREAK else 1
    days = gap.days
    after = "after a break of two weeks or more" if steps == 2 else "after about a week off"
    until = "now" if end == points[-1] and end not in points[:-1] else ctx.day(end)
    why = (
        f"Between {ctx.day(start)} and {until} there were {days} days without {ctx.routine}: "
        f"{after} the next session starts lower, and progress resumes from fresh easy sessions."
    )
    return step_back(ctx, dose, why, "break", ctx.sessions[:2], steps=steps)


def rule_very_high_effort(ctx: Context) -> Suggestion | None:
    dose = ctx.dose
    assert dose is not None
    recent = ctx.since_change[:2]
    if len(recent) < 2 or not all(
        s.effort is not None and s.effort >= VERY_HIGH_EFFORT for s in recent
    ):
        return None
    efforts = " and ".join(str(s.effort) for s in reversed(recent))
    why = (
        f"Effort was {efforts} in your last two sessions: very high effort twice in a row "
        "steps back."
    )
    return step_back(ctx, dose, why, "very-high-effort", recent)


def step_back(
    ctx: Context,
    dose: Dose,
    why: str,
    rule: str,
    read: Sequence[SessionFacts],
    steps: int = 1,
    advice: str | None = None,
) -> Suggestion:
    """Undo the newest growth: a breath of hold, then the level, then reps; else rest."""
    name = dose.name
    facts = _facts(ctx, read)
    said: dict[str, Any] = {"rule": rule, "facts": facts, "advice": advice}
    base: dict[str, Any] = {"exercise": dose.exercise, "exercise_name": name, **said}
    written_hold = dose.builtin_hold_breaths
    if (
        dose.hold_breaths is not None
        and written_hold is not None
        and dose.hold_breaths > written_hold
    ):
        new = max(written_hold, dose.hold_breaths - steps)
        summary = f"Step back: a shorter hold in {name}: {_breaths(dose.hold_breaths)} → {new:g}."
        return Suggestion(ctx.routine, Kind.STEP_BACK, summary, why, hold_breaths=new, **base)
    if ctx.previous_level is not None and (dose.reps <= dose.builtin_reps or steps >= 2):
        summary = f"Step back: go back to the previous level, {ctx.previous_level}, for now."
        return Suggestion(
            ctx.routine,
            Kind.STEP_BACK,
            summary,
            why,
            routine_to=ctx.previous_level,
            **said,
        )
    if dose.reps > 1:
        new_reps = max(1, dose.reps - steps)
        fewer = (
            "one rep fewer" if dose.reps - new_reps == 1 else f"{dose.reps - new_reps} reps fewer"
        )
        others = tuple((n, o, max(1, r - steps)) for n, o, r in dose.others)
        what = f"each movement of {ctx.routine}" if others else name
        summary = f"Step back: {fewer} of {what}: {dose.reps} → {new_reps} a set."
        return Suggestion(
            ctx.routine, Kind.STEP_BACK, summary, why, reps=new_reps, others=others, **base
        )
    return _rest(ctx, why, said)


def judge(ctx: Context, s: SessionFacts) -> tuple[str, str | None]:
    """("easy" | "waiting" | "not easy", why not easy): how a session counts as evidence.

    A session still within the next-day window without its answer is waiting: it neither
    counts nor breaks a run of easy ones (its pain and effort are known already)."""
    when = ctx.when(s.started_at)
    if s.outcome != "completed":
        return "not easy", f"your session on {when} ended before the end"
    if s.first_item:
        # Only part of the routine was done: it says nothing of the whole dose.
        return "not easy", f"your session on {when} began part-way, at item {s.first_item}"
    if s.effort is None:
        return "not easy", f"your session on {when} has no check-in"
    if s.effort > EASY_EFFORT:
        return "not easy", f"your session on {when} had effort {s.effort}"
    pain = ctx.worst_pain(s)
    if pain is not None and pain > GREEN_MAX:
        where = "in" if s.pain == pain else "the day after"
        return "amber", f"pain was {pain} (amber) {where} your session on {when}"
    answer = ctx.answer(s)
    if answer is None:
        if ctx.moment - s.started_at < FOLLOWUP_WINDOW:
            return "waiting", None
        return "not easy", f"your session on {when} never got its next-day answer"
    if answer.response not in ("calmer", "same"):
        return "not easy", f"the day after your session on {when} was {answer.response}"
    return "easy", None


def evidence(ctx: Context) -> tuple[list[SessionFacts], tuple[str, str] | None, int]:
    """The newest run of easy sessions since the last change (waiting ones passed over),
    up to the newest two days of them, what ended it (kind, why) if anything did, and how
    many are waiting."""
    easy: list[SessionFacts] = []
    days: set[date] = set()
    waiting = 0
    for s in ctx.since_change:
        day = ctx.local_day(s.started_at)
        if len(days) >= EVIDENCE_DAYS and day not in days:
            break  # enough: the newest days that carry the change
        verdict, why = judge(ctx, s)
        if verdict == "waiting":
            waiting += 1
            continue
        if verdict == "easy":
            easy.append(s)
            days.add(day)
            continue
        assert why is not None
        return easy, (verdict, why), waiting
    return easy, None, waiting


def rule_evidence(ctx: Context) -> Suggestion | None:
    easy, stopped, waiting = evidence(ctx)
    days = {ctx.local_day(s.started_at) for s in easy}
    if len(days) >= EVIDENCE_DAYS:
        return None
    waits = f" ({_plural(waiting, 'session')} still waiting for the next-day answer)"
    need = f"a change needs them on {EVIDENCE_DAYS} different days"
    read = ctx.since_change[: len(easy) + waiting + 1]
    if stopped is not None:
        kind, why = stopped
        rule = "amber-pain" if kind == "amber" else "evidence"
        have = (
            f"easy sessions on {_plural(len(days), 'day')} since"
            if days
            else "no easy sessions since"
        )
        return _hold(
            ctx,
            f"{why[0].upper()}{why[1:]}; hold steady: there are {have} it"
            f"{waits if waiting else ''}, and {need}.",
            rule,
            read,
        )
    since = "since the last change" if ctx.last_change_at is not None else "so far"
    have = (
        f"you have easy sessions on {_plural(len(days), 'day')} {since}"
        if days
        else f"there are no easy sessions {since}"
    )
    text = f"{have}{waits if waiting else ''}; {need}."
    return _hold(ctx, text[0].upper() + text[1:], "evidence", read)


def rule_settle(ctx: Context) -> Suggestion | None:
    """Nothing is added until a day has passed since the last change."""
    if ctx.last_change_at is None:
        return None
    passed = ctx.moment - ctx.last_change_at
    if passed >= SETTLE:
        return None
    hours = max(0, int(passed.total_seconds() // 3600))
    return _hold(
        ctx,
        f"The last change was on {ctx.when(ctx.last_change_at)}, {_plural(hours, 'hour')} ago: "
        "the back's answer is judged over 24 to 48 hours, so nothing is added within a day.",
        "settle",
    )


def rule_progress(ctx: Context) -> Suggestion | None:
    """Complexity is the road: a rep at a time up to `next_level_at`, then the next
    level; without one, a breath of hold; never past the length cap."""
    dose = ctx.dose
    assert dose is not None
    name = dose.name
    easy, _, _ = evidence(ctx)
    days = sorted({ctx.local_day(s.started_at) for s in easy})
    facts = _facts(ctx, easy)
    base: dict[str, Any] = {
        "exercise": dose.exercise,
        "exercise_name": name,
        "rule": "progress",
        "facts": facts,
    }
    said = (
        f"Your sessions on {_plural(len(days), 'day')} since "
        f"{'the last change' if ctx.last_change_at else 'you started'} were easy "
        f"(effort {EASY_EFFORT} or less, pain 0-3, the next day the same or calmer)"
    )
    rep_fits = dose.fits(dose.plus_rep_ms)
    if dose.reps < dose.next_level_at and rep_fits:
        road = (
            f"the next level opens at {dose.next_level_at} reps a set"
            if ctx.next_level is not None
            else f"reps grow one at a time up to {dose.next_level_at} a set, no further"
        )
        others = tuple((n, o, r + 1) for n, o, r in dose.others)
        what = f"each movement of {ctx.routine}" if others else name
        return Suggestion(
            ctx.routine,
            Kind.ADD_REP,
            f"Add one rep to {what}: {dose.reps} → {dose.reps + 1} a set.",
            f"{said}; {road}.",
            reps=dose.reps + 1,
            others=others,
            **base,
        )
    if ctx.next_level is not None:
        where = (
            f"at {dose.reps} reps a set already"
            if dose.reps >= dose.next_level_at
            else f"and one more rep would break the cap ({dose.cap_text})"
        )
        start = ctx.level_start
        summary = f"Try the next level: {ctx.next_level}."
        if start is not None:
            fits = start.length_ms <= dose.length_ms * LEVEL_VOLUME_CAP
            length = (
                "about the length you do now"
                if fits
                else f"still {minutes(start.length_ms)}, longer than the "
                f"{minutes(dose.length_ms)} you do now"
            )
            summary = (
                f"Try the next level: {ctx.next_level}, starting at {start.reps} "
                f"rep{'' if start.reps == 1 else 's'} a set of {start.name} ({length})."
            )
        return Suggestion(
            ctx.routine,
            Kind.NEXT_LEVEL,
            summary,
            f"{said}, {where}; a level changes complexity only, at the volume you had.",
            routine_to=ctx.next_level,
            rule="progress",
            facts=facts,
            level_start=start,
        )
    written_hold = dose.builtin_hold_breaths
    hold_may_grow = (
        dose.hold_breaths is not None
        and written_hold is not None
        and dose.hold_breaths < written_hold + HOLD_EXTRA_BREATHS
    )
    if hold_may_grow and dose.fits(dose.plus_breath_ms):
        assert dose.hold_breaths is not None
        new = dose.hold_breaths + 1
        return Suggestion(
            ctx.routine,
            Kind.ADD_BREATH,
            f"Add one breath to the hold of {name}: {_breaths(dose.hold_breaths)} → {new:g}.",
            f"{said}; there is no next level, so the hold grows by one breath, once.",
            hold_breaths=new,
            **base,
        )
    if hold_may_grow or dose.reps < dose.next_level_at:
        # an easy increment is left, but it would take the routine past its cap
        why = (
            f"{said}; one more would take the routine past the cap ({dose.cap_text}, "
            f"{minutes(dose.length_ms)} now), so with no next level this dose is the one to keep."
        )
    else:
        why = (
            f"{said}; at {dose.reps} reps a set and with no next level the easy increments "
            "are done, and this dose is the one to keep."
        )
    return _hold(ctx, why, "progress", easy)


RULES: tuple[Rule, ...] = (
    rule_pain_not_settling,
    rule_nothing_to_calibrate,
    rule_red_pain,
    rule_flare,
    rule_break,
    rule_very_high_effort,
    rule_evidence,
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
    others: Sequence[tuple[int, int]] = (),
) -> Routine:
    """The routine with one exercise's dose changed (pure), validated like a file;
    `others` (item number, reps) change the reps of further exercises with it."""
    items = list(routine.exercise)
    item = items[number - 1]
    assert isinstance(item, Exercise)
    update = {k: v for k, v in (("reps", reps), ("sets", sets)) if v}
    new = item.model_copy(update=update)
    if hold_breaths is not None:
        new = _with_hold(new, hold_breaths)
    items[number - 1] = new
    for other, other_reps in others:
        ex = items[other - 1]
        assert isinstance(ex, Exercise)
        items[other - 1] = ex.model_copy(update={"reps": other_reps})
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


def growing_together(routine: Routine, number: int) -> tuple[tuple[int, str, int], ...]:
    """With `grow = "all"`, the exercises other than `number` that grow with it
    (item number, name, reps now); else none."""
    if routine.grow != "all":
        return ()
    return tuple(
        (n, item.name, item.reps)
        for n, item in enumerate(routine.exercise, start=1)
        if isinstance(item, Exercise) and n != number
    )


def dose_of(routine: Routine, builtin: Routine, number: int) -> Dose:
    """The dose of exercise `number` in `routine` (`builtin` with the person's changes)."""
    ex = routine.exercise[number - 1]
    assert isinstance(ex, Exercise)
    base = builtin.exercise[number - 1] if number <= len(builtin.exercise) else ex
    base_ex = base if isinstance(base, Exercise) and base.name == ex.name else ex
    hold = hold_breaths(ex)
    others = growing_together(routine, number) if builtin.grow == "all" else ()
    plus_rep = None
    if ex.reps < MAX_REPS and all(r < MAX_REPS for _, _, r in others):
        more = [(n, r + 1) for n, _, r in others]
        plus_rep = length_ms(adjusted(routine, number, reps=ex.reps + 1, others=more))
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
        others=others,
    )


def level_start(current_ms: int, next_routine: Routine) -> LevelStart | None:
    """Where the next level starts so that it is no longer than the person's routine now
    by more than 5 %: its own start when that fits (None), else its main exercise at
    fewer reps a set (one at least). The level changes complexity, not volume."""
    number = main_exercise(next_routine)
    if number is None:
        return None
    limit = int(current_ms * LEVEL_VOLUME_CAP)
    written = length_ms(next_routine)
    if written is not None and written <= limit:
        return None
    ex = next_routine.exercise[number - 1]
    assert isinstance(ex, Exercise)
    reps = ex.reps
    length = written or 0
    while reps > 1:
        reps -= 1
        length = length_ms(adjusted(next_routine, number, reps=reps)) or 0
        if length <= limit:
            break
    return LevelStart(number, ex.name, reps, ex.reps, length)


def sessions_newest_first(sessions: Sequence[SessionFacts]) -> tuple[SessionFacts, ...]:
    return tuple(sorted(sessions, key=lambda s: s.started_at, reverse=True))
