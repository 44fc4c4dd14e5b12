"""A session's journal writes as typed records, and sessions saved aside.

The recorder turns Player events into these records; the writer thread applies them
(`apply_write`) in order. When the journal cannot take them by the end of a session,
`save_pending` keeps them as a small JSON file beside the journal (or in the temporary
folder) and `import_pending`, called by every `open_journal`, adds them later. This
module knows nothing of how the journal is opened, so the opener can call it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: Pending sessions saved when the journal could not be written at all.
PENDING_GLOB = "journal-pending-*.json"


@dataclass(frozen=True)
class StartSession:
    """The session row and one progress row per planned item and side."""

    routine: str
    source: str
    title: str
    mode: str
    pace: str
    tempo_scale: float
    planned_ms: int
    started_at: str
    rows: tuple[tuple[int, str, str, int, int], ...]
    """(item number, side, name, sets, reps per set)."""
    continues: int | None = None
    """The session this one carries on (`play --resume`)."""
    last_rep: str | None = None
    """Where the continued session stopped ("item|side|set|rep")."""
    first_item: int | None = None
    """The item a session started part-way (`play --from N`) began at; None: the start."""


@dataclass(frozen=True)
class RepProgress:
    """One item's progress after a completed rep (absolute counts, so a replay is safe)."""

    exercise: int
    side: str
    name: str
    sets: int
    reps: int
    reps_done: int
    sets_done: int
    played_ms: int
    last_rep: str | None = None
    """This rep, "item|side|set|rep": where `play --resume` picks up."""


@dataclass(frozen=True)
class PaceChange:
    """The pace or tempo changed during the session (+/-), from the rep `at_rep`."""

    at_rep: str | None
    """The rep it took effect at ("item|side|set|rep"); None when not on a rep."""
    pace: str
    tempo_scale: float
    at: str
    """When it took effect (UTC, ISO 8601)."""


@dataclass(frozen=True)
class PlayedTime:
    played_ms: int


@dataclass(frozen=True)
class EndSession:
    ended_at: str
    outcome: str
    played_ms: int
    discard: bool = False
    """Stopped before its first rep within 15 s: not a practice, the row is deleted."""


JournalWrite = StartSession | RepProgress | PaceChange | PlayedTime | EndSession
KINDS: dict[str, type] = {
    cls.__name__: cls for cls in (StartSession, RepProgress, PaceChange, PlayedTime, EndSession)
}


def apply_write(conn: sqlite3.Connection, write: JournalWrite, session_id: int) -> int:
    """Apply one write inside the caller's transaction; returns the session's id."""
    match write:
        case StartSession():
            cur = conn.execute(
                "INSERT INTO session (routine, source, title, mode, pace, tempo_scale, "
                "planned_ms, started_at, continues, last_rep, first_item) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    write.routine,
                    write.source,
                    write.title,
                    write.mode,
                    write.pace,
                    write.tempo_scale,
                    write.planned_ms,
                    write.started_at,
                    write.continues,
                    write.last_rep,
                    write.first_item,
                ),
            )
            assert cur.lastrowid is not None  # an INSERT always sets it
            session_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO progress (session_id, exercise, name, side, sets, reps) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (session_id, n, name, side, sets, reps)
                    for n, side, name, sets, reps in write.rows
                ],
            )
        case RepProgress():
            # A live reload or a new pace may bring items the first timeline lacked.
            conn.execute(
                "INSERT OR IGNORE INTO progress (session_id, exercise, name, side, sets, reps)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, write.exercise, write.name, write.side, write.sets, write.reps),
            )
            # sets and reps too: a live reload may have changed what this item plans.
            conn.execute(
                "UPDATE progress SET reps_done = ?, sets_done = ?, sets = ?, reps = ? "
                "WHERE session_id = ? AND exercise = ? AND side = ?",
                (
                    write.reps_done,
                    write.sets_done,
                    write.sets,
                    write.reps,
                    session_id,
                    write.exercise,
                    write.side,
                ),
            )
            conn.execute(
                "UPDATE session SET played_ms = ?, last_rep = COALESCE(?, last_rep) WHERE id = ?",
                (write.played_ms, write.last_rep, session_id),
            )
        case PaceChange():
            conn.execute(
                "INSERT INTO pace_change (session_id, at_rep, pace, tempo_scale, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, write.at_rep, write.pace, write.tempo_scale, write.at),
            )
        case PlayedTime():
            conn.execute(
                "UPDATE session SET played_ms = ? WHERE id = ?", (write.played_ms, session_id)
            )
        case EndSession(discard=True):
            conn.execute("DELETE FROM session WHERE id = ?", (session_id,))
        case EndSession():
            conn.execute(
                "UPDATE session SET ended_at = ?, outcome = ?, played_ms = ? WHERE id = ?",
                (write.ended_at, write.outcome, write.played_ms, session_id),
            )
    return session_id


# ------------------------------------------------------ sessions saved aside


def to_json(writes: list[JournalWrite], session_id: int = 0, started_in: str = "") -> str:
    """`session_id` and `started_in` (the journal's path) name the row that already
    holds the start of the session, when one does."""
    return json.dumps(
        {
            "session_id": session_id,
            "journal": started_in,
            "writes": [{"kind": type(w).__name__, **asdict(w)} for w in writes],
        }
    )


def from_json(text: str) -> tuple[int, str, list[JournalWrite]]:
    data = json.loads(text)
    writes: list[JournalWrite] = []
    for item in data["writes"]:
        cls = KINDS[item.pop("kind")]
        if cls is StartSession:
            item["rows"] = tuple(tuple(r) for r in item["rows"])
        writes.append(cls(**item))
    if not writes or not isinstance(writes[0], StartSession):
        raise ValueError("a saved session starts with its session row")
    return int(data.get("session_id") or 0), str(data.get("journal") or ""), writes


def pending_folders(journal_path: Path) -> list[Path]:
    """Where `save_pending` puts a session the journal could not take."""
    # Per user: the temporary folder is shared.
    user = getattr(os, "getuid", lambda: "")()
    return [journal_path.parent, Path(tempfile.gettempdir()) / f"breathpace-pending-{user}"]


def save_pending(
    journal_path: Path, writes: list[JournalWrite], session_id: int = 0
) -> Path | None:
    """Save a session's writes as JSON beside the journal, else in the temporary folder."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = to_json(writes, session_id, str(journal_path))
    for folder in pending_folders(journal_path):
        target = folder / f"journal-pending-{stamp}-{os.getpid()}.json"
        tmp = target.with_suffix(".tmp")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            return target
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return None


def _row_holds_start(conn: sqlite3.Connection, session_id: int, start: StartSession) -> bool:
    if not session_id:
        return False
    row = conn.execute(
        "SELECT routine, started_at FROM session WHERE id = ?", (session_id,)
    ).fetchone()
    return row is not None and tuple(row) == (start.routine, start.started_at)


def import_pending(journal: Any) -> list[str]:
    """Add sessions saved by `save_pending` to the journal; returns notices, one each.

    A file is claimed by renaming it (so two processes never import it twice) and
    removed only after its session is committed; a failure puts it back. A session
    whose start the journal already holds (written before the journal failed) is
    completed in that row rather than added again."""
    notices: list[str] = []
    for folder in pending_folders(journal.path):
        try:
            files = sorted(folder.glob(PENDING_GLOB))
        except OSError:
            continue
        for file in files:
            try:
                if from_json(file.read_text(encoding="utf-8"))[1] != str(journal.path):
                    continue  # saved for another journal (another data folder)
            except (OSError, ValueError, TypeError, KeyError):
                continue  # not one of ours, or being written: left alone
            claimed = file.with_name(f"{file.name}.importing-{os.getpid()}")
            try:
                os.replace(file, claimed)
            except OSError:
                continue  # another process took it
            try:
                session_id, started_in, writes = from_json(claimed.read_text(encoding="utf-8"))
                start = writes[0]
                assert isinstance(start, StartSession)
                with journal.transaction() as conn:
                    same = started_in == str(journal.path)
                    if same and _row_holds_start(conn, session_id, start):
                        sid = session_id
                        rest = writes[1:]
                    else:
                        sid, rest = 0, writes
                    for w in rest:
                        sid = apply_write(conn, w, sid)
                claimed.unlink()
            except (OSError, ValueError, TypeError, KeyError, RuntimeError, sqlite3.Error):
                # RuntimeError: the journal's own error type (it wraps SQLite's).
                with contextlib.suppress(OSError):
                    os.replace(claimed, file)  # for the next time (or left to the person)
                continue
            notices.append(
                f"A session of {start.routine} started {start.started_at}, which could not "
                "be written at the time, was added to the journal."
            )
    return notices
