"""Writing a session to the journal while it is played.

The session row is written the moment playing starts, and progress after every
completed rep, each write its own short transaction. So whatever ends the session (a
quit, Ctrl-C, a closed terminal, SIGTERM, or `kill -9` that no handler sees) the journal
still holds everything up to the last completed rep; a session that never got an end
written is shown as "cut short".

The recorder only listens to the Player's typed events (`breathpace.session.events`,
which imports no numpy) on the thread that calls `poll()`, and turns them into typed
writes (`writer`). During a session they go to a `JournalWriter`, whose thread applies
them: a journal that is locked, full, deleted or damaged never holds up the loop that
keeps the session's time, and what it could not write yet is kept and written later.
Notices from the writer (one line each) are handed to `on_notice` on the session's own
thread, at the next Player event or at the end.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breathpace.journal.db import NOT_PRACTICE_MS, OUTCOMES, Journal, JournalError, now_utc, to_db
from breathpace.journal.records import (
    EndSession,
    JournalWrite,
    PlayedTime,
    RepProgress,
    StartSession,
    apply_write,
)
from breathpace.journal.writer import JournalWriter
from breathpace.safe_text import name_text
from breathpace.session.events import Event, PlayerState, Reloaded, SegmentChanged, StateChanged
from breathpace.timeline.segment import Kind, Mark, Segment

if TYPE_CHECKING:
    from breathpace.player import Player
    from breathpace.timeline import Timeline

#: How long starting a session waits for its row (and the journal's notices) before
#: playing on regardless: the row is usually written in a few milliseconds.
START_WAIT_S = 1.0


def planned_rows(timeline: Timeline) -> dict[tuple[int, str], tuple[str, int, int]]:
    """(item number, side) -> (name, sets, reps per set) for every item that has reps."""
    rows: dict[tuple[int, str], tuple[str, int, int]] = {}
    # Read from the columns, so a long routine's segments are not all built to be kept.
    for f, _start, _set, rep in timeline.segments.rows():
        if f["kind"] is Kind.PHASE and rep > 0:
            rows.setdefault(
                (f["exercise"], f["side"] or ""), (f["exercise_name"], f["sets"], f["reps"])
            )
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
    """Keeps one session's row and its progress current. Create with `record_session`.

    Given a `writer`, writes are queued to its thread; given only a `journal` (tests,
    benchmarks, tools), each write is applied at once on the caller's thread."""

    def __init__(
        self,
        journal: Journal | None,
        session_id: int,
        timeline: Timeline | None,
        player: Any = None,
        notice: str | None = None,
        *,
        writer: JournalWriter | None = None,
        on_notice: Callable[[str], None] | None = None,
    ):
        self._session_id = session_id
        self.notice = notice
        """One line for the person when the journal was kept aside or could not be opened."""
        self._error: str | None = None
        self._journal_direct = journal
        self._writer = writer
        self._on_notice = on_notice
        self._player = player
        self._rows = planned_rows(timeline) if timeline is not None else {}
        self._done: set[tuple[int, str, int, int]] = set()
        self._closed = journal is None and writer is None
        self._closed_from_start = self._closed  # nothing recorded: nothing to discard
        self._after_reload = False
        self.discarded = False
        """True when the session ended before its first rep and within NOT_PRACTICE_MS:
        its row was deleted (it is not a practice)."""

    @property
    def session_id(self) -> int:
        """The session's id in the journal (0 when it is not recorded, or not yet)."""
        if self._writer is not None:
            return self._writer.session_id
        return self._session_id

    @property
    def error(self) -> str | None:
        """Why the journal cannot be written now; the session is not disturbed."""
        if self._writer is not None:
            return self._writer.error
        return self._error

    @property
    def _journal(self) -> Journal | None:
        return self._writer.journal if self._writer is not None else self._journal_direct

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def writer(self) -> JournalWriter | None:
        return self._writer

    def take_notices(self) -> list[str]:
        """Notices from the journal since last asked (each shown once)."""
        return self._writer.take_notices() if self._writer is not None else []

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until what was recorded so far is in the journal (tests, tools)."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def _deliver_notices(self) -> None:
        if self._on_notice is None:
            return
        for text in self.take_notices():
            with contextlib.suppress(Exception):  # a notice must never stop the session
                self._on_notice(text)

    def on_event(self, event: Event) -> None:
        """The Player callback. Never raises."""
        if self._closed:
            return
        self._deliver_notices()
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
                self._submit(PlayedTime(self._played_ms()))

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
        self._rows.setdefault((seg.exercise, side), (seg.exercise_name, seg.sets, seg.reps))
        self._submit(
            RepProgress(
                exercise=seg.exercise,
                side=side,
                name=seg.exercise_name,
                sets=seg.sets,
                reps=seg.reps,
                reps_done=reps_done,
                sets_done=sets_done,
                played_ms=self._played_ms(),
                last_rep=rep_key(seg),
            )
        )

    def close(self, outcome: str, *, now: datetime | None = None) -> None:
        """Write how the session ended; later calls do nothing.

        With a writer this waits for the journal (a busy one up to a few seconds);
        what still cannot be written is saved aside, with a notice."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if self._closed:
            return
        played = self._played_ms()
        # Stopped before the first rep and within 15 s: not a practice, not kept.
        discard = outcome != "completed" and not self._done and played < NOT_PRACTICE_MS
        self._submit(EndSession(to_db(now or now_utc()), outcome, played, discard=discard))
        self.discarded = discard and not self._closed_from_start
        self._closed = True
        if self._writer is not None:
            self._writer.close()
            self._deliver_notices()
        elif self._journal_direct is not None:
            self._journal_direct.close()

    def _played_ms(self) -> int:
        try:
            return int(self._player.played_ms) if self._player is not None else 0
        except Exception:
            return 0

    def _submit(self, write: JournalWrite) -> None:
        if self._writer is not None:
            self._writer.submit(write)
            return
        if self._journal_direct is None or self._error is not None:
            return
        try:
            with self._journal_direct.transaction() as conn:
                self._session_id = apply_write(conn, write, self._session_id)
        except (JournalError, sqlite3.Error) as exc:
            self._error = f"The journal could not be written ({exc}); practice goes on unrecorded."


def resolved_source(source: str) -> str:
    """The routine file's absolute path with links resolved, so the journal finds it
    again from any folder; a source that is not a file ("breathe") is kept as it is."""
    try:
        path = Path(source)
        if source and path.is_file():
            return str(path.resolve())
    except (OSError, ValueError):
        pass
    return source


def rep_key(seg: Segment) -> str:
    """How the journal names a rep for `--resume`: "item|side|set|rep"."""
    return f"{seg.exercise}|{seg.side or ''}|{seg.set}|{seg.rep}"


def start_write(
    timeline: Timeline,
    *,
    routine_name: str,
    source: str,
    mode: str,
    pace: str,
    tempo_scale: float,
    title: str = "",
    now: datetime | None = None,
    continues: int | None = None,
    last_rep: str | None = None,
) -> StartSession:
    """The session's first write. `continues` is the session it carries on (`play
    --resume`) and `last_rep` where that one stopped, so resuming this one again starts
    at the right rep even if it stops before finishing another."""
    return StartSession(
        # Names and paths from file names that are not UTF-8 are stored escaped.
        routine=name_text(routine_name),
        source=name_text(source),
        title=title,
        mode=mode,
        pace=pace,
        tempo_scale=tempo_scale,
        planned_ms=timeline.duration_ms,
        started_at=to_db(now or now_utc()),
        rows=tuple(
            (number, side, name, sets, reps)
            for (number, side), (name, sets, reps) in planned_rows(timeline).items()
        ),
        continues=continues,
        last_rep=last_rep,
    )


def start_session(
    journal: Journal,
    timeline: Timeline,
    *,
    routine_name: str,
    source: str,
    mode: str,
    pace: str,
    tempo_scale: float,
    title: str = "",
    now: datetime | None = None,
) -> int:
    """Write the session row and one progress row per item and side; returns its id."""
    write = start_write(
        timeline,
        routine_name=routine_name,
        source=source,
        mode=mode,
        pace=pace,
        tempo_scale=tempo_scale,
        title=title,
        now=now,
    )
    with journal.transaction() as conn:
        return apply_write(conn, write, 0)


def record_session(
    player: Player,
    *,
    routine_name: str,
    source: str,
    mode: str,
    now: datetime | None = None,
    on_notice: Callable[[str], None] | None = None,
    journal_path: Path | None = None,
    continues: int | None = None,
    last_rep: str | None = None,
) -> SessionRecorder:
    """Start recording `player`'s session: the row now, progress at every completed rep.

    The writes go to a writer thread. This waits up to `START_WAIT_S` for the session
    row, so `notice` can say at once when the journal was kept aside or cannot be
    written; the session itself is never held up longer than that. Later notices go to
    `on_notice` (on the thread that polls the player)."""
    timeline = player.timeline
    writer = JournalWriter(journal_path)
    writer.submit(
        start_write(
            timeline,
            routine_name=routine_name,
            source=resolved_source(source),
            title=getattr(getattr(player, "routine", None), "title", "") or "",
            mode=mode,
            pace=str(player.pace),
            tempo_scale=float(player.tempo_scale),
            now=now,
            continues=continues,
            last_rep=last_rep,
        )
    )
    writer.flush(START_WAIT_S)
    notice = " ".join(writer.take_notices()) or None
    recorder = SessionRecorder(
        None, 0, timeline, player, notice=notice, writer=writer, on_notice=on_notice
    )
    player.subscribe(recorder.on_event)
    return recorder
