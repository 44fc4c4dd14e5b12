"""The micro-calibration rules as a table: given these sessions, exactly this one change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from breathpace.journal.dose import Override, apply_overrides
from breathpace.journal.suggest import (
    GROWS,
    Context,
    Dose,
    Kind,
    SessionFacts,
    dose_of,
    hold_breaths,
    main_exercise,
    suggest,
)
from breathpace.library import builtin_routine_files, load_routine, resolve
from breathpace.routine.load import parse_routine
from breathpace.timeline import compile

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def s(
    day: float,
    effort=3,
    pain=2,
    followup="same",
    outcome="completed",
    followup_pain=None,
    answered_after=timedelta(hours=14),
):
    started = T0 + timedelta(days=day)
    return SessionFacts(
        session_id=int(day * 100),
        started_at=started,
        outcome=outcome,
        effort=effort,
        pain=pain,
        followup=followup,
        followup_pain=followup_pain,
        followup_at=started + answered_after if followup is not None else None,
    )


MIN = 60_000


def dose(
    reps=8,
    hold=None,
    builtin_reps=8,
    builtin_hold=None,
    next_at=None,
    written=8 * MIN,
    plus_rep=None,
    plus_breath=None,
    capsule=False,
):
    """A dose whose routine is 8 min as written, growing 20 s a rep and 40 s a breath."""
    length = written + (reps - builtin_reps) * 20_000
    if hold is not None and builtin_hold is not None:
        length += int((hold - builtin_hold) * 40_000)
    return Dose(
        2,
        "Glute bridge",
        2,
        reps,
        hold,
        builtin_reps,
        builtin_hold,
        next_level_at=next_at or builtin_reps + 2,
        written_ms=written,
        length_ms=length,
        plus_rep_ms=plus_rep if plus_rep is not None else length + 20_000,
        plus_breath_ms=(plus_breath or length + 40_000) if hold is not None else None,
        capsule=capsule,
    )


def ctx(
    sessions,
    *,
    d=None,
    no_dose=False,
    change_day=None,
    change_kind=None,
    nxt=None,
    prev=None,
    change_at=None,
    now=None,
):
    if change_day is not None:
        change_at = T0 + timedelta(days=change_day, hours=1)
    return Context(
        routine="glute-bridge",
        dose=None if no_dose else (d or dose()),
        sessions=tuple(sorted(sessions, key=lambda x: x.started_at, reverse=True)),
        last_change_at=change_at,
        last_change_kind=change_kind,
        next_level=nxt,
        previous_level=prev,
        now=now,
    )


def at(day: int, hour: float) -> datetime:
    """Day `day` of the story at `hour` o'clock (UTC)."""
    return T0.replace(hour=0) + timedelta(days=day, hours=hour)


def s_at(day, hour, **kw):
    """A session at `hour` o'clock on `day`, answered 12 h 15 min later."""
    kw.setdefault("answered_after", timedelta(hours=12, minutes=15))
    return replace(
        s(0, **kw), started_at=at(day, hour), followup_at=at(day, hour) + kw["answered_after"]
    )


EASY3 = [s(1), s(2, followup="calmer"), s(3)]

CASES = [
    # (id, context, kind, expected fields, words in the reason)
    ("no sessions", ctx([]), Kind.HOLD, {}, "no easy sessions so far"),
    ("one easy day", ctx(EASY3[:1]), Kind.HOLD, {}, "easy sessions on 1 day so far"),
    ("easy on two days: add a rep", ctx(EASY3[:2]), Kind.ADD_REP, {"reps": 9}, "2 days"),
    ("three easy: add a rep", ctx(EASY3), Kind.ADD_REP, {"reps": 9}, "effort 4 or less"),
    (
        "three easy after a rep was added, with a hold in breaths: still a rep (reps first)",
        ctx(
            [s(0), *EASY3],
            d=dose(hold=1, builtin_hold=1),
            change_day=0,
            change_kind=Kind.ADD_REP,
        ),
        Kind.ADD_REP,
        {"reps": 9, "hold_breaths": None},
        "up to 10 a set, no further",
    ),
    (
        "with a next level, a rep says where the next level opens",
        ctx(EASY3, nxt="single-leg-bridge"),
        Kind.ADD_REP,
        {"reps": 9},
        "the next level opens at 10 reps a set",
    ),
    (
        "the hold may still grow but that would break the cap: keep, and say why",
        ctx(
            [s(0), *EASY3],
            d=dose(reps=10, hold=1, builtin_hold=1, plus_breath=int(8 * MIN * 1.3) + 1),
            change_day=0,
        ),
        Kind.HOLD,
        {},
        "past the cap (the routine stays within 30 % of its written 8.0 min",
    ),
    (
        "reps at the next level's mark, no next level, a hold: one breath more",
        ctx([s(0), *EASY3], d=dose(reps=10, hold=1, builtin_hold=1), change_day=0),
        Kind.ADD_BREATH,
        {"hold_breaths": 2, "reps": None},
        "once",
    ),
    (
        "the hold already one breath above the file: keep this dose",
        ctx([s(0), *EASY3], d=dose(reps=10, hold=2, builtin_hold=1), change_day=0),
        Kind.HOLD,
        {},
        "the one to keep",
    ),
    (
        "the next level opens at the routine's next_level_at",
        ctx(EASY3, d=dose(reps=9, next_at=9), nxt="single-leg-bridge"),
        Kind.NEXT_LEVEL,
        {"routine_to": "single-leg-bridge", "reps": None},
        "at 9 reps a set",
    ),
    (
        "one more rep would break the 30 % cap: the next level instead",
        ctx(EASY3, d=dose(plus_rep=int(8 * MIN * 1.3) + 1), nxt="single-leg-bridge"),
        Kind.NEXT_LEVEL,
        {"routine_to": "single-leg-bridge"},
        "within 30 % of its written 8.0 min",
    ),
    (
        "one more rep would break the 30 % cap and there is no next level: keep, and say why",
        ctx(EASY3, d=dose(plus_rep=int(8 * MIN * 1.3) + 1)),
        Kind.HOLD,
        {},
        "within 30 % of its written 8.0 min",
    ),
    (
        "a capsule never grows past five minutes",
        ctx(EASY3, d=dose(written=int(4.5 * MIN), plus_rep=5 * MIN + 1, capsule=True)),
        Kind.HOLD,
        {},
        "a capsule stays within five minutes",
    ),
    (
        "a capsule may grow up to five minutes",
        ctx(EASY3, d=dose(written=int(4.5 * MIN), plus_rep=5 * MIN, capsule=True)),
        Kind.ADD_REP,
        {"reps": 9},
        "",
    ),
    (
        "a flare behind two easy sessions is not missed",
        ctx(
            [s(1), s(2, pain=2, followup="more sensitive", followup_pain=6), s(3), s(4)],
            d=dose(reps=10),
        ),
        Kind.STEP_BACK,
        {"reps": 9},
        "Pain was 6 the day after",
    ),
    (
        "a flare answered after a change that added, for a session before it, steps back",
        ctx(
            [s(1), s(2), s(3, followup="more sensitive", answered_after=timedelta(hours=30))],
            d=dose(reps=10),
            change_day=3,
            change_kind=Kind.ADD_REP,
        ),
        Kind.STEP_BACK,
        {"reps": 9},
        "more sensitive",
    ),
    (
        "three sessions within an hour of a change, all on one day: not yet two days",
        ctx(
            [s(3.05), s(3.07), s(3.09, answered_after=timedelta(hours=12, minutes=10))],
            change_day=3,
            change_kind=Kind.ADD_REP,
        ),
        Kind.HOLD,
        {},
        "easy sessions on 1 day since the last change",
    ),
    (
        "easy on two days but the change was 13 h ago: wait for 24 h",
        ctx(
            [s_at(2, 23.5), s_at(3, 0.5)],
            change_at=at(2, 23),
            change_kind=Kind.ADD_REP,
            now=at(3, 12.75),
        ),
        Kind.HOLD,
        {},
        "13 hours ago",
    ),
    (
        "the same sessions once a day has passed since the change: add",
        ctx(
            [s_at(2, 23.5), s_at(3, 0.5)],
            change_at=at(2, 23),
            change_kind=Kind.ADD_REP,
            now=at(3, 23.5),
        ),
        Kind.ADD_REP,
        {"reps": 9},
        "",
    ),
    (
        "a next-day answer given under 12 h after its session does not count (yet)",
        ctx([s(1), s(2, answered_after=timedelta(hours=11))]),
        Kind.HOLD,
        {},
        "1 session still waiting for the next-day answer",
    ),
    (
        "three easy with a hold, first change: a rep, not a breath",
        ctx(EASY3, d=dose(hold=1, builtin_hold=1)),
        Kind.ADD_REP,
        {"reps": 9, "hold_breaths": None},
        "effort 4 or less",
    ),
    (
        "hold already at its most: a rep instead",
        ctx([s(0), *EASY3], d=dose(hold=5), change_day=0, change_kind=Kind.ADD_REP),
        Kind.ADD_REP,
        {"reps": 9},
        "",
    ),
    (
        "three easy at the comfortable maximum: next level",
        ctx(EASY3, d=dose(reps=12), nxt="single-leg-bridge"),
        Kind.NEXT_LEVEL,
        {"routine_to": "single-leg-bridge", "reps": None},
        "12 reps",
    ),
    (
        "comfortable maximum and no next level: hold",
        ctx(EASY3, d=dose(reps=12)),
        Kind.HOLD,
        {},
        "no next level",
    ),
    (
        "effort 5 in the last three: hold",
        ctx([s(1), s(2, effort=5), s(3)]),
        Kind.HOLD,
        {},
        "effort 5",
    ),
    (
        "a next-day answer never given: hold",
        ctx([s(1), s(2, followup=None)], now=T0 + timedelta(days=6)),
        Kind.HOLD,
        {},
        "never got its next-day answer",
    ),
    (
        "no check-in: hold",
        ctx([s(1), s(2), s(3, effort=None, pain=None)]),
        Kind.HOLD,
        {},
        "no check-in",
    ),
    (
        "cut short: hold",
        ctx([s(1), s(2, outcome=None), s(3)]),
        Kind.HOLD,
        {},
        "ended before the end",
    ),
    (
        "more sensitive next day: one rep fewer (above the file's dose)",
        ctx([s(1), s(2), s(3, followup="more sensitive")], d=dose(reps=10)),
        Kind.STEP_BACK,
        {"reps": 9},
        "more sensitive",
    ),
    (
        "more sensitive even with only one session: step back",
        ctx([s(3, followup="more sensitive")], d=dose(reps=10)),
        Kind.STEP_BACK,
        {"reps": 9},
        "more sensitive",
    ),
    (
        "amber pain holds, whatever came before",
        ctx([s(0, pain=2), s(1, pain=1), s(2, pain=2), s(3, pain=4)], d=dose(reps=10)),
        Kind.HOLD,
        {},
        "Pain was 4 (amber)",
    ),
    (
        "amber pain the next day holds",
        ctx([s(1), s(2), s(3, pain=1, followup_pain=4)], d=dose(reps=10)),
        Kind.HOLD,
        {},
        "Pain was 4 (amber)",
    ),
    (
        "red pain the next day steps back",
        ctx([s(1), s(2), s(3, pain=1, followup_pain=6)], d=dose(reps=10)),
        Kind.STEP_BACK,
        {"reps": 9},
        "Pain was 6 the day after",
    ),
    (
        "pain up by one, still green, is no reason to hold",
        ctx([s(0, pain=2), s(1, pain=2), s(2, pain=2), s(3, pain=3)]),
        Kind.ADD_REP,
        {"reps": 9},
        "",
    ),
    (
        "flare at the file's dose with a previous level: go back a level",
        ctx([s(3, followup="more sensitive")], prev="glute-bridge"),
        Kind.STEP_BACK,
        {"routine_to": "glute-bridge", "reps": None},
        "more sensitive",
    ),
    (
        "flare after adding a breath: the breath comes off",
        ctx(
            [s(4, followup="more sensitive")],
            d=dose(hold=3, builtin_hold=2),
            change_day=3,
            change_kind=Kind.ADD_BREATH,
        ),
        Kind.STEP_BACK,
        {"hold_breaths": 2, "reps": None},
        "more sensitive",
    ),
    (
        "flare at one rep with nowhere to go: a rest day, breathing only",
        ctx([s(3, followup="more sensitive")], d=dose(reps=1, builtin_reps=1)),
        Kind.REST,
        {"routine_to": "hook-lying-breathing"},
        "more sensitive",
    ),
    (
        "a flare before the last change no longer counts",
        ctx(
            [s(1, followup="more sensitive"), s(2), s(3), s(4)],
            change_day=1,
            change_kind=Kind.STEP_BACK,
        ),
        Kind.ADD_REP,
        {"reps": 9},
        "",
    ),
    (
        "sessions before the last change do not count towards three",
        ctx([*EASY3, s(4)], change_day=3, change_kind=Kind.ADD_REP),
        Kind.HOLD,
        {},
        "easy sessions on 1 day since the last change",
    ),
    ("breathing only: nothing to calibrate", ctx(EASY3, no_dose=True), Kind.HOLD, {}, "breathing"),
]


@pytest.mark.parametrize(
    ("context", "kind", "fields", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rules(context, kind, fields, words):
    result = suggest(context)
    assert result.kind is kind
    for name, value in fields.items():
        assert getattr(result, name) == value, name
    assert words in result.why
    # one sentence, and never two changes at once
    assert "\n" not in result.why and result.why.endswith(".")
    changes = [result.reps is not None, result.hold_breaths is not None, bool(result.routine_to)]
    assert sum(changes) == (0 if kind is Kind.HOLD else 1)


HINGE = """
format = 1
title = "Hinge"
{extra}

[[exercise]]
name = "Standing breaths"
pattern = "4-0-6-0"
cycles = 3

[[exercise]]
name = "Wall hip tap"
sets = 2
reps = 6
phases = [
  {{ move = "hips back", breath = "inhale", breaths = 1 }},
  {{ move = "stand tall", breaths = 1, effort = true }},
]

[[exercise]]
name = "Counter hip hinge"
sets = 2
reps = 5
phases = [
  {{ move = "hinge", breaths = 1 }},
  {{ move = "stay, breathing", breath = "hold", breaths = 1 }},
  {{ move = "rise", breaths = 1, effort = true }},
]

[[exercise]]
name = "Cool-down"
reps = 2
phases = [{{ move = "roll", breaths = 1 }}]
"""


def test_main_exercise_is_the_routine_main_one():
    routine = parse_routine(HINGE.format(extra=""))
    # one effort phase a rep each: the tie goes to the longer exercise (2 x 5 reps of
    # three breaths beat 2 x 6 of two), not to the first or the one with the most reps
    assert main_exercise(routine) == 3
    named = parse_routine(HINGE.format(extra='main_exercise = "Wall hip tap"'))
    assert main_exercise(named) == 2
    assert hold_breaths(routine.exercise[2]) == 1
    assert hold_breaths(routine.exercise[1]) is None
    assert main_exercise(resolve("crocodile-breathing").routine) is None


def test_most_effort_phases_wins_over_length():
    text = HINGE.format(extra="").replace(
        '{ move = "stand tall", breaths = 1, effort = true },',
        '{ move = "stand tall", breaths = 1, effort = true },\n'
        '  { move = "press", breath = "exhale", breaths = 1, effort = true },',
    )
    assert main_exercise(parse_routine(text)) == 2


def test_the_dose_measures_the_compiled_routine():
    routine = parse_routine(HINGE.format(extra="next_level_at = 7"))
    d = dose_of(routine, routine, 3)
    assert (d.reps, d.builtin_reps, d.next_level_at, d.hold_breaths) == (5, 5, 7, 1)
    assert d.written_ms == d.length_ms == compile(routine).duration_ms
    # at 4-0-6-0 a rep is 4 s in, one 10 s breath cycle held, 6 s out: 20 s, two sets
    assert d.plus_rep_ms == d.written_ms + 2 * 20_000
    assert d.plus_breath_ms == d.written_ms + 2 * 5 * 10_000
    assert dose_of(parse_routine(HINGE.format(extra="")), routine, 3).next_level_at == 7
    plain = parse_routine(HINGE.format(extra=""))
    assert dose_of(plain, plain, 3).next_level_at == 5 + 2


@st.composite
def facts(draw, easy=False):
    """Any session, or (easy) one that counts towards a change unless a flare is near;
    the easy ones come late, so that they are often the newest."""
    start = 28 * 24 * 60 if easy else 0
    started = T0 + timedelta(minutes=draw(st.integers(start, 32 * 24 * 60)))
    if easy:
        followup = draw(st.sampled_from(["calmer", "same"]))
        answered = started + timedelta(minutes=draw(st.integers(11 * 60, 40 * 60)))
        return SessionFacts(
            session_id=draw(st.integers(1, 10_000)),
            started_at=started,
            outcome="completed",
            effort=draw(st.integers(0, 4)),
            pain=2,
            followup=followup,
            followup_pain=draw(st.none() | st.integers(0, 3)),
            followup_at=answered,
        )
    followup = draw(st.sampled_from(["calmer", "same", "more sensitive", None]))
    answered = None
    if followup is not None:
        answered = started + timedelta(minutes=draw(st.integers(0, 72 * 60)))
    return SessionFacts(
        session_id=draw(st.integers(1, 10_000)),
        started_at=started,
        outcome=draw(st.sampled_from(["completed", "quit", "interrupted", "crashed", None])),
        effort=draw(st.none() | st.integers(0, 10)),
        pain=draw(st.none() | st.integers(0, 10)),
        followup=followup,
        followup_pain=draw(st.none() | st.integers(0, 10)),
        followup_at=answered,
    )


@st.composite
def doses(draw):
    written = draw(st.integers(2 * MIN, 30 * MIN))
    length = draw(st.integers(written // 2, written * 3 // 2))
    hold = draw(st.none() | st.integers(1, 8).map(float))
    return Dose(
        exercise=2,
        name="Glute bridge",
        sets=draw(st.integers(1, 5)),
        reps=draw(st.integers(1, 30)),
        hold_breaths=hold,
        builtin_reps=draw(st.integers(1, 30)),
        builtin_hold_breaths=draw(st.none() | st.integers(1, 8).map(float)),
        next_level_at=draw(st.integers(1, 32)),
        written_ms=written,
        length_ms=length,
        plus_rep_ms=draw(st.none() | st.integers(length, length + written // 5)),
        plus_breath_ms=None if hold is None else draw(st.integers(length, length + written // 5)),
        capsule=draw(st.booleans()),
    )


@given(
    older=st.lists(facts(), max_size=6),
    easy=st.lists(facts(easy=True), min_size=2, max_size=6),
    d=doses(),
    change_minutes=st.none() | st.integers(26 * 24 * 60, 29 * 24 * 60),
    change_kind=st.sampled_from([None, "reset", *Kind]),
    nxt=st.sampled_from([None, "single-leg-bridge"]),
    prev=st.sampled_from([None, "pelvic-tilts"]),
    asked_after=st.integers(0, 96 * 60),
)
@settings(max_examples=400)
def test_any_history_one_change_no_progress_through_red_or_a_flare(
    older, easy, d, change_minutes, change_kind, nxt, prev, asked_after
):
    sessions = list({s.started_at: s for s in older + easy}.values())
    change_at = None if change_minutes is None else T0 + timedelta(minutes=change_minutes)
    latest = max([s.started_at for s in sessions] + [change_at or T0])
    answers = [s.followup_at for s in sessions if s.followup_at is not None]
    now = max([latest + timedelta(minutes=asked_after), *answers])
    context = Context(
        routine="glute-bridge",
        dose=d,
        sessions=tuple(sorted(sessions, key=lambda x: x.started_at, reverse=True)),
        last_change_at=change_at,
        last_change_kind=change_kind,
        next_level=nxt,
        previous_level=prev,
        now=now,
    )
    result = suggest(context)
    # at most one change, and one sentence saying why
    changes = [result.reps is not None, result.hold_breaths is not None, bool(result.routine_to)]
    assert sum(changes) == (0 if result.kind is Kind.HOLD else 1)
    assert result.why and "\n" not in result.why and result.why.endswith(".")
    event(f"{result.kind} ({result.rule})")

    # Read as a physiotherapist would, from each session's own numbers: red pain (6-10)
    # in the session or the day after, or the back more sensitive the next day.
    since = [s for s in sessions if change_at is None or s.started_at > change_at]

    def worst(x):
        return max((v for v in (x.pain, x.followup_pain) if v is not None), default=None)

    def flared(x):
        return x.followup == "more sensitive"

    red = [x for x in since if (worst(x) or 0) >= 6]
    if red or any(flared(x) for x in since):
        # no progression while any session since the last change is red or flared,
        # and a red or flared session steps back (a rest day when nothing is smaller)
        assert result.kind not in GROWS
        assert result.kind in (Kind.STEP_BACK, Kind.REST), result
    if result.kind is Kind.STEP_BACK:
        assert result.reps is None or 1 <= result.reps < d.reps
        assert result.hold_breaths is None or result.hold_breaths < d.hold_breaths
        assert result.routine_to in (None, prev)

    if result.kind in GROWS:
        # only after easy sessions on two different days since the last change, and
        # never within 24 h of it
        # (an answer may speak for the other sessions of its day)
        def answered_well(x):
            return any(
                y.followup in ("calmer", "same")
                and y.started_at.date() == x.started_at.date()
                and y.followup_at - x.started_at >= timedelta(hours=12)
                for y in sessions
            )

        easy = [
            x
            for x in since
            if x.outcome == "completed"
            and x.effort is not None
            and x.effort <= 4
            and (worst(x) or 0) <= 3
            and answered_well(x)
        ]
        assert len({x.started_at.date() for x in easy}) >= 2
        if change_at is not None:
            assert now - change_at >= timedelta(hours=24)
    # no routine grows past its cap, a capsule never past five minutes
    cap = int(d.written_ms * 1.3) if d is not None else 0
    if d is not None and d.capsule:
        cap = min(cap, 5 * MIN)
    if result.kind is Kind.ADD_REP:
        assert result.reps == d.reps + 1 and d.reps < d.next_level_at
        assert d.plus_rep_ms is not None and d.plus_rep_ms <= cap
    if result.kind is Kind.ADD_BREATH:
        # the next level comes before long holds: a hold grows only without one, once
        assert nxt is None
        assert d.reps >= d.next_level_at or not d.fits(d.plus_rep_ms)
        assert result.hold_breaths == d.hold_breaths + 1 <= d.builtin_hold_breaths + 1
        assert d.plus_breath_ms is not None and d.plus_breath_ms <= cap


@pytest.mark.slow
def test_the_rules_are_pure_and_history_loads_no_ui_or_audio():
    """suggest.py touches no database, clock, Textual or audio; `history` and `export`
    need SQLite but no Textual and no audio library."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys\n"
        "import breathpace.journal.suggest\n"
        "pure = sorted(sys.modules)\n"
        "from click.testing import CliRunner\n"
        "from breathpace.cli import main\n"
        "assert CliRunner().invoke(main, ['history']).exit_code == 0\n"
        "assert CliRunner().invoke(main, ['export', '--csv', '-']).exit_code == 0\n"
        "print(json.dumps([pure, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    pure, after = json.loads(proc.stdout.splitlines()[-1])
    assert not [m for m in pure if m.split(".")[0] in ("sqlite3", "_sqlite3", "textual")]
    heavy = ("textual", "miniaudio", "simpleaudio", "numpy")
    assert not [m for m in after if m.split(".")[0] in heavy]


ROUTINES = {path.stem: load_routine(path) for path in builtin_routine_files()}
CALIBRATED = sorted(name for name, r in ROUTINES.items() if main_exercise(r) is not None)


@given(
    name=st.sampled_from(CALIBRATED),
    days=st.lists(
        st.tuples(
            st.integers(0, 23),  # hour of the session
            st.integers(0, 10),  # effort
            st.sampled_from(["calmer", "same", "same", "calmer", "more sensitive", None]),
            st.integers(6, 40),  # hours until the next-day answer
        ),
        min_size=1,
        max_size=40,
    ),
    has_next=st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_following_the_suggestions_on_real_routines_keeps_them_within_their_caps(
    name, days, has_next
):
    """A person plays a real routine daily (a random history), asks for the suggestion after
    every answer and accepts it: the adjusted routine never outgrows its cap, a capsule
    never passes five minutes, nothing is added within 24 h of the last change, and the
    next level comes before any hold grows past one breath more than written."""
    written = ROUTINES[name]
    found: dict[int, Override] = {}
    sessions: list[SessionFacts] = []
    change_at = change_kind = None
    written_ms = compile(written).duration_ms
    cap = int(written_ms * 1.3)
    if written.capsule is not None:
        cap = min(cap, 5 * MIN)
    for n, (hour, effort, followup, answer_h) in enumerate(days):
        started = T0 + timedelta(days=n, hours=hour)
        answered = started + timedelta(hours=answer_h)
        sessions.append(SessionFacts(n, started, "completed", effort, 2, followup, None, answered))
        now = answered
        routine = apply_overrides(written, found)
        number = main_exercise(routine)
        context = Context(
            routine=name,
            dose=dose_of(routine, written, number),
            sessions=tuple(
                replace(s, followup=None, followup_at=None)
                if s.followup_at is not None and s.followup_at > now
                else s
                for s in reversed(sessions)
            ),
            last_change_at=change_at,
            last_change_kind=change_kind,
            next_level="the-next-one" if has_next else None,
            now=now,
        )
        result = suggest(context)
        if result.kind is Kind.HOLD:
            continue
        if result.kind in GROWS and change_at is not None:
            assert now - change_at >= timedelta(hours=24)
        if result.routine_to is not None:
            # a change of level: this routine's story ends; no hold had grown long first
            ex = routine.exercise[number - 1]
            base = written.exercise[number - 1]
            assert hold_breaths(ex) == hold_breaths(base)
            return
        old = found.get(number, Override(number, routine.exercise[number - 1].name))
        found[number] = replace(
            old,
            reps=result.reps if result.reps is not None else old.reps,
            hold_breaths=result.hold_breaths
            if result.hold_breaths is not None
            else old.hold_breaths,
        )
        change_at, change_kind = now, result.kind
        grown = apply_overrides(written, found)
        # the suggestion is what the player will play: the override was not dropped
        assert grown.exercise[number - 1] != routine.exercise[number - 1]
        length = compile(grown).duration_ms
        assert length <= cap or length <= written_ms
        assert written.capsule is None or length <= 5 * MIN or length <= written_ms
        ex = grown.exercise[number - 1]
        hold = hold_breaths(ex)
        written_hold = hold_breaths(written.exercise[number - 1])
        assert hold is None or hold <= written_hold + 1
        if hold is not None and hold > written_hold:
            assert not has_next


@given(
    hours=st.lists(
        st.lists(st.integers(8 * 60, 18 * 60 + 59), min_size=1, max_size=3, unique=True),
        min_size=2,
        max_size=2,
    ),
    answer_minute=st.integers(7 * 60, 7 * 60 + 59),
)
@settings(max_examples=200)
def test_sessions_a_day_never_slow_progress(hours, answer_minute):
    """One, two or three easy sessions a day at any hours from 08:00 to 19:00, each day
    answered the next morning (12 hours or more later) for its latest session: the rep
    is added on the morning of day 3, the same morning as for one session a day."""
    sessions = []
    for day, minutes in enumerate(hours):
        minutes = sorted(minutes)
        for i, m in enumerate(minutes):
            started = at(day, m / 60)
            answered = None
            if i == len(minutes) - 1:
                answered = at(day + 1, answer_minute / 60)
            sessions.append(
                SessionFacts(
                    len(sessions) + 1,
                    started,
                    "completed",
                    2,
                    1,
                    "same" if answered else None,
                    1 if answered else None,
                    answered,
                )
            )
    morning = at(2, answer_minute / 60 + 1 / 60)
    result = suggest(ctx(sessions, now=morning))
    assert result.kind is Kind.ADD_REP, result.why
    # and not a day earlier: the evidence spans two days
    day_before = at(1, answer_minute / 60 + 1 / 60)
    early = suggest(ctx([x for x in sessions if x.started_at < day_before], now=day_before))
    assert early.kind is Kind.HOLD


def test_dates_read_as_a_person_writes_them():
    context = ctx([], now=T0)
    assert context.when(datetime(2026, 11, 10, 8, 5, tzinfo=UTC)) == "Tue 10 Nov 08:05"
    assert context.when(datetime(2026, 11, 2, 7, 30, tzinfo=UTC)) == "Mon 2 Nov 07:30"
