"""Warnings for routines that are valid but go against the method.

These never stop a routine from playing; `breathpace check` prints them. They encode
the method's two breath rules: exhale through the effort, and never hold the breath
for longer than one breath while the body is working; and they catch a phase cue that
names the opposite breath, because a person following the words would breathe against
the tone. `figure_problems` checks the figure keys against the figures they name
(errors for `check`, since a figure with a missing pose cannot be drawn).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable

from breathpace.routine.model import Breathing, Exercise, Routine
from breathpace.routine.pattern import seconds_to_ms

#: Words that name a breath direction. "breathe in" does not match "breathe into".
_NAMES = {
    "inhale": re.compile(r"\b(breathe in|breathing in|inhale|inhaling|in-breath)\b", re.I),
    "exhale": re.compile(r"\b(breathe out|breathing out|exhale|exhaling|out-breath)\b", re.I),
}
_OPPOSITE = {"inhale": "exhale", "exhale": "inhale"}


def _cue_breath_warning(cue: str | None, breath: str, what: str) -> str | None:
    """A warning when a cue on an inhale names the exhale, or the other way round."""
    if cue is None or breath not in _OPPOSITE:
        return None  # holds and free breaths have no single direction to contradict
    found = _NAMES[_OPPOSITE[breath]].search(cue)
    if found is None:
        return None
    return f'the cue says "{found.group(0)}" but {what} is an {breath}'


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
            # The same breaths the engine gives the two moving parts of a tempo rep.
            other = "exhale" if ex.effort_breath == "inhale" else "inhale"
            for part in ("concentric", "eccentric"):
                part_breath: str = ex.effort_breath if ex.effort == part else other
                said = _cue_breath_warning(
                    getattr(ex.part_cues, part), part_breath, f"the {part} part"
                )
                if said:
                    out.append(f"part_cues.{part}: {said}")
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
