"""A cue belongs to a phase: the format carries it, the engine puts it on exactly that
phase's segments, and `check` warns when a cue names the opposite breath.

The bad values of the new keys are in `broken/` with their exact one-line messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.routine.lint import lint
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Exercise
from breathpace.timeline import compile
from breathpace.timeline.segment import Breath, Kind

HEAD = 'format = 1\ntitle = "Cued"\npace = "4-0-6-0"\nlead_in = 0\n'


def routine(body: str):
    return parse_routine(HEAD + body, "cued.toml")


def phase_segments(text: str):
    return [s for s in compile(routine(text)).segments if s.kind is Kind.PHASE]


def test_a_file_without_phase_cues_stays_valid_and_has_no_segment_cues():
    segs = phase_segments(
        """
[[exercise]]
name = "Bridge"
cues = ["General coaching", "Stop before pain"]
phases = [{ move = "lift", breaths = 1, effort = true }, { move = "lower", breaths = 1 }]
"""
    )
    assert [s.move for s in segs] == ["lift", "lower"]
    assert [s.cue for s in segs] == [None, None]


def test_each_phase_cue_lands_on_its_own_phase_only():
    segs = phase_segments(
        """
[[exercise]]
name = "Bridge"
reps = 2
phases = [
  { move = "lift", breaths = 1, effort = true, cue = "Press through the heels" },
  { move = "stay up", breath = "hold", breaths = 2, cue = "Keep breathing, ribs soft" },
  { move = "rest", breath = "hold", seconds = 2 },
  { move = "lower", breaths = 1, cue = "Roll down slowly" },
]
"""
    )
    one_rep = [(s.move, s.breath, s.cue) for s in segs if s.rep == 1]
    stay = ("stay up", "Keep breathing, ribs soft")
    assert one_rep == [
        ("lift", Breath.EXHALE, "Press through the heels"),
        # A hold in breaths becomes two breath cycles; every one of them keeps the cue.
        (stay[0], Breath.INHALE, stay[1]),
        (stay[0], Breath.EXHALE, stay[1]),
        (stay[0], Breath.INHALE, stay[1]),
        (stay[0], Breath.EXHALE, stay[1]),
        ("rest", Breath.HOLD, None),
        ("lower", Breath.INHALE, "Roll down slowly"),
    ]
    assert [(s.move, s.cue) for s in segs if s.rep == 2] == [(m, c) for m, _, c in one_rep]


def test_tempo_part_cues_land_on_their_parts():
    text = """
[[exercise]]
name = "Split squat"
tempo = "3-1-2-0"
start = "eccentric"
hold_top = { breaths = 1 }
moves = { eccentric = "lower", concentric = "rise", hold_top = "stand tall", hold_bottom = "pause" }

[exercise.part_cues]
eccentric = "Lower straight down"
concentric = "Press up through the front foot"
hold_top = "Stand tall and breathe"
hold_bottom = "Stay low, soft knees"
"""
    segs = phase_segments(text)
    assert [(s.move, s.breath, s.cue) for s in segs] == [
        ("lower", Breath.INHALE, "Lower straight down"),
        ("pause", Breath.HOLD, "Stay low, soft knees"),
        ("rise", Breath.EXHALE, "Press up through the front foot"),
        ("stand tall", Breath.INHALE, "Stand tall and breathe"),
        ("stand tall", Breath.EXHALE, "Stand tall and breathe"),
    ]
    ex = routine(text).exercise[0]
    assert isinstance(ex, Exercise) and ex.part_cues is not None
    assert ex.part_cues.hold_bottom == "Stay low, soft knees"


def test_part_cues_may_name_only_some_parts():
    segs = phase_segments(
        """
[[exercise]]
name = "Bridge"
tempo = "3-0-2-0"
start = "concentric"
part_cues = { concentric = "Lift on the out-breath" }
"""
    )
    assert [(s.move, s.cue) for s in segs] == [("lift", "Lift on the out-breath"), ("lower", None)]


def test_rests_switches_and_breathing_blocks_carry_no_phase_cue():
    timeline = compile(
        routine(
            """
[[exercise]]
name = "Clam"
sides = "both"
sets = 2
phases = [{ move = "open", breaths = 1, effort = true, cue = "Open the top knee" }]

[[exercise]]
name = "Settle"
pattern = "4-0-6-0"
cycles = 2
cues = ["Long, easy out-breaths"]
"""
        )
    )
    for seg in timeline.segments:
        if seg.kind is Kind.PHASE and seg.exercise == 1:
            assert seg.cue == "Open the top knee"
        else:
            assert seg.cue is None, seg


def test_main_exercise_and_next_level_at_are_read():
    r = routine(
        """
main_exercise = "Counter hinge"
next_level_at = 8

[[exercise]]
name = "Wall tap"
reps = 6
phases = [{ move = "tap", breaths = 1 }, { move = "stand", breaths = 1, effort = true }]

[[exercise]]
name = "Counter hinge"
reps = 5
phases = [{ move = "hinge", breaths = 1 }, { move = "rise", breaths = 1, effort = true }]
"""
    )
    assert (r.main_exercise, r.next_level_at) == ("Counter hinge", 8)
    plain = routine('[[exercise]]\nname = "Bridge"\ntempo = "3-0-2-0"\n')
    assert (plain.main_exercise, plain.next_level_at) == (None, None)


# --- check warns when a cue names the opposite breath ---------------------------------


def warnings(body: str) -> list[str]:
    return lint(routine(body))


def test_a_cue_naming_the_opposite_breath_is_warned():
    assert warnings(
        """
[[exercise]]
name = "Bridge"
phases = [
  { move = "lift", breaths = 1, effort = true, cue = "Breathe in and lift" },
  { move = "stay", breath = "hold", breaths = 1, cue = "Breathe in and out softly" },
  { move = "lower", breaths = 1, cue = "Exhale and lower" },
  { move = "rest", breath = "exhale", breaths = 1, cue = "Rest on the in-breath" },
  { move = "look", breath = "free", breaths = 1, cue = "Inhale or exhale, as you like" },
]
"""
    ) == [
        'exercise 1 "Bridge": phases[1].cue: the cue says "Breathe in" but the phase is an exhale',
        'exercise 1 "Bridge": phases[3].cue: the cue says "Exhale" but the phase is an inhale',
        'exercise 1 "Bridge": phases[4].cue: the cue says "in-breath" but the phase is an exhale',
    ]


def test_a_cue_naming_its_own_breath_is_fine_and_breathing_into_is_an_in_breath():
    assert warnings(
        """
[[exercise]]
name = "Open book"
phases = [
  { move = "open", breaths = 1, effort = true, cue = "Breathe out, open, breathe into the chest" },
  { move = "close", breaths = 1, cue = "Breathe in and close the book" },
]
"""
    ) == [
        'exercise 1 "Open book": phases[1].cue: the cue says "breathe into" but the phase is'
        " an exhale"
    ]


def test_a_hold_cue_naming_one_breath_is_warned():
    """A hold in breaths is an in-breath then an out-breath with the same cue on both:
    "breathe into the ribs" is shown while breathing out."""
    assert warnings(
        """
[[exercise]]
name = "Bottom to heels"
reps = 3
phases = [
  { move = "sit back", breath = "exhale", breaths = 1, effort = true },
  { move = "stay", breath = "hold", breaths = 1, cue = "Stay, breathe into the ribs" },
  { move = "stay on", breath = "hold", breaths = 1, cue = "Stay and breathe in and out softly" },
  { move = "come forward", breath = "inhale", breaths = 1 },
]
"""
    ) == [
        'exercise 1 "Bottom to heels": phases[2].cue: the cue says "breathe into" but the phase'
        " is a hold, shown through its in-breaths and out-breaths alike; say what the body does"
    ]


def test_tempo_part_cues_are_checked_against_the_parts_breaths():
    assert warnings(
        """
[[exercise]]
name = "Squat"
tempo = "3-0-2-0"

[exercise.part_cues]
eccentric = "Exhale as you lower"
concentric = "Inhale and rise"
hold_top = "Breathe in and out"
"""
    ) == [
        'exercise 1 "Squat": part_cues.concentric: the cue says "Inhale" but the concentric part'
        " is an exhale",
        'exercise 1 "Squat": part_cues.eccentric: the cue says "Exhale" but the eccentric part'
        " is an inhale",
    ]
    # With the effort on the eccentric part the breaths swap, and so do the warnings.
    assert warnings(
        """
[[exercise]]
name = "Squat"
tempo = "3-0-2-0"
effort = "eccentric"
part_cues = { eccentric = "Exhale as you lower", concentric = "Breathe out and rise" }
"""
    ) == [
        'exercise 1 "Squat": part_cues.concentric: the cue says "Breathe out" but the concentric'
        " part is an inhale"
    ]


def test_check_prints_the_cue_warning_with_the_file_and_passes(tmp_path: Path):
    path = tmp_path / "cued.toml"
    path.write_text(
        HEAD
        + """
[[exercise]]
name = "Bridge"
phases = [
  { move = "lift", breaths = 1, effort = true, cue = "Breathe in and lift" },
  { move = "lower", breaths = 1, cue = "Breathe in and lower" },
]
""",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f'warning: {path}: exercise 1 "Bridge": phases[1].cue: the cue says "Breathe in" but'
        " the phase is an exhale"
    ]
    assert result.stdout == f"ok: {path}: Cued (1 warning)\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["phase-cue-two-lines.toml", "part-cues-with-phases.toml", "main-exercise-unknown.toml"],
)
def test_bad_new_keys_are_one_line_errors_with_exit_2_in_a_real_process(name: str):
    import subprocess
    import sys

    path = Path(__file__).resolve().parent / "broken" / name
    result = subprocess.run(
        [sys.executable, "-m", "breathpace", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}: ")
