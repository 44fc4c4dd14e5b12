"""What a personal pace does to the routines, said plainly before and after it is saved.

A personal pace replaces every routine's own pace, so the same routine can take a
minute longer or shorter; a person choosing one (`breathpace pace`, Find my pace) should
see that in lengths, not only as a pattern of numbers: "glute-bridge: 3 min 41 s at its
own pace, 4 min 20 s at yours (18 % slower)". Both lengths come through the session's
one effective-dose function (accepted dose changes from the journal, then the pace), so
they are the lengths `list` and `play` show; `examples` reads the library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from breathpace import fmt
from breathpace.routine import pattern
from breathpace.routine.model import Routine
from breathpace.routine.pattern import BreathPattern
from breathpace.safe_text import printable
from breathpace.timeline import TimelineTooLong, compile

#: The pace most routines are written at: the usual against which a personal pace reads.
TYPICAL_PACE = BreathPattern.parse("4-0-6-0")
#: A personal pace is a breath between these lengths (30 to 1 breaths a minute): Find my
#: pace suggests within them, and `breathpace pace` and `--pace` refuse anything outside.
MIN_CYCLE_MS = pattern.MIN_CYCLE_MS
MAX_CYCLE_MS = pattern.MAX_CYCLE_MS
#: Built-in routines that show the effect when the person has none of their own.
EXAMPLE_NAMES = ("glute-bridge", "pelvic-tilts")
EXAMPLE_COUNT = 2


@dataclass(frozen=True)
class RoutineLength:
    """One routine's length at its own pace and at the personal pace."""

    name: str
    own_ms: int
    yours_ms: int | None
    """None when the routine would pass the 4 hour limit at the personal pace."""

    def line(self) -> str:
        # A name is a file name: it may hold control characters.
        name = printable(self.name)
        if self.yours_ms is None:
            return f"{name}: {fmt.length(self.own_ms)} at its own pace, over 4 hours at yours"
        return (
            f"{name}: {fmt.length(self.own_ms)} at its own pace, "
            f"{fmt.length(self.yours_ms)} at yours ({change(self.own_ms, self.yours_ms)})"
        )


def change(before_ms: int, after_ms: int) -> str:
    """ "18 % slower", "12 % faster", "2.5 times as long", whole per cent."""
    if before_ms <= 0 or after_ms <= 0:
        return "about the same length"
    ratio = after_ms / before_ms
    # Past double or half, per cent stops reading naturally ("500 % slower").
    if ratio >= 2:
        return f"{ratio:.1f} times as long"
    if ratio <= 0.5:
        return f"{1 / ratio:.1f} times as fast"
    percent = round((ratio - 1) * 100)
    if percent > 0:
        return f"{percent} % slower"
    if percent < 0:
        return f"{-percent} % faster"
    return "about the same length"


def breath_line(pace: BreathPattern) -> str:
    """One breath at `pace` against the routines' usual 4-0-6-0."""
    return (
        f"A breath takes {_seconds(pace.cycle_ms)} ({pace.rate_per_min:.1f} a minute) instead "
        f"of {_seconds(TYPICAL_PACE.cycle_ms)} at the routines' usual pace {TYPICAL_PACE}: "
        f"{change(TYPICAL_PACE.cycle_ms, pace.cycle_ms)}."
    )


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g} s"


def check_personal(pace: BreathPattern) -> None:
    """ValueError in words when `pace` is outside what a personal pace may be (the one
    rule for every chosen pace)."""
    pattern.check_chosen_pace(pace)


def lengths(pace: BreathPattern, routines: Sequence[tuple[str, Routine]]) -> list[RoutineLength]:
    """Each routine's length at its own pace and at `pace`, with its accepted dose."""
    # Imported here: the accepted dose reads the journal; `describe` does not need it.
    from breathpace.session.dose import effective_dose

    found = []
    for name, routine in routines:
        own = effective_dose(name, routine)
        yours = effective_dose(name, routine, pace=pace, pace_from="settings")
        try:
            yours_ms: int | None = compile(yours.routine, yours.pace, yours.tempo).duration_ms
        except TimelineTooLong:
            yours_ms = None
        found.append(RoutineLength(name, _length(own), yours_ms))
    return found


def _length(dose) -> int:
    return compile(dose.routine, dose.pace, dose.tempo).duration_ms


def describe(pace: BreathPattern, routines: Sequence[tuple[str, Routine]]) -> list[str]:
    """The plain lines: the breath against the usual pace, then each routine's lengths."""
    return [breath_line(pace), *(r.line() for r in lengths(pace, routines))]


def examples(count: int = EXAMPLE_COUNT) -> list[tuple[str, Routine]]:
    """Routines to show the effect on: the person's own first (what they play), then
    the built-in examples. A routine that does not load is left out (`check` is where
    it gets its error)."""
    # Imported here: finding routines needs the library only for the examples.
    from breathpace.library import resolve, user_routine_files
    from breathpace.routine.load import RoutineError

    names = [p.stem for p in user_routine_files()]
    names += [n for n in EXAMPLE_NAMES if n not in names]
    chosen: list[tuple[str, Routine]] = []
    for name in names:
        if len(chosen) == count:
            break
        try:
            resolved = resolve(name)
            compile(resolved.routine)
        except (RoutineError, ValueError):
            continue
        if _moves(resolved.routine):
            chosen.append((resolved.name, resolved.routine))
    return chosen


def _moves(routine: Routine) -> bool:
    """A routine with an exercise (a breathing preset keeps its own pattern, so a
    personal pace says little about it)."""
    return any(getattr(item, "pattern", None) is None for item in routine.exercise)
