"""Session options (settings + command line) and the one effective-dose function."""

from __future__ import annotations

from fractions import Fraction

import pytest

from breathpace import paths
from breathpace.journal.db import open_journal
from breathpace.journal.dose import accept
from breathpace.journal.suggest import Kind, Suggestion
from breathpace.library import resolve
from breathpace.routine.pattern import BreathPattern
from breathpace.session.dose import effective_dose, personal_dose
from breathpace.session.errors import SessionError
from breathpace.session.options import Overrides, session_options
from breathpace.settings import Settings, save_settings


def test_settings_are_the_defaults_and_the_command_line_wins():
    save_settings(Settings(pace="2-0-2.5-0", volume=0.5, theme="clear", tick=True))
    plain = session_options()
    assert (str(plain.pace), plain.pace_from) == ("2-0-2.5-0", "settings")
    assert (plain.volume, plain.theme, plain.tick, plain.voice) == (0.5, "clear", True, False)
    given = session_options(Overrides(pace="5-0-7-0", volume=0.2, tick=False, voice=True))
    assert (str(given.pace), given.pace_from) == ("5-0-7-0", "--pace")
    assert (given.volume, given.tick, given.voice, given.theme) == (0.2, False, True, "clear")
    assert given.theme_from.endswith("settings.toml: theme")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (Overrides(pace="4-6"), "--pace: breath pattern"),
        (Overrides(volume=3), "--volume: must be between 0 and 1 (found 3)"),
        (Overrides(tempo="9"), '--tempo: must be between 0.5 and 2 (found "9")'),
        (Overrides(audio="loud"), "--audio: unknown backend 'loud'"),
    ],
)
def test_a_bad_command_line_value_names_its_option(overrides, message):
    with pytest.raises(SessionError) as caught:
        session_options(overrides)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_bad_settings_file_names_the_file_and_key():
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file().write_text("volume = 7\n", "utf-8")
    with pytest.raises(SessionError) as caught:
        session_options()
    assert str(caught.value).startswith(f"{paths.settings_file()}: volume:")


def test_effective_dose_says_where_the_pace_came_from():
    routine = resolve("glute-bridge").routine
    own = effective_dose("glute-bridge", routine)
    assert (own.pace, own.pace_from, own.describe()) == (None, "routine", "routine's pace 4-0-6-0")
    mine = personal_dose("glute-bridge", routine, "2-0-2.5-0")
    assert mine.describe() == "your pace 2-0-2.5-0, from settings"
    cli = effective_dose(
        "glute-bridge",
        routine,
        pace=BreathPattern.parse("5-0-7-0"),
        pace_from="--pace",
        tempo=Fraction(6, 5),
    )
    assert cli.describe() == "pace 5-0-7-0, from --pace, tempo x1.2"


def test_effective_dose_lays_the_accepted_dose_over_the_file():
    resolved = resolve("glute-bridge")
    bridge = resolved.routine.exercise[1]
    with open_journal() as journal:
        accept(
            journal,
            Suggestion(
                routine="glute-bridge",
                kind=Kind.ADD_REP,
                summary="one more rep",
                why="it felt easy",
                exercise=2,
                exercise_name=bridge.name,
                reps=bridge.reps + 1,
            ),
        )
    dose = effective_dose("glute-bridge", resolved.routine)
    assert dose.routine.exercise[1].reps == bridge.reps + 1
    assert dose.changes == (f'exercise 2 "{bridge.name}": reps {bridge.reps} -> {bridge.reps + 1}',)
    without = effective_dose("glute-bridge", resolved.routine, journal=False)
    assert without.routine == resolved.routine and without.changes == ()


def test_listed_lengths_are_the_played_lengths_with_and_without_a_personal_pace():
    """A routine played as written takes its length from loading's own compile (not
    compiled twice); with a pace it is compiled at that pace. Both match a fresh compile
    of the dose that plays."""
    from breathpace.session.routines import routine_entries
    from breathpace.timeline import compile as compile_timeline

    for pace in (None, "4-1-5-1"):
        builtin, user = routine_entries(pace)
        assert builtin
        for entry in builtin + user:
            assert entry.routine is not None, entry.error
            dose = entry.dose
            played = compile_timeline(dose.routine, dose.pace, dose.tempo).duration_ms
            assert entry.length_ms == played, (entry.name, pace)
