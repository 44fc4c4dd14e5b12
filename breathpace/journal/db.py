"""The journal's SQLite file: opening it safely, its schema, and its migrations.

The journal is the person's own record, possibly months of it, so this module never
overwrites a file it does not understand: a damaged file (not SQLite, or failing
`PRAGMA integrity_check`) or one written by a newer breathpace is renamed aside with a
timestamp, a fresh journal is started, and a one-line notice says where the old one is.

The schema is versioned with `PRAGMA user_version`. `MIGRATIONS[i]` takes a journal
from version i to i+1 inside one transaction, so a journal of any older version is
brought up to date in steps and an interrupted upgrade leaves the old version intact.
WAL mode lets the history screen read while a session is being written, and each write
is its own short transaction: a process killed mid-session loses at most the last one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from breathpace import paths
from breathpace.safe_text import name_text

SQLITE_HEADER = b"SQLite format 3\x00"

# Version 1: sessions, per-exercise progress, check-ins and follow-ups.
SCHEMA_V1: tuple[str, ...] = (
    """
    CREATE TABLE session (
        id          INTEGER PRIMARY KEY,
        routine     TEXT NOT NULL,
        source      TEXT NOT NULL,
        mode        TEXT NOT NULL,
        pace        TEXT NOT NULL,
        tempo_scale REAL NOT NULL,
        planned_ms  INTEGER NOT NULL,
        played_ms   INTEGER NOT NULL DEFAULT 0,
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        outcome     TEXT CHECK (outcome IN ('completed', 'quit', 'interrupted', 'crashed'))
    )
    """,
    "CREATE INDEX session_started ON session (started_at)",
    "CREATE INDEX session_routine ON session (routine, started_at)",
    """
    CREATE TABLE progress (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        exercise   INTEGER NOT NULL,
        name       TEXT NOT NULL,
        side       TEXT NOT NULL DEFAULT '',
        sets       INTEGER NOT NULL,
        reps       INTEGER NOT NULL,
        reps_done  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, exercise, side)
    )
    """,
    """
    CREATE TABLE checkin (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        effort     INTEGER CHECK (effort BETWEEN 0 AND 10),
        pain       INTEGER CHECK (pain BETWEEN 0 AND 10),
        note       TEXT NOT NULL DEFAULT '',
        at         TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE followup (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        response   TEXT CHECK (response IN ('calmer', 'same', 'more sensitive')),
        pain       INTEGER CHECK (pain BETWEEN 0 AND 10),
        at         TEXT NOT NULL
    )
    """,
)

# Version 2: whole sets completed (back-filled from the reps), personal dose overrides,
# and a log of accepted suggestions, which the one-variable rule needs ("three easy
# sessions *since the last change*").
SCHEMA_V2: tuple[str, ...] = (
    "ALTER TABLE progress ADD COLUMN sets_done INTEGER NOT NULL DEFAULT 0",
    "UPDATE progress SET sets_done = MIN(sets, reps_done / reps) WHERE reps > 0",
    """
    CREATE TABLE dose (
        routine      TEXT NOT NULL,
        exercise     INTEGER NOT NULL,
        name         TEXT NOT NULL,
        reps         INTEGER CHECK (reps >= 1),
        sets         INTEGER CHECK (sets >= 1),
        hold_breaths REAL CHECK (hold_breaths > 0),
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (routine, exercise)
    )
    """,
    """
    CREATE TABLE dose_change (
        id        INTEGER PRIMARY KEY,
        routine   TEXT NOT NULL,
        kind      TEXT NOT NULL,
        exercise  INTEGER,
        summary   TEXT NOT NULL,
        why       TEXT NOT NULL,
        at        TEXT NOT NULL
    )
    """,
    "CREATE INDEX dose_change_routine ON dose_change (routine, at)",
)

# Version 3: the routine's title beside its name. `source` is from now on the routine
# file's resolved absolute path (older rows keep the path as it was typed), and the title
# lets a suggestion find the routine again when the file has moved.
SCHEMA_V3: tuple[str, ...] = ("ALTER TABLE session ADD COLUMN title TEXT NOT NULL DEFAULT ''",)

# Version 4: continuations. `continues` links a session played with `play --resume` to
# the session it carries on (kept, unlinked, if that one is deleted); `last_rep` is the
# last rep finished, "item|side|set|rep", where a later `--resume` picks up. Old rows
# get NULL in both, so older journals read as before.
SCHEMA_V4: tuple[str, ...] = (
    "ALTER TABLE session ADD COLUMN continues INTEGER REFERENCES session (id) ON DELETE SET NULL",
    "ALTER TABLE session ADD COLUMN last_rep TEXT",
)

# Version 5: a pace or tempo changed during a session (+/-), with the rep it took effect
# at ("item|side|set|rep", or NULL when it did not land on a rep) and when; and
# `first_item`, the item a session started part-way (`play --from N`) began at (NULL:
# from the start). Such a session plans only the items it covers.
SCHEMA_V5: tuple[str, ...] = (
    "ALTER TABLE session ADD COLUMN first_item INTEGER",
    """
    CREATE TABLE pace_change (
        session_id  INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        at_rep      TEXT,
        pace        TEXT NOT NULL,
        tempo_scale REAL NOT NULL,
        at          TEXT NOT NULL
    )
    """,
    "CREATE INDEX pace_change_session ON pace_change (session_id)",
)

Migration = tuple[str, ...] | Callable[[sqlite3.Connection], None]
#: MIGRATIONS[i] brings a journal from version i to version i + 1.
MIGRATIONS: tuple[Migration, ...] = (SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5)
SCHEMA_VERSION = len(MIGRATIONS)

OUTCOMES = ("completed", "quit", "interrupted", "crashed")

#: A session stopped before its first rep and within this much play is not a practice:
#: its row is deleted when it ends, so no count (history, streaks, suggestions,
#: exports) ever sees it.
NOT_PRACTICE_MS = 15_000
RESPONSES = ("calmer", "same", "more sensitive")


class JournalError(RuntimeError):
    """The journal could not be opened, read or written (a read-only folder, a full disk,
    a locked or damaged file). Every SQLite error from a journal connection arrives as
    this type, so callers (commands, screens) need not know the journal is SQLite."""


class _Cursor(sqlite3.Cursor):
    """A cursor whose errors (also while fetching rows) arrive as JournalError."""

    def execute(self, *args):
        with _as_journal_error():
            return super().execute(*args)

    def executemany(self, *args):
        with _as_journal_error():
            return super().executemany(*args)

    def fetchone(self):
        with _as_journal_error():
            return super().fetchone()

    def fetchmany(self, *args):
        with _as_journal_error():
            return super().fetchmany(*args)

    def fetchall(self):
        with _as_journal_error():
            return super().fetchall()

    def __next__(self):
        with _as_journal_error():
            return super().__next__()


class _Connection(sqlite3.Connection):
    """The journal's connection: `execute` and friends go through `_Cursor`."""

    def cursor(self, factory=_Cursor):
        return super().cursor(factory)

    def execute(self, *args):
        return self.cursor().execute(*args)

    def executemany(self, *args):
        return self.cursor().executemany(*args)


@contextlib.contextmanager
def _as_journal_error() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise JournalError(str(exc)) from exc


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    """Timestamps are stored as ISO 8601 in UTC, so they sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class Journal:
    """An open journal. `notice` is set when a damaged or newer file was kept aside."""

    conn: sqlite3.Connection
    path: Path
    notice: str | None = None
    notices: tuple[str, ...] = ()
    """The same, one line each, for a command to print one per line."""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE, so writers queue, never deadlock)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (a full disk): never leave a transaction
                # open, or every later write would fail too.
                with contextlib.suppress(JournalError, sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: How long a reader or the CLI waits for another process's write (a session's writer
#: holds the lock for milliseconds; a check-in saved from another terminal as long).
BUSY_TIMEOUT_S = 10.0


def open_journal(
    path: Path | None = None, *, now: datetime | None = None, busy_timeout: float = BUSY_TIMEOUT_S
) -> Journal:
    """Open (creating or upgrading) the journal; never silently replaces a bad file.

    `busy_timeout` is how long one statement waits for another process's write lock
    before failing with "database is locked"; the session's writer thread uses a short
    one and retries, so it can also notice that it is asked to stop."""
    path = Path(path) if path is not None else paths.journal_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"{path.parent}: cannot create the journal folder ({exc})") from None
    notice = None
    problem = journal_problem(path)
    if problem is not None:
        try:
            kept = _keep_aside(path, problem, now or now_utc())
        except OSError as exc:
            raise JournalError(f"{path}: cannot be moved aside ({exc.strerror or exc})") from None
        what = "is damaged" if problem == "corrupt" else "is from a newer breathpace"
        notice = f"The journal {path} {what}: it was kept as {kept} and a fresh one started."
    conn = None
    try:
        conn = _connect(path, busy_timeout)
        migrate(conn)
    except (JournalError, sqlite3.Error) as exc:
        if conn is not None:
            conn.close()
        # The cause is kept: the session's writer tells a busy journal from a broken one.
        raise JournalError(f"{path}: cannot open the journal ({exc})") from exc
    journal = Journal(conn=conn, path=path, notice=notice, notices=(notice,) if notice else ())
    # Sessions that could not be written when they were played (a full disk) wait
    # beside the journal; the first open that can write adds them.
    from breathpace.journal.records import import_pending

    added = import_pending(journal)
    if added:
        journal.notices = (*([notice] if notice else ()), *added)
        journal.notice = " ".join(journal.notices)
    return journal


#: How SQLite says a journal cannot be written now (a full disk, a read-only mount, a
#: folder where its shared-memory file cannot be made), as opposed to locked or damaged.
_CANNOT_WRITE = ("disk I/O error", "database or disk is full", "readonly", "unable to open")


def open_journal_for_reading(path: Path | None = None) -> Journal:
    """The journal for a command that only reads it (`history`, `export`): opened as
    usual when it can be, else, when only writing is impossible (a full disk), read
    as last saved without writing anything, with a notice saying so.

    A write-ahead-log journal needs to write even to be read (its shared-memory file),
    so the fallback opens the file as immutable: no locks, no log. Changes still in the
    log wait there, untouched, for the next open that can write."""
    path = Path(path) if path is not None else paths.journal_file()
    try:
        return open_journal(path)
    except JournalError as exc:
        if not any(words in str(exc) for words in _CANNOT_WRITE):
            raise
        failure = exc
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
    except sqlite3.Error:
        raise failure from None
    try:
        conn.row_factory = sqlite3.Row
        readable = user_version(conn) == SCHEMA_VERSION  # an older one needs upgrading
    except (sqlite3.Error, JournalError):
        readable = False
    if not readable:
        conn.close()
        raise failure from None
    log = path.with_name(path.name + "-wal")
    waiting = log.is_file() and log.stat().st_size > 0
    notice = f"The journal {path} cannot be written just now ({_reason(failure)}): it is shown " + (
        "as last saved; its newest changes wait until it can be written."
        if waiting
        else "as last saved."
    )
    return Journal(conn=conn, path=path, notice=notice, notices=(notice,))


def _reason(exc: Exception) -> str:
    text = str(exc)
    for words in _CANNOT_WRITE:
        if words in text:
            return words
    return text


def _connect(path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    # Autocommit mode: every write goes through Journal.transaction() explicitly.
    conn = sqlite3.connect(
        path,
        timeout=busy_timeout,
        isolation_level=None,
        check_same_thread=False,
        factory=_Connection,
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL keeps every committed transaction across a killed process;
    # only a power cut may lose the last few, which costs at most a rep or two.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _is_damage(exc: sqlite3.Error) -> bool:
    """Only "malformed" and "not a database" mean a damaged file. A busy or locked
    journal, or a folder we may not write, is a reason to stop, never to move it aside."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def journal_problem(path: Path) -> str | None:
    """ "corrupt", "newer" or None for a file that can be opened and upgraded.

    Raises JournalError when the file cannot be examined for another reason."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return "corrupt"
    except OSError as exc:
        raise JournalError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    conn = None
    try:
        # Read-write on purpose: after a killed session the first connection replays the
        # write-ahead log, which a read-only one may refuse (and we would call it damaged).
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            return "newer"
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in rows] != [("ok",)]:
            return "corrupt"
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return "corrupt"
        raise JournalError(f"{path}: cannot open the journal ({exc})") from None
    finally:
        if conn is not None:
            conn.close()
    return None


def _keep_aside(path: Path, problem: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.{problem}-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.{problem}-{stamp}-{n}")
    os.replace(path, kept)
    # The write-ahead log belongs to the file it was written for: it travels with it.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    return kept


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations, each in its own transaction; returns the version."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the write lock: another process may have just migrated.
            version = user_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                return version
            step = MIGRATIONS[version]
            if callable(step):
                step(conn)
            else:
                for statement in step:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


# Writes shared by the CLI and the screens.


def save_checkin(
    journal: Journal,
    session_id: int,
    *,
    effort: int | None,
    pain: int | None,
    note: str = "",
    now: datetime | None = None,
) -> None:
    """The after-session check-in (a second one replaces the first).

    A note typed in a terminal whose encoding is not UTF-8 reaches Python with its
    undecodable bytes kept as lone surrogates, which SQLite cannot store: those bytes
    are kept as visible `\\xNN` text instead, so the note is saved, never lost."""
    for name, value in (("effort", effort), ("pain", pain)):
        if value is not None and not 0 <= value <= 10:
            raise ValueError(f"{name} must be between 0 and 10")
    note = name_text(note)
    with journal.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO checkin (session_id, effort, pain, note, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (session_id, effort, pain, note.strip(), to_db(now or now_utc())),
        )


def save_followup(
    journal: Journal,
    session_id: int,
    *,
    response: str | None,
    pain: int | None,
    now: datetime | None = None,
) -> None:
    """The next-day answer; response None records that the question was skipped."""
    if response is not None and response not in RESPONSES:
        raise ValueError(f"response must be one of {', '.join(RESPONSES)}")
    if pain is not None and not 0 <= pain <= 10:
        raise ValueError("pain must be between 0 and 10")
    with journal.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO followup (session_id, response, pain, at) VALUES (?, ?, ?, ?)",
            (session_id, response, pain, to_db(now or now_utc())),
        )


def delete_session(journal: Journal, session_id: int) -> bool:
    """Remove a session with its progress, check-in and next-day answer (the rows go
    with it by ON DELETE CASCADE); False when there is no such session."""
    with journal.transaction() as conn:
        return conn.execute("DELETE FROM session WHERE id = ?", (session_id,)).rowcount > 0
