"""Writing a session to the journal while it is played.

The session row is written the moment playing starts, and progress after every
completed rep, each write its own short transaction. So whatever ends the session (a
quit, Ctrl-C, a closed terminal, SIGTERM, or `kill -9` that no handler sees) the journal
still holds everything up to the last completed rep; a session that never got an end
written is shown as "cut short".

The recorder only listens to the Player's typed events (`breathpace.player.events`,
which imports no numpy) on the thread that calls `poll()`, and turns them into typed
writes (`writer`). During a session they go to a `JournalWriter`, whose thread applies
them: a journal that is locked, full, deleted or damaged never holds up the loop that
keeps the session's time, and what it could not write yet is kept and written later.
Notices from the writer (one line each) are taken by the session runner
(`take_notices`) on the session's own thread, and shown as it shows any notice.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breathpace.journal.db import NOT_PRACTICE_MS, OUTCOMES, Journal, now_utc, to_db
from breathpace.journal.records import (
    EndSession,
    PaceChange,
    PlayedTime,
    RepProgress,
    StartSession,
    apply_write,
)
from breathpace.journal.resume import RepKey
from breathpace.journal.writer import JournalWriter
from breathpace.player.events import (
    Event,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)
from breathpace.safe_text import name_text
from breathpace.timeline.segment import Kind, Mark, Segment

if TYPE_CHECKING:
    from breathpace.player import Player
    from breathpace.timeline import Timeline


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


class RepCount:
    """The reps one session has finished, and the progress write each new one makes.

    Pure bookkeeping (no journal): the recorder submits its writes, and the tests and
    benchmarks that fill a journal apply the very same writes."""

    def __init__(self) -> None:
        self.done: set[tuple[int, str, int, int]] = set()
        """(item, side, set, rep) of every finished rep."""

    def add(self, seg: Segment, played_ms: int) -> RepProgress | None:
        """The write for a finished rep (the segment carrying its REP_END mark); None
        when that rep was already counted (played again after a step back)."""
        side = seg.side or ""
        key = (seg.exercise, side, seg.set, seg.rep)
        if key in self.done:
            return None
        self.done.add(key)
        reps_done = sum(1 for k in self.done if k[:2] == key[:2])
        sets_done = sum(
            1
            for s in range(1, seg.sets + 1)
            if all((seg.exercise, side, s, r) in self.done for r in range(1, seg.reps + 1))
        )
        return RepProgress(
            exercise=seg.exercise,
            side=side,
            name=seg.exercise_name,
            sets=seg.sets,
            reps=seg.reps,
            reps_done=reps_done,
            sets_done=sets_done,
            played_ms=played_ms,
            last_rep=rep_key(seg),
        )


class SessionRecorder:
    """Keeps one session's row and its progress current. Create with `record_session`.

    Its writes are queued to the writer's thread: a journal that is busy, full or gone
    never holds up the session."""

    def __init__(
        self,
        writer: JournalWriter,
        timeline: Timeline,
        player: Any = None,
        *,
        first_item: int | None = None,
    ):
        self.notice: str | None = None
        """The journal's first notice (kept aside, cannot be written), once taken."""
        self._writer = writer
        self._player = player
        self._rows = {
            key: row
            for key, row in planned_rows(timeline).items()
            if first_item is None or key[0] >= first_item
        }
        self._reps = RepCount()
        self._closed = False
        self._after_reload = False
        self.pace_changes: list[PaceChange] = []
        """Each pace or tempo change the session made, as written."""
        self._pace_now = _pace_of(player)
        self.discarded = False
        """True when the session ended before its first rep and within NOT_PRACTICE_MS:
        its row was deleted (it is not a practice)."""

    @property
    def session_id(self) -> int:
        """The session's id in the journal (0 when it is not recorded, or not yet)."""
        return self._writer.session_id

    @property
    def error(self) -> str | None:
        """Why the journal cannot be written now; the session is not disturbed."""
        return self._writer.error

    @property
    def _journal(self) -> Journal | None:
        return self._writer.journal

    def counts(self) -> tuple[int, int, int, int]:
        """What this session did, as recorded so far (also when the journal could not
        take it): (items with a finished rep, items, finished reps, planned reps)."""
        items = {number for number, _ in self._rows}
        done_items = {key[0] for key in self._reps.done}
        planned = sum(sets * reps for _, sets, reps in self._rows.values())
        return len(done_items), len(items), len(self._reps.done), planned

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def writer(self) -> JournalWriter:
        return self._writer

    def take_notices(self) -> list[str]:
        """Notices from the journal since last asked (each shown once). The first is
        kept as `notice`: the summary then says why the session is not recorded."""
        notices = self._writer.take_notices()
        if notices and self.notice is None:
            self.notice = notices[0]
        return notices

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until what was recorded so far is in the journal (tests, tools)."""
        return self._writer.flush(timeout)

    def on_event(self, event: Event) -> None:
        """Hear one Player event (the session runner hands each on). Never raises."""
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
            case PaceChanged(pending=False, pace=pace, tempo_scale=scale):
                self._pace_changed(str(pace), float(scale))
            case StateChanged(
                state=PlayerState.PAUSED | PlayerState.FINISHED | PlayerState.STOPPED
            ):
                self._writer.submit(PlayedTime(self._played_ms()))

    def _pace_changed(self, pace: str, scale: float) -> None:
        if (pace, scale) == self._pace_now:
            return  # a change asked for and taken back before it applied
        self._pace_now = (pace, scale)
        # It takes effect at a rep boundary: the rep the player has just entered.
        seg = getattr(self._player, "segment", None)
        at_rep = rep_key(seg) if seg is not None and seg.is_rep else None
        change = PaceChange(at_rep, pace, scale, to_db(now_utc()))
        self.pace_changes.append(change)
        self._writer.submit(change)

    def rep_done(self, seg: Segment) -> None:
        """Record one completed rep (the segment carrying its REP_END mark)."""
        if self._closed:
            return
        write = self._reps.add(seg, self._played_ms())
        if write is None:
            return
        self._rows.setdefault((seg.exercise, write.side), (seg.exercise_name, seg.sets, seg.reps))
        self._writer.submit(write)

    def close(self, outcome: str, *, now: datetime | None = None) -> None:
        """Write how the session ended; later calls do nothing. This waits for the
        journal (a busy one up to a few seconds); what still cannot be written is saved
        aside, with a notice."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        if self._closed:
            return
        played = self._played_ms()
        # Stopped before the first rep and within 15 s: not a practice, not kept.
        discard = outcome != "completed" and not self._reps.done and played < NOT_PRACTICE_MS
        self._writer.submit(EndSession(to_db(now or now_utc()), outcome, played, discard=discard))
        self.discarded = discard
        self._closed = True
        self._writer.close()

    def _played_ms(self) -> int:
        try:
            return int(self._player.played_ms) if self._player is not None else 0
        except Exception:
            return 0


def _pace_of(player: Any) -> tuple[str, float] | None:
    try:
        return str(player.pace), float(player.tempo_scale)
    except Exception:  # a recorder without a player (nothing to compare with)
        return None


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
    """How the journal names the rep `seg` belongs to (for `--resume`)."""
    return RepKey(seg.exercise, seg.side or None, seg.set, seg.rep).text()


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
    first_item: int | None = None,
) -> StartSession:
    """The session's first write. `continues` is the session it carries on (`play
    --resume`) and `last_rep` where that one stopped, so resuming this one again starts
    at the right rep even if it stops before finishing another. `first_item` (`play
    --from N`): it plans only the items from N on, the ones it covers."""
    rows = planned_rows(timeline)
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
            for (number, side), (name, sets, reps) in rows.items()
            if first_item is None or number >= first_item
        ),
        continues=continues,
        last_rep=last_rep,
        first_item=first_item,
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
    journal_path: Path | None = None,
    continues: int | None = None,
    last_rep: str | None = None,
    first_item: int | None = None,
) -> SessionRecorder:
    """Start recording `player`'s session: the row now, progress at every completed rep.

    The writes go to a writer thread, which opens the journal: the session never waits
    for it (a journal kept aside or that cannot be written says so in `take_notices`).
    The caller hands the recorder every Player event (`on_event`)."""
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
            first_item=first_item,
        )
    )
    return SessionRecorder(writer, timeline, player, first_item=first_item)
