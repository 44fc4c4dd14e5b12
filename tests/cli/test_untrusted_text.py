"""Text from files and the journal never acts on the terminal: every command, as a real
subprocess, shows it as text.

Markup-looking strings (`[/]`, `[@click=app.quit]quit[/]`) are valid routine text and
must appear literally; control characters cannot be in a valid routine, but arrive by
other roads (file names, journal rows written before they were checked, settings) and
must be shown as visible stand-ins, never written raw.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MARKUP_NAME = "[@click=app.quit]quit[/]"
MARKUP_TITLE = "Closing [/] tag"
MARKUP_MOVE = "[b]lift[/b]"
ESC = "\x1b"
#: What a hostile name would do: retitle the terminal, clear it, forge a line.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\n00:09  forged"


def run(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def assert_no_raw_controls(proc: subprocess.CompletedProcess) -> None:
    for stream in (proc.stdout, proc.stderr):
        raw = stream.decode("utf-8", "replace").replace("\r\n", "\n")  # CSV's line end
        bad = [c for c in raw if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
        assert not bad, (bad, raw[:500])
        assert "Traceback" not in raw


def markup_routine(folder: Path, name: str = "markup") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f"""format = 1
title = "{MARKUP_TITLE}"
summary = "Say [red]hello[/red] and [/] too."
tags = ["[/]", "[@click=app.quit]x[/]"]
lead_in = 0
[[exercise]]
name = "{MARKUP_NAME}"
position = "[i]lying[/i]"
cues = ["[/]"]
safety = "[link=https://example.org]x[/link]"
rest_after = {{ seconds = 1 }}
phases = [
  {{ move = "{MARKUP_MOVE}", seconds = 0.5, effort = true }},
  {{ move = "lower", seconds = 0.5 }},
]
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_markup_strings_are_valid_and_shown_literally_by_check(tmp_path: Path):
    path = markup_routine(tmp_path)
    proc = run("check", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == f"ok: {path}: {MARKUP_TITLE}\n"
    assert_no_raw_controls(proc)


@pytest.mark.slow
def test_markup_strings_are_shown_literally_by_preview(tmp_path: Path):
    proc = run("preview", str(markup_routine(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith(f"{MARKUP_TITLE}  (markup, pace 4-0-6-0)\n")
    assert "Say [red]hello[/red] and [/] too." in out
    assert f"1  {MARKUP_NAME}" in out
    assert_no_raw_controls(proc)


@pytest.mark.slow
def test_markup_strings_are_shown_literally_by_list(user_routines_dir: Path):
    markup_routine(user_routines_dir)
    proc = run("list")
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.decode().splitlines() if x.startswith("  markup "))
    assert MARKUP_TITLE in line and "[/], [@click=app.quit]x[/]" in line
    assert_no_raw_controls(proc)


@pytest.mark.slow
def test_markup_strings_are_shown_literally_by_plain_play(tmp_path: Path):
    proc = run("play", "--plain", "--audio", "none", str(markup_routine(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert f"{MARKUP_NAME}  set 1/1  rep 1/1  EXHALE  {MARKUP_MOVE}  0.5s" in out
    assert_no_raw_controls(proc)


@pytest.mark.slow
def test_a_hostile_file_name_is_escaped_by_every_command(user_routines_dir: Path):
    """A routine that is valid inside, under a name holding control characters."""
    name = "bad" + HOSTILE.replace("/", "_")
    path = user_routines_dir / f"{name}.toml"
    path.write_text(
        'format = 1\ntitle = "Fine"\nlead_in = 0\n[[exercise]]\nname = "Bridge"\n'
        'phases = [{ move = "lift", seconds = 0.5 }]\n',
        encoding="utf-8",
    )
    shown = "bad\\x1b]0;pwned\\x07\\x1b[2J\\r\\n00:09  forged"
    check = run("check", str(path))
    assert check.returncode == 0 and shown in check.stdout.decode()
    preview = run("preview", str(path))
    assert preview.returncode == 0 and f"Fine  ({shown}, pace" in preview.stdout.decode()
    listing = run("list")
    assert listing.returncode == 0 and "bad\\x1b]0;pwned" in listing.stdout.decode()
    play = run("play", "--plain", "--audio", "none", str(path))
    assert play.returncode == 0, play.stderr
    history = run("history")
    assert shown in history.stdout.decode()
    session = run("history", "--session", "1")
    assert session.returncode == 0 and f"#1 {shown}" in session.stdout.decode()
    for proc in (check, preview, listing, play, history, session):
        assert_no_raw_controls(proc)


def _old_journal_row(tmp_path: Path) -> None:
    """A session written by an older breathpace, before routine text was checked."""
    from breathpace import paths
    from breathpace.journal.db import open_journal, save_checkin

    ok = tmp_path / "ok.toml"
    ok.write_text(
        'format = 1\ntitle = "Fine"\nlead_in = 0\n[[exercise]]\nname = "Bridge"\n'
        'phases = [{ move = "lift", seconds = 0.5 }]\n',
        encoding="utf-8",
    )
    assert run("play", "--plain", "--audio", "none", str(ok)).returncode == 0
    with open_journal() as journal:
        save_checkin(journal, 1, effort=3, pain=2, note='=HYPERLINK("http://x")' + ESC + "[2J")
    conn = sqlite3.connect(paths.journal_file())
    with conn:
        conn.execute("UPDATE session SET routine = ?", ("r" + HOSTILE,))
        conn.execute("UPDATE progress SET name = ?", ("-2+3" + HOSTILE,))
    conn.close()


@pytest.mark.slow
def test_old_journal_rows_are_escaped_by_history(tmp_path: Path):
    _old_journal_row(tmp_path)
    history = run("history")
    session = run("history", "--session", "1")
    assert history.returncode == 0 and session.returncode == 0, session.stderr
    text = session.stdout.decode()
    assert "-2+3\\x1b]0;pwned\\x07\\x1b[2J\\r\\n00:09  forged" in text
    assert '"=HYPERLINK("http://x")\\x1b[2J"' in text
    for proc in (history, session):
        assert_no_raw_controls(proc)


@pytest.mark.slow
def test_csv_export_neutralises_formulas_in_every_column(tmp_path: Path):
    _old_journal_row(tmp_path)
    proc = run("export", "--csv", "-")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["note"] == '\'=HYPERLINK("http://x")\\x1b[2J'
    assert row["exercises"].startswith("'-2+3")
    assert row["routine"].startswith("r")  # a safe start is left alone
    for key, value in row.items():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), key
    assert_no_raw_controls(proc)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_formula_start_is_neutralised(start: str):
    from breathpace.journal.export import neutral

    assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("Glute bridge 1/2") == "Glute bridge 1/2"
    assert neutral("") == ""


@pytest.mark.slow
def test_csv_export_has_the_routine_title_beside_its_name(tmp_path: Path):
    routine = markup_routine(tmp_path, "titled")
    assert run("play", "--plain", "--audio", "none", str(routine)).returncode == 0
    _builtin_session("4-7-8")
    # The journal keeps the title it was played under (schema 3), so a routine that has
    # since moved away keeps its title in the export; never an error.
    proc = run("export", "--csv", "-")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
    header = proc.stdout.decode().splitlines()[0].split(",")
    assert header.index("title") == header.index("routine") + 1
    assert [(r["routine"], r["title"]) for r in rows] == [
        ("titled", MARKUP_TITLE),
        ("4-7-8", "4-7-8 breathing"),
    ]
    routine.unlink()
    proc = run("export", "--csv", "-")
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
    assert [(r["routine"], r["title"]) for r in rows] == [
        ("titled", MARKUP_TITLE),
        ("4-7-8", "4-7-8 breathing"),
    ]


def _builtin_session(name: str) -> None:
    """A session of a built-in routine, written the way a `play` of it starts one."""
    from breathpace.journal.db import open_journal
    from breathpace.library import resolve
    from breathpace.session.recorder import start_session
    from breathpace.timeline import compile

    resolved = resolve(name)
    with open_journal() as journal:
        start_session(
            journal,
            compile(resolved.routine),
            routine_name=name,
            source=f"{name}.toml",  # the path as typed, from another folder
            mode="plain",
            pace=resolved.routine.pace,
            tempo_scale=1.0,
        )


@pytest.mark.slow
def test_a_non_utf8_file_name_plays_previews_and_is_journaled(tmp_path: Path):
    """café.toml in Latin-1 bytes used to crash preview and play in the dose lookup."""
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.toml"
    with open(raw, "wb") as fh:
        fh.write(
            b'format = 1\ntitle = "Caf\xc3\xa9"\nlead_in = 0\n[[exercise]]\nname = "Bridge"\n'
            b'phases = [{ move = "lift", seconds = 0.5 }]\n'
        )
    arg = os.fsdecode(raw)
    preview = run("preview", arg)
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.decode().startswith("Café  (caf\\xe9, pace 4-0-6-0)")
    play = run("play", "--plain", "--audio", "none", arg)
    assert play.returncode == 0, play.stderr
    check = run("check", arg)
    assert check.returncode == 0 and "caf\\xe9.toml: Café" in check.stdout.decode()
    history = run("history", "--session", "1")
    assert "#1 caf\\xe9," in history.stdout.decode()
    for proc in (preview, play, check, history):
        assert_no_raw_controls(proc)


@pytest.mark.slow
def test_plain_mode_on_an_ascii_terminal_escapes_instead_of_dropping(tmp_path: Path):
    path = tmp_path / "accents.toml"
    path.write_text(
        'format = 1\ntitle = "Étude"\nlead_in = 0\n[[exercise]]\nname = "Pont fessier é"\n'
        'phases = [{ move = "lift", seconds = 0.5 }]\n[[exercise]]\nname = "呼吸"\n'
        'phases = [{ move = "lift", seconds = 0.5 }]\n',
        encoding="utf-8",
    )
    proc = run("play", "--plain", "--audio", "none", str(path), env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("ascii")  # every byte is ASCII
    assert "Pont fessier e  set 1/1  rep 1/1  INHALE  lift  0.5s" in out
    assert "\\u547c\\u5438  set 1/1  rep 1/1  INHALE  lift  0.5s" in out


def test_for_stream_transliterates_then_escapes():
    from breathpace.safe_text import for_stream

    class Ascii(io.StringIO):
        encoding = "ascii"

    assert for_stream("café 呼 \x1b[2J", Ascii()) == "cafe \\u547c \\x1b[2J"
    assert for_stream("café \x1b", io.StringIO()) == "café \\x1b"


@pytest.mark.slow
def test_list_cuts_long_names_and_titles(user_routines_dir: Path):
    long_name = "n" * 120
    (user_routines_dir / f"{long_name}.toml").write_text(
        f'format = 1\ntitle = "{"T" * 100}"\n[[exercise]]\nname = "B"\n'
        'phases = [{ move = "lift", seconds = 1 }]\n',
        encoding="utf-8",
    )
    proc = run("list")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    mine = next(x for x in lines if x.startswith("  nnn"))
    assert "n" * 27 + "…" in mine and "n" * 29 not in mine
    assert "T" * 43 + "…" in mine
    # The built-in rows are not widened by it.
    box = next(x for x in lines if x.startswith("  box "))
    assert len(box) < 120
