"""Filling a real journal with sessions for the tests (through the real write paths)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from breathpace.journal.db import Journal, save_checkin, save_followup
from breathpace.journal.records import apply_write
from breathpace.library import load_routine, resolve
from breathpace.session.recorder import RepCount, completes_rep, start_session
from breathpace.timeline import compile


def add_session(
    journal: Journal,
    routine_name: str,
    started: datetime,
    *,
    reps: int | None = None,
    outcome: str | None = "completed",
    effort: int | None = None,
    pain: int | None = None,
    note: str = "",
    followup: str | None = None,
    followup_pain: int | None = None,
    played_ms: int | None = None,
    path: Path | None = None,
    answered_after: timedelta = timedelta(hours=14),
) -> int:
    """A session of a real routine (by name, or from `path`); `reps` completed reps (all
    of them when None); the next-day answer given `answered_after` the session."""
    routine = load_routine(path) if path is not None else resolve(routine_name).routine
    timeline = compile(routine)
    sid = start_session(
        journal,
        timeline,
        routine_name=routine_name,
        source=str(path) if path is not None else f"{routine_name}.toml",
        mode="plain",
        pace=routine.pace,
        tempo_scale=1.0,
        now=started,
    )
    record_reps(journal, sid, timeline, reps)
    with journal.transaction() as conn:
        conn.execute(
            "UPDATE session SET played_ms = ?, ended_at = ?, outcome = ? WHERE id = ?",
            (
                played_ms if played_ms is not None else timeline.duration_ms,
                started.isoformat() if outcome else None,
                outcome,
                sid,
            ),
        )
    if effort is not None or pain is not None or note:
        save_checkin(journal, sid, effort=effort, pain=pain, note=note, now=started)
    if followup is not None or followup_pain is not None:
        save_followup(
            journal, sid, response=followup, pain=followup_pain, now=started + answered_after
        )
    return sid


def record_reps(journal: Journal, sid: int, timeline, reps: int | None = None) -> None:
    """The progress writes a session's recorder makes for its first `reps` reps (all of
    them when None), applied here at once as its writer thread would."""
    count = RepCount()
    done = 0
    for prev, seg in zip(timeline.segments, timeline.segments[1:], strict=False):
        if reps is not None and done >= reps:
            break
        if completes_rep(seg, prev):
            write = count.add(prev, 0)
            assert write is not None
            with journal.transaction() as conn:
                apply_write(conn, write, sid)
            done += 1
