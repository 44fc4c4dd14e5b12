"""`breathpace breathe`: choosing a preset or a pattern, and one-line errors (exit 2)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.commands.breathe import practice_routine
from breathpace.commands.errors import InputError


def test_a_pattern_becomes_a_one_block_practice():
    name, routine = practice_routine("4-0-6-0", minutes=2, cycles=None, ramp_to=6, sigh=False)
    assert name == "breathe 4-0-6-0"
    (block,) = routine.exercise
    assert (block.pattern, block.minutes, block.ramp_to) == ("4-0-6-0", 2, 6)


def test_a_preset_keeps_its_pattern_and_takes_the_new_length():
    name, routine = practice_routine("coherent", minutes=3, cycles=None, ramp_to=None, sigh=False)
    assert name == "coherent"
    assert "breathing" in routine.tags
    block = routine.exercise[0]
    assert block.pattern == "5.5-0-5.5-0" and block.minutes == 3


def test_a_movement_routine_is_not_a_breathing_preset():
    with pytest.raises(InputError, match="not a breathing preset"):
        practice_routine("glute-bridge", minutes=None, cycles=None, ramp_to=None, sigh=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nonsense"], "neither a breathing preset"),
        (["4-0-6"], "neither a breathing preset"),
        (["0-0-6-0"], "pattern: breath pattern: the inhale and the exhale"),
        (["coherent", "--minutes", "-1"], "--minutes: must be more than 0"),
        (["coherent", "--volume", "2"], "--volume"),
        (["4-0-6-0", "--ramp-to", "50"], "ramp_to"),
        (["coherent", "--sigh"], "--sigh"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(main, ["breathe", *args, "--audio", "none"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output
