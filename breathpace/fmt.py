"""Small, shared ways of writing times for people ("8 min 30 s", "03:05")."""

from __future__ import annotations


def clock(ms: int) -> str:
    """mm:ss, or h:mm:ss past an hour."""
    total = max(0, ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def length(ms: int) -> str:
    """A calm human length: "45 s", "8 min 30 s", "1 h 05 min"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def seconds(ms: int) -> str:
    """A segment length in seconds with one decimal: "6.0s"."""
    return f"{ms / 1000:.1f}s"
