"""The journal file: created in WAL mode, upgraded in steps, never overwritten silently."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from breathpace import paths
from breathpace.journal import db
from breathpace.journal.db import SCHEMA_V1, SCHEMA_VERSION, open_journal, save_checkin

NOW = datetime(2026, 11, 25, 20, 0, 0, tzinfo=UTC)

# The version-1 schema exactly as released: journals in the wild were made with it.
FROZEN_V1 = (
    """CREATE TABLE session (
        id INTEGER PRIMARY KEY, routine TEXT NOT NULL, source TEXT NOT NULL,
        mode TEXT NOT NULL, pace TEXT NOT NULL, tempo_scale REAL NOT NULL,
        planned_ms INTEGER NOT NULL, played_ms INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL, ended_at TEXT,
        outcome TEXT CHECK (outcome IN ('completed', 'quit', 'interrupted', 'crashed')) )""",
    "CREATE INDEX session_started ON session (started_at)",
    "CREATE INDEX session_routine ON session (routine, started_at)",
    """CREATE TABLE progress (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        exercise INTEGER NOT NULL, name TEXT NOT NULL, side TEXT NOT NULL DEFAULT '',
        sets INTEGER NOT NULL, reps INTEGER NOT NULL, reps_done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, exercise, side) )""",
    """CREATE TABLE checkin (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        effort INTEGER CHECK (effort BETWEEN 0 AND 10),
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        note TEXT NOT NULL DEFAULT '', at TEXT NOT NULL )""",
    """CREATE TABLE followup (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        response TEXT CHECK (response IN ('calmer', 'same', 'more sensitive')),
        pain INTEGER CHECK (pain BETWEEN 0 AND 10), at TEXT NOT NULL )""",
)


def _sql(statement: str) -> str:
    return " ".join(statement.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split())


def make_v1(path):
    """A journal exactly as breathpace wrote it at schema version 1."""
    conn = sqlite3.connect(path)
    for statement in FROZEN_V1:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, played_ms, "
        "started_at, ended_at, outcome) VALUES ('glute-bridge', 'x.toml', 'tui', '4-0-6-0', 1, "
        "400000, 300000, '2026-11-20T08:00:00+00:00', '2026-11-20T08:06:00+00:00', 'quit')"
    )
    conn.executemany(
        "INSERT INTO progress (session_id, exercise, name, side, sets, reps, reps_done) "
        "VALUES (1, ?, ?, ?, ?, ?, ?)",
        [
            (1, "Pelvic tilt", "", 1, 5, 5),
            (2, "Glute bridge", "", 2, 8, 11),
            (3, "Open book", "left", 2, 5, 10),
            (3, "Open book", "right", 2, 5, 3),
        ],
    )
    conn.execute("INSERT INTO checkin VALUES (1, 3, 2, 'fine', '2026-11-20T08:07:00+00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_migrations_are_append_only():
    """Editing a released migration would leave existing journals on a different schema
    than new ones: change the schema only by adding a migration."""
    assert [_sql(x) for x in db.MIGRATIONS[0]] == [_sql(x) for x in FROZEN_V1]


def test_fresh_journal_is_wal_current_version_with_foreign_keys():
    with open_journal() as journal:
        assert journal.path == paths.journal_file()
        assert journal.notice is None
        conn = journal.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(db.JournalError) as err:
            save_checkin(journal, 999, effort=1, pain=1)  # no such session
        assert isinstance(err.value.__cause__, sqlite3.IntegrityError)


def test_migrates_a_v1_journal_keeping_its_data(tmp_path):
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    make_v1(path)
    with open_journal() as journal:
        assert journal.notice is None
        assert db.user_version(journal.conn) == 5
        rows = journal.conn.execute(
            "SELECT name, side, reps_done, sets_done FROM progress ORDER BY exercise, side"
        ).fetchall()
        assert [tuple(r) for r in rows] == [
            ("Pelvic tilt", "", 5, 1),
            ("Glute bridge", "", 11, 1),
            ("Open book", "left", 10, 2),
            ("Open book", "right", 3, 0),
        ]
        session = journal.conn.execute("SELECT routine, outcome FROM session").fetchone()
        assert tuple(session) == ("glute-bridge", "quit")
        assert journal.conn.execute("SELECT note FROM checkin").fetchone()[0] == "fine"
        # the v2 tables exist and work
        journal.conn.execute(
            "INSERT INTO dose (routine, exercise, name, reps, updated_at) "
            "VALUES ('glute-bridge', 2, 'Glute bridge', 9, 'now')"
        )
        assert journal.conn.execute("SELECT COUNT(*) FROM dose_change").fetchone()[0] == 0


def test_failed_migration_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "j.sqlite3"
    make_v1(path)

    def broken(conn):
        conn.execute("ALTER TABLE progress ADD COLUMN sets_done INTEGER")
        raise RuntimeError("power cut")

    monkeypatch.setattr(db, "MIGRATIONS", (SCHEMA_V1, broken))
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError):
        db.migrate(conn, target=2)
    assert db.user_version(conn) == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(progress)")]
    assert "sets_done" not in columns
    conn.close()


def test_not_sqlite_is_kept_aside_and_a_fresh_journal_starts():
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are my notes, not a database\n" * 50)
    with open_journal(now=NOW) as journal:
        kept = path.with_name("journal.sqlite3.corrupt-20261125T200000Z")
        assert kept.read_bytes().startswith(b"these are my notes")
        assert journal.notice is not None and "\n" not in journal.notice
        assert str(kept) in journal.notice and "damaged" in journal.notice
        assert db.user_version(journal.conn) == SCHEMA_VERSION
        assert journal.conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 0


def test_sqlite_failing_integrity_check_is_kept_aside():
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 1024")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE INDEX t_body ON t (body)")
    conn.executemany("INSERT INTO t (body) VALUES (?)", [(f"row {i} " * 20,) for i in range(400)])
    conn.commit()
    conn.close()
    raw = bytearray(path.read_bytes())
    assert len(raw) > 20 * 1024
    raw[10 * 1024 : 14 * 1024] = b"\xa5" * 4096  # scribble over a few pages in the middle
    path.write_bytes(bytes(raw))
    original = bytes(raw)

    with open_journal(now=NOW) as journal:
        kept = path.with_name("journal.sqlite3.corrupt-20261125T200000Z")
        assert kept.read_bytes() == original
        assert journal.notice is not None and str(kept) in journal.notice
        assert db.user_version(journal.conn) == SCHEMA_VERSION


def test_newer_version_is_kept_aside_untouched():
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    original = path.read_bytes()

    with open_journal(now=NOW) as journal:
        kept = path.with_name("journal.sqlite3.newer-20261125T200000Z")
        assert kept.read_bytes() == original
        assert journal.notice is not None
        assert "newer" in journal.notice and str(kept) in journal.notice
        assert db.user_version(journal.conn) == SCHEMA_VERSION


def test_keeping_aside_twice_in_one_second_never_overwrites(tmp_path):
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    for text in (b"first bad file", b"second bad file"):
        path.write_bytes(text * 10)
        open_journal(now=NOW).close()
    kept = sorted(p.name for p in path.parent.glob("journal.sqlite3.corrupt-*"))
    assert kept == [
        "journal.sqlite3.corrupt-20261125T200000Z",
        "journal.sqlite3.corrupt-20261125T200000Z-2",
    ]


def test_an_empty_file_is_simply_a_new_journal():
    path = paths.journal_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with open_journal() as journal:
        assert journal.notice is None
        assert db.user_version(journal.conn) == SCHEMA_VERSION


def test_checkin_and_followup_values_are_checked():
    with open_journal() as journal:
        journal.conn.execute(
            "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, "
            "started_at) VALUES ('r', 's', 'tui', '4-0-6-0', 1, 1000, '2026-11-25T08:00:00+00:00')"
        )
        with pytest.raises(ValueError, match="effort"):
            save_checkin(journal, 1, effort=11, pain=0)
        with pytest.raises(ValueError, match="response"):
            db.save_followup(journal, 1, response="worse", pain=2)
        db.save_followup(journal, 1, response="calmer", pain=1, now=NOW)
        db.save_followup(journal, 1, response="same", pain=2, now=NOW)  # replaces
        rows = journal.conn.execute("SELECT response, pain FROM followup").fetchall()
        assert [tuple(r) for r in rows] == [("same", 2)]


def test_a_locked_journal_is_an_error_never_kept_aside(monkeypatch):
    with open_journal() as journal:
        journal.conn.execute(
            "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, "
            "started_at) VALUES ('r', 's', 'tui', '4-0-6-0', 1, 1000, '2026-11-25T08:00:00+00:00')"
        )
    path = paths.journal_file()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE session SET played_ms = 1")
    real_connect = sqlite3.connect

    def impatient(*args, **kwargs):
        # Give up on the lock at once rather than after the real ten-second wait.
        return real_connect(*args, **{**kwargs, "timeout": 0.1})

    try:
        with monkeypatch.context() as patch:
            patch.setattr(sqlite3, "connect", impatient)
            with pytest.raises(db.JournalError) as err:
                open_journal()
        assert "locked" in str(err.value) and "\n" not in str(err.value)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert not list(path.parent.glob("*.corrupt-*"))
    with open_journal() as journal:
        assert journal.notice is None
        assert journal.conn.execute("SELECT played_ms FROM session").fetchone()[0] == 1


def test_a_failed_commit_leaves_no_transaction_open():
    with open_journal() as journal:
        with pytest.raises(db.JournalError) as err, journal.transaction() as conn:
            # A deferred foreign-key check fails at COMMIT, like a full disk would.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute("INSERT INTO checkin (session_id, at) VALUES (42, 'now')")
        assert isinstance(err.value.__cause__, sqlite3.IntegrityError)
        assert not journal.conn.in_transaction
        with journal.transaction() as conn:  # the next write works
            conn.execute(
                "INSERT INTO session (routine, source, mode, pace, tempo_scale, planned_ms, "
                "started_at) VALUES ('r', 's', 'tui', '4-0-6-0', 1, 1, '2026-11-25T08:00:00+00:00')"
            )
        assert journal.conn.execute("SELECT COUNT(*) FROM checkin").fetchone()[0] == 0
        assert journal.conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 1


def test_every_sqlite_error_of_the_journal_arrives_as_a_journal_error():
    """Callers catch the journal's own type: a failed statement, a failed write and a
    failure while reading rows all arrive as JournalError, with SQLite's message."""
    with open_journal() as journal:
        with pytest.raises(db.JournalError, match="no such table: missing_table") as err:
            journal.conn.execute("SELECT * FROM missing_table")
        assert isinstance(err.value.__cause__, sqlite3.OperationalError)
        with pytest.raises(db.JournalError, match="NOT NULL"), journal.transaction() as conn:
            conn.execute("INSERT INTO session (routine) VALUES ('r')")
        assert not journal.conn.in_transaction
        with pytest.raises(db.JournalError, match="missing_table"):
            journal.conn.executemany("INSERT INTO missing_table VALUES (?)", [(1,), (2,)])
        # an error raised while the rows are read, not when the statement starts
        journal.conn.create_function("boom", 1, lambda x: 1 // (x - 2))
        rows = journal.conn.execute("SELECT boom(value) FROM json_each('[1, 2, 3]')")
        with pytest.raises(db.JournalError, match="user-defined function raised"):
            rows.fetchall()
