"""The pace and tempo changes a session made while it played (the +/- keys).

Each is kept with the rep it took effect at, so a session's record says not only the
pace it started at but where it changed: the recorder writes them (`records.PaceChange`)
and `history --session N` and the summary show them with `describe`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from breathpace.journal.db import Journal
from breathpace.journal.records import PaceChange
from breathpace.journal.resume import RepKey


@dataclass(frozen=True)
class PaceChangeRow:
    """One change, as the journal holds it."""

    at_rep: str | None
    """The rep it took effect at ("item|side|set|rep"); None when not on a rep."""
    pace: str
    tempo_scale: float


def pace_changes(journal: Journal, session_id: int) -> list[PaceChangeRow]:
    """The session's changes, in the order they took effect."""
    rows = journal.conn.execute(
        "SELECT at_rep, pace, tempo_scale FROM pace_change WHERE session_id = ? ORDER BY at, rowid",
        (session_id,),
    ).fetchall()
    return [PaceChangeRow(r["at_rep"], r["pace"], r["tempo_scale"]) for r in rows]


def describe(change: PaceChangeRow | PaceChange, names: Mapping[int, str] | None = None) -> str:
    """`pace 4-0-6-0, tempo x1.1 from Pelvic tilt, set 1, rep 3`; `names` maps item
    numbers to names (else the item's number is said)."""
    text = f"pace {change.pace}, tempo x{change.tempo_scale:g}"
    key = RepKey.parse(change.at_rep)
    if key is None:
        return text
    item = (names or {}).get(key.item) or f"item {key.item}"
    side = f" {key.side}" if key.side else ""
    return f"{text} from {item}{side}, set {key.set}, rep {key.rep}"
