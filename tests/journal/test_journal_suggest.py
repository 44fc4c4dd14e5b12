"""The micro-calibration rules as a table: given these sessions, exactly this one change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breathpace.journal.suggest import (
    Context,
    Dose,
    Kind,
    SessionFacts,
    hold_breaths,
    main_exercise,
    suggest,
)
from breathpace.library import resolve

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def s(day: int, effort=3, pain=2, followup="same", outcome="completed", followup_pain=None):
    return SessionFacts(
        session_id=day,
        started_at=T0 + timedelta(days=day),
        outcome=outcome,
        effort=effort,
        pain=pain,
        followup=followup,
        followup_pain=followup_pain,
    )


def dose(reps=8, hold=None, builtin_reps=8, builtin_hold=None):
    return Dose(2, "Glute bridge", 2, reps, hold, builtin_reps, builtin_hold)


def ctx(sessions, *, d=None, no_dose=False, change_day=None, change_kind=None, nxt=None, prev=None):
    return Context(
        routine="glute-bridge",
        dose=None if no_dose else (d or dose()),
        sessions=tuple(sorted(sessions, key=lambda x: x.started_at, reverse=True)),
        last_change_at=T0 + timedelta(days=change_day, hours=1) if change_day is not None else None,
        last_change_kind=change_kind,
        next_level=nxt,
        previous_level=prev,
    )


EASY3 = [s(1), s(2, followup="calmer"), s(3)]

CASES = [
    # (id, context, kind, expected fields, words in the reason)
    ("no sessions", ctx([]), Kind.HOLD, {}, "no sessions"),
    ("two easy sessions", ctx(EASY3[:2]), Kind.HOLD, {}, "2 sessions"),
    ("three easy: add a rep", ctx(EASY3), Kind.ADD_REP, {"reps": 9}, "effort 4 or less"),
    (
        "three easy after a rep was added, with a hold in breaths: add a breath",
        ctx(
            [s(0), *EASY3],
            d=dose(hold=1, builtin_hold=1),
            change_day=0,
            change_kind=Kind.ADD_REP,
        ),
        Kind.ADD_BREATH,
        {"hold_breaths": 2, "reps": None},
        "the same or calmer",
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
        "no next-day answer: hold",
        ctx([s(1), s(2), s(3, followup=None)]),
        Kind.HOLD,
        {},
        "no next-day answer",
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
        "pain up by two over the usual: step back",
        ctx([s(0, pain=2), s(1, pain=1), s(2, pain=2), s(3, pain=4)], d=dose(reps=10)),
        Kind.STEP_BACK,
        {"reps": 9},
        "up from your usual 2",
    ),
    (
        "pain up the next day: step back",
        ctx([s(1), s(2), s(3, pain=1, followup_pain=4)], d=dose(reps=10)),
        Kind.STEP_BACK,
        {"reps": 9},
        "pain was 4, up from 1",
    ),
    (
        "pain up by one is not a flare",
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
        "flare at one rep with nowhere to go: hold and rest",
        ctx([s(3, followup="more sensitive")], d=dose(reps=1, builtin_reps=1)),
        Kind.HOLD,
        {},
        "rest",
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
        "1 session at this dose since the last change",
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


@pytest.mark.usefixtures("classic_glute_bridge")
def test_main_exercise_and_hold_are_read_from_the_routine():
    routine = resolve("glute-bridge").routine
    # the bridge (2 x 8) is the main work, not the 5-rep warm-up or the breathing block
    assert main_exercise(routine) == 2
    assert main_exercise(routine, prefer=1) == 1
    assert main_exercise(routine, prefer=3) == 2  # a breathing block is never calibrated
    assert hold_breaths(routine.exercise[1]) == 1
    assert hold_breaths(routine.exercise[0]) is None
    assert main_exercise(resolve("crocodile-breathing").routine) is None


facts = st.builds(
    SessionFacts,
    session_id=st.integers(1, 10_000),
    started_at=st.integers(0, 60 * 24).map(lambda h: T0 + timedelta(hours=h)),
    outcome=st.sampled_from(["completed", "quit", "interrupted", "crashed", None]),
    effort=st.none() | st.integers(0, 10),
    pain=st.none() | st.integers(0, 10),
    followup=st.sampled_from(["calmer", "same", "more sensitive", None]),
    followup_pain=st.none() | st.integers(0, 10),
)
doses = st.builds(
    Dose,
    exercise=st.just(2),
    name=st.just("Glute bridge"),
    sets=st.integers(1, 5),
    reps=st.integers(1, 30),
    hold_breaths=st.none() | st.integers(1, 8).map(float),
    builtin_reps=st.integers(1, 30),
    builtin_hold_breaths=st.none() | st.integers(1, 8).map(float),
)


@given(
    sessions=st.lists(facts, max_size=12, unique_by=lambda f: f.started_at),
    d=st.none() | doses,
    change_hours=st.none() | st.integers(0, 60 * 24),
    change_kind=st.sampled_from([None, *Kind]),
    nxt=st.sampled_from([None, "single-leg-bridge"]),
    prev=st.sampled_from([None, "pelvic-tilts"]),
)
def test_any_history_gives_at_most_one_change_with_one_reason(
    sessions, d, change_hours, change_kind, nxt, prev
):
    context = Context(
        routine="glute-bridge",
        dose=d,
        sessions=tuple(sorted(sessions, key=lambda x: x.started_at, reverse=True)),
        last_change_at=None if change_hours is None else T0 + timedelta(hours=change_hours),
        last_change_kind=change_kind,
        next_level=nxt,
        previous_level=prev,
    )
    result = suggest(context)
    changes = [result.reps is not None, result.hold_breaths is not None, bool(result.routine_to)]
    assert sum(changes) == (0 if result.kind is Kind.HOLD else 1)
    assert result.why and "\n" not in result.why and result.why.endswith(".")
    recent = context.since_change[:3]
    if result.kind in (Kind.ADD_REP, Kind.ADD_BREATH, Kind.NEXT_LEVEL):
        # only ever after three easy sessions at this dose
        assert len(recent) == 3
        assert all(s.outcome == "completed" and s.effort is not None for s in recent)
        assert all(s.effort <= 4 and s.followup in ("calmer", "same") for s in recent)
        assert result.reps is None or result.reps == d.reps + 1
        assert result.hold_breaths is None or result.hold_breaths == d.hold_breaths + 1
    if result.kind is Kind.STEP_BACK:
        assert result.reps is None or result.reps == d.reps - 1 >= 1
        assert result.hold_breaths is None or result.hold_breaths == d.hold_breaths - 1 >= 1
        assert result.routine_to in (None, prev)


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
