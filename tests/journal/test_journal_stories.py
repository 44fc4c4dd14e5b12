"""Journal stories: a person's weeks of practice as data, and what each step must suggest.

Each file in `stories/` is one person: sessions with their times, efforts and pains,
next-day answers, accepted changes and gaps, and after any step the suggestion the
journal must give then. The runner plays them through the real journal (SQLite, the
recorder, the dose overrides) and the real rules, with the clock moved step by step.
The stories are written to be read by a physiotherapist: see `stories/README.md`.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from journal_helpers import record_reps

from breathpace.journal.db import open_journal, save_checkin, save_followup
from breathpace.journal.dose import accept, apply_dose
from breathpace.journal.history import pending_followup, suggestion_for
from breathpace.journal.suggest import Kind, Suggestion
from breathpace.library import resolve
from breathpace.routine.model import Exercise
from breathpace.session.recorder import start_session
from breathpace.timeline import compile

STORIES = sorted((Path(__file__).parent / "stories").glob("*.toml"))
DAY_ONE = datetime(2026, 11, 2, tzinfo=UTC)
"""Day 1 of every story is Monday 2 November 2026; times are UTC."""

STEP_KEYS = {"at", "play", "next_day", "accept", "expect", "note"}
EXPECT_KEYS = {
    "kind",
    "rule",
    "says",
    "why",
    "advice",
    "no_advice",
    "routine_to",
    "reps",
    "dose",
    "level_start",
}


def moment(text: str) -> datetime:
    """ "3 08:00" is day 3 of the story at 08:00."""
    day, clock = text.split()
    hours, minutes = clock.split(":")
    return DAY_ONE + timedelta(days=int(day) - 1, hours=int(hours), minutes=int(minutes))


def play(journal, name: str, started: datetime, spec: dict) -> int:
    """A session as the player records it: the routine at the person's dose, rep by rep,
    ended; then the check-in given right after it."""
    routine = apply_dose(name, resolve(name).routine)
    timeline = compile(routine)
    sid = start_session(
        journal,
        timeline,
        routine_name=name,
        source=str(resolve(name).path),
        mode="plain",
        pace=routine.pace,
        tempo_scale=1.0,
        now=started,
    )
    record_reps(journal, sid, timeline, spec.get("reps"))
    outcome = spec.get("outcome", "completed")
    ended = started + timedelta(milliseconds=timeline.duration_ms)
    with journal.transaction() as conn:
        conn.execute(
            "UPDATE session SET played_ms = ?, ended_at = ?, outcome = ? WHERE id = ?",
            (timeline.duration_ms, ended.isoformat(), outcome, sid),
        )
    if "effort" in spec or "pain" in spec:
        save_checkin(journal, sid, effort=spec.get("effort"), pain=spec.get("pain"), now=ended)
    return sid


def check(expect: dict, got: Suggestion, name: str, where: str) -> None:
    unknown = set(expect) - EXPECT_KEYS
    assert not unknown, f"{where}: unknown expectation {sorted(unknown)}"
    said = f"{where}: {got.kind} ({got.rule}): {got.summary} | {got.why} | {got.advice}"
    if "kind" in expect:
        assert got.kind == Kind(expect["kind"]), said
    if "rule" in expect:
        assert got.rule == expect["rule"], said
    if "says" in expect:
        assert expect["says"] in got.summary, said
    for words in [expect["why"]] if isinstance(expect.get("why"), str) else expect.get("why", []):
        assert words in got.why, said
    if "advice" in expect:
        assert got.advice is not None and expect["advice"] in got.advice, said
    if expect.get("no_advice"):
        assert got.advice is None, said
    if "routine_to" in expect:
        assert got.routine_to == expect["routine_to"], said
    if "reps" in expect:
        assert got.reps == expect["reps"], said
    if "level_start" in expect:
        assert got.level_start is not None and got.level_start.reps == expect["level_start"], said


def check_dose(dose: dict, where: str) -> None:
    """`dose = { routine = { "Exercise name" = reps } }`: what the player would play."""
    for routine_name, wanted in dose.items():
        routine = apply_dose(routine_name, resolve(routine_name).routine)
        reps = {item.name: item.reps for item in routine.exercise if isinstance(item, Exercise)}
        for exercise, n in wanted.items():
            assert reps[exercise] == n, f"{where}: {routine_name} {exercise}: {reps}"


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_story(path: Path):
    story = tomllib.loads(path.read_text(encoding="utf-8"))
    assert story.get("title") and story.get("about"), f"{path.name}: a title and an about"
    default = story["routine"]
    never = {Kind(k) for k in story.get("never", [])}
    plays: list[int] = []
    expectations = 0
    with open_journal() as journal:
        for n, step in enumerate(story["step"], start=1):
            unknown = set(step) - STEP_KEYS
            assert not unknown, f"{path.name} step {n}: unknown keys {sorted(unknown)}"
            now = moment(step["at"])
            where = f"{path.name} step {n} ({step['at']})"
            if "play" in step:
                spec = step["play"]
                plays.append(play(journal, spec.get("routine", default), now, spec))
            if "next_day" in step:
                spec = step["next_day"]
                if "session" in spec:
                    sid = plays[spec["session"] - 1]
                else:
                    row = pending_followup(journal, now)
                    assert row is not None, f"{where}: no session waits for a next-day answer"
                    sid = row.id
                save_followup(
                    journal, sid, response=spec.get("answer"), pain=spec.get("pain"), now=now
                )
            if "accept" in step:
                name = step["accept"] if isinstance(step["accept"], str) else default
                got = suggestion_for(journal, name, now=now, tz=UTC)
                assert got is not None and got.kind is not Kind.HOLD, f"{where}: {got}"
                accept(journal, got, now=now)
            routines = {s.get("routine", default) for s in [step.get("play", {})]}
            for name in routines | {default}:
                got = suggestion_for(journal, name, now=now, tz=UTC)
                assert got is not None
                assert got.kind not in never, f"{where}: {name}: {got.summary} | {got.why}"
            if "expect" in step:
                expect = dict(step["expect"])
                name = expect.pop("routine", default)
                dose = expect.pop("dose", None)
                got = suggestion_for(journal, name, now=now, tz=UTC)
                assert got is not None, where
                check(expect, got, name, where)
                if dose is not None:
                    check_dose(dose, where)
                expectations += 1
    assert expectations >= 2, f"{path.name}: a story says what it expects at least twice"
