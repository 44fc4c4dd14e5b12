"""Breathing practice on its own: a pattern, a length and an optional ramp, as a Routine.

The Breathe screen and `breathpace breathe` build the same one-block routine here, so a
practice session goes through exactly the engine, player and journal a guided set does.
Pure: no files, clocks or terminals.
"""

from __future__ import annotations

from pydantic import ValidationError

from breathpace.routine.model import Breathing, Routine
from breathpace.routine.pattern import BreathPattern


class PracticeError(ValueError):
    """A practice that cannot be built; `str()` is one line naming the field."""


def build_practice(
    pattern: str | BreathPattern,
    *,
    minutes: float | None = 5,
    cycles: int | None = None,
    ramp_to: float | None = None,
    sigh: bool = False,
    title: str | None = None,
    lead_in: float = 5,
) -> Routine:
    """A routine with a single breathing block.

    Give the length as `minutes` or `cycles` (cycles wins when both are given).
    """
    text = str(pattern)
    try:
        BreathPattern.parse(text)
    except ValueError as exc:
        raise PracticeError(f"pattern: {exc}") from None
    if cycles is not None:
        minutes = None
    block: dict = {
        "name": title or f"Breathing {text}",
        "pattern": text,
        "sigh": sigh,
        "cues": _cues(sigh, ramp_to),
    }
    if minutes is not None:
        block["minutes"] = minutes
    if cycles is not None:
        block["cycles"] = cycles
    if ramp_to is not None:
        block["ramp_to"] = ramp_to
    data = {
        "format": 1,
        "title": title or f"Breathing {text}",
        "tags": ("breathing",),
        "pace": text,
        "lead_in": lead_in,
        "exercise": (block,),
    }
    return _validate(data)


def _validate(data: dict) -> Routine:
    try:
        return Routine.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = str(err["loc"][-1]) if err["loc"] else "practice"
        msg = err["msg"].removeprefix("Value error, ")
        if not msg.startswith(field):
            msg = f"{field}: {msg}"
        raise PracticeError(msg) from None


def looks_like_pattern(text: str) -> bool:
    """True when text is an `in-hold-out-hold` pattern rather than a preset name."""
    try:
        BreathPattern.parse(text)
    except ValueError:
        return text.count("-") == 3 and text.replace("-", "").replace(".", "").isdigit()
    return True


def adjust_practice(
    routine: Routine,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    ramp_to: float | None = None,
) -> Routine:
    """A breathing preset with its length or ramp changed (the first breathing block).

    Raises PracticeError when the routine has no breathing block or a value is invalid.
    """
    number = next((i for i, it in enumerate(routine.exercise) if isinstance(it, Breathing)), None)
    if number is None:
        raise PracticeError(f"{routine.title!r} has no breathing block to practise")
    block = routine.exercise[number].model_dump(exclude_none=True)
    if minutes is not None or cycles is not None:
        block.pop("minutes", None)
        block.pop("cycles", None)
        block.update({"cycles": cycles} if cycles is not None else {"minutes": minutes})
    if ramp_to is not None:
        block["ramp_to"] = ramp_to
    data = routine.model_dump(exclude_none=True)
    data["exercise"] = [
        block if i == number else it.model_dump(exclude_none=True)
        for i, it in enumerate(routine.exercise)
    ]
    return _validate(data)


def _cues(sigh: bool, ramp_to: float | None) -> tuple[str, ...]:
    cues = ["Breathe low and slow, into the belly and the sides of the ribs"]
    if sigh:
        cues.append("Two sips in through the nose, then a long, easy sigh out")
    else:
        cues.append("Let the out-breath be soft and unforced")
    if ramp_to is not None:
        cues.append(f"The pace eases gradually toward {ramp_to:g} breaths a minute")
    cues.append("If you feel light-headed, breathe normally for a while")
    return tuple(cues)
