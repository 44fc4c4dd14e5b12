"""Choosing the movement capsule for the time of day, and `breathpace capsule --print`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from breathpace.capsule import (
    CAPSULE_ROUTINES,
    CAPSULE_VARIANTS,
    SLOTS,
    capsule_for,
    capsule_of_the_day,
    capsule_routine,
)
from breathpace.cli import main
from breathpace.fmt import length
from breathpace.library import data_dir, load_routine
from breathpace.timeline import compile

HOURS = [
    (0, "bedtime"),
    (1, "bedtime"),
    (3, "bedtime"),
    (4, "waking"),
    (6, "waking"),
    (10, "waking"),
    (11, "sitting"),
    (14, "sitting"),
    (17, "sitting"),
    (18, "bedtime"),
    (21, "bedtime"),
    (23, "bedtime"),
]


@pytest.mark.parametrize(("hour", "slot"), HOURS)
def test_capsule_for(hour: int, slot: str):
    assert capsule_for(hour) == slot


def test_every_hour_has_exactly_one_slot_in_three_blocks():
    slots = [capsule_for(h) for h in range(24)]
    assert set(slots) == set(SLOTS)
    changes = sum(1 for a, b in zip(slots, slots[1:] + slots[:1], strict=True) if a != b)
    assert changes == 3  # three contiguous blocks around the clock


@pytest.mark.parametrize("bad", [-1, 24, 100, 7.5, "7", True, None])
def test_capsule_for_rejects_non_hours(bad):
    with pytest.raises(ValueError, match="hour must be"):
        capsule_for(bad)


@pytest.mark.parametrize("slot", SLOTS)
def test_every_slot_names_a_builtin_capsule(slot: str):
    name = capsule_routine(slot)
    routine = load_routine(data_dir("routines") / f"{name}.toml")
    assert routine.capsule == slot


def test_capsule_routine_rejects_unknown_slot():
    with pytest.raises(ValueError, match="unknown capsule"):
        capsule_routine("lunch")


def _day_of(name: str, slot: str) -> date:
    """A day on which `name` is the slot's capsule."""
    day = date(2026, 12, 7)
    while capsule_of_the_day(CAPSULE_VARIANTS[slot], day) != name:
        day += timedelta(days=1)
    return day


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return CliRunner()


def _expected_line(slot: str, on: date | None = None) -> str:
    name = capsule_of_the_day(CAPSULE_VARIANTS[slot], on or date.today())
    routine = load_routine(data_dir("routines") / f"{name}.toml")
    return f"{slot}: {name} ({routine.title}, {length(compile(routine).duration_ms)})"


@pytest.mark.parametrize("slot", SLOTS)
def test_print_named_slot(runner: CliRunner, slot: str):
    result = runner.invoke(main, ["capsule", slot, "--print"])
    assert result.exit_code == 0, result.output
    assert result.output == _expected_line(slot) + "\n"


@pytest.mark.parametrize(("hour", "slot"), [(5, "waking"), (12, "sitting"), (2, "bedtime")])
def test_print_chooses_by_hour(runner: CliRunner, hour: int, slot: str):
    result = runner.invoke(main, ["capsule", "--print", "--hour", str(hour)])
    assert result.exit_code == 0, result.output
    assert result.output == _expected_line(slot) + "\n"


@pytest.mark.parametrize("slot", SLOTS)
def test_the_slots_capsules_take_turns_day_by_day(runner: CliRunner, slot: str):
    """Three days in a row bring the slot's three capsules, then the first again: the
    same capsule the day plan shows for that day."""
    days = [date(2026, 12, 7) + timedelta(days=n) for n in range(4)]
    said = []
    for day in days:
        result = runner.invoke(main, ["capsule", slot, "--print", "--date", day.isoformat()])
        assert result.exit_code == 0, result.output
        assert result.output == _expected_line(slot, day) + "\n"
        said.append(result.output.split()[1])
    assert sorted(said[:3]) == sorted(CAPSULE_VARIANTS[slot])
    assert said[3] == said[0]


def test_the_persons_own_capsules_for_a_slot_are_the_ones_that_take_turns(
    runner: CliRunner, tmp_path
):
    settings = tmp_path / "config" / "breathpace" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('[day]\nwaking_capsules = ["capsule-waking-core"]\n', "utf-8")
    for n in range(3):
        day = (date(2026, 12, 7) + timedelta(days=n)).isoformat()
        result = runner.invoke(main, ["capsule", "waking", "--print", "--date", day])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("waking: capsule-waking-core ("), result.output


def test_print_without_slot_uses_the_local_time(runner: CliRunner):
    import datetime

    before = capsule_for(datetime.datetime.now().hour)
    result = runner.invoke(main, ["capsule", "--print"])
    after = capsule_for(datetime.datetime.now().hour)
    assert result.exit_code == 0, result.output
    assert result.output in {_expected_line(before) + "\n", _expected_line(after) + "\n"}


def test_unknown_slot_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(main, ["capsule", "lunch", "--print"])
    assert result.exit_code == 2
    assert "lunch" in result.output
    assert "Traceback" not in result.output


def test_a_person_own_capsule_of_the_same_name_is_used(runner: CliRunner, tmp_path):
    own = tmp_path / "config" / "breathpace" / "routines"
    own.mkdir(parents=True)
    builtin = (data_dir("routines") / "capsule-sitting.toml").read_text(encoding="utf-8")
    (own / "capsule-sitting.toml").write_text(
        builtin.replace('title = "Before-sitting capsule"', 'title = "My desk capsule"'),
        encoding="utf-8",
    )
    on = _day_of(CAPSULE_ROUTINES["sitting"], "sitting").isoformat()
    result = runner.invoke(main, ["capsule", "sitting", "--print", "--date", on])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sitting: capsule-sitting (My desk capsule, ")


@pytest.mark.slow
def test_capsule_plays_through_the_play_command(tmp_path):
    """The real `play --plain` starts the chosen capsule; Ctrl-C ends it cleanly."""
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "breathpace",
            "capsule",
            "bedtime",
            "--plain",
            "--audio",
            "none",
            "--date",
            _day_of("capsule-bedtime", "bedtime").isoformat(),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        seen = []
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            if "Open book" in line:
                break
        assert any("Open book" in line for line in seen), seen
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err, err


def _easy_day(n: int):
    from datetime import UTC, datetime, timedelta

    from breathpace.journal.suggest import SessionFacts

    started = datetime(2026, 11, 1, 7, tzinfo=UTC) + timedelta(days=n)
    return SessionFacts(
        n, started, "completed", 2, 1, "calmer", None, started + timedelta(hours=14)
    )


@pytest.mark.parametrize("slot", SLOTS)
def test_a_capsule_grown_by_every_suggestion_stays_within_five_minutes(slot):
    """Every session easy, every suggestion accepted: the adjusted capsule (what `play`
    plays) grows, and never past five minutes."""
    from dataclasses import replace

    from breathpace.journal.dose import Override, apply_overrides
    from breathpace.journal.suggest import Context, Kind, dose_of, main_exercise, suggest

    written = load_routine(data_dir("routines") / f"{capsule_routine(slot)}.toml")
    found: dict[int, Override] = {}
    sessions = []
    change_at = change_kind = None
    grew = 0
    for n in range(60):
        sessions.insert(0, _easy_day(n))
        routine = apply_overrides(written, found)
        number = main_exercise(routine)
        result = suggest(
            Context(
                routine=written.title,
                dose=dose_of(routine, written, number),
                sessions=tuple(sessions),
                last_change_at=change_at,
                last_change_kind=change_kind,
                now=sessions[0].followup_at,
            )
        )
        assert result.kind in (Kind.HOLD, Kind.ADD_REP, Kind.ADD_BREATH), result
        if not result.changes_dose:
            continue
        old = found.get(number, Override(number, result.exercise_name))
        found[number] = replace(
            old,
            reps=result.reps or old.reps,
            hold_breaths=result.hold_breaths or old.hold_breaths,
        )
        change_at, change_kind = sessions[0].followup_at, result.kind
        grown = apply_overrides(written, found)
        assert grown != routine  # accepted, and played as accepted
        assert compile(grown).duration_ms <= 5 * 60_000
        grew += 1
    assert grew >= 1


@pytest.mark.parametrize("slot", SLOTS)
def test_a_journal_override_past_five_minutes_is_not_played(slot):
    """An override from before the limit (the old rules took the bedtime capsule to 6.7
    minutes) is left out when the capsule is played; one within the limit is kept."""
    from breathpace.journal.db import open_journal
    from breathpace.journal.dose import apply_dose
    from breathpace.journal.suggest import main_exercise

    name = capsule_routine(slot)
    written = load_routine(data_dir("routines") / f"{name}.toml")
    number = main_exercise(written)
    exercise = written.exercise[number - 1]
    with open_journal() as journal, journal.transaction() as conn:
        conn.execute(
            "INSERT INTO dose (routine, exercise, name, reps, updated_at) VALUES (?, ?, ?, ?, ?)",
            (name, number, exercise.name, 40, "2026-11-01T08:00:00+00:00"),
        )
    played = apply_dose(name, written)
    assert played == written
    with open_journal() as journal, journal.transaction() as conn:
        conn.execute("UPDATE dose SET reps = ? WHERE routine = ?", (exercise.reps + 1, name))
    played = apply_dose(name, written)
    assert played.exercise[number - 1].reps == exercise.reps + 1
    assert compile(played).duration_ms <= 5 * 60_000
