"""The journal as CSV, one row per session, for a clinician or a spreadsheet.

Times are written in the person's local time with its UTC offset (what they would
recognise), lengths in minutes, and what was done per exercise as one readable cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TextIO

from breathpace.journal.db import Journal
from breathpace.journal.history import SessionRow, progress, sessions

COLUMNS = (
    "session",
    "date",
    "started",
    "ended",
    "routine",
    "mode",
    "pace",
    "tempo_scale",
    "planned_min",
    "played_min",
    "outcome",
    "reps_done",
    "reps_planned",
    "exercises",
    "effort",
    "pain",
    "note",
    "followup",
    "followup_pain",
    "followup_at",
)


def _local(moment: datetime | None, tz: tzinfo | None) -> str:
    return moment.astimezone(tz).isoformat(timespec="minutes") if moment else ""


def _blank(value) -> str:
    return "" if value is None else str(value)


def exercises_cell(items: Iterable[dict]) -> str:
    """ "Glute bridge 12/16; Open book (left) 5/5" — reps done of reps planned."""
    parts = []
    for p in items:
        side = f" ({p['side']})" if p["side"] else ""
        parts.append(f"{p['name']}{side} {p['reps_done']}/{p['sets'] * p['reps']}")
    return "; ".join(parts)


def row(journal: Journal, s: SessionRow, tz: tzinfo | None = None) -> dict[str, str]:
    return {
        "session": str(s.id),
        "date": s.started_at.astimezone(tz).date().isoformat(),
        "started": _local(s.started_at, tz),
        "ended": _local(s.ended_at, tz),
        "routine": s.routine,
        "mode": s.mode,
        "pace": s.pace,
        "tempo_scale": f"{s.tempo_scale:g}",
        "planned_min": f"{s.planned_ms / 60000:.1f}",
        "played_min": f"{s.played_ms / 60000:.1f}",
        "outcome": s.outcome_text,
        "reps_done": str(s.reps_done),
        "reps_planned": str(s.reps_planned),
        "exercises": exercises_cell(progress(journal, s.id)),
        "effort": _blank(s.effort),
        "pain": _blank(s.pain),
        "note": s.note,
        "followup": _blank(s.followup),
        "followup_pain": _blank(s.followup_pain),
        "followup_at": _local(s.followup_at, tz),
    }


def write_csv(journal: Journal, out: TextIO, tz: tzinfo | None = None) -> int:
    """Write every session, oldest first; returns the number of rows."""
    # Everything is read before the first line is written: a journal that fails part-way
    # leaves no half CSV on standard output.
    rows = [row(journal, s, tz) for s in reversed(sessions(journal))]
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
