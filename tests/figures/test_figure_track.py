"""Which pose each phase moves to: phases, tempo in both orders, and reps that end
somewhere else than they began."""

from __future__ import annotations

from breathpace.figures.track import phase_poses, rep_end_pose, rep_targets
from breathpace.routine.load import parse_routine


def _exercise(body: str):
    text = f'format = 1\ntitle = "T"\n[[exercise]]\nname = "E"\nfigure = "x"\n{body}\n'
    return parse_routine(text).exercise[0]


def test_phases_name_their_targets_and_holds_keep_the_pose():
    ex = _exercise(
        "reps = 3\nphases = [\n"
        '  { move = "lift", breaths = 1, effort = true, pose = "top" },\n'
        '  { move = "hold", breath = "hold", breaths = 2 },\n'
        '  { move = "lower", breaths = 1, pose = "start" },\n]'
    )
    assert rep_targets(ex) == (("lift", "top"), ("hold", None), ("lower", "start"))
    assert phase_poses(ex, 0) == ("start", "top")
    assert phase_poses(ex, 1) == ("top", None)
    assert phase_poses(ex, 2) == ("top", "start")
    assert phase_poses(ex, 0, rep=3) == ("start", "top")


def test_tempo_parts_follow_start_and_only_the_pauses_the_timeline_plays():
    ex = _exercise('tempo = "3-1-2-0"\nposes = { concentric = "start", eccentric = "bottom" }')
    assert rep_targets(ex) == (("lower", "bottom"), ("rest", None), ("lift", "start"))
    ex = _exercise(
        'tempo = "4-0-4-0"\nstart = "concentric"\nposes = { concentric = "top" }\n'
        "hold_top = { breaths = 1 }"
    )
    assert rep_targets(ex) == (("lift", "top"), ("hold", None), ("lower", "start"))
    assert phase_poses(ex, 2) == ("top", "start")


def test_a_rep_that_ends_elsewhere_moves_the_next_reps_start():
    ex = _exercise(
        "reps = 4\nphases = [\n"
        '  { move = "roll onto your back", breaths = 1, pose = "supine" },\n'
        '  { move = "rest", breath = "hold", breaths = 1 },\n'
        '  { move = "roll to the other side", breaths = 1, pose = "other" },\n]'
    )
    assert rep_end_pose(ex) == "other"
    assert phase_poses(ex, 0, rep=1) == ("start", "supine")
    assert phase_poses(ex, 0, rep=2) == ("other", "supine")
    assert phase_poses(ex, 2, rep=4) == ("supine", "other")


def test_no_figure_keys_means_no_motion():
    ex = _exercise('tempo = "3-0-3-0"')
    assert rep_targets(ex) == (("lower", None), ("lift", None))
    assert phase_poses(ex, 1, rep=2) == ("start", None)
