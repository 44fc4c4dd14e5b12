"""The built-in library is content people follow with a sensitive back: every file must
load, compile, pass `check` without a single warning, and keep the method's rules
(exhale on every effort, progressions that resolve, capsules that really are short)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace.library import builtin_routine_files, data_dir, load_routine
from breathpace.routine.lint import lint
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
CAPSULES = {
    name: slot
    for slot, names in {
        "waking": ("capsule-waking", "capsule-waking-hips", "capsule-waking-core"),
        "sitting": ("capsule-sitting", "capsule-sitting-seated", "capsule-sitting-wall"),
        "bedtime": ("capsule-bedtime", "capsule-bedtime-hips", "capsule-bedtime-floor"),
    }.items()
    for name in names
}
#: Low-threat positions for the edges of the day (the body is lying, side-lying or on
#: hands and knees), and upright ones before a sit (the person is at a desk).
CAPSULE_POSITIONS = {
    "waking": {"lying", "side-lying", "prone", "kneeling"},
    "bedtime": {"lying", "side-lying", "prone", "kneeling"},
    "sitting": {"standing", "seated"},
}
POSITION_TAGS = {"lying", "side-lying", "seated", "standing", "hands-and-knees", "kneeling"}


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


@pytest.mark.parametrize("name", sorted(CAPSULES))
def test_capsules_are_two_to_five_minutes(name: str):
    routine = ROUTINES[name]
    assert routine.capsule == CAPSULES[name]
    assert 2 * 60_000 <= compile(routine).duration_ms <= 5 * 60_000


@pytest.mark.parametrize("name", sorted(CAPSULES))
def test_capsules_are_in_positions_that_fit_their_slot(name: str):
    """Waking and bedtime capsules lie, side-lie or kneel; before-sitting ones stand or
    sit. Every exercise has a figure, every capsule its safety text and each moving
    exercise a spoken cue for each phase."""
    routine = ROUTINES[name]
    allowed = CAPSULE_POSITIONS[CAPSULES[name]]
    assert set(routine.tags) & allowed, routine.tags
    assert not set(routine.tags) & (CAPSULE_POSITIONS["waking"] | {"standing", "seated"}) - allowed
    assert routine.safety and "Stop before pain" in routine.safety
    for ex in routine.exercise:
        assert ex.figure
        if getattr(ex, "phases", None) is not None:
            assert any(p.cue for p in ex.phases)


def test_each_slot_has_three_capsules_that_take_turns():
    from breathpace.capsule import CAPSULE_VARIANTS

    assert {n: s for s, names in CAPSULE_VARIANTS.items() for n in names} == CAPSULES
    assert all(len(names) >= 3 for names in CAPSULE_VARIANTS.values())


def test_only_the_capsule_files_are_capsules():
    marked = {name for name, routine in ROUTINES.items() if routine.capsule}
    assert marked == set(CAPSULES)


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


def _expected_rep(ex: Exercise) -> list[tuple[str, str | None]]:
    """(move, cue) of each phase of a rep, read from the file's own words: the phases in
    order, or the tempo parts in the order the rep starts with (a pause only when the
    tempo or a hold override gives it a length)."""
    if ex.phases is not None:
        return [(p.move, p.cue) for p in ex.phases]
    tempo = ex.tempo_parsed
    assert tempo is not None
    cues = ex.part_cues

    def cue(part: str) -> str | None:
        return getattr(cues, part) if cues is not None else None

    conc = [(ex.moves.concentric, cue("concentric"))]
    ecc = [(ex.moves.eccentric, cue("eccentric"))]
    top = [(ex.moves.hold_top, cue("hold_top"))]
    bottom = [(ex.moves.hold_bottom, cue("hold_bottom"))]
    if ex.hold_top is None and tempo.pause_after_concentric_ms == 0:
        top = []
    if ex.hold_bottom is None and tempo.pause_after_eccentric_ms == 0:
        bottom = []
    return conc + top + ecc + bottom if ex.start == "concentric" else ecc + bottom + conc + top


def _runs(pairs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Consecutive equal entries as one (a hold of N breaths is N cycles of segments)."""
    return [pair for i, pair in enumerate(pairs) if i == 0 or pairs[i - 1] != pair]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_phase_segment_shows_only_its_own_phase_cue(name: str):
    """What the screen, plain mode and voice read as the phase cue (`Segment.cue`) comes
    from that very phase of the file, rep after rep; outside phases there is none."""
    routine = ROUTINES[name]
    timeline = compile(routine)
    reps: dict[tuple, list] = {}
    for seg in timeline.segments:
        item = (
            routine.exercise[seg.exercise - 1]
            if seg.kind is Kind.PHASE and 1 <= seg.exercise <= len(routine.exercise)
            else None
        )
        if not isinstance(item, Exercise):
            assert seg.cue is None, (seg.kind, seg.exercise_name, seg.move, seg.cue)
            continue
        reps.setdefault((seg.exercise, seg.set, seg.side, seg.rep), []).append(seg)
    assert reps or all(isinstance(i, Breathing) for i in routine.exercise)
    for (number, *_), segs in reps.items():
        ex = routine.exercise[number - 1]
        assert isinstance(ex, Exercise)
        expected = _runs(_expected_rep(ex))
        assert _runs([(s.move, s.cue) for s in segs]) == expected, (name, ex.name)


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_exercise_phase_that_moves_has_its_own_cue(name: str):
    """Every phase that deserves words has them: each moving phase (not a plain rest)
    carries a cue, and no two phases of an exercise share one."""
    for item in ROUTINES[name].exercise:
        if not isinstance(item, Exercise):
            continue
        cues = [cue for _, cue in _expected_rep(item)]
        moves = [move for move, _ in _expected_rep(item)]
        for move, cue in zip(moves, cues, strict=True):
            assert cue or move.startswith("rest"), f"{item.name}: {move}"
        given = [c for c in cues if c]
        assert len(given) == len(set(given)), f"{item.name}: a cue used twice"
        for general in item.cues:
            assert general not in given, f"{item.name}: {general!r} is a phase cue"


# --- Dose and progression true to the source -----------------------------

NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _exercises(routine) -> list[tuple[int, Exercise]]:
    return [(n, item) for n, item in enumerate(routine.exercise, 1) if isinstance(item, Exercise)]


@pytest.mark.parametrize("name", sorted(n for n in NAMES if "beginner" in ROUTINES[n].tags))
def test_beginner_routines_start_near_the_nhs_dose(name: str):
    """About five reps of each movement and a minute or two per exercise (at most three
    for both sides together), one set: progression adds to it, it does not start there."""
    routine = ROUTINES[name]
    timeline = compile(routine)
    for number, ex in _exercises(routine):
        assert ex.sets == 1, ex.name
        assert 2 <= ex.reps <= 6, ex.name
        worked = sum(
            s.duration_ms
            for s in timeline.segments
            if s.exercise == number and s.kind in (Kind.PHASE, Kind.SWITCH, Kind.REST)
        )
        assert 30_000 <= worked <= 180_000, (ex.name, worked)


def test_every_routine_with_several_exercises_names_its_main_one():
    for name, routine in ROUTINES.items():
        exercises = _exercises(routine)
        if len(exercises) > 1:
            assert routine.main_exercise in {ex.name for _, ex in exercises}, name


@pytest.mark.parametrize("name", sorted(n for n in NAMES if ROUTINES[n].next_level))
def test_the_next_level_opens_at_a_stated_number_of_reps(name: str):
    """A chain says when its next level opens: a little above the written reps, and the
    next routine's safety text says the same number."""
    routine = ROUTINES[name]
    main = next(ex for _, ex in _exercises(routine) if ex.name == routine.main_exercise)
    assert routine.next_level_at is not None
    assert main.reps < routine.next_level_at <= main.reps + 2
    nxt = ROUTINES[routine.next_level]
    assert f"{NUMBER_WORDS[routine.next_level_at]} easy" in (nxt.safety or ""), nxt.title


def test_the_bridge_chain_marches_before_it_goes_single_leg():
    chain = ["glute-bridge"]
    while ROUTINES[chain[-1]].next_level:
        chain.append(ROUTINES[chain[-1]].next_level)
    assert chain == ["glute-bridge", "bridge-march", "single-leg-bridge"]


def test_bridge_march_keeps_the_hips_up_briefly_and_lowers_on_the_in_breath():
    routine = ROUTINES["bridge-march"]
    timeline = compile(routine)
    number = next(n for n, ex in _exercises(routine) if ex.name == "Bridge march")
    reps: dict[tuple, list] = {}
    for seg in timeline.segments:
        if seg.exercise == number and seg.is_rep:
            reps.setdefault((seg.set, seg.side, seg.rep), []).append(seg)
    for segs in reps.values():
        lift = next(i for i, s in enumerate(segs) if s.move == "lift the hips")
        lower = next(i for i, s in enumerate(segs) if s.move == "lower the hips")
        up_ms = segs[lower].start_ms - segs[lift].end_ms
        assert up_ms <= 12_000, up_ms  # was about 30 s a rep
        assert segs[lower].breath is Breath.INHALE
    for _, ex in _exercises(routine):
        for phase in ex.phases or ():
            if "lower" in phase.move:
                assert phase.resolved_breath == "inhale", (ex.name, phase.move)


def test_split_squat_turn_keeps_a_hand_on_support_and_breathes_out_through_the_turn_back():
    routine = ROUTINES["split-squat-turn"]
    ex = next(ex for _, ex in _exercises(routine) if ex.name == "Split squat with a turn")
    assert "hand on" in ex.position and "counter" in ex.position
    assert "crossed" not in ex.position
    back = next(p for p in ex.phases or () if p.move == "turn back")
    assert back.effort and back.resolved_breath == "exhale"
    timeline = compile(routine)
    number = routine.exercise.index(ex) + 1
    first = [s for s in timeline.segments if s.exercise == number and s.is_rep][: len(ex.phases)]
    lower = next(s for s in first if s.move == "lower")
    rise = next(s for s in first if s.move == "rise")
    assert rise.start_ms - lower.end_ms <= 10_000  # was about 16 s at the bottom


def test_the_seated_twist_grows_tall_on_an_in_breath():
    ex = next(ex for _, ex in _exercises(ROUTINES["seated-twist"]) if ex.name == "Seated twist")
    tall = [p for p in ex.phases or () if "tall" in p.move]
    assert tall and all(p.resolved_breath == "inhale" for p in tall)


NEW_EXERCISES = {
    "cat-cow": "Cat-cow",
    "single-knee-to-chest": "Knee to chest",
    "knees-to-chest": "Both knees to chest",
    "bottom-to-heels": "Bottom to heels",
    "prone-press-up": "Prone press-up",
    "hip-flexor-stretch": "Deep-lunge stretch",
    "bird-dog": "Bird-dog",
    "dead-bug": "Dead bug",
    "heel-slides": "Heel slide",
    "clamshell-band": "Clamshell with a band",
}


@pytest.mark.parametrize("name", sorted(NEW_EXERCISES))
def test_the_missing_exercises_are_there_with_a_level(name: str):
    routine = ROUTINES[name]
    assert routine.level is not None
    assert routine.main_exercise == NEW_EXERCISES[name]
    ex = next(ex for _, ex in _exercises(routine) if ex.name == NEW_EXERCISES[name])
    assert ex.position and any("stop before pain" in c.lower() for c in ex.cues)
    assert any(p.effort and p.resolved_breath == "exhale" for p in ex.phases or ())
    assert all(p.cue for p in ex.phases or ())


def test_the_new_chains_are_linked():
    links = {
        "pelvic-tilts": "heel-slides",
        "heel-slides": "dead-bug",
        "clamshells": "clamshell-band",
        "cat-cow": "bird-dog",
        "single-knee-to-chest": "knees-to-chest",
    }
    for name, nxt in links.items():
        assert ROUTINES[name].next_level == nxt


def test_the_nhs_style_everyday_set_is_five_movements_of_five_reps():
    routine = ROUTINES["everyday-back"]
    names = [ex.name for _, ex in _exercises(routine)]
    assert names == ["Knee rolls", "Pelvic tilt", "Bridge", "Knee to chest", "Cat-cow"]
    assert all(ex.reps == 5 and ex.sets == 1 for _, ex in _exercises(routine))
