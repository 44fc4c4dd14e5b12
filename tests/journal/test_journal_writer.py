"""The journal's writer thread on a real SQLite file: order, retries, failures, shutdown."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest

from breathpace import paths
from breathpace.journal import history as h
from breathpace.journal.db import open_journal
from breathpace.journal.records import (
    EndSession,
    PlayedTime,
    RepProgress,
    StartSession,
    import_pending,
)
from breathpace.journal.writer import JournalWriter

START = StartSession(
    routine="quick",
    source="/somewhere/quick.toml",
    title="Quick",
    mode="test",
    pace="1-0-1-0",
    tempo_scale=1.0,
    planned_ms=60_000,
    started_at="2026-11-30T08:00:00+00:00",
    rows=((1, "", "Pelvic tilt", 1, 50),),
)


def rep(n: int) -> RepProgress:
    return RepProgress(1, "", "Pelvic tilt", 1, 50, reps_done=n, sets_done=0, played_ms=n * 600)


def rows() -> list[tuple]:
    conn = sqlite3.connect(paths.journal_file())
    try:
        return conn.execute(
            "SELECT s.routine, s.title, s.outcome, s.played_ms, p.reps_done "
            "FROM session s JOIN progress p ON p.session_id = s.id AND p.exercise = 1 ORDER BY s.id"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def writer():
    w = JournalWriter(retry_every=0.05)
    yield w
    w.close(timeout=1)


def hold_lock(seconds: float) -> threading.Thread:
    """Another connection holds the write lock for `seconds` (taken before returning)."""
    taken = threading.Event()

    def run() -> None:
        conn = sqlite3.connect(paths.journal_file(), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        taken.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert taken.wait(5)
    return thread


def test_writes_land_in_the_order_they_were_submitted(writer):
    writer.submit(START)
    assert writer.flush(5) and writer.session_id > 0
    lock = hold_lock(0.4)
    for n in range(1, 31):  # all queued behind the lock, then applied in one go
        writer.submit(rep(n))
        writer.submit(PlayedTime(n * 600 + 1))
    lock.join()
    assert writer.flush(5)
    assert rows() == [("quick", "Quick", None, 30 * 600 + 1, 30)]


def test_a_busy_journal_is_retried_quietly(writer):
    writer.submit(START)
    assert writer.flush(5)
    lock = hold_lock(0.6)
    writer.submit(rep(1))
    assert not writer.flush(0.2)  # still waiting for the lock
    assert writer.pending == 1 and writer.error is None
    lock.join()
    assert writer.flush(5)
    assert writer.take_notices() == []
    assert rows()[0][4] == 1


def test_submit_never_waits_for_the_journal(writer):
    writer.submit(START)
    assert writer.flush(5)
    lock = hold_lock(0.5)
    t0 = time.perf_counter()
    for n in range(1, 101):
        writer.submit(rep(n))
    assert time.perf_counter() - t0 < 0.05
    lock.join()
    assert writer.flush(5)


def test_closing_writes_everything_first(writer):
    writer.submit(START)
    for n in range(1, 6):
        writer.submit(rep(n))
    writer.submit(EndSession("2026-11-30T08:05:00+00:00", "completed", 3000))
    writer.close()
    assert rows() == [("quick", "Quick", "completed", 3000, 5)]


def test_closing_waits_for_a_busy_journal(writer):
    writer.submit(START)
    assert writer.flush(5)
    lock = hold_lock(0.8)
    writer.submit(EndSession("2026-11-30T08:05:00+00:00", "completed", 3000))
    writer.close(timeout=5)
    lock.join()
    assert rows()[0][2] == "completed"


def test_a_full_journal_is_told_once_and_written_when_it_can_be(writer):
    writer.submit(START)
    assert writer.flush(5)
    conn = writer.journal.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    # A real SQLITE_FULL: the database may not grow by a page.
    conn.execute(f"PRAGMA max_page_count = {pages}")
    # A new item with a long name: the journal must grow to take it.
    big = RepProgress(2, "", "x" * 20_000, 1, 50, reps_done=1, sets_done=0, played_ms=600)
    writer.submit(big)
    assert not writer.flush(1)
    for n in range(2, 6):
        writer.submit(rep(n))
        time.sleep(0.06)
    assert writer.error is not None and "full" in writer.error
    notices = writer.take_notices()
    assert len(notices) == 1 and "cannot be written" in notices[0]
    conn.execute("PRAGMA max_page_count = 1073741823")
    deadline = time.monotonic() + 5
    while writer.pending and time.monotonic() < deadline:  # the next retry writes it all
        time.sleep(0.02)
    assert writer.flush(5) and writer.error is None
    assert writer.take_notices() == [
        "The journal can be written again: this session is recorded in full."
    ]
    assert rows()[0][4] == 5


def test_a_deleted_journal_gets_the_whole_session_again(writer):
    writer.submit(START)
    writer.submit(rep(1))
    assert writer.flush(5)
    for suffix in ("", "-wal", "-shm"):
        paths.journal_file().with_name(paths.journal_file().name + suffix).unlink(missing_ok=True)
    writer.submit(rep(2))
    assert writer.flush(5)
    notices = writer.take_notices()
    assert len(notices) == 1 and "deleted" in notices[0]
    assert rows() == [("quick", "Quick", None, 1200, 2)]


def test_a_journal_still_full_at_the_end_is_saved_and_completed_next_time():
    writer = JournalWriter(retry_every=0.05)
    writer.submit(START)
    writer.submit(rep(1))
    assert writer.flush(5)
    conn = writer.journal.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    writer.submit(rep(2))
    for item in range(2, 12):  # more than the pages left (names as long as a saved one may be)
        writer.submit(RepProgress(item, "", "y" * 4_000, 1, 50, 1, 0, 1200))
    writer.submit(EndSession("2026-11-30T08:05:00+00:00", "completed", 1800))
    writer.close(timeout=1)
    notices = writer.take_notices()
    saved = [n for n in notices if "saved as" in n]
    assert len(saved) == 1
    assert rows()[0][2] is None  # the journal holds only the start...
    with open_journal() as journal:  # ...until it is next opened
        assert journal.notice is not None and "added to the journal" in journal.notice
    assert rows() == [("quick", "Quick", "completed", 1800, 2)]  # the same row, completed
    with open_journal() as journal:
        assert journal.notice is None and import_pending(journal) == []


def test_a_routine_found_by_its_title_when_the_file_was_renamed(user_routines_dir):
    routine = """
format = 1
title = "My slow bridges"
pace = "4-0-6-0"

[[exercise]]
name = "Glute bridge"
reps = 5
phases = [
  { move = "lift", breath = "exhale", breaths = 1, effort = true },
  { move = "lower", breath = "inhale", breaths = 1 },
]
"""
    (user_routines_dir / "bridges-renamed.toml").write_text(routine)
    with open_journal() as journal, journal.transaction() as conn:
        conn.execute(
            "INSERT INTO session (routine, source, title, mode, pace, tempo_scale, planned_ms, "
            "started_at) VALUES ('old-bridges', '/gone/old-bridges.toml', 'My slow bridges', "
            "'plain', '4-0-6-0', 1.0, 1000, ?)",
            (datetime(2026, 11, 1, tzinfo=UTC).isoformat(),),
        )
    with open_journal() as journal:
        found = h.routine_file(journal, "old-bridges")
        assert found is not None and found.title == "My slow bridges"
        assert h.suggestion_for(journal, "old-bridges") is not None


def test_a_routine_nowhere_to_be_found_is_rebuilt_from_what_was_played():
    with open_journal() as journal:
        sid = 0
        with journal.transaction() as conn:
            from breathpace.journal.records import apply_write

            sid = apply_write(conn, START, 0)
            apply_write(conn, rep(7), sid)
        found = h.routine_file(journal, "quick")
        assert found is not None and found.title == "Quick"
        assert [(e.name, e.sets, e.reps) for e in found.exercise] == [("Pelvic tilt", 1, 50)]
        suggestion = h.suggestion_for(journal, "quick")
        assert suggestion is not None
