"""Warnings for routines that are valid but go against the method.

These never stop a routine from playing; `breathpace check` prints them. They encode
the method's two breath rules: exhale through the effort, and never hold the breath
for longer than one breath while the body is working; they catch a phase cue that
names the opposite breath (or a hold's cue that names any), because a person following
the words would breathe against the tone; and two breaths of one direction in a row,
which a person following the tone cannot breathe. `figure_problems` checks the figure
keys against the figures they name (errors for `check`, since a figure with a missing
pose cannot be drawn).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Collection, Iterable

from breathpace.routine.model import Breathing, Exercise, Routine
from breathpace.routine.pattern import seconds_to_ms

#: Words that name a breath direction. "Breathe into the ribs" is an in-breath too.
_NAMES = {
    "inhale": re.compile(
        r"\b(breathe in|breathing in|breathe into|breathing into|inhale|inhaling|in-breath)\b",
        re.I,
    ),
    "exhale": re.compile(r"\b(breathe out|breathing out|exhale|exhaling|out-breath)\b", re.I),
}
_OPPOSITE = {"inhale": "exhale", "exhale": "inhale"}
_BOTH = re.compile(r"\b(in and out|out and in)\b", re.I)


def _cue_breath_warning(cue: str | None, breath: str, what: str) -> str | None:
    """A warning when a cue on an inhale names the exhale, or the other way round; and
    when a hold's cue names one direction only: a hold is breathed in and out (or not at
    all) and its cue shows all through it, so one named direction is wrong half the time."""
    if cue is None or breath == "free":
        return None
    if breath == "hold":
        named = {d: _NAMES[d].search(cue) for d in ("inhale", "exhale")}
        hits = [m for m in named.values() if m is not None]
        if len(hits) != 1 or _BOTH.search(cue):
            return None  # neither, or both ("breathe in and out softly"): true all through
        return (
            f'the cue says "{hits[0].group(0)}" but {what} is a hold, shown through its '
            "in-breaths and out-breaths alike; say what the body does"
        )
    found = _NAMES[_OPPOSITE[breath]].search(cue)
    if found is None:
        return None
    return f'the cue says "{found.group(0)}" but {what} is an {breath}'


def breath_sequence(ex: Exercise) -> list[tuple[str, str]]:
    """(breath, move) for each breath of one rep as the player gives it: a hold in
    breaths becomes that many in-and-out cycles, a hold in seconds stays a hold. The
    same expansion as the timeline's (a test holds the two together)."""
    out: list[tuple[str, str]] = []

    def hold(length_breaths: float | None, move: str) -> None:
        if length_breaths is None:
            out.append(("hold", move))
            return
        for _ in range(max(1, round(length_breaths))):
            out.extend([("inhale", move), ("exhale", move)])

    if ex.phases is not None:
        for phase in ex.phases:
            breath = phase.resolved_breath
            if breath == "hold":
                hold(phase.breaths, phase.move)
            else:
                out.append((breath, phase.move))
        return out
    tempo = ex.tempo_parsed
    assert tempo is not None
    other = "exhale" if ex.effort_breath == "inhale" else "inhale"
    conc = ex.effort_breath if ex.effort == "concentric" else other
    ecc = ex.effort_breath if ex.effort == "eccentric" else other

    def pause(override, ms: int, move: str) -> None:
        if override is None:
            if ms > 0:
                out.append(("hold", move))
        else:
            hold(override.breaths, move)

    def concentric() -> None:
        out.append((conc, ex.moves.concentric))
        pause(ex.hold_top, tempo.pause_after_concentric_ms, ex.moves.hold_top)

    def eccentric() -> None:
        out.append((ecc, ex.moves.eccentric))
        pause(ex.hold_bottom, tempo.pause_after_eccentric_ms, ex.moves.hold_bottom)

    for part in (concentric, eccentric) if ex.start == "concentric" else (eccentric, concentric):
        part()
    return out


def _same_breath_twice(ex: Exercise) -> str | None:
    """A warning for two breaths of one direction in a row (also from one rep into the
    next), unless the exercise says they are meant (`breath_repeats`)."""
    if ex.breath_repeats:
        return None
    seq = breath_sequence(ex)
    pairs = list(itertools.pairwise(seq))
    sides = 2 if ex.sides in ("both", "alternate") else 1
    if ex.sets * ex.reps * sides > 1 and len(seq) > 1:
        pairs.append((seq[-1], seq[0]))  # the last breath of a rep, then the next rep
    for (a, a_move), (b, b_move) in pairs:
        if a == b and a in ("inhale", "exhale"):
            word = "in-breaths" if a == "inhale" else "out-breaths"
            return (
                f'two {word} in a row ("{a_move}", then "{b_move}"): the breath turns with '
                "each phase; let the phases alternate, or set breath_repeats = true if meant"
            )
    return None


def lint(routine: Routine, known_routines: Iterable[str] | None = None) -> list[str]:
    """Warnings as one-line messages without the file name (the caller adds it).

    `known_routines`, when given, lets `next_level` references be checked.
    """
    warnings: list[str] = []
    pace = routine.pace_parsed
    known = set(known_routines) if known_routines is not None else None

    if known is not None and routine.next_level and routine.next_level not in known:
        warnings.append(f'next_level: no routine named "{routine.next_level}"')

    for number, item in enumerate(routine.exercise, start=1):
        if isinstance(item, Breathing):
            continue  # a breathing block has no effort and no holds under strain
        where = f'exercise {number} "{item.name}": '
        warnings.extend(where + w for w in _exercise_warnings(item, pace.cycle_ms, known))
    return warnings


def _exercise_warnings(ex: Exercise, cycle_ms: int, known: set[str] | None) -> list[str]:
    out: list[str] = []
    long_hold = (
        "a hold of {s:g} s is longer than one breath at the pace ({c:g} s); give it as "
        "breaths = N so it becomes whole breath cycles"
    )
    if ex.phases is not None:
        for i, phase in enumerate(ex.phases, start=1):
            breath = phase.resolved_breath
            if phase.effort and breath in ("inhale", "hold"):
                out.append(
                    f"phases[{i}]: the effort phase is tied to an {breath}"
                    if breath == "inhale"
                    else f"phases[{i}]: the effort phase is tied to a hold"
                )
                out[-1] += "; exhale through the effort"
            if (
                breath == "hold"
                and phase.seconds is not None
                and seconds_to_ms(phase.seconds) > cycle_ms
            ):
                out.append(f"phases[{i}]: " + long_hold.format(s=phase.seconds, c=cycle_ms / 1000))
            said = _cue_breath_warning(phase.cue, breath, "the phase")
            if said:
                out.append(f"phases[{i}].cue: {said}")
    else:
        if ex.effort_breath in ("inhale", "hold"):
            article = "an" if ex.effort_breath == "inhale" else "a"
            out.append(
                f"effort_breath: the effort ({ex.effort}) is tied to {article} "
                f"{ex.effort_breath}; exhale through the effort"
            )
        tempo = ex.tempo_parsed
        assert tempo is not None
        pauses = {
            "hold_top": (ex.hold_top, tempo.pause_after_concentric_ms),
            "hold_bottom": (ex.hold_bottom, tempo.pause_after_eccentric_ms),
        }
        for key, (override, tempo_ms) in pauses.items():
            if override is not None:
                if override.seconds is not None and seconds_to_ms(override.seconds) > cycle_ms:
                    out.append(f"{key}: " + long_hold.format(s=override.seconds, c=cycle_ms / 1000))
            elif tempo_ms > cycle_ms:
                out.append("tempo: " + long_hold.format(s=tempo_ms / 1000, c=cycle_ms / 1000))
        if ex.part_cues is not None:
            for part in ("hold_top", "hold_bottom"):
                said = _cue_breath_warning(getattr(ex.part_cues, part), "hold", f"the {part}")
                if said:
                    out.append(f"part_cues.{part}: {said}")
            # The same breaths the engine gives the two moving parts of a tempo rep.
            other = "exhale" if ex.effort_breath == "inhale" else "inhale"
            for part in ("concentric", "eccentric"):
                part_breath: str = ex.effort_breath if ex.effort == part else other
                said = _cue_breath_warning(
                    getattr(ex.part_cues, part), part_breath, f"the {part} part"
                )
                if said:
                    out.append(f"part_cues.{part}: {said}")
    repeated = _same_breath_twice(ex)
    if repeated:
        out.append(("phases: " if ex.phases is not None else "tempo: ") + repeated)
    if known is not None and ex.next_level and ex.next_level not in known:
        out.append(f'next_level: no routine named "{ex.next_level}"')
    return out


def figure_problems(routine: Routine, poses_of: Callable[[str], Collection[str]]) -> list[str]:
    """Errors in the routine's figure keys, one line each without the file name.

    `poses_of(figure)` gives the pose names of the figure a `figure` key names, or raises
    LookupError with a one-line reason (no such figure, a broken figure file). It is
    passed in so this module stays pure: the caller does the finding and reading."""
    out: list[str] = []
    for number, item in enumerate(routine.exercise, start=1):
        label = "breathing block" if isinstance(item, Breathing) else "exercise"
        where = f'{label} {number} "{item.name}": '
        named: list[tuple[str, str]] = []
        if isinstance(item, Exercise):
            for i, phase in enumerate(item.phases or (), start=1):
                if phase.pose is not None:
                    named.append((f"phases[{i}].pose", phase.pose))
            if item.poses is not None:
                named += [
                    ("poses.concentric", item.poses.concentric),
                    ("poses.eccentric", item.poses.eccentric),
                ]
        if item.figure is None:
            if named:
                out.append(where + f"{named[0][0]}: names a pose, but the item has no figure")
            continue
        try:
            poses = set(poses_of(item.figure))
        except LookupError as exc:
            out.append(where + f"figure: {exc}")
            continue
        for field, pose in named:
            if pose not in poses:
                close = difflib.get_close_matches(pose, sorted(poses), n=1, cutoff=0.6)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                out.append(where + f'{field}: figure "{item.figure}" has no pose "{pose}"{hint}')
    return out
