"""Over random valid routines: every segment of a phase carries that phase's own cue
(or none), rep after rep, at any pace and tempo; nothing outside an exercise's phases
carries a phase cue. The expected cues are read from the model alone."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline_strategies import compile_or_reject, paces, routines, tempo_scales

from breathpace.routine.model import Exercise, Length, Phase
from breathpace.timeline import Kind

PROPS = settings(
    max_examples=int(os.environ.get("BREATHPACE_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _hold_segments(length: Length) -> int:
    # A hold in breaths is whole breath cycles, two segments (in, out) each.
    if length.breaths is not None:
        return 2 * max(1, round(length.breaths))
    return 1


def _phase(phase: Phase) -> list[tuple[str, str | None]]:
    count = 1
    if phase.resolved_breath == "hold" and phase.breaths is not None:
        count = 2 * max(1, round(phase.breaths))
    return [(phase.move, phase.cue)] * count


def expected_rep(ex: Exercise) -> list[tuple[str, str | None]]:
    """(move, cue) of every segment of one rep."""
    if ex.phases is not None:
        return [pair for phase in ex.phases for pair in _phase(phase)]
    tempo = ex.tempo_parsed
    assert tempo is not None
    cues = ex.part_cues

    def cue(part: str) -> str | None:
        return getattr(cues, part) if cues is not None else None

    def pause(override: Length | None, ms: int, part: str) -> list[tuple[str, str | None]]:
        move = getattr(ex.moves, part)
        if override is None:
            return [(move, cue(part))] if ms > 0 else []
        return [(move, cue(part))] * _hold_segments(override)

    conc = [(ex.moves.concentric, cue("concentric"))]
    ecc = [(ex.moves.eccentric, cue("eccentric"))]
    top = pause(ex.hold_top, tempo.pause_after_concentric_ms, "hold_top")
    bottom = pause(ex.hold_bottom, tempo.pause_after_eccentric_ms, "hold_bottom")
    return conc + top + ecc + bottom if ex.start == "concentric" else ecc + bottom + conc + top


@PROPS
@given(routines, st.one_of(st.none(), paces), tempo_scales)
def test_every_phase_segment_carries_its_own_phase_cue(routine, pace, scale):
    timeline = compile_or_reject(routine, pace, scale)
    reps: dict[tuple, list] = {}
    for seg in timeline.segments:
        item = routine.exercise[seg.exercise - 1] if seg.kind is Kind.PHASE else None
        if not isinstance(item, Exercise):
            assert seg.cue is None
            continue
        reps.setdefault((seg.exercise, seg.set, seg.side, seg.rep), []).append(seg)
    for (number, *_), segs in reps.items():
        ex = routine.exercise[number - 1]
        assert [(s.move, s.cue) for s in segs] == expected_rep(ex)
