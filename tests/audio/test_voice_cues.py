"""The voice says each phase's breath, move and own cue: never another phase's
cue, never the general cues, and only where the words end before the phase does (so two
phases' words never overlap); a hold of several breaths says its cue once."""

from __future__ import annotations

from breathpace.audio.voice import spoken_seconds, voice_lines
from breathpace.routine.load import parse_routine
from breathpace.timeline import Kind, compile

ROUTINE = """
format = 1
title = "Voice cues"
pace = "4-0-6-0"
lead_in = 2

[[exercise]]
name = "Bridge"
cues = ["General: ribs soft"]
reps = 2
phases = [
  { move = "lift", breath = "exhale", breaths = 1, effort = true, cue = "Heels press" },
  { move = "stay up", breath = "hold", breaths = 2, cue = "Keep breathing" },
  { move = "lower", breath = "inhale", seconds = 1, cue = "Roll down one vertebra at a time" },
]
"""


def test_each_phase_speaks_its_own_cue_where_it_fits():
    timeline = compile(parse_routine(ROUTINE, "v.toml"))
    lines = voice_lines(timeline)
    phases = [s for s in timeline.segments if s.kind is Kind.PHASE and s.rep == 1]
    said = [lines[s.index] for s in phases]
    assert said == [
        "exhale, lift. Heels press",
        # two breath cycles of one hold: the cue once, on its first breath
        "inhale, stay up. Keep breathing",
        "exhale, stay up",
        "inhale, stay up",
        "exhale, stay up",
        # one second cannot hold these words: the breath and the move only
        "inhale, lower",
    ]
    rep2 = [lines[s.index] for s in timeline.segments if s.kind is Kind.PHASE and s.rep == 2]
    assert rep2 == said  # every rep says it again
    for seg in timeline.segments:
        text = lines.get(seg.index, "")
        assert "General" not in text
        assert spoken_seconds(text) <= seg.duration_ms / 1000 or "." not in text


def test_spoken_seconds_grows_with_the_words():
    assert spoken_seconds("exhale") < spoken_seconds("exhale, lift. Heels press")
