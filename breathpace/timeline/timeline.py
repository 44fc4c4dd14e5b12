"""A compiled session: contiguous segments, lookups by time and seek targets.

Lookups bisect the segment start times, so `at()` is O(log n) however long the
session is; seek targets are found the same way over boundary lists, worked out the
first time a seek asks for them (checking or previewing a routine never seeks).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from breathpace.timeline.segment import Kind, Segment
from breathpace.timeline.table import SegmentTable

#: Pressing "previous" this soon after a rep started goes to the rep before it;
#: later, it restarts the current rep (as music players do with tracks).
RESTART_GRACE_MS = 2000


@dataclass(frozen=True)
class Timeline:
    segments: SegmentTable
    """The segments in order (a tuple or list of Segments is turned into a table)."""
    items: tuple[str, ...] = ()
    """Names of the routine's items (exercises and breathing blocks), in order."""

    def __post_init__(self) -> None:
        if not isinstance(self.segments, SegmentTable):
            object.__setattr__(self, "segments", SegmentTable.from_segments(self.segments))
        if not len(self.segments):
            raise ValueError("a timeline needs at least one segment")

    @cached_property
    def _starts(self) -> Sequence[int]:
        return self.segments.starts

    # cached_property writes the instance dict directly, so it works on a frozen dataclass.
    @cached_property
    def _rep_starts(self) -> tuple[int, ...]:
        return _boundaries(self.segments, _rep_key)

    @cached_property
    def _set_starts(self) -> tuple[int, ...]:
        return _boundaries(self.segments, _set_key)

    @cached_property
    def _item_starts(self) -> tuple[int, ...]:
        return _boundaries(self.segments, _item_key)

    @property
    def duration_ms(self) -> int:
        return self.segments.end_ms

    def __len__(self) -> int:
        return len(self.segments)

    def index_at(self, t_ms: int) -> int:
        """Index of the segment playing at t (clamped to the first and last)."""
        if t_ms <= 0:
            return 0
        starts = self._starts
        return min(bisect_right(starts, t_ms) - 1, len(starts) - 1)

    def at(self, t_ms: int) -> Segment:
        """The segment playing at t milliseconds into the session."""
        # index_at inlined: the screen and the player ask many times a second.
        starts = self._starts
        i = 0 if t_ms <= 0 else min(bisect_right(starts, t_ms) - 1, len(starts) - 1)
        return self.segments[i]

    def next_start(self, t_ms: int, level: str = "rep") -> int | None:
        """Start of the next rep, set or item strictly after t; None at the end."""
        starts = self._level(level)
        i = bisect_right(starts, t_ms)
        return starts[i] if i < len(starts) else None

    def previous_start(self, t_ms: int, level: str = "rep") -> int:
        """Start of the current rep/set/item, or of the one before when t is within
        RESTART_GRACE_MS of the current one's start."""
        starts = self._level(level)
        i = bisect_right(starts, t_ms) - 1
        if i < 0:
            return 0
        if t_ms - starts[i] < RESTART_GRACE_MS and i > 0:
            return starts[i - 1]
        return starts[i]

    def locate(self, exercise: int, side: str | None, set_: int, rep: int) -> int | None:
        """Start of the rep (or of the nearest earlier boundary) with these counters."""
        for f, start, seg_set, seg_rep in self.segments.rows():
            same = (f["exercise"], f["side"], seg_set, seg_rep) == (exercise, side, set_, rep)
            # With equal counters, rep > 0 means the segment is a rep: only phases count reps.
            if same and (rep == 0 or f["kind"] is Kind.PHASE):
                return start
        return None

    def remaining_ms(self, t_ms: int) -> int:
        return max(0, self.duration_ms - t_ms)

    def _level(self, level: str) -> Sequence[int]:
        try:
            return {"rep": self._rep_starts, "set": self._set_starts, "item": self._item_starts}[
                level
            ]
        except KeyError:
            raise ValueError(f"unknown seek level {level!r}") from None

    def item_span(self, exercise: int) -> tuple[int, int]:
        """Start and end ms of one item (1-based), including its lead-in and rests."""
        spans = [
            (start, start + f["duration_ms"])
            for f, start, _, _ in self.segments.rows()
            if f["exercise"] == exercise
        ]
        if not spans:
            raise ValueError(f"no item {exercise}")
        return spans[0][0], spans[-1][1]

    def segments_between(self, a_ms: int, b_ms: int) -> Sequence[Segment]:
        """Segments that overlap [a, b)."""
        lo = self.index_at(a_ms)
        hi = bisect_left(self._starts, b_ms)
        return self.segments[lo : max(hi, lo)]


# The keys read a segment's shape fields and its set and rep straight from the table's
# columns, so finding the boundaries builds no Segment objects.


def _rep_key(f: dict[str, Any], set_: int, rep: int) -> tuple | None:
    kind = f["kind"]
    if kind is Kind.PHASE and rep > 0:
        return (f["exercise"], f["side"], set_, rep)
    if kind in (Kind.WAIT, Kind.TRANSITION, Kind.END):
        return (kind, f["exercise"])
    return None


def _set_key(f: dict[str, Any], set_: int, rep: int) -> tuple | None:
    kind = f["kind"]
    if kind is Kind.PHASE and rep > 0:
        # Both sides of a set (and alternating sides) belong to the same set.
        return (f["exercise"], set_)
    if kind is Kind.END:
        return (kind,)
    return None


def _item_key(f: dict[str, Any], set_: int, rep: int) -> tuple | None:
    kind = f["kind"]
    if kind is Kind.LEAD_IN:
        return None
    if kind is Kind.END:
        return ("end",)
    return (f["exercise"],)


def _boundaries(table: SegmentTable, key) -> tuple[int, ...]:
    """Starts of each run of segments sharing a key (None keys never start a run)."""
    starts: list[int] = []
    last = object()
    for f, start, set_, rep in table.rows():
        k = key(f, set_, rep)
        if k is None:
            continue
        if k != last:
            starts.append(start)
            last = k
    return tuple(starts)
