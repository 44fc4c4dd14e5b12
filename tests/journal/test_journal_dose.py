"""Personal dose overrides: applied over the routine, stored in the journal, never in the
built-in file."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from journal_helpers import add_session

from breathpace.cli import main
from breathpace.journal.db import open_journal
from breathpace.journal.dose import Override, accept, apply_dose, apply_overrides, overrides
from breathpace.journal.history import suggestion_for
from breathpace.journal.suggest import Kind
from breathpace.library import data_dir, resolve
from breathpace.timeline import compile


def builtin_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(data_dir("routines").glob("*.toml")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def test_no_journal_means_the_routine_unchanged_and_no_file_created():
    from breathpace import paths

    routine = resolve("glute-bridge").routine
    assert apply_dose("glute-bridge", routine) is routine
    assert not paths.journal_file().exists()


def test_overrides_change_reps_sets_and_hold_and_nothing_else():
    routine = resolve("glute-bridge").routine
    new = apply_overrides(routine, {2: Override(2, "Glute bridge", reps=9, sets=3, hold_breaths=2)})
    bridge = new.exercise[1]
    assert (bridge.reps, bridge.sets) == (9, 3)
    assert [p.breaths for p in bridge.phases] == [1, 2, 1]
    assert new.exercise[0] == routine.exercise[0] and new.exercise[2] == routine.exercise[2]
    # the hold of two breaths is two whole breath cycles in the timeline
    longer = compile(new).duration_ms - compile(routine).duration_ms
    assert longer > 0


def test_tempo_hold_override():
    from breathpace.routine.load import parse_routine

    routine = parse_routine(
        'format = 1\ntitle = "t"\n[[exercise]]\nname = "Squat"\nreps = 5\n'
        'tempo = "3-0-2-0"\nhold_top = { breaths = 1 }\n'
    )
    new = apply_overrides(routine, {1: Override(1, "Squat", hold_breaths=3)})
    assert new.exercise[0].hold_top.breaths == 3


def test_override_for_a_renamed_exercise_is_ignored():
    routine = resolve("glute-bridge").routine
    assert apply_overrides(routine, {2: Override(2, "Squat", reps=20)}) is routine
    assert apply_overrides(routine, {9: Override(9, "Glute bridge", reps=20)}) is routine


def test_override_beyond_the_limits_is_refused_by_validation():
    from pydantic import ValidationError

    routine = resolve("glute-bridge").routine
    with pytest.raises(ValidationError):
        apply_overrides(routine, {2: Override(2, "Glute bridge", reps=5000)})


# Days shortly before the real clock's now: the suggestions read the clock (a break of a
# week or more would step back instead).
RECENT = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=4)


def easy_sessions(journal, name="glute-bridge", start=RECENT):
    for day in range(3):
        add_session(
            journal,
            name,
            start + timedelta(days=day),
            effort=3,
            pain=1,
            followup="same",
            followup_pain=1,
        )


@pytest.mark.usefixtures("classic_glute_bridge")
def test_accepting_writes_the_override_in_the_journal_not_the_file():
    before = builtin_digest()
    with open_journal() as journal:
        easy_sessions(journal)
        suggestion = suggestion_for(journal, "glute-bridge")
        assert suggestion.kind is Kind.ADD_REP and suggestion.reps == 9
        accept(journal, suggestion)
        assert overrides(journal, "glute-bridge") == {
            2: Override(2, "Glute bridge", reps=9, sets=None, hold_breaths=None)
        }
        # just changed: hold steady until three sessions at the new dose
        assert suggestion_for(journal, "glute-bridge").kind is Kind.HOLD
    played = apply_dose("glute-bridge", resolve("glute-bridge").routine)
    assert played.exercise[1].reps == 9
    assert builtin_digest() == before


@pytest.mark.usefixtures("classic_glute_bridge")
def test_cli_accept_then_preview_shows_it_and_reset_drops_it():
    before = builtin_digest()
    with open_journal() as journal:
        easy_sessions(journal)
    runner = CliRunner()
    result = runner.invoke(main, ["history", "--accept", "glute-bridge"])
    assert result.exit_code == 0, result.output
    assert "Add one rep to Glute bridge: 8 → 9" in result.output
    assert resolve("glute-bridge").routine.exercise[1].reps == 8
    assert apply_dose("glute-bridge", resolve("glute-bridge").routine).exercise[1].reps == 9
    shown = runner.invoke(main, ["history"]).output
    assert "Your dose of Glute bridge: reps 9 (--reset glute-bridge to undo)" in shown

    result = runner.invoke(main, ["history", "--reset", "glute-bridge"])
    assert result.exit_code == 0 and "dropped 1 dose change" in result.output
    assert apply_dose("glute-bridge", resolve("glute-bridge").routine).exercise[1].reps == 8
    assert builtin_digest() == before


def test_cli_accept_unknown_routine_exits_2_with_one_line():
    result = CliRunner().invoke(main, ["history", "--accept", "no-such-routine"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_cli_accept_hold_steady_changes_nothing():
    with open_journal() as journal:
        add_session(journal, "glute-bridge", RECENT, effort=3)
    result = CliRunner().invoke(main, ["history", "--accept", "glute-bridge"])
    assert result.exit_code == 0 and "nothing to change" in result.output
    with open_journal() as journal:
        assert overrides(journal, "glute-bridge") == {}


def test_a_routine_played_from_a_path_gets_suggestions_and_overrides(tmp_path):
    path = tmp_path / "my-squats.toml"
    path.write_text(
        'format = 1\ntitle = "Mine"\n[[exercise]]\nname = "Squat"\nreps = 6\n'
        'tempo = "3-0-2-0"\nhold_top = { breaths = 1 }\n'
    )
    with open_journal() as journal:
        for day in range(3):
            add_session(
                journal,
                "my-squats",
                RECENT + timedelta(days=day),
                path=path,
                effort=2,
                pain=0,
                followup="calmer",
            )
    result = CliRunner().invoke(main, ["history", "--accept", "my-squats"])
    assert result.exit_code == 0, result.output
    assert "Add one rep to Squat: 6 → 7" in result.output
    from breathpace.library import load_routine

    assert apply_dose("my-squats", load_routine(path)).exercise[0].reps == 7
    assert "reps = 6" in path.read_text()
