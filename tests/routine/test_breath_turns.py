"""`check` warns when the breath does not turn: two in-breaths (or two out-breaths) in a
row in a movement exercise, as a standing hinge breathed in 4 s, in 4 s, out 6 s, out
6 s would be. A routine that means it says so with `breath_repeats = true`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.library import builtin_routine_files, load_routine
from breathpace.routine.lint import breath_sequence, lint
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Exercise
from breathpace.timeline import compile
from breathpace.timeline.segment import Kind

HINGE = """
format = 1
title = "Hinge"

[[exercise]]
name = "Counter hip hinge"
reps = 5
{extra}
phases = [
  {{ move = "hinge", breath = "inhale", breaths = 1 }},
  {{ move = "stay, breathing", breath = "hold", breaths = 1 }},
  {{ move = "rise", breath = "exhale", breaths = 1, effort = true }},
]
"""


def test_in_twice_then_out_twice_is_warned():
    routine = parse_routine(HINGE.format(extra=""))
    assert breath_sequence(routine.exercise[0]) == [
        ("inhale", "hinge"),
        ("inhale", "stay, breathing"),
        ("exhale", "stay, breathing"),
        ("exhale", "rise"),
    ]
    assert lint(routine) == [
        'exercise 1 "Counter hip hinge": phases: two in-breaths in a row ("hinge", then '
        '"stay, breathing"): the breath turns with each phase; let the phases alternate, or '
        "set breath_repeats = true if meant"
    ]
    assert lint(parse_routine(HINGE.format(extra="breath_repeats = true"))) == []


def test_the_turn_from_one_rep_into_the_next_counts_too():
    text = """
format = 1
title = "Rolls"

[[exercise]]
name = "Knee rolls"
reps = {reps}
phases = [
  {{ move = "roll out", breath = "exhale", breaths = 1, effort = true }},
  {{ move = "roll back", breath = "inhale", breaths = 1 }},
  {{ move = "settle", breath = "exhale", breaths = 1 }},
]
"""
    assert lint(parse_routine(text.format(reps=1))) == []
    (warning,) = lint(parse_routine(text.format(reps=2)))
    assert 'two out-breaths in a row ("settle", then "roll out")' in warning


def test_a_tempo_rep_with_held_breaths_turns():
    text = """
format = 1
title = "Squat"

[[exercise]]
name = "Squat"
reps = 4
tempo = "3-0-2-0"
hold_top = { breaths = 1 }
"""
    routine = parse_routine(text)
    assert [b for b, _ in breath_sequence(routine.exercise[0])] == [
        "inhale",
        "exhale",
        "inhale",
        "exhale",
    ]
    assert lint(routine) == []
    # the held breath after lowering, when the rep starts with the lift: in, in, out
    bottom = parse_routine(
        text.replace("hold_top", "hold_bottom").replace(
            '"3-0-2-0"', '"3-0-2-0"\nstart = "concentric"'
        )
    )
    assert [b for b, _ in breath_sequence(bottom.exercise[0])] == [
        "exhale",
        "inhale",
        "inhale",
        "exhale",
    ]
    (warning,) = lint(bottom)
    assert warning.startswith('exercise 1 "Squat": tempo: two in-breaths in a row ("lower", then')


EXERCISES = [
    pytest.param(path, n, id=f"{path.stem}-{n}")
    for path in builtin_routine_files()
    for n, item in enumerate(load_routine(path).exercise, start=1)
    if isinstance(item, Exercise)
]


@pytest.mark.parametrize(("path", "number"), EXERCISES)
def test_the_check_reads_the_breaths_the_timeline_plays(path: Path, number: int):
    """The warning's reading of a rep is the compiled timeline's, breath for breath."""
    routine = load_routine(path)
    timeline = compile(routine)
    first = [
        s
        for s in timeline.segments
        if s.exercise == number and s.kind is Kind.PHASE and s.set == 1 and s.rep == 1
    ]
    side = first[0].side
    played = [(str(s.breath), s.move) for s in first if s.side == side]
    assert played == breath_sequence(routine.exercise[number - 1])


def test_every_built_in_routine_turns_its_breath(tmp_path: Path):
    names = [path.stem for path in builtin_routine_files()]
    result = CliRunner().invoke(main, ["check", "-q", *names])
    assert result.exit_code == 0
    assert "in a row" not in result.output + result.stderr
    assert "is a hold" not in result.output + result.stderr
