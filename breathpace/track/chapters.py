"""Where each part of a rendered session begins: the chapters of a track.

Pure (a timeline and its routine in, chapters out), so the chapter marks written into an
MP3, a FLAC's comments and a feed's chapters file are all the same list, and a test can
compare them with the timeline to the millisecond.

A chapter begins at an exercise's first segment (the change into it, or its first
breath when nothing comes before). An exercise done on both sides gets a chapter per
run of one side, starting where the switch to that side begins; alternating sides stay
one chapter (a chapter per rep would be noise). The lead-in gets its own chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from breathpace.routine.model import Routine
from breathpace.timeline.segment import Kind
from breathpace.timeline.timeline import Timeline


@dataclass(frozen=True)
class Chapter:
    """One chapter of a track."""

    start_ms: int
    """Where it begins, from the start of the track."""
    end_ms: int
    """Where the next chapter begins (the end of the track for the last one)."""
    title: str
    """What a player shows, e.g. "Clamshell, right side"."""
    item: int | None
    """The 1-based item it belongs to; None for the lead-in."""
    side: str | None = None
    """"left" or "right" when the chapter is one side of an exercise."""


def _title(name: str, sides: str | None, side: str | None, set_: int, sets: int) -> str:
    if sides == "alternate":
        return f"{name}, sides alternating"
    if side is None:
        return name
    if sides == "both" and sets > 1:
        return f"{name}, set {set_}, {side} side"
    return f"{name}, {side} side"


def track_chapters(timeline: Timeline, routine: Routine) -> tuple[Chapter, ...]:
    """The chapters of `timeline` (compiled from `routine`), in order, covering it whole."""
    starts: list[tuple[int, str, int | None, str | None]] = []
    first = timeline.segments[0]
    if first.kind is Kind.LEAD_IN:
        starts.append((0, "Get ready", None, None))
    for number, item in enumerate(routine.exercise, start=1):
        sides = getattr(item, "sides", None)
        sets = getattr(item, "sets", 1)
        begin = timeline.item_span(number)[0]
        side: str | None = None
        opened = False
        for seg in timeline.segments_between(begin, timeline.duration_ms):
            if seg.exercise != number:
                break
            if sides != "both":
                if seg.side is not None:
                    side = seg.side
                    break
                continue
            if seg.side is not None and seg.side != side:
                if opened:
                    starts.append(
                        (
                            seg.start_ms,
                            _title(item.name, sides, seg.side, seg.set, sets),
                            number,
                            seg.side,
                        )
                    )
                else:
                    starts.append(
                        (begin, _title(item.name, sides, seg.side, seg.set, sets), number, seg.side)
                    )
                    opened = True
                side = seg.side
        if not opened:
            shown_side = side if sides in ("left", "right", "alternate") else None
            title = _title(item.name, sides, shown_side, 1, sets)
            starts.append((begin, title, number, side if sides in ("left", "right") else None))
    ends = [s[0] for s in starts[1:]] + [timeline.duration_ms]
    return tuple(
        Chapter(start_ms=start, end_ms=end, title=title, item=item, side=side)
        for (start, title, item, side), end in zip(starts, ends, strict=True)
    )
