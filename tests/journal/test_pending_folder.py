"""Sessions saved aside when the journal was full wait in a folder only the person can
write; whatever is found there is read as untrusted input.

The stories: another user on the machine creates the folder first, or makes it writable
for everyone, and plants a session; a careless copy leaves junk, a link or a FIFO in
it. None of it reaches the journal, each says so in one line, and the planted files
are left where they are.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace import paths
from breathpace.cli import main
from breathpace.journal.db import open_journal
from breathpace.journal.records import (
    EndSession,
    StartSession,
    save_pending,
    to_json,
)

START = StartSession(
    routine="quick",
    source="/somewhere/quick.toml",
    title="Quick",
    mode="tui",
    pace="4-0-6-0",
    tempo_scale=1.0,
    planned_ms=60_000,
    started_at="2026-11-30T08:00:00+00:00",
    rows=((1, "", "Pelvic tilt", 1, 8),),
)
END = EndSession("2026-11-30T08:01:00+00:00", "completed", 60_000)
NOBODY = 65534


def sessions() -> list[str]:
    conn = sqlite3.connect(paths.journal_file())
    try:
        return [r[0] for r in conn.execute("SELECT routine FROM session")]
    finally:
        conn.close()


def forged(routine: str = "FORGED") -> str:
    start = START.__class__(**{**START.__dict__, "routine": routine})
    return to_json([start, END], 0, str(paths.journal_file()))


@pytest.fixture
def journal_ready():
    with open_journal():
        pass  # the journal exists, empty
    return paths.journal_file()


@pytest.fixture
def no_legacy(tmp_path, monkeypatch):
    """The shared temporary folder of this test, so the old /tmp place is its own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp"


def test_a_session_the_journal_cannot_take_is_kept_private(journal_ready, no_legacy):
    # The journal's folder is writable by the group (umask 002): not a place for it.
    journal_ready.parent.chmod(0o775)
    saved = save_pending(journal_ready, [START, END])
    assert saved is not None and saved.parent == paths.pending_dir()
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    journal_ready.parent.chmod(0o755)
    with open_journal() as journal:
        assert journal.notice is not None and "was added to the journal" in journal.notice
    assert sessions() == ["quick"]


@pytest.mark.parametrize(
    ("owner", "mode", "words"),
    [
        (NOBODY, 0o700, "belongs to another user (uid 65534)"),
        (None, 0o777, "can be written by others (mode 0777)"),
        (None, 0o770, "can be written by others (mode 0770)"),
    ],
    ids=["other-owner", "world-writable", "group-writable"],
)
def test_a_folder_someone_else_could_write_is_refused(journal_ready, no_legacy, owner, mode, words):
    folder = paths.pending_dir()
    folder.mkdir(parents=True)
    plant = folder / "journal-pending-20261130T080000Z-1.json"
    plant.write_text(forged())
    folder.chmod(mode)
    if owner is not None:
        os.chown(folder, owner, -1)
        os.chown(plant, owner, -1)
    before = plant.read_bytes()

    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if str(folder) in line]
    assert lines == [
        f"breathpace: {folder} {words}: saved sessions there are not read "
        "(make it yours, mode 0700, or remove it)."
    ]
    assert "FORGED" not in result.output
    assert sessions() == []
    assert plant.read_bytes() == before  # touched nothing
    # ... and nothing is saved there either.
    saved = save_pending(journal_ready.parent / "elsewhere" / "j.sqlite3", [START, END])
    assert saved is None or saved.parent != folder


def test_the_old_shared_tmp_folder_made_by_another_user_is_refused(journal_ready, no_legacy):
    old = no_legacy / f"breathpace-pending-{os.getuid()}"
    old.mkdir(mode=0o777)
    old.chmod(0o777)
    os.chown(old, NOBODY, -1)
    (old / "journal-pending-20261130T080000Z-1.json").write_text(forged())
    with open_journal() as journal:
        assert journal.notice == (
            f"{old} belongs to another user (uid 65534): saved sessions there are not "
            "read (make it yours, mode 0700, or remove it)."
        )
    assert sessions() == []


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _link(p: Path) -> None:
    target = p.parent / "elsewhere.json"
    target.write_text(forged())
    p.symlink_to(target)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_text("{not json"), "not JSON"),
        (lambda p: p.write_text("[]"), "not a saved session"),
        (lambda p: p.write_bytes(b'{"writes": "\xff"}'), "is not UTF-8 text"),
        (lambda p: p.write_text(forged("\x1b]0;pwned\x07")), "writes[0].routine: must not"),
        (
            lambda p: p.write_text(forged().replace('"StartSession"', '"DropTable"')),
            "writes[0].kind: must be one of",
        ),
        (
            lambda p: p.write_text(forged().replace('"completed"', '"hacked"')),
            "writes[1].outcome: must be one of completed",
        ),
        (
            lambda p: p.write_text(forged().replace('"planned_ms": 60000', '"planned_ms": -5')),
            "writes[0].planned_ms: Input should be greater than or equal to 0",
        ),
        (
            lambda p: p.write_text(forged().replace('"planned_ms": 60000', '"planned_ms": "9"')),
            "writes[0].planned_ms: Input should be a valid integer",
        ),
        (
            lambda p: p.write_text(forged().replace('"mode": "tui"', '"mode": "tui", "x": 1')),
            "writes[0].x: unknown key",
        ),
        (
            lambda p: p.write_text(forged().replace("2026-11-30T08:00:00+00:00", "yesterday")),
            'writes[0].started_at: is not a date and time ("yesterday")',
        ),
        (
            lambda p: p.write_text(forged().replace(', "rows"', ', "title2": 1, "rows"')),
            "writes[0].title2: unknown key",
        ),
        (
            lambda p: p.write_text(forged().replace('"pace": "4-0-6-0", ', "")),
            "writes[0].pace: is required but missing",
        ),
        (lambda p: p.write_text(" " * 4_000_001), "is larger than 4,000,000 bytes"),
        (lambda p: p.write_text("[" * 100_000), "not JSON"),
        (_fifo, "is not a plain file"),
        (_link, "is a symbolic link"),
    ],
    ids=[
        "not-json",
        "not-an-object",
        "not-utf8",
        "escape-in-name",
        "unknown-kind",
        "unknown-outcome",
        "negative",
        "string-for-number",
        "extra-key",
        "bad-date",
        "unknown-key",
        "missing-key",
        "huge",
        "deep-nesting",
        "fifo",
        "symlink",
    ],
)
def test_every_bad_file_in_a_private_folder_is_one_line_and_never_added(
    journal_ready, no_legacy, make, words
):
    folder = paths.pending_dir()
    folder.mkdir(parents=True, mode=0o700)
    bad = folder / "journal-pending-20261130T080000Z-1.json"
    make(bad)
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    told = [line for line in result.stderr.splitlines() if "journal-pending" in line]
    assert len(told) == 1, result.stderr
    assert told[0].startswith(f"breathpace: {bad}: ")
    assert words in told[0]
    assert told[0].endswith(f"it was kept as {bad.name}.bad.")
    assert "\x1b" not in result.output
    assert sessions() == []
    # Told once: the file is set aside, not read again.
    again = CliRunner().invoke(main, ["history"])
    assert "journal-pending" not in again.stderr
    assert (folder / f"{bad.name}.bad").exists() or (folder / f"{bad.name}.bad").is_symlink()


def test_a_good_session_beside_a_bad_one_is_still_added(journal_ready, no_legacy):
    folder = paths.pending_dir()
    folder.mkdir(parents=True, mode=0o700)
    (folder / "journal-pending-20261130T080000Z-1.json").write_text("junk")
    (folder / "journal-pending-20261130T090000Z-2.json").write_text(forged("mine"))
    with open_journal() as journal:
        notice = journal.notice or ""
    assert "not JSON" in notice and "A session of mine" in notice
    assert sessions() == ["mine"]


def test_a_saved_session_reads_back_as_it_was_written(journal_ready):
    from breathpace.journal.records import from_json

    text = to_json([START, END], 7, "/x/journal.sqlite3")
    assert json.loads(text)["session_id"] == 7
    assert from_json(text) == (7, "/x/journal.sqlite3", [START, END])
