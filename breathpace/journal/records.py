"""A session's journal writes as typed records, and sessions saved aside.

The recorder turns Player events into these records; the writer thread applies them
(`apply_write`) in order. When the journal cannot take them by the end of a session,
`save_pending` keeps them as a small JSON file beside the journal (or in the person's
state or runtime folder) and `import_pending`, called by every `open_journal`, adds
them later. This module knows nothing of how the journal is opened, so the opener can
call it.

A folder of saved sessions is used only when it is the person's own and nobody else
can write in it: whatever is found there goes into the journal. Even then every file is
read as untrusted input, checked field by field like a routine file: a bad one is named
in one line and set aside, never half-added.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import sqlite3
import stat
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter, ValidationError

from breathpace import paths
from breathpace.safe_text import CONTROL_RE, quote

#: Pending sessions saved when the journal could not be written at all.
PENDING_GLOB = "journal-pending-*.json"

#: The largest saved session read back. A four-hour session of one-breath reps writes
#: a few thousand small records, well under a megabyte.
MAX_PENDING_BYTES = 4_000_000

#: Where sessions were saved before they moved to the person's own folders: still
#: read (never written) when it passes the same owner and mode check.
LEGACY_TMP_NAME = "breathpace-pending-{uid}"

_OUTCOMES = ("completed", "quit", "interrupted", "crashed")


def _plain_text(value: str) -> str:
    if CONTROL_RE.search(value):
        raise ValueError("must not contain control characters")
    return value


def _moment(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not a date and time ({quote(value)})") from None
    return value


def _outcome(value: str) -> str:
    if value not in _OUTCOMES:
        raise ValueError(f"must be one of {', '.join(_OUTCOMES)}")
    return value


def _finite_positive(value: float) -> float:
    if not math.isfinite(value) or value <= 0 or value > 100:
        raise ValueError("must be a number above 0 and at most 100")
    return value


# Field types: a saved session is read back as untrusted input, so each says its bounds.
_Text = Annotated[str, Field(max_length=4096), AfterValidator(_plain_text)]
_Moment = Annotated[str, Field(max_length=64), AfterValidator(_moment)]
_Count = Annotated[int, Field(ge=0, le=1_000_000)]
_Ms = Annotated[int, Field(ge=0, le=7 * 24 * 3600 * 1000)]
_Row = tuple[_Count, _Text, _Text, _Count, _Count]
_STRICT = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class StartSession:
    """The session row and one progress row per planned item and side."""

    __pydantic_config__ = _STRICT

    routine: _Text
    source: _Text
    title: _Text
    mode: _Text
    pace: _Text
    tempo_scale: Annotated[float, AfterValidator(_finite_positive)]
    planned_ms: _Ms
    started_at: _Moment
    rows: Annotated[tuple[_Row, ...], Field(max_length=10_000)]
    """(item number, side, name, sets, reps per set)."""
    continues: _Count | None = None
    """The session this one carries on (`play --resume`)."""
    last_rep: _Text | None = None
    """Where the continued session stopped ("item|side|set|rep")."""
    first_item: int | None = None
    """The item a session started part-way (`play --from N`) began at; None: the start."""


@dataclass(frozen=True)
class RepProgress:
    """One item's progress after a completed rep (absolute counts, so a replay is safe)."""

    __pydantic_config__ = _STRICT

    exercise: _Count
    side: _Text
    name: _Text
    sets: _Count
    reps: _Count
    reps_done: _Count
    sets_done: _Count
    played_ms: _Ms
    last_rep: _Text | None = None
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
    __pydantic_config__ = _STRICT

    played_ms: _Ms


@dataclass(frozen=True)
class EndSession:
    __pydantic_config__ = _STRICT

    ended_at: _Moment
    outcome: Annotated[str, AfterValidator(_outcome)]
    played_ms: _Ms
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


class PendingFileError(ValueError):
    """A saved session that cannot be read back; the message names the field."""


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def _first_problem(exc: ValidationError, prefix: str) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
    msg = {
        "unexpected_keyword_argument": "unknown key",
        "extra_forbidden": "unknown key",
        "missing": "is required but missing",
        "missing_argument": "is required but missing",
    }.get(err["type"]) or str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def from_json(text: str) -> tuple[int, str, list[JournalWrite]]:
    """A saved session, each record checked for its kind, fields, types and bounds.
    Raises PendingFileError naming the first bad field."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PendingFileError(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise PendingFileError("not a saved session (the file holds no object)")
    unknown = sorted(set(data) - {"session_id", "journal", "writes"})
    if unknown:
        raise PendingFileError(f"unknown key {quote(unknown[0])}")
    session_id = data.get("session_id", 0)
    if type(session_id) is not int or not 0 <= session_id < 2**62:
        raise PendingFileError("session_id: must be a whole number of at least 0")
    journal = data.get("journal", "")
    if not isinstance(journal, str) or CONTROL_RE.search(journal) or len(journal) > 4096:
        raise PendingFileError("journal: must be the path of a journal")
    items = data.get("writes")
    if not isinstance(items, list) or not items:
        raise PendingFileError("writes: must be a list of at least one record")
    writes: list[JournalWrite] = []
    for i, item in enumerate(items):
        where = f"writes[{i}]"
        if not isinstance(item, dict):
            raise PendingFileError(f"{where}: must be a record")
        kind = item.get("kind")
        cls = KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise PendingFileError(f"{where}.kind: must be one of {', '.join(KINDS)}")
        fields = {k: v for k, v in item.items() if k != "kind"}
        try:
            writes.append(_adapter(cls).validate_json(json.dumps(fields), strict=True))
        except ValidationError as exc:
            raise PendingFileError(_first_problem(exc, where)) from None
    if not isinstance(writes[0], StartSession):
        raise PendingFileError("writes[0]: a saved session starts with its session row")
    return session_id, journal, writes


def folder_problem(folder: Path) -> str | None:
    """Why `folder` must not hold saved sessions, or None when it is a real folder that
    belongs to this user and that nobody else can write in (a planted session would be
    added to the journal; a folder of someone else's could read the person's)."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be checked ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link, not a folder of your own"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    uid = getattr(os, "getuid", lambda: None)()
    if uid is not None and info.st_uid != uid:
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"can be written by others (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _legacy_folder() -> Path:
    uid = getattr(os, "getuid", lambda: "")()
    return Path(tempfile.gettempdir()) / LEGACY_TMP_NAME.format(uid=uid)


def pending_folders(journal_path: Path) -> list[Path]:
    """Where `save_pending` puts a session the journal could not take, in order: beside
    the journal, in the person's state folder, in their runtime folder."""
    runtime = paths.runtime_pending_dir()
    return [journal_path.parent, paths.pending_dir(), *([runtime] if runtime else [])]


def _make_private(folder: Path, journal_folder: bool) -> bool:
    """Create `folder` (0700) if it is missing; True when it may take a saved session."""
    if not journal_folder:
        runtime = paths.runtime_pending_dir()
        try:
            # The runtime folder itself is the system's to make; only ours inside it.
            if runtime is not None and folder == runtime:
                folder.parent.mkdir(mode=0o700, exist_ok=True)
                folder.mkdir(mode=0o700, exist_ok=True)
            else:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    return folder_problem(folder) is None


def save_pending(
    journal_path: Path, writes: list[JournalWrite], session_id: int = 0
) -> Path | None:
    """Save a session's writes as JSON (private to the person) in the first folder of
    `pending_folders` that is theirs alone and can take it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = to_json(writes, session_id, str(journal_path))
    for n, folder in enumerate(pending_folders(journal_path)):
        if not _make_private(folder, journal_folder=n == 0):
            continue
        target = folder / f"journal-pending-{stamp}-{os.getpid()}.json"
        tmp = target.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
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


def read_pending(file: Path) -> str:
    """The text of a saved-session file, read only if it is a plain file of this user's
    and of a sane size (a FIFO would block, a link could point anywhere)."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PendingFileError("is a symbolic link, not a saved session") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PendingFileError("is not a plain file")
        uid = getattr(os, "getuid", lambda: None)()
        if uid is not None and info.st_uid != uid:
            raise PendingFileError(f"belongs to another user (uid {info.st_uid})")
        if info.st_size > MAX_PENDING_BYTES:
            raise PendingFileError(f"is larger than {MAX_PENDING_BYTES:,} bytes")
        raw = fh.read(MAX_PENDING_BYTES + 1)
    if len(raw) > MAX_PENDING_BYTES:
        raise PendingFileError(f"is larger than {MAX_PENDING_BYTES:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PendingFileError("is not UTF-8 text") from None


def _set_aside(file: Path) -> str:
    """Rename a bad file so it is told once, and kept for the person to look at."""
    kept = file.with_name(file.name + ".bad")
    try:
        os.replace(file, kept)
    except OSError:
        return "it was left where it is"
    return f"it was kept as {kept.name}"


def import_pending(journal: Any) -> list[str]:
    """Add sessions saved by `save_pending` to the journal; returns notices, one each
    (one line per session added, per bad file and per folder that is not used).

    A file is claimed by renaming it (so two processes never import it twice) and
    removed only after its session is committed; a failure puts it back. A session
    whose start the journal already holds (written before the journal failed) is
    completed in that row rather than added again."""
    notices: list[str] = []
    folders = pending_folders(journal.path)
    legacy = _legacy_folder()
    for n, folder in enumerate([*folders, legacy]):
        try:
            files = sorted(folder.glob(PENDING_GLOB))
        except OSError:
            continue
        problem = folder_problem(folder)
        if problem is not None:
            # The journal's own folder is only a place for saved sessions when it is
            # private; it is named only when it holds some. The others always are.
            dedicated = 0 < n < len(folders)
            if dedicated or files:
                notices.append(
                    f"{folder} {problem}: saved sessions there are not read (make it yours, "
                    "mode 0700, or remove it)."
                )
            continue
        for file in files:
            try:
                _, journal_of_file, _ = from_json(read_pending(file))
                if journal_of_file != str(journal.path):
                    continue  # saved for another journal (another data folder)
            except PendingFileError as exc:
                notices.append(f"{file}: {exc}; {_set_aside(file)}.")
                continue
            except OSError:
                continue  # gone meanwhile, or taken by another process
            claimed = file.with_name(f"{file.name}.importing-{os.getpid()}")
            try:
                os.replace(file, claimed)
            except OSError:
                continue  # another process took it
            try:
                session_id, started_in, writes = from_json(read_pending(claimed))
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
