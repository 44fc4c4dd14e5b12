"""The effective dose: what a routine is actually played with, decided in one function.

A routine file has its own sets, reps, holds and pace. Over it lie, in this order: the
dose changes the person accepted (kept in their journal, never in the file), their
personal pace (from the settings, found with "find my pace"), and for one session the
command line's `--pace` and `--tempo`. `list`, `preview`, `render`, `play` (full screen
and plain), `breathe` and the home screen all call `effective_dose`, so they show and
play the same timings, and each can say where its pace came from.

Pure apart from reading the journal; no numpy, no audio, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from breathpace.journal.dose import DoseBook, apply_dose
from breathpace.routine.model import Routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import pace_for

if TYPE_CHECKING:  # only for annotations: options read the settings, this module must not
    from breathpace.session.options import SessionOptions


@dataclass(frozen=True)
class Dose:
    """A routine as it will be played, and where its pace came from."""

    routine: Routine
    """The file's routine with the accepted dose changes laid over it."""
    pace: BreathPattern | None
    """The pace that replaces the routine's own, or None to keep the routine's."""
    pace_from: str
    """"--pace", "settings" or "routine"."""
    tempo: Fraction
    changes: tuple[str, ...]
    """Each accepted dose change, e.g. 'exercise 1 "Pelvic tilt": reps 8 -> 9'."""

    @property
    def pace_text(self) -> str:
        return str(pace_for(self.routine, self.pace))

    def describe(self) -> str:
        """Which pace this is and where it came from, for the person to read."""
        if self.pace_from == "settings":
            text = f"your pace {self.pace_text}, from settings"
        elif self.pace_from == "--pace":
            text = f"pace {self.pace_text}, from --pace"
        else:
            text = f"routine's pace {self.pace_text}"
        if self.tempo != 1:
            text += f", tempo x{float(self.tempo):g}"
        return text


def effective_dose(
    name: str,
    routine: Routine,
    *,
    pace: BreathPattern | None = None,
    pace_from: str | None = None,
    tempo: Fraction | int = 1,
    journal: bool = True,
    book: DoseBook | None = None,
) -> Dose:
    """The dose `routine` (known as `name`) is played with.

    `pace` is the person's pace (settings or `--pace`, say which in `pace_from`); None
    keeps the routine's own. `journal=False` leaves out the accepted dose changes (a
    practice built on the spot has none); `book` holds them already read (`dose_book`)."""
    dosed = apply_dose(name, routine, book=book) if journal else routine
    return Dose(
        routine=dosed,
        pace=pace,
        pace_from=(pace_from or "settings") if pace is not None else "routine",
        tempo=Fraction(tempo),
        changes=tuple(dose_changes(routine, dosed)),
    )


def dose_for(
    name: str,
    routine: Routine,
    options: SessionOptions,
    *,
    personal_pace: bool = True,
    journal: bool = True,
) -> Dose:
    """`effective_dose` with the session options. `personal_pace=False` keeps the
    routine's own pattern (a breathing practice, whose pattern is the point), unless
    `--pace` asked for another explicitly; `journal=False` leaves out accepted changes."""
    use_pace = options.pace if (personal_pace or options.pace_from == "--pace") else None
    return effective_dose(
        name,
        routine,
        pace=use_pace,
        pace_from=options.pace_from,
        tempo=options.tempo,
        journal=journal,
    )


def personal_dose(
    name: str,
    routine: Routine,
    settings_pace: str | None,
    book: DoseBook | None = None,
) -> Dose:
    """The dose a listing shows: accepted changes and the personal pace from settings."""
    pace = BreathPattern.parse(settings_pace) if settings_pace else None
    return effective_dose(name, routine, pace=pace, pace_from="settings", book=book)


def dose_changes(before: Routine, after: Routine) -> list[str]:
    """What differs between the file's routine and the dosed one, one line each."""
    changes = []
    for number, (old, new) in enumerate(zip(before.exercise, after.exercise, strict=True), 1):
        for key in ("sets", "reps", "hold_top", "hold_bottom", "phases"):
            was, now = getattr(old, key, None), getattr(new, key, None)
            if was != now:
                changes.append(
                    f'exercise {number} "{old.name}": {key} {_short(was)} -> {_short(now)}'
                )
    return changes


def _short(value) -> str:
    breaths = getattr(value, "breaths", None)
    if breaths is not None:
        return f"{breaths:g} breaths"
    if isinstance(value, tuple):
        return "changed"
    return str(value)
