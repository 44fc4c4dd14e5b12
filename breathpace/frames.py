"""Milliseconds <-> sample frames, on integers only.

Shared by the mixer (which places every cue on a frame) and the player core (which maps
the tape onto timeline frames): both must round exactly the same way, or a cue and the
position reported on screen would disagree by a frame. No numpy here, so the player core
stays light.
"""

from __future__ import annotations


def frame_of(ms: int, sample_rate: int) -> int:
    """The frame of an absolute time: round(ms * rate / 1000), computed on integers
    (halves to even, as Python's round does on the exact fraction)."""
    q, r = divmod(ms * sample_rate, 1000)
    if 2 * r > 1000 or (2 * r == 1000 and q % 2 == 1):
        q += 1
    return q


def ms_of(frame: int, sample_rate: int) -> int:
    """The latest ms whose frame has been reached (the inverse of `frame_of`'s rounding)."""
    ms = frame * 1000 // sample_rate
    while frame_of(ms + 1, sample_rate) <= frame:
        ms += 1
    while ms > 0 and frame_of(ms, sample_rate) > frame:
        ms -= 1
    return ms
