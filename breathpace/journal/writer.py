"""The journal's writer thread: a session's writes, off the loop that keeps its time.

A write can wait: another process may hold the journal's write lock for seconds, the
disk may be full, the folder may have been deleted, the file overwritten. None of that
may move a cue or freeze the screen, so the session only *submits* its writes (the
typed records of `records`) to a queue, and one thread applies them, in order, each
batch in one transaction, on its own connection with a short busy timeout and retries.

The writer keeps every write of the session in memory until the session ends, so when
the journal fails mid-session nothing is lost:

- busy (another process writing): retried quietly, a little later each time;
- cannot be written (disk full, read-only, an I/O error): the person is told once, and
  the writes are retried every second until they land;
- deleted, replaced or overwritten with garbage (found by comparing the file at the
  path with the file this connection has open, and its first bytes with SQLite's
  header): the person is told once, a damaged file is kept aside as `open_journal`
  does at start, and the whole session is written again to a fresh journal;
- still failing when the session ends: the writes are saved beside the journal (or in
  the temporary folder when that is full too) as a small JSON file that the next
  `open_journal` adds to the journal.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path

from breathpace import paths
from breathpace.journal.db import (
    SQLITE_HEADER,
    Journal,
    JournalError,
    _keep_aside,
    now_utc,
    open_journal,
)
from breathpace.journal.records import (
    JournalWrite,
    apply_write,
    save_pending,
)

#: SQLite's own wait for a lock, per statement. Short, so the writer thread notices a
#: close() quickly; the retries below do the waiting.
BUSY_TIMEOUT_S = 0.05
#: Retries while another process holds the lock: quick at first, then at most this.
BUSY_RETRY_MAX_S = 0.25
#: Retries while the journal cannot be written (disk full, folder gone read-only).
RETRY_EVERY_S = 1.0
#: How long closing waits for a journal that is busy (another process writing).
CLOSE_WAIT_S = 10.0


# ---------------------------------------------------------------- the thread


class _FileGone(Exception):
    """The journal at the path is not the file this connection writes to any more."""


class _Damaged(Exception):
    """The journal's file no longer starts like an SQLite database."""


def _sqlite_cause(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind a JournalError (the journal wraps them), if any."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, sqlite3.Error):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _errorname(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def _is_busy(exc: sqlite3.Error) -> bool:
    return _errorname(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _is_damage(exc: sqlite3.Error) -> bool:
    return _errorname(exc).startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _is_unwritable(exc: sqlite3.Error) -> bool:
    """The journal is fine but cannot take a write now: worth retrying."""
    return _errorname(exc).startswith(
        ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN")
    )


def _open_fd_for(identity: tuple[int, int]) -> int | None:
    """A descriptor SQLite already holds on the journal (Linux: /proc/self/fd).

    The header is read through SQLite's own descriptor because opening and closing
    another one would drop every POSIX lock this process holds on the file, SQLite's
    included."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for name in names:
        try:
            fd = int(name)
            st = os.fstat(fd)
        except (ValueError, OSError):
            continue
        if (st.st_dev, st.st_ino) == identity:
            return fd
    return None


class JournalWriter:
    """Applies one session's writes to the journal on a thread of its own.

    `submit` never blocks; `flush` waits for what was submitted; `close` writes the
    rest (or saves it aside) and stops the thread. Notices for the person are collected
    here and taken with `take_notices` by the thread that shows them."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        busy_timeout: float = BUSY_TIMEOUT_S,
        retry_every: float = RETRY_EVERY_S,
    ):
        self.path = Path(path) if path is not None else paths.journal_file()
        self.error: str | None = None
        """Why the journal cannot be written right now (None when all is written)."""
        self._busy_timeout = busy_timeout
        self._retry_every = retry_every
        self._cond = threading.Condition()
        self._writes: list[JournalWrite] = []
        self._applied = 0
        """How many of `_writes` the open journal holds (0 after a fresh journal)."""
        self._session_id = 0
        self._journal: Journal | None = None
        self._identity: tuple[int, int] | None = None
        self._fd: int | None = None
        self._notices: deque[str] = deque()
        self._told_failure = False
        self._told_recovery = False
        self._broken = False
        self._stopping = False
        self._attempts = 0
        self._thread = threading.Thread(target=self._run, name="breathpace-journal", daemon=True)
        self._thread.start()

    # -- the session's side ---------------------------------------------------------

    def submit(self, write: JournalWrite) -> None:
        with self._cond:
            if self._stopping:
                return
            self._writes.append(write)
            self._cond.notify_all()

    @property
    def session_id(self) -> int:
        """The session's row id in the journal it is written to (0 until written)."""
        with self._cond:
            return self._session_id

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._writes) - self._applied

    @property
    def journal(self) -> Journal | None:
        return self._journal

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted is written; False if it was not in time (or
        the journal is failing: the writes stay queued)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._applied < len(self._writes) and not self._broken:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                if self.error is not None and self._last_attempt_covered >= len(self._writes):
                    return False  # failing: the retries go on in the thread
                self._cond.wait(left if left is None else min(left, 0.05))
            return self._applied == len(self._writes)

    def close(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Write what is left (waiting up to `timeout` for a busy journal), else save it
        aside with a notice; then stop the thread and close the connection."""
        with self._cond:
            if self._stopping:
                return
            self._stopping = True
            self._close_deadline = time.monotonic() + timeout
            self._cond.notify_all()
        self._thread.join(timeout + 5)

    def take_notices(self) -> list[str]:
        out = []
        while self._notices:
            out.append(self._notices.popleft())
        return out

    def _tell(self, text: str) -> None:
        self._notices.append(text)

    # -- the thread -------------------------------------------------------------------

    _last_attempt_covered = 0
    _close_deadline = 0.0

    def _run(self) -> None:
        delay = 0.0
        busy_retry = 0.01
        while True:
            with self._cond:
                if delay:
                    self._cond.wait(delay)
                while not self._stopping and (self._idle() or self._broken):
                    self._cond.wait()
                if self._idle() or self._broken:
                    break  # stopping, and nothing (more) can be written
                if self._stopping and delay and time.monotonic() >= self._close_deadline:
                    break
                end = len(self._writes)
            outcome = self._attempt(end)
            with self._cond:
                self._last_attempt_covered = end
                self._cond.notify_all()
            if outcome == "ok":
                delay, busy_retry = 0.0, 0.01
            elif outcome == "busy":
                delay, busy_retry = busy_retry, min(BUSY_RETRY_MAX_S, busy_retry * 2)
            elif outcome == "again":
                delay = 0.0
            else:  # "failed": the journal cannot be written now
                # Closing does not wait out a full disk: one more try, then aside.
                delay = 0.05 if self._stopping else self._retry_every
                if self._stopping and self._attempts_while_stopping():
                    break
        self._finish()

    def _attempts_while_stopping(self) -> bool:
        self._attempts += 1
        return self._attempts >= 2

    def _idle(self) -> bool:
        return self._applied >= len(self._writes)

    def _attempt(self, end: int) -> str:
        """One try at writing `_writes[_applied:end]`: "ok", "busy", "failed" or
        "again" (the journal was replaced by a fresh one: write everything there)."""
        try:
            if self._journal is None:
                self._open()
            self._check_file()
            assert self._journal is not None
            sid = self._session_id
            with self._journal.transaction() as conn:
                for write in self._writes[self._applied : end]:
                    sid = apply_write(conn, write, sid)
        except _FileGone:
            self._reset(
                f"The journal {self.path} was deleted or moved during this session: "
                "this session is kept and written to a new journal there."
            )
            return "again"
        except _Damaged:
            self._keep_damaged_aside(None)
            return "again"
        except (JournalError, sqlite3.Error) as exc:
            cause = _sqlite_cause(exc)
            if cause is None:  # the folder cannot be made, the file cannot be read
                return self._failed(str(exc))
            if _is_busy(cause):
                return "busy"
            if _is_damage(cause):
                self._keep_damaged_aside(cause)
                return "again"
            if _is_unwritable(cause):
                return self._failed(f"{self.path}: {cause}")
            # Anything else (a schema someone changed by hand) will not get better.
            with self._cond:
                self._broken = True
                self.error = (
                    f"The journal could not be written ({cause}); practice goes on unrecorded."
                )
            self._tell(self.error)
            return "failed"
        with self._cond:
            self._session_id = sid
            self._applied = end
            recovered = self.error is not None
            self.error = None
        if recovered and self._told_failure and not self._told_recovery:
            self._told_recovery = True
            self._tell("The journal can be written again: this session is recorded in full.")
        return "ok"

    def _failed(self, reason: str) -> str:
        with self._cond:
            first = self.error is None
            self.error = (
                f"The journal cannot be written ({reason}): this session is kept "
                "and written as soon as it can be."
            )
        if first and not self._told_failure:
            self._told_failure = True
            self._tell(self.error)
        return "failed"

    def _reset(self, notice: str) -> None:
        """Drop the connection to a file that is gone or damaged; the next attempt opens
        the journal at its path afresh (keeping a damaged file aside) and writes the
        whole session there."""
        self._close_journal()
        with self._cond:
            self._applied = 0
            self._session_id = 0
        if not self._told_failure:
            self._told_failure = True
            self._told_recovery = True  # the notice already says where it goes
            self._tell(notice)

    def _keep_damaged_aside(self, exc: sqlite3.Error | None) -> None:
        """Rename the damaged file (and its log) aside *before* closing the connection:
        closing checkpoints the log into the database file, and into the garbage at the
        path that would make a hybrid that might even pass for a journal."""
        kept = None
        with contextlib.suppress(OSError):
            if os.path.exists(self.path):
                kept = _keep_aside(self.path, "corrupt", now_utc())
        why = f" ({exc})" if exc is not None else ""
        where = f"it was kept as {kept}" if kept is not None else "it was left as it is"
        self._reset(
            f"The journal {self.path} was damaged during this session{why}: {where}, "
            "and this session is written to a fresh journal."
        )

    def _open(self) -> None:
        journal = open_journal(self.path, busy_timeout=self._busy_timeout)
        try:
            st = os.stat(self.path)
        except OSError as exc:
            journal.close()
            raise JournalError(f"{self.path}: {exc.strerror or exc}") from None
        self._journal = journal
        self._identity = (st.st_dev, st.st_ino)
        self._fd = None
        if journal.notice:
            self._tell(journal.notice)

    def _check_file(self) -> None:
        """Is the file at the path still the one this connection writes, and whole?"""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise _FileGone from None
        except OSError as exc:
            raise JournalError(f"{self.path}: {exc.strerror or exc}") from None
        if (st.st_dev, st.st_ino) != self._identity or st.st_nlink == 0:
            raise _FileGone
        if st.st_size == 0:
            # Emptied under us (SQLite never truncates a WAL database to nothing).
            raise _Damaged
        fd = self._fd
        if fd is not None:
            try:
                fst = os.fstat(fd)
                if (fst.st_dev, fst.st_ino) != self._identity:
                    fd = None
            except OSError:
                fd = None
        if fd is None:
            assert self._identity is not None
            fd = self._fd = _open_fd_for(self._identity)
        if fd is None:
            return  # no /proc: the identity check above is what there is
        try:
            header = os.pread(fd, len(SQLITE_HEADER), 0)
        except OSError:
            return
        if header != SQLITE_HEADER:
            raise _Damaged

    def _close_journal(self) -> None:
        if self._journal is not None:
            with contextlib.suppress(JournalError, sqlite3.Error):
                self._journal.close()
        self._journal = None
        self._identity = None
        self._fd = None

    def _finish(self) -> None:
        """The session is over: what could not be written is saved aside, to be added
        (or completed, in the row that holds its start) when the journal next opens."""
        with self._cond:
            unwritten = self._applied < len(self._writes) and not self._broken
            writes = list(self._writes)
            session_id = self._session_id if self._applied else 0
        if unwritten:
            saved = save_pending(self.path, writes, session_id)
            if saved is not None:
                self._tell(
                    f"The journal could not be written: this session was saved as {saved} "
                    "and is added to the journal the next time it opens."
                )
            else:
                self._tell("The journal could not be written: this session was not recorded.")
        self._close_journal()
        with self._cond:
            self._cond.notify_all()
