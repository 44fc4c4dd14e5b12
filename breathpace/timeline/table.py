"""The segments of a timeline, kept as columns and turned into Segment objects on demand.

A four-hour routine of quick reps has hundreds of thousands of segments but only a few
distinct shapes: every rep of a set repeats the same phases. So the table keeps each
distinct *shape* (the fields that repeat: kind, length, move, breath, marks...) once,
and per segment only what varies (its shape, absolute start, set and rep) in compact
integer arrays. Compiling then costs a few list operations per set instead of one
object per segment, and `check` never builds a segment at all.

A Segment is made when it is asked for. The most recently asked are kept (a few
thousand: the player asks for the one playing and its neighbours many times a second),
so memory stays flat however long the routine; a whole walk (the mixer's, once) makes
each segment for the caller without keeping it. The same index always gives an equal
segment; the code compares segments by value, never by identity. A table made from
existing Segment objects keeps them all, as given.
"""

from __future__ import annotations

import contextlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any

from breathpace.timeline.segment import Segment

#: Fields stored per segment (or derived from its position); every other field of
#: Segment belongs to the shape, so a new optional field needs no change here.
_PER_SEGMENT = ("index", "start_ms", "set", "rep", "halfway_ms")
#: How many recently asked segments a compiled table keeps.
KEPT = 4096
SHAPE_FIELDS = tuple(f.name for f in fields(Segment) if f.name not in _PER_SEGMENT)

#: A shape: the repeating fields as Segment keywords, and the halfway cue's offset
#: from the segment's start (None when the segment has none).
Shape = tuple[dict[str, Any], int | None]


class SegmentTable(Sequence[Segment]):
    """An immutable sequence of contiguous segments stored as columns."""

    __slots__ = ("_end", "_keep_all", "_made", "_rep", "_set", "_shape", "_shapes", "_start")

    def __init__(
        self,
        shapes: Sequence[Shape],
        shape: array,
        start: array,
        set_: array,
        rep: array,
        end_ms: int,
    ):
        if not len(shape) == len(start) == len(set_) == len(rep):
            raise ValueError("segment columns differ in length")
        self._shapes = tuple(shapes)
        self._shape = shape
        self._start = start
        self._set = set_
        self._rep = rep
        self._end = end_ms
        self._made: OrderedDict[int, Segment] = OrderedDict()
        self._keep_all = False

    @classmethod
    def from_segments(cls, segments: Iterable[Segment]) -> SegmentTable:
        """A table holding these (contiguous) segments; the same objects are kept."""
        segs = list(segments)
        shapes: list[Shape] = []
        ids: dict[tuple, int] = {}
        shape, start, set_, rep = array("I"), array("q"), array("I"), array("I")
        for seg in segs:
            values = {name: getattr(seg, name) for name in SHAPE_FIELDS}
            half = None if seg.halfway_ms is None else seg.halfway_ms - seg.start_ms
            key = (*values.values(), half)
            sid = ids.get(key)
            if sid is None:
                sid = ids[key] = len(shapes)
                shapes.append((values, half))
            shape.append(sid)
            start.append(seg.start_ms)
            set_.append(seg.set)
            rep.append(seg.rep)
        table = cls(shapes, shape, start, set_, rep, segs[-1].end_ms if segs else 0)
        table._made = OrderedDict(enumerate(segs))
        table._keep_all = True
        return table

    @property
    def starts(self) -> Sequence[int]:
        """Absolute start of every segment, in order (for bisecting)."""
        return self._start

    @property
    def end_ms(self) -> int:
        return self._end

    def __len__(self) -> int:
        return len(self._start)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self._get(j) for j in range(*i.indices(len(self._start))))
        n = len(self._start)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("segment index out of range")
        return self._get(i)

    def __iter__(self) -> Iterator[Segment]:
        # The whole walk (the mixer makes one) builds what is missing inline, and keeps
        # none of it: a call per segment to _get would cost a third more.
        made, shapes, make = self._made, self._shapes, Segment
        columns = zip(self._shape, self._start, self._set, self._rep, strict=True)
        for i, (sid, start, set_, rep) in enumerate(columns):
            seg = made.get(i)
            if seg is None:
                values, half = shapes[sid]
                seg = make(
                    index=i,
                    start_ms=start,
                    set=set_,
                    rep=rep,
                    halfway_ms=None if half is None else start + half,
                    **values,
                )
            yield seg

    def _get(self, i: int) -> Segment:
        seg = self._made.get(i)
        if seg is None:
            values, half = self._shapes[self._shape[i]]
            start = self._start[i]
            seg = Segment(
                index=i,
                start_ms=start,
                set=self._set[i],
                rep=self._rep[i],
                halfway_ms=None if half is None else start + half,
                **values,
            )
            self._made[i] = seg
            if not self._keep_all and len(self._made) > KEPT:
                # The oldest asked goes. Another thread (the audio one) may be asking at
                # the same instant: losing this race only keeps one segment more.
                with contextlib.suppress(KeyError):
                    self._made.popitem(last=False)
        return seg

    def rows(self) -> Iterator[tuple[dict[str, Any], int, int, int]]:
        """(shape fields, start_ms, set, rep) per segment, without building segments."""
        shapes = self._shapes
        for sid, start, set_, rep in self.shape_rows():
            yield shapes[sid][0], start, set_, rep

    @property
    def shapes(self) -> tuple[Shape, ...]:
        """The distinct shapes; `shape_rows` refers to them by position."""
        return self._shapes

    def shape_rows(self) -> Iterator[tuple[int, int, int, int]]:
        """(shape id, start_ms, set, rep) per segment: the cheapest full pass."""
        return zip(self._shape, self._start, self._set, self._rep, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SegmentTable):
            if len(self) != len(other) or self._end != other._end:
                return False
            other_items: Iterable[Segment] = other
        elif isinstance(other, tuple | list):
            other_items = other
        else:
            return NotImplemented
        return tuple(self) == tuple(other_items)

    def __hash__(self) -> int:
        return hash((len(self._start), self._end, self._start.tobytes()))

    def __repr__(self) -> str:
        return f"SegmentTable({len(self)} segments, {self._end} ms)"
