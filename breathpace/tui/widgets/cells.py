"""Which cells of a row changed: the one comparison the cell-by-cell widgets share.

The breath indicator and the progress line mark only the cells that changed for
redrawing, so a step writes a few cells to the terminal instead of a row.
"""

from __future__ import annotations

from collections.abc import Sequence


def changed_spans(before: Sequence, after: Sequence) -> list[tuple[int, int]]:
    """(x, width) of the runs of cells that differ between two rows (strings, or lists
    of per-cell values), the longer row's extra cells counting as changed."""
    spans: list[tuple[int, int]] = []
    start = -1
    for x, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            if start < 0:
                start = x
        elif start >= 0:
            spans.append((start, x - start))
            start = -1
    longest = max(len(before), len(after))
    shortest = min(len(before), len(after))
    if start < 0 and longest > shortest:
        start = shortest
    if start >= 0:
        spans.append((start, longest - start))
    return spans
