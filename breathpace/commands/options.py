"""Options and argument handling shared by the commands that take a ROUTINE."""

from __future__ import annotations

import math
from fractions import Fraction

import click

from breathpace.commands.errors import InputError
from breathpace.routine.pattern import BreathPattern


def _parse_pace(ctx, param, value: str | None) -> BreathPattern | None:
    if value is None:
        return None
    try:
        return BreathPattern.parse(value)
    except ValueError as exc:
        raise InputError(f"--pace: {exc} (found {value!r})") from None


#: The tempo range the player allows (its `[` and `]` keys stop here). Kept here, not
#: imported from `breathpace.player`, so `preview` and `check` never load numpy; a test
#: holds the two equal.
TEMPO_MIN = Fraction(1, 2)
TEMPO_MAX = Fraction(2)


def _parse_tempo(ctx, param, value: str | None) -> Fraction:
    if value is None:
        return Fraction(1)
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"--tempo: must be a number like 1.2 (found {value!r})") from None
    if not math.isfinite(number) or not TEMPO_MIN <= Fraction(value) <= TEMPO_MAX:
        raise InputError(
            f"--tempo: must be between {float(TEMPO_MIN):g} and {float(TEMPO_MAX):g} "
            f"(found {value!r})"
        )
    return Fraction(value)


pace_option = click.option(
    "--pace",
    callback=_parse_pace,
    metavar="I-H-E-H",
    help="Breath pace inhale-hold-exhale-hold in seconds, e.g. 4-0-6-0.",
)
tempo_option = click.option(
    "--tempo",
    callback=_parse_tempo,
    metavar="SCALE",
    help="Stretch every breath and movement (1.2 = 20% slower).",
)


def resolve_or_exit(name_or_path: str):
    """Find and load a routine, or exit 2 with its one-line error."""
    from breathpace.library import resolve
    from breathpace.routine.load import RoutineError

    try:
        return resolve(name_or_path)
    except RoutineError as exc:
        raise InputError(str(exc)) from None


def dosed(resolved) -> tuple:
    """The routine to play: the file's routine with the person's accepted dose changes
    (kept in their journal, never in the file). Returns (routine, changes) where changes
    lists what differs, e.g. ['exercise 1 "Pelvic tilt": reps 8 -> 9']."""
    from breathpace.journal.dose import apply_dose

    routine = apply_dose(resolved.name, resolved.routine)
    changes = []
    for number, (old, new) in enumerate(
        zip(resolved.routine.exercise, routine.exercise, strict=True), start=1
    ):
        for key in ("sets", "reps", "hold_top", "hold_bottom", "phases"):
            before, after = getattr(old, key, None), getattr(new, key, None)
            if before != after:
                changes.append(
                    f'exercise {number} "{old.name}": {key} {_short(before)} -> {_short(after)}'
                )
    return routine, changes


def _short(value) -> str:
    if hasattr(value, "breaths") and getattr(value, "breaths", None) is not None:
        return f"{value.breaths:g} breaths"
    if isinstance(value, tuple):
        return "changed"
    return str(value)
