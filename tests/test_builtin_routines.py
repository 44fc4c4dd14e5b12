"""The built-in library is content people follow with a sensitive back: every file must
load, compile, pass `check` without a single warning, and keep the method's rules
(exhale on every effort, progressions that resolve, capsules that really are short)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace.library import builtin_routine_files, data_dir
from breathpace.routine.lint import lint
from breathpace.routine.load import load_routine
from breathpace.routine.model import Breathing, Exercise
from breathpace.timeline import compile
from breathpace.timeline.segment import Breath, Kind

FILES = builtin_routine_files()
NAMES = {path.stem for path in FILES}
ROUTINES = {path.stem: load_routine(path) for path in FILES}

PRESETS = {
    "coherent": "5.5-0-5.5-0",
    "relaxing": "4-0-8-0",
    "box": "4-4-4-4",
    "4-7-8": "4-7-8-0",
    "cyclic-sighing": None,
    "resonance-ramp": None,
}
CAPSULES = {"waking": "capsule-waking", "sitting": "capsule-sitting", "bedtime": "capsule-bedtime"}
POSITION_TAGS = {"lying", "side-lying", "seated", "standing"}


def test_the_library_is_where_the_package_finds_it():
    assert data_dir("routines").is_dir()
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_shape(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#:schema ../routine.schema.json\n")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem), "names are lowercase-hyphenated"


@pytest.mark.parametrize("name", sorted(NAMES))
def test_loads_compiles_and_has_no_warnings(name: str):
    routine = ROUTINES[name]
    assert lint(routine, NAMES) == []
    timeline = compile(routine)
    assert timeline.duration_ms > 0
    # Most routines are a realistic 2-15 minutes; nothing in the library is a marathon.
    assert 60_000 <= timeline.duration_ms <= 15 * 60_000


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_effort_is_an_exhale(name: str):
    timeline = compile(ROUTINES[name])
    efforts = [s for s in timeline.segments if s.effort]
    assert all(s.breath is Breath.EXHALE for s in efforts), [
        (s.exercise_name, s.move, s.breath) for s in efforts if s.breath is not Breath.EXHALE
    ]
    # Every exercise (not breathing block) has an effort, so the rule is actually exercised.
    for number, item in enumerate(ROUTINES[name].exercise, start=1):
        if isinstance(item, Exercise):
            assert any(s.effort for s in efforts if s.exercise == number), item.name


@pytest.mark.parametrize("name", sorted(NAMES))
def test_content_rules(name: str):
    routine = ROUTINES[name]
    assert routine.format == 1
    assert routine.title and routine.summary
    assert POSITION_TAGS & set(routine.tags), "tags name a position"
    for item in routine.exercise:
        assert item.position, f"{item.name}: position"
        assert item.cues, f"{item.name}: cues"
        if isinstance(item, Exercise):
            assert 2 <= len(item.cues) <= 4, f"{item.name}: 2-4 cues"
            assert any("stop before pain" in cue.lower() for cue in item.cues), item.name
            for phase in item.phases or ():
                # Holds longer than a breath are given in breaths (whole breath cycles).
                if phase.resolved_breath == "hold":
                    assert phase.breaths is not None, f"{item.name}: {phase.move}"
                    assert not phase.effort


def test_holds_become_breath_cycles_not_breath_holds():
    """In the exercises, a held position is breathed through: no segment of an exercise
    is a breath-hold at all."""
    for name, routine in ROUTINES.items():
        for seg in compile(routine).segments:
            item = (
                routine.exercise[seg.exercise - 1]
                if 1 <= seg.exercise <= len(routine.exercise)
                else None
            )
            if seg.kind is Kind.PHASE and isinstance(item, Exercise):
                assert seg.breath is not Breath.HOLD, (name, seg.exercise_name, seg.move)


def test_next_levels_resolve_and_chains_exist():
    chains = []
    for name, routine in ROUTINES.items():
        for item in routine.exercise:
            if isinstance(item, Exercise) and item.next_level:
                assert item.next_level in NAMES
        if routine.next_level is None:
            continue
        assert routine.next_level in NAMES, f"{name}: next_level {routine.next_level}"
        nxt = ROUTINES[routine.next_level]
        assert routine.level is not None and nxt.level == routine.level + 1
    # A chain starts at a level-1 routine and follows next_level at least one step.
    for name, routine in ROUTINES.items():
        if routine.level == 1 and routine.next_level:
            chain = [name]
            while ROUTINES[chain[-1]].next_level:
                chain.append(ROUTINES[chain[-1]].next_level)
                assert len(chain) <= len(NAMES), "a next_level loop"
            chains.append(chain)
    assert len(chains) >= 3, chains
    assert any(len(chain) >= 3 for chain in chains)


def test_presets_exist_each_one_breathing_block():
    for name, pattern in PRESETS.items():
        routine = ROUTINES[name]
        assert "breathing" in routine.tags
        assert len(routine.exercise) == 1
        block = routine.exercise[0]
        assert isinstance(block, Breathing)
        if pattern is not None:
            assert block.pattern == pattern
    assert ROUTINES["cyclic-sighing"].exercise[0].sigh is True
    ramp = ROUTINES["resonance-ramp"].exercise[0]
    assert ramp.ramp_to == 6 and ramp.pattern_parsed.rate_per_min == pytest.approx(10)
    assert "light-headed" in (ROUTINES["4-7-8"].safety or "")
    assert ROUTINES["4-7-8"].exercise[0].cycles <= 8


def test_resonance_ramp_reaches_six_breaths_a_minute():
    timeline = compile(ROUTINES["resonance-ramp"])
    cycles: dict[int, int] = {}
    for seg in timeline.segments:
        if seg.kind is Kind.PHASE:
            cycles[seg.rep] = cycles.get(seg.rep, 0) + seg.duration_ms
    lengths = [cycles[rep] for rep in sorted(cycles)]
    assert lengths[0] == 6000 and lengths[-1] == 10_000
    assert 9 * 60_000 <= timeline.duration_ms <= 11 * 60_000


def test_enough_non_preset_routines():
    assert len(NAMES - set(PRESETS)) >= 14


def test_the_breathing_tag_marks_exactly_the_presets():
    """Home and Breathe list routines tagged "breathing" as single-block presets."""
    tagged = {name for name, routine in ROUTINES.items() if "breathing" in routine.tags}
    assert tagged == set(PRESETS)
    assert all("preset" in ROUTINES[name].tags for name in PRESETS)


@pytest.mark.parametrize("slot", sorted(CAPSULES))
def test_capsules_are_two_to_five_minutes(slot: str):
    routine = ROUTINES[CAPSULES[slot]]
    assert routine.capsule == slot
    assert 2 * 60_000 <= compile(routine).duration_ms <= 5 * 60_000


def test_only_the_capsule_files_are_capsules():
    marked = {name for name, routine in ROUTINES.items() if routine.capsule}
    assert marked == set(CAPSULES.values())


@pytest.mark.slow
def test_the_check_command_passes_every_builtin_without_warnings():
    result = subprocess.run(
        [sys.executable, "-m", "breathpace", "check", *map(str, FILES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    assert result.stdout.count("ok: ") == len(FILES)
