"""Which pose each phase of a rep moves to, read from the routine's figure keys.

Pure (the routine model in, pose names out), so the player can ask, for any moment of a
session, where the figure was at the start of the current phase and where it is going,
without replaying what came before: a seek or a skip lands on the right poses.
"""

from __future__ import annotations

from breathpace.routine.model import Exercise

START = "start"


def rep_targets(exercise: Exercise) -> tuple[tuple[str, str | None], ...]:
    """(move label, the pose it moves to or None for a hold) for each phase of one rep,
    in the order the timeline plays them. A tempo rep lists its parts in `start` order,
    with the pauses the timeline plays (an override, or a non-zero tempo pause)."""
    if exercise.phases is not None:
        return tuple((p.move, p.pose) for p in exercise.phases)
    tempo = exercise.tempo_parsed
    assert tempo is not None
    poses = exercise.poses
    conc = (exercise.moves.concentric, poses.concentric if poses else None)
    ecc = (exercise.moves.eccentric, poses.eccentric if poses else None)
    top = (
        [(exercise.moves.hold_top, None)]
        if exercise.hold_top is not None or tempo.pause_after_concentric_ms > 0
        else []
    )
    bottom = (
        [(exercise.moves.hold_bottom, None)]
        if exercise.hold_bottom is not None or tempo.pause_after_eccentric_ms > 0
        else []
    )
    if exercise.start == "concentric":
        return (conc, *top, ecc, *bottom)
    return (ecc, *bottom, conc, *top)


def rep_end_pose(exercise: Exercise, entering: str = START) -> str:
    """The pose a rep ends in, when it began in `entering`."""
    pose = entering
    for _, target in rep_targets(exercise):
        pose = target or pose
    return pose


#: The pose that is another pose done on the other side (its mirror image). When sides
#: alternate, the other side's rep starts from the twin of where the last rep ended, so
#: the body carries on from the picture it was in (left 90/90 -> right 90/90).
TWINS = {"left": "right", "right": "left"}


def twin(pose: str) -> str:
    """The pose that draws, on the other side, the same picture as `pose`; `start`
    when the figure names no twin (every side's rep starts from the start pose)."""
    return TWINS.get(pose, START)


def phase_poses(
    exercise: Exercise, phase: int, rep: int = 1, side: str | None = None
) -> tuple[str, str | None]:
    """(pose at the start, pose it moves to or None) of phase number `phase` (0-based)
    of rep `rep` (1-based) on `side`. Every rep starts where the previous one ended; the
    first starts in the start pose. When sides alternate, the previous rep was on the
    other side, drawn mirrored, so this one starts from its end pose's twin. Computed
    from the exercise alone, never from history."""
    entering = START
    # At most 1000 reps of at most 20 phases: walking them is cheap and exact.
    if exercise.sides == "alternate":
        steps = 2 * (rep - 1) + (1 if side == "right" else 0)
        for _ in range(steps):
            entering = twin(rep_end_pose(exercise, entering))
    else:
        for _ in range(1, rep):
            entering = rep_end_pose(exercise, entering)
    pose = entering
    targets = rep_targets(exercise)
    for _, target in targets[:phase]:
        pose = target or pose
    return pose, targets[phase][1]
