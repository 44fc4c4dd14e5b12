"""A journal that fails mid-session, through a real `play --plain --audio none` process.

Another process holding the write lock, a full disk, the journal's folder deleted, the
file overwritten with garbage: in each case the cue lines keep their time, the person
is told once, and the session ends up in the journal complete — nothing lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from breathpace.player.core import CLOCK_JUMP_NOTICE

REPS = 24
ROUTINE = f"""
format = 1
title = "Quick tilts"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Pelvic tilt"
sets = 1
reps = {REPS}
phases = [
  {{ move = "tilt", breath = "exhale", seconds = 0.3, effort = true }},
  {{ move = "release", breath = "inhale", seconds = 0.3 }},
]
"""

pytestmark = pytest.mark.slow


class Play:
    """A `breathpace play --plain --audio none` process, its stdout lines timed as they
    arrive, and the schedule `preview --json` gives for the same routine."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None):
        self.folder = folder
        self.env = dict(env or os.environ)
        routine = folder / "quick-tilts.toml"
        routine.write_text(ROUTINE)
        preview = subprocess.run(
            [sys.executable, "-m", "breathpace", "preview", routine.name, "--json"],
            cwd=folder,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.schedule = [seg["start_s"] for seg in json.loads(preview.stdout)["segments"]]
        self.lines: list[tuple[float, str]] = []
        # The routine is given as a relative path, as a person types it.
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "breathpace",
                "play",
                routine.name,
                "--plain",
                "--audio",
                "none",
            ],
            cwd=folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def cues(self) -> list[tuple[float, str]]:
        return [(t, line) for t, line in self.lines if line[:2].isdigit() and line[2] == ":"]

    def wait_for_cues(self, n: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.cues()) < n:
            assert self.proc.poll() is None or len(self.cues()) >= n, self.output()
            assert time.monotonic() < deadline, f"fewer than {n} cue lines\n{self.output()}"
            time.sleep(0.01)

    def finish(self, timeout: float = 60) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        return code

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def stderr(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr else ""

    def notices(self) -> list[str]:
        cues = {line for _, line in self.cues()}
        return [line for _, line in self.lines if line not in cues and "journal" in line]

    def worst_lateness_ms(self) -> float:
        """How much later than its schedule the latest cue line came, counted from the
        cue line that came earliest against its own schedule."""
        cues = self.cues()
        assert len(cues) == len(self.schedule), self.output()
        offsets = [t - s for (t, _), s in zip(cues, self.schedule, strict=True)]
        return (max(offsets) - min(offsets)) * 1000


def journal_path(data_home: Path) -> Path:
    return data_home / "breathpace" / "journal.sqlite3"


def recorded(data_home: Path) -> list[tuple]:
    conn = sqlite3.connect(journal_path(data_home), timeout=10)
    try:
        return conn.execute(
            "SELECT s.routine, s.outcome, s.title, s.source, "
            "(SELECT SUM(reps_done) FROM progress p WHERE p.session_id = s.id) "
            "FROM session s ORDER BY s.id"
        ).fetchall()
    finally:
        conn.close()


def history(env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "breathpace", "history"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout  # the journal's notices go to stderr


def assert_recorded_in_full(data_home: Path, play: Play) -> None:
    rows = recorded(data_home)
    assert len(rows) == 1, rows
    routine, outcome, title, source, reps = rows[0]
    assert (routine, outcome, title, reps) == ("quick-tilts", "completed", "Quick tilts", REPS)
    assert source == str((play.folder / "quick-tilts.toml").resolve())


def test_a_held_write_lock_never_delays_a_cue(tmp_path):
    data_home = Path(os.environ["XDG_DATA_HOME"])
    play = Play(tmp_path)
    play.wait_for_cues(4)
    assert journal_path(data_home).exists()
    # Another process takes the journal's write lock for 8 seconds, mid-session.
    locker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('held', flush=True)\n"
            "time.sleep(8)\n"
            "c.execute('COMMIT')\n",
            str(journal_path(data_home)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdout.readline().strip() == "held"
    held_from = len(play.cues())
    assert locker.wait(timeout=30) == 0
    assert len(play.cues()) - held_from >= 10, "the session did not play on while locked"
    assert play.finish() == 0, play.stderr()

    assert CLOCK_JUMP_NOTICE not in play.output()
    assert play.worst_lateness_ms() < 100, play.output()
    assert play.notices() == []  # a busy journal is waited for quietly
    assert_recorded_in_full(data_home, play)


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()})")


def _fill(folder: Path) -> Path:
    """Fill the file system `folder` is on, to the last byte."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * chunk):
                    pass
    finally:
        os.close(fd)
    return filler


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs as the data folder (XDG_DATA_HOME) of the session."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "2m")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_disk_full_mid_session_is_told_once_and_written_when_space_returns(tmp_path, tiny_disk):
    env = {**os.environ, "XDG_DATA_HOME": str(tiny_disk), "TMPDIR": str(tmp_path)}
    play = Play(tmp_path, env)
    play.wait_for_cues(4)
    filler = _fill(tiny_disk)
    play.wait_for_cues(len(play.cues()) + 8)  # four reps that cannot be written
    notices_while_full = play.notices()
    filler.unlink()
    assert play.finish() == 0, play.stderr()

    assert len(notices_while_full) == 1, play.output()
    assert "cannot be written" in notices_while_full[0]
    failures = [n for n in play.notices() if "cannot be written" in n]
    assert len(failures) == 1, play.output()
    assert any("can be written again" in n for n in play.notices())
    assert play.worst_lateness_ms() < 100, play.output()
    assert_recorded_in_full(tiny_disk, play)
    assert not list((tiny_disk / "breathpace").glob("journal-pending-*"))


def test_disk_still_full_at_the_end_saves_the_session_for_the_next_start(tmp_path, tiny_disk):
    env = {**os.environ, "XDG_DATA_HOME": str(tiny_disk), "TMPDIR": str(tmp_path)}
    play = Play(tmp_path, env)
    play.wait_for_cues(4)
    filler = _fill(tiny_disk)
    assert play.finish() == 0, play.stderr()

    failures = [n for n in play.notices() if "cannot be written" in n]
    assert len(failures) == 1, play.output()
    saved = [n for n in play.notices() if "was saved as" in n]
    assert len(saved) == 1, play.output()
    # Not "cut short": the end is kept, not lost.
    folder = Path(os.environ["XDG_STATE_HOME"]) / "breathpace" / "pending"
    pending = list(folder.glob("journal-pending-*.json"))
    assert folder.stat().st_mode & 0o777 == 0o700
    assert pending[0].stat().st_mode & 0o777 == 0o600
    assert len(pending) == 1 and str(pending[0]) in saved[0]

    filler.unlink()
    shown = history(env, tmp_path)
    assert "added to the journal" in shown
    assert_recorded_in_full(tiny_disk, play)
    assert not pending[0].exists()
    assert "cut short" not in history(env, tmp_path)


def test_journal_folder_deleted_mid_session(tmp_path):
    data_home = Path(os.environ["XDG_DATA_HOME"])
    play = Play(tmp_path)
    play.wait_for_cues(4)
    shutil.rmtree(data_home / "breathpace")
    assert play.finish() == 0, play.stderr()

    notices = play.notices()
    assert len(notices) == 1 and "deleted" in notices[0], play.output()
    assert_recorded_in_full(data_home, play)
    shown = history(dict(os.environ), tmp_path)
    assert "No sessions yet" not in shown and "quick-tilts" in shown
    assert "completed" in shown


def test_garbage_over_the_journal_mid_session(tmp_path):
    data_home = Path(os.environ["XDG_DATA_HOME"])
    path = journal_path(data_home)
    play = Play(tmp_path)
    play.wait_for_cues(4)
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # the same file, its bytes replaced
        fh.write(os.urandom(max(size, 8192)))
    assert play.finish() == 0, play.stderr()

    notices = play.notices()
    assert len(notices) == 1 and "damaged" in notices[0], play.output()
    kept = list(path.parent.glob("journal.sqlite3.corrupt-*[0-9Z]"))  # its log goes along
    assert len(kept) == 1 and str(kept[0]) in notices[0]
    assert_recorded_in_full(data_home, play)
    assert "damaged" not in history(dict(os.environ), tmp_path)


def test_history_from_another_folder_finds_a_routine_played_by_relative_path(tmp_path):
    env = dict(os.environ)
    play = Play(tmp_path)
    assert play.finish() == 0, play.stderr()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = history(env, elsewhere)
    assert "cannot be found" not in shown and "quick-tilts: Hold steady" in shown

    # The file moved away: the suggestion goes on from what the journal saw played.
    (tmp_path / "quick-tilts.toml").rename(elsewhere / "renamed.toml")
    shown = history(env, elsewhere)
    assert "cannot be found" not in shown and "quick-tilts: Hold steady" in shown


@pytest.mark.slow
def test_with_the_disk_full_history_and_export_still_read_the_journal(
    tmp_path, tiny_disk, monkeypatch
):
    """A person whose disk filled up can still see and export what they practised."""
    from click.testing import CliRunner

    from breathpace.cli import main
    from breathpace.journal.db import open_journal
    from breathpace.journal.records import EndSession, StartSession, apply_write

    monkeypatch.setenv("XDG_DATA_HOME", str(tiny_disk))
    start = StartSession(
        routine="pelvic-tilts",
        source="/x.toml",
        title="Pelvic tilts",
        mode="plain",
        pace="4-0-6-0",
        tempo_scale=1.0,
        planned_ms=60_000,
        started_at="2026-11-30T08:00:00+00:00",
        rows=((1, "", "Tilt", 1, 8),),
    )
    with open_journal() as journal, journal.transaction() as conn:
        sid = apply_write(conn, start, 0)
        apply_write(conn, EndSession("2026-11-30T08:01:00+00:00", "completed", 60_000), sid)
    _fill(tiny_disk)
    journal_file = tiny_disk / "breathpace" / "journal.sqlite3"
    before = journal_file.read_bytes()

    shown = CliRunner().invoke(main, ["history"])
    exported = CliRunner().invoke(main, ["export", "--csv", "-"])
    for result in (shown, exported):
        assert result.exit_code == 0, result.output
        assert result.stderr == (
            f"breathpace: The journal {journal_file} cannot be written just now "
            "(disk I/O error): it is shown as last saved.\n"
        )
    assert "pelvic-tilts" in shown.stdout and "completed" in shown.stdout
    assert exported.stdout.splitlines()[1].startswith("1,2026-11-30,")
    # Writing still says plainly that it cannot.
    note = CliRunner().invoke(main, ["history", "--note", "fine"])
    assert note.exit_code == 1 and "cannot open the journal" in note.stderr
    assert journal_file.read_bytes() == before
