"""A level changes complexity only: each built-in next level starts at the volume the
person had at the level before it (no more than 5 % longer: as written, or at the fewer
reps the journal starts it at), with the same sets and no longer hold, so that
one-sidedness, a lifted foot or a turn is the one variable."""

from __future__ import annotations

import pytest

from breathpace.journal.suggest import (
    LEVEL_VOLUME_CAP,
    adjusted,
    hold_breaths,
    length_ms,
    level_start,
    main_exercise,
)
from breathpace.library import builtin_routine_files, load_routine
from breathpace.routine.load import parse_routine

ROUTINES = {path.stem: load_routine(path) for path in builtin_routine_files()}
PAIRS = sorted(
    (name, r.next_level)
    for name, r in ROUTINES.items()
    if r.next_level is not None and main_exercise(r) is not None
)


def at_the_mark(name: str):
    """The routine as the person has it when the next level is suggested."""
    routine = ROUTINES[name]
    number = main_exercise(routine)
    ex = routine.exercise[number - 1]
    return adjusted(routine, number, reps=routine.next_level_at or ex.reps + 2)


TOO_LONG: dict[tuple[str, str], str] = {}


def _pair(a: str, b: str):
    reason = TOO_LONG.get((a, b))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(a, b, id=f"{a}->{b}", marks=marks)


@pytest.mark.parametrize(("name", "nxt"), [_pair(a, b) for a, b in PAIRS])
def test_the_next_level_starts_at_the_volume_before_it(name, nxt):
    before = at_the_mark(name)
    after = ROUTINES[nxt]
    limit = length_ms(before) * LEVEL_VOLUME_CAP
    # as written, or at the fewer reps the journal starts it at for this person
    start = level_start(length_ms(before), after)
    starts_at = length_ms(after) if start is None else start.length_ms
    assert starts_at <= limit, (
        f"{nxt} starts at {starts_at / 1000:g} s, {name} at its mark is "
        f"{length_ms(before) / 1000:g} s"
    )
    a = before.exercise[main_exercise(before) - 1]
    b = after.exercise[main_exercise(after) - 1]
    assert b.sets == a.sets, "sets are volume, not complexity"
    assert (hold_breaths(b) or 0) <= max(hold_breaths(a) or 0, 1), "a longer hold is intensity"


def test_the_bridge_ladder_in_numbers():
    """glute-bridge at 7 reps, bridge-march as written and at 6, single-leg-bridge as
    written: each step up is no longer than the step before it at its mark."""
    seconds = {
        "glute-bridge at 7": length_ms(at_the_mark("glute-bridge")) // 1000,
        "bridge-march": length_ms(ROUTINES["bridge-march"]) // 1000,
        "bridge-march at 6": length_ms(at_the_mark("bridge-march")) // 1000,
        "single-leg-bridge": length_ms(ROUTINES["single-leg-bridge"]) // 1000,
    }
    assert seconds["bridge-march"] <= seconds["glute-bridge at 7"] * 1.05
    assert seconds["single-leg-bridge"] <= seconds["bridge-march at 6"] * 1.05


LONG_NEXT = """
format = 1
title = "Long next level"
main_exercise = "One-leg press"

[[exercise]]
name = "One-leg press"
sides = "both"
sets = 1
reps = 10
phases = [
  { move = "press", breath = "exhale", breaths = 1, effort = true },
  { move = "return", breath = "inhale", breaths = 1 },
]
"""


def test_a_longer_next_level_starts_at_fewer_reps():
    """A person's own next level written longer than what they do now starts at the
    reps that keep it within 5 % of it (the journal writes that as their dose)."""
    nxt = parse_routine(LONG_NEXT)
    written = length_ms(nxt)
    start = level_start(written // 2, nxt)
    assert start is not None and start.written_reps == 10
    assert start.length_ms <= written // 2 * LEVEL_VOLUME_CAP
    one_more = length_ms(adjusted(nxt, 1, reps=start.reps + 1))
    assert one_more > written // 2 * LEVEL_VOLUME_CAP
    assert level_start(written, nxt) is None


def test_accepting_a_longer_next_level_writes_its_start_as_the_persons_dose(user_routines_dir):
    """Through the real journal: the person's own routine reaches its mark, its next level
    is written much longer; accepting starts that level at fewer reps (the person's dose
    of it, logged as a change of its own), no longer than what they did."""
    from datetime import UTC, datetime, timedelta

    from journal_helpers import add_session

    from breathpace.journal.db import open_journal
    from breathpace.journal.dose import accept, apply_dose, last_change
    from breathpace.journal.history import suggestion_for
    from breathpace.journal.suggest import Kind
    from breathpace.library import resolve

    (user_routines_dir / "my-press.toml").write_text(
        LONG_NEXT.replace("Long next level", "Two-leg press")
        .replace("One-leg press", "Two-leg press")
        .replace('sides = "both"\n', "")
        .replace("reps = 10", "reps = 6")
        .replace(
            'main_exercise = "Two-leg press"',
            'main_exercise = "Two-leg press"\nnext_level = "my-one-leg"\nnext_level_at = 6',
        ),
        "utf-8",
    )
    (user_routines_dir / "my-one-leg.toml").write_text(LONG_NEXT, "utf-8")
    t0 = datetime(2026, 11, 2, 8, tzinfo=UTC)
    with open_journal() as journal:
        for day in range(2):
            add_session(
                journal,
                "my-press",
                t0 + timedelta(days=day),
                effort=2,
                pain=1,
                followup="same",
                followup_pain=1,
                answered_after=timedelta(hours=23),
            )
        now = t0 + timedelta(days=2)
        got = suggestion_for(journal, "my-press", now=now, tz=UTC)
        assert got.kind is Kind.NEXT_LEVEL and got.routine_to == "my-one-leg", got
        assert got.level_start is not None and got.level_start.reps < 10
        assert "about the length you do now" in got.summary
        accept(journal, got, now=now)
        assert last_change(journal, "my-one-leg")[1] == "level start"
    mine = length_ms(resolve("my-press").routine)
    started = apply_dose("my-one-leg", resolve("my-one-leg").routine)
    assert started.exercise[0].reps == got.level_start.reps
    assert length_ms(started) <= mine * LEVEL_VOLUME_CAP


def test_the_level_before_one_routine_is_the_one_every_routine_says(user_routines_dir):
    """The end of a session asks for its own routine's previous level only, loading just
    the files that name it: the answer is the one reading every routine gives, the
    person's own routine first, and a file that does not load is never the answer."""
    from breathpace.journal.history import previous_level, previous_levels

    glute = next(p for p in builtin_routine_files() if p.stem == "glute-bridge").read_text("utf-8")
    # The person's own step before bridge-march, ahead of the built-in glute-bridge ...
    (user_routines_dir / "my-bridge.toml").write_text(
        glute.replace('title = "', 'title = "My ', 1), "utf-8"
    )
    # ... and one before it that names it but does not load (an unknown key).
    (user_routines_dir / "a-broken-bridge.toml").write_text(
        glute + '\nunknown_key = "x"\n', "utf-8"
    )
    # A file that is not TOML at all is passed by, as a full reading passes it by.
    (user_routines_dir / "b-not-toml.toml").write_text('next_level = "bridge-march', "utf-8")
    everything = previous_levels()
    assert everything["bridge-march"] == "my-bridge"
    names = [path.stem for path in builtin_routine_files()] + ["my-bridge", "no-such-routine"]
    assert {name: previous_level(name) for name in names} == {
        name: everything.get(name) for name in names
    }
    assert previous_level("bridge-march") == "my-bridge"
    assert previous_level("glute-bridge") is None
