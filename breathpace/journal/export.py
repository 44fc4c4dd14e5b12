"""The journal as CSV, one row per session, for a clinician or a spreadsheet.

Times are written in the person's local time with its UTC offset (what they would
recognise), lengths in minutes, and what was done per exercise as one readable cell.

A CSV file is opened in a spreadsheet, which runs a cell starting with `=` as a formula:
a routine or exercise name, or a note, could then fetch a web page or run a command on
the clinician's computer. Every cell that could start a formula is written with a
leading single quote (OWASP's rule for CSV injection), whatever column it is in, and
control characters are written as visible stand-ins like `\\x1b`.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TextIO

from breathpace.journal.db import Journal
from breathpace.journal.history import SessionRow, progress, sessions
from breathpace.journal.pace_log import describe, pace_changes
from breathpace.safe_text import printable

#: What a spreadsheet may take for the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """`cell` as a spreadsheet shows it as text: prefixed with ' when it could be read
    as a formula. Written for every column, numbers included (none is negative)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


COLUMNS = (
    "session",
    "date",
    "started",
    "ended",
    "routine",
    "title",
    "mode",
    "pace",
    "tempo_scale",
    "pace_changes",
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


def routine_title(s: SessionRow, cache: dict[str, str] | None = None) -> str:
    """The routine's title: from the journal when it keeps one, else from the routine
    file when it can still be found (the path it was played from, or its name); else
    empty. Never raises: a missing or broken file only leaves the cell empty."""
    stored = getattr(s, "title", None)
    if stored:
        return stored
    cache = {} if cache is None else cache
    key = f"{s.routine}\0{s.source}"
    if key not in cache:
        cache[key] = _title_from_file(s.routine, s.source)
    return cache[key]


def _title_from_file(name: str, source: str) -> str:
    from pathlib import Path

    from breathpace import library
    from breathpace.library import load_routine
    from breathpace.routine.load import RoutineError

    candidates = []
    if source and Path(source).stem == name:
        candidates.append(Path(source))
    with contextlib.suppress(RoutineError, OSError, ValueError):
        candidates.append(library.find(name)[0])
    for path in candidates:
        try:
            return load_routine(path).title
        except (RoutineError, OSError, ValueError):
            continue
    return ""


def row(
    journal: Journal,
    s: SessionRow,
    tz: tzinfo | None = None,
    titles: dict[str, str] | None = None,
) -> dict[str, str]:
    """One session as CSV cells, each neutralised against formula injection."""
    cells = _cells(journal, s, tz, titles)
    # Control characters (from rows an older breathpace wrote unchecked) become visible
    # stand-ins too: `--csv -` writes to the terminal.
    return {key: printable(neutral(value)) for key, value in cells.items()}


def _cells(
    journal: Journal, s: SessionRow, tz: tzinfo | None, titles: dict[str, str] | None
) -> dict[str, str]:
    return {
        "session": str(s.id),
        "date": s.started_at.astimezone(tz).date().isoformat(),
        "started": _local(s.started_at, tz),
        "ended": _local(s.ended_at, tz),
        "routine": s.routine,
        "title": routine_title(s, titles),
        "mode": s.mode,
        "pace": s.pace,
        "tempo_scale": f"{s.tempo_scale:g}",
        "pace_changes": _pace_changes_cell(journal, s.id),
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


def _pace_changes_cell(journal: Journal, session_id: int) -> str:
    """Each +/- change of the session with the rep it took effect at, "; " between."""
    names = {p["exercise"]: p["name"] for p in progress(journal, session_id)}
    return "; ".join(describe(c, names) for c in pace_changes(journal, session_id))


def write_csv(journal: Journal, out: TextIO, tz: tzinfo | None = None) -> int:
    """Write every session, oldest first; returns the number of rows."""
    # Everything is read before the first line is written: a journal that fails part-way
    # leaves no half CSV on standard output.
    titles: dict[str, str] = {}
    rows = [row(journal, s, tz, titles) for s in reversed(sessions(journal))]
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
