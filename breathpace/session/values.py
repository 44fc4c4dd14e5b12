"""One command-line value checked: a pace, a tempo, a volume.

Apart from `options` (which also reads the settings file, and with it the backend
registry) so that the click callbacks of `check`, `preview` and `render` can use them
while importing nothing but the pattern type.
"""

from __future__ import annotations

import math
from fractions import Fraction

from breathpace.routine.pattern import BreathPattern, check_chosen_pace
from breathpace.safe_text import quote
from breathpace.session.errors import SessionError

#: The tempo scales the command line accepts: the player's own range (its slower and
#: faster keys stop here, TEMPO_MIN/TEMPO_MAX in breathpace.player; a test holds them
#: equal), so a session never starts at a tempo the player would not allow.
TEMPO_RANGE = (Fraction(1, 2), Fraction(2))

_RANGE_TEXT = f"{float(TEMPO_RANGE[0]):g} and {float(TEMPO_RANGE[1]):g}"


def parse_pace(text: str, source: str = "--pace") -> BreathPattern:
    try:
        pace = BreathPattern.parse(text)
        check_chosen_pace(pace)  # the rule `breathpace pace` applies
    except ValueError as exc:
        raise SessionError(f"{source}: {exc} (found {quote(text)})") from None
    return pace


def parse_tempo(text: str | float | Fraction | None, source: str = "--tempo") -> Fraction:
    """A tempo scale: 1 = as written, 1.2 = 20 % slower."""
    if text is None:
        return Fraction(1)
    if isinstance(text, Fraction):
        value = text
    else:
        try:
            number = float(text)
        except ValueError:
            raise SessionError(
                f"{source}: must be a number like 1.2 (found {quote(str(text))})"
            ) from None
        if not math.isfinite(number):
            raise SessionError(
                f"{source}: must be between {_RANGE_TEXT} (found {quote(str(text))})"
            )
        value = Fraction(str(text)) if isinstance(text, str) else Fraction(number)
    low, high = TEMPO_RANGE
    if not low <= value <= high:
        raise SessionError(f"{source}: must be between {_RANGE_TEXT} (found {quote(str(text))})")
    return value


def check_volume(volume: float, source: str = "--volume") -> float:
    if not (math.isfinite(volume) and 0 <= volume <= 1):
        raise SessionError(f"{source}: must be between 0 and 1 (found {volume:g})")
    return volume
