"""The words of every moment: during a phase, that phase's breath, move and own
cue and nothing else; the general text (safety, position, general cues) before an item
and in its rests. Checked over every built-in routine and every segment, for what the
screen, plain mode and the voice say — they all ask `breathpace.session.words`."""

from __future__ import annotations

import pytest

from breathpace.audio.voice import segment_text, voice_lines, with_cue
from breathpace.library import builtin_routine_files, load_routine
from breathpace.routine.load import parse_routine
from breathpace.routine.model import Breathing, Exercise
from breathpace.session import words
from breathpace.session.words import Note
from breathpace.timeline import compile
from breathpace.timeline.segment import Kind

ROUTINES = {path.stem: load_routine(path) for path in builtin_routine_files()}


def _phase_cues(item) -> set[str]:
    """Every phase cue an exercise has (phases, or tempo part_cues)."""
    if not isinstance(item, Exercise):
        return set()
    if item.phases is not None:
        return {p.cue for p in item.phases if p.cue}
    parts = item.part_cues
    if parts is None:
        return set()
    return {c for c in (parts.concentric, parts.eccentric, parts.hold_top, parts.hold_bottom) if c}


@pytest.mark.parametrize("name", sorted(ROUTINES))
def test_every_moment_of_every_builtin_says_only_its_own_words(name: str):
    routine = ROUTINES[name]
    timeline = compile(routine)
    spoken = voice_lines(timeline)
    items = routine.exercise
    every_general = {c for item in items for c in item.cues} | {
        item.position for item in items if item.position
    }
    every_general |= {item.safety for item in items if item.safety}
    if routine.safety:
        every_general.add(routine.safety)
    every_phase_cue = set().union(*(_phase_cues(item) for item in items))
    seen_kinds = set()
    for seg in timeline.segments:
        seen_kinds.add(seg.kind)
        item = words.item_of(routine, seg)
        breathing = isinstance(item, Breathing)
        shown = {
            "heading": words.heading(routine, seg),
            "move": words.move_of(seg),
            "cue": words.cue_of(seg),
            "plain": words.plain_line(seg, breathing),
            "voice": spoken.get(seg.index, ""),
        }
        notes = words.general_notes(routine, seg)
        own = seg.cue or ""
        if seg.kind is Kind.PHASE:
            assert notes == [], (name, seg)
            assert shown["cue"] == own
            if own:
                assert own in shown["plain"]
                assert shown["voice"] in (segment_text(seg), with_cue(segment_text(seg), own))
                assert own in _phase_cues(item), (name, seg.exercise_name, own)
            else:
                assert shown["voice"] == segment_text(seg)
            # No other phase's cue and no general text, anywhere this moment is shown.
            for text in (every_phase_cue | every_general) - {own}:
                for channel, value in shown.items():
                    if channel in ("heading", "plain") and text == seg.exercise_name:
                        continue
                    assert text not in value or text in own, (name, channel, seg, text)
            counters = words.counters(seg, breathing)
            if breathing:
                assert counters == [f"breath {seg.rep}/{seg.reps}"]
                assert f"breath {seg.rep}/{seg.reps}" in shown["plain"]
                assert "rep " not in shown["plain"].replace(seg.exercise_name, "")
            else:
                assert f"rep {seg.rep}/{seg.reps}" in shown["heading"]
        else:
            assert shown["cue"] == "" and shown["move"] == ""
            for text in every_phase_cue:
                assert all(text not in value for value in shown.values()), (name, seg, text)
            if seg.kind in words.GET_READY:
                expected = words.briefing(item)
                if (seg.kind is Kind.LEAD_IN or seg.exercise == 1) and routine.safety:
                    expected = [Note("safety", routine.safety), *expected]
                assert notes == expected
                assert shown["heading"] == f"Coming up: {item.name}"
            elif seg.kind in words.PAUSES:
                assert notes == [Note("position", item.position)] * bool(item.position) + [
                    Note("cue", c) for c in item.cues
                ]
                if seg.kind is Kind.REST:
                    assert shown["heading"].endswith(f"rest · next: set {seg.set}/{seg.sets}")
            else:
                assert seg.kind is Kind.END and notes == []
    # Every item's briefing is shown before it starts (a get-ready segment or, with no
    # lead-in, the opening notes).
    opening = words.opening_notes(routine, timeline)
    assert Kind.LEAD_IN in seen_kinds or Kind.WAIT in seen_kinds or opening


def _r(body: str, head: str = 'format = 1\ntitle = "T"\nlead_in = 2\n'):
    return parse_routine(head + body, "t.toml")


TWO_SETS = """
safety = "Stop before pain."

[[exercise]]
name = "Bridge"
position = "On your back"
cues = ["Ribs soft"]
safety = "Lift only as high as is comfortable"
sets = 2
reps = 2
rest = { seconds = 5 }
phases = [
  { move = "lift", breaths = 1, effort = true, cue = "Breathe out and lift" },
  { move = "lower", breaths = 1, cue = "Breathe in and lower" },
]

[[exercise]]
name = "Box"
pattern = "4-4-4-4"
cycles = 11
position = "Sitting tall"
"""


def test_the_rest_says_what_is_happening_and_what_comes_next():
    routine = _r(TWO_SETS)
    rest = next(s for s in compile(routine).segments if s.kind is Kind.REST)
    assert words.heading(routine, rest) == "Bridge · rest · next: set 2/2"
    assert "REST  next: set 2/2  5.0s" in words.plain_line(rest)
    assert "set 2/2  REST" not in words.plain_line(rest)
    assert words.general_notes(routine, rest) == [
        Note("position", "On your back"),
        Note("cue", "Ribs soft"),
    ]


def test_a_breathing_block_counts_breaths_on_screen_and_in_plain_mode():
    routine = _r(TWO_SETS)
    seg = next(s for s in compile(routine).segments if s.exercise == 2 and s.rep == 3)
    assert words.heading(routine, seg) == "Box · breath 3/11"
    line = words.plain_line(seg, words.is_breathing(routine, seg))
    assert "breath 3/11" in line and "rep" not in line


def test_the_get_ready_says_the_routines_and_the_items_safety_position_and_cues():
    routine = _r(TWO_SETS)
    lead = compile(routine).segments[0]
    assert [n.line() for n in words.general_notes(routine, lead)] == [
        "Safety: Stop before pain.",
        "Safety: Lift only as high as is comfortable",
        "Position: On your back",
        "Cue: Ribs soft",
    ]
    transition = next(s for s in compile(routine).segments if s.kind is Kind.TRANSITION)
    assert words.general_notes(routine, transition) == [Note("position", "Sitting tall")]


def test_without_a_lead_in_the_opening_notes_carry_the_first_briefing():
    routine = _r(TWO_SETS, 'format = 1\ntitle = "T"\nlead_in = 0\n')
    timeline = compile(routine)
    assert timeline.segments[0].kind is Kind.PHASE
    assert words.opening_notes(routine, timeline)[:2] == [
        Note("safety", "Stop before pain."),
        Note("safety", "Lift only as high as is comfortable"),
    ]
    assert words.opening_notes(_r(TWO_SETS), compile(_r(TWO_SETS))) == []


def test_a_session_begun_mid_item_opens_with_that_items_position_not_the_first():
    """`--resume` (or `--from`) landing on a rep of the breathing block: the person is
    told to sit tall, as the block's get-ready would have, not to lie on their back."""
    routine = _r(TWO_SETS)
    timeline = compile(routine)
    third = next(s for s in timeline.segments if s.exercise == 2 and s.rep == 3)
    opening = words.opening_notes(routine, timeline, third.start_ms)
    assert Note("safety", "Stop before pain.") in opening
    assert Note("position", "Sitting tall") in opening
    assert Note("position", "On your back") not in opening
    second_rep = next(s for s in timeline.segments if s.exercise == 1 and s.rep == 2)
    assert Note("position", "On your back") in words.opening_notes(
        routine, timeline, second_rep.start_ms
    )


def test_a_breathing_only_routine_shows_its_blocks_pattern_not_the_default_pace():
    routine = ROUTINES["4-7-8"]
    assert words.pace_label(routine, "4-0-6-0") == "pattern 4-7-8-0"
    assert words.pace_label(_r(TWO_SETS), "4-0-6-0") == "pace 4-0-6-0"
    ramp = ROUTINES["resonance-ramp"]
    assert words.pace_label(ramp, ramp.pace).startswith("pattern ")
    assert "/min" in words.pace_label(ramp, ramp.pace)


def test_item_details_list_dose_safety_position_cues_and_each_phase_with_its_cue():
    routine = _r(TWO_SETS)
    timeline = compile(routine)
    start, end = timeline.item_span(1)
    details = words.item_details(routine.exercise[0], timeline, 1, end - start)
    assert details[0].startswith("Dose: 2 sets × 2 reps")
    assert details[1:4] == [
        "Safety: Lift only as high as is comfortable",
        "Position: On your back",
        "Cue: Ribs soft",
    ]
    assert details[4:] == [
        "Phase: EXHALE lift (6 s) — Breathe out and lift",
        "Phase: INHALE lower (4 s) — Breathe in and lower",
    ]
    start, end = timeline.item_span(2)
    assert words.item_details(routine.exercise[1], timeline, 2, end - start)[0].startswith(
        "Dose: pattern 4-4-4-4, 11 breaths"
    )


def test_a_hold_of_several_breaths_is_one_phase_in_the_details():
    routine = ROUTINES["glute-bridge"]
    timeline = compile(routine)
    number = next(i for i, it in enumerate(routine.exercise, 1) if it.name == "Glute bridge")
    phases = words.rep_phases(timeline, number)
    assert [p.move for p in phases] == ["lift", "stay up, breathing", "lower"]
    assert phases[1].word == "HOLD"
