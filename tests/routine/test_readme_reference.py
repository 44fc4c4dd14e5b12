"""The README is what a person writes routines from: its example must be a valid routine
without warnings, its reference tables must name real keys (and every key), and its
library table must list each built-in routine once."""

from __future__ import annotations

import re
from pathlib import Path

from breathpace.library import builtin_routine_files
from breathpace.routine.lint import lint
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Breathing, Exercise, Routine

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def section(title: str) -> str:
    start = README.index(title)
    rest = README[start + len(title) :]
    following = re.search(r"^#{2,3} ", rest, re.M)
    return rest[: following.start()] if following else rest


def table_keys(heading: str) -> set[str]:
    """Backquoted key names in the first column of the table after `heading`."""
    start = README.index(heading)
    lines = README[start:].splitlines()[1:]
    rows = []
    for line in lines:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    keys: set[str] = set()
    for row in rows[2:]:
        first = row.split("|")[1]
        keys.update(re.findall(r"`\[*([a-z_]+)\]*`", first))
    return keys


def test_the_format_example_is_a_valid_routine_with_phase_and_part_cues():
    block = re.search(r"```toml\n(#:schema.*?)```", README, re.S)
    assert block is not None
    routine = parse_routine(block.group(1), "README example")
    assert lint(routine) == []
    first, second = routine.exercise
    assert isinstance(first, Exercise) and isinstance(second, Exercise)
    assert first.phases and all(p.cue for p in first.phases)
    assert second.part_cues is not None and second.part_cues.concentric


def test_the_reference_tables_name_exactly_the_model_fields():
    assert table_keys("Routine (top level):") == set(Routine.model_fields)
    assert table_keys("Exercise (`[[exercise]]` without `pattern`):") == set(Exercise.model_fields)
    assert table_keys("Breathing block (`[[exercise]]` with `pattern`):") == set(
        Breathing.model_fields
    )


def test_the_library_table_lists_every_builtin_routine_once():
    text = section("## The routine library")
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.M)
    assert sorted(listed) == sorted(p.stem for p in builtin_routine_files())
