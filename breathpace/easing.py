"""The one easing curve shared by everything that moves with the breath.

The breath indicator and the exercise figure must speed up and settle together, so the
curve lives here, in a pure module that imports nothing (no Textual, no numpy).
"""

from __future__ import annotations

import math


def ease(x: float) -> float:
    """Ease in and out (a half cosine): breath speeds up in the middle and settles.

    Exact at the ends: ease(0) == 0.0 and ease(1) == 1.0, so a movement eased with it
    arrives exactly where it was going."""
    x = min(1.0, max(0.0, x))
    return (1 - math.cos(math.pi * x)) / 2
