"""Writing a session to the journal while it is played.

The session row is written the moment playing starts, and progress after every
completed rep, each write its own short transaction. So whatever ends the session (a
quit, Ctrl-C, a closed terminal, SIGTERM, or `kill -9` that no handler sees) the journal
still holds everything up to the last completed rep; a session that never got an end
written is shown as "cut short".

The recorder only listens to the Player's typed events (`breathpace.session.events`,
which imports no numpy) on the thread that calls `poll()`, and never lets a journal
problem stop the session: a failed write is remembered in `error` and recording stops,
the practice goes on.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from breathpace.journal.db import OUTCOMES, Journal, JournalError, now_utc, open_journal, to_db
from breathpace.safe_text import name_text
from breathpace.session.events import Event, PlayerState, Reloaded, SegmentChanged, StateChanged
from breathpace.timeline.segment import Mark, Segment

if TYPE_CHECKING:
    from breathpace.player import Player
    from breathpace.timeline import Timeline


def planned_rows(timeline: Timeline) -> dict[tuple[int, str], tuple[str, int, int]]:
    """(item number, side) -> (name, sets, reps per set) for every item that has reps."""
    rows: dict[tuple[int, str], tuple[str, int, int]] = {}
    for seg in timeline.segments:
        if seg.is_rep:
            rows.setdefault((seg.exercise, seg.side or ""), (seg.exercise_name, seg.sets, seg.reps))
    return rows


def completes_rep(segment: Segment, previous: Segment | None) -> bool:
    """A rep is done when play flows on from the segment that ends it.

    Only the step to the very next segment counts, so skipping backwards, jumping to
    another item or landing here after a seek never counts a rep that was not played.
    """
    return (
        previous is not None
        and previous.is_rep
        and Mark.REP_END in previous.marks
        and segment.index == previous.index + 1
    )


class SessionRecorder:
    """Keeps one session's row and its progress current. Create with `record_session`."""

    def __init__(
        self,
        journal: Journal | None,
        session_id: int,
        timeline: Timeline | None,
        player: Any = None,
        notice: str | None = None,
    ):
        self.session_id = session_id
        self.notice = notice
        """One line for the person when the journal was kept aside or could not be opened."""
        self.error: str | None = None
        """Set when a write failed; recording stops but the session is not disturbed."""
        self._journal = journal
        self._player = player
        self._rows = planned_rows(timeline) if timeline is not None else {}
        self._done: set[tuple[int, str, int, int]] = set()
        self._closed = journal is None
        self._after_reload = False

    @property
    def closed(self) -> bool:
        return self._closed

    def on_event(self, event: Event) -> None:
        """The Player callback. Never raises."""
        if self._closed:
            return
        match event:
            case SegmentChanged(segment=segment, previous=previous):
                if self._after_reload:
                    # The jump to the same place in a recompiled timeline: nothing played.
                    self._after_reload = False
                elif completes_rep(segment, previous):
                    assert previous is not None
                    self.rep_done(previous)
            case Reloaded(ok=True):
                self._after_reload = True
            case StateChanged(
                state=PlayerState.PAUSED | PlayerState.FINISHED | PlayerState.STOPPED
            ):
                self._write_played()

    def rep_done(self, seg: Segment) -> None:
        """Record one completed rep (the segment carrying its REP_END mark)."""
        side = seg.side or ""
        key = (seg.exercise, side, seg.set, seg.rep)
        if self._closed or key in self._done:
            return
        self._done.add(key)
        reps_done = sum(1 for k in self._done if k[:2] == key[:2])
        sets_done = sum(
            1
            for s in range(1, seg.sets + 1)
            if all((seg.exercise, side, s, r) in self._done for r in range(1, seg.reps + 1))
        )

        def write(conn: sqlite3.Connection) -> None:
            if (seg.exercise, side) not in self._rows:
                # A live reload or a new pace may bring items the first timeline lacked.
                self._rows[(seg.exercise, side)] = (seg.exercise_name, seg.sets, seg.reps)
                conn.execute(
                    "INSERT OR IGNORE INTO progress (session_id, exercise, name, side, sets, reps)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (self.session_id, seg.exercise, seg.exercise_name, side, seg.sets, seg.reps),
                )
            # sets and reps too: a live reload may have changed what this item plans.
            conn.execute(
                "UPDATE progress SET reps_done = ?, sets_done = ?, sets = ?, reps = ? "
                "WHERE session_id = ? AND exercise = ? AND side = ?",
                (reps_done, sets_done, seg.sets, seg.reps, self.session_id, seg.exercise, side),
            )
            conn.execute(
                "UPDATE session SET played_ms = ? WHERE id = ?",
                (self._played_ms(), self.session_id),
            )

        self._write(write)

    def close(self, outcome: str, *, now: datetime | None = None) -> None:
        """Write how the session ended; later calls do nothing."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if self._closed:
            return
        ended = to_db(now or now_utc())

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE session SET ended_at = ?, outcome = ?, played_ms = ? WHERE id = ?",
                (ended, outcome, self._played_ms(), self.session_id),
            )

        self._write(write)
        self._closed = True
        if self._journal is not None:
            self._journal.close()

    def _write_played(self) -> None:
        self._write(
            lambda conn: conn.execute(
                "UPDATE session SET played_ms = ? WHERE id = ?",
                (self._played_ms(), self.session_id),
            )
        )

    def _played_ms(self) -> int:
        try:
            return int(self._player.played_ms) if self._player is not None else 0
        except Exception:
            return 0

    def _write(self, body) -> None:
        if self._journal is None or self.error is not None:
            return
        try:
            with self._journal.transaction() as conn:
                body(conn)
        except JournalError as exc:
            self.error = f"The journal could not be written ({exc}); practice goes on unrecorded."


def start_session(
    journal: Journal,
    timeline: Timeline,
    *,
    routine_name: str,
    source: str,
    mode: str,
    pace: str,
    tempo_scale: float,
    now: datetime | None = None,
) -> int:
    """Write the session row and one progress row per item and side; returns its id."""
    with journal.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, "
            "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                # Names and paths from file names that are not UTF-8 are stored escaped.
                name_text(routine_name),
                name_text(source),
                mode,
                pace,
                tempo_scale,
                timeline.duration_ms,
                to_db(now or now_utc()),
            ),
        )
        session_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO progress (session_id, exercise, name, side, sets, reps) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (session_id, number, name, side, sets, reps)
                for (number, side), (name, sets, reps) in planned_rows(timeline).items()
            ],
        )
    return session_id


def record_session(
    player: Player, *, routine_name: str, source: str, mode: str, now: datetime | None = None
) -> SessionRecorder:
    """Start recording `player`'s session: the row now, progress at every completed rep.

    If the journal cannot be opened at all, the returned recorder has `session_id` 0,
    records nothing and says why in `notice`; the session itself is never held up.
    """
    try:
        journal = open_journal()
    except JournalError as exc:
        return SessionRecorder(None, 0, None, notice=f"{exc}; this session is not recorded.")
    timeline = player.timeline
    try:
        session_id = start_session(
            journal,
            timeline,
            routine_name=routine_name,
            source=source,
            mode=mode,
            pace=str(player.pace),
            tempo_scale=float(player.tempo_scale),
            now=now,
        )
    except JournalError as exc:
        journal.close()
        return SessionRecorder(
            None, 0, None, notice=f"The journal could not be written ({exc}); not recorded."
        )
    recorder = SessionRecorder(journal, session_id, timeline, player, notice=journal.notice)
    player.subscribe(recorder.on_event)
    return recorder
