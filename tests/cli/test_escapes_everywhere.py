"""An escape sequence (or an invisible mark) fed through every field a command prints:
a path the person typed, a device's name, a journal row, a figure's pose, a settings
value. Each is shown as visible text, never written to the terminal raw.

The story: a file someone sent is named `$'\\x1b]0;pwned\\x07.wav'`, a Bluetooth speaker
calls itself `\\x1b[2J`, a note was typed on a Latin-1 terminal. The terminal keeps its
title, its screen and its lines; the person reads what was there.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner, Result

from breathpace import paths
from breathpace.cli import main
from breathpace.safe_text import SHOWN_ESCAPED

HOSTILE = "\x1b]0;pwned\x07"
SHOWN = "\\x1b]0;pwned\\x07"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_nothing_raw(result: Result) -> None:
    for text in (result.stdout, result.stderr):
        raw = text.replace("\r\n", "\n")
        bad = [
            c
            for c in raw
            if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c in SHOWN_ESCAPED
        ]
        assert not bad, (bad, raw[:400])
        assert "Traceback" not in raw


def test_render_names_the_file_it_wrote_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "pelvic-tilts", "-o", f"{HOSTILE}.wav")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {SHOWN}.wav (")
    assert_nothing_raw(result)


def test_new_names_the_file_it_wrote_escaped_and_its_template_checks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    result = invoke("new", f"sub/../{HOSTILE}")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote sub/../{SHOWN}.toml\n"
    assert_nothing_raw(result)
    check = invoke("check", f"{HOSTILE}.toml")
    assert check.exit_code == 0, check.output
    assert_nothing_raw(check)


def test_export_names_the_file_it_wrote_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--csv", f"{HOSTILE}.csv")
    assert result.exit_code == 0, result.output
    assert f"to {SHOWN}.csv." in result.stderr
    assert_nothing_raw(result)


def test_a_refused_output_path_is_named_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / HOSTILE).mkdir()
    for args in (["export", "--csv", HOSTILE], ["render", "pelvic-tilts", "-o", HOSTILE]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert f"{SHOWN} is a folder" in result.stderr
        assert_nothing_raw(result)


FAKE_DEVICES = [
    {"index": 0, "name": "Kitchen\x1b[2J speaker", "id": None, "backend": "PulseAudio"},
    {"index": 1, "name": "Head\u202ephones\u200e", "id": None, "backend": "PulseAudio"},
]


@pytest.fixture
def hostile_devices(monkeypatch):
    from breathpace.audio.backends import miniaudio_backend

    monkeypatch.setattr(miniaudio_backend, "list_playback_devices", lambda: FAKE_DEVICES)


def test_devices_lists_names_escaped(hostile_devices):
    result = invoke("devices")
    assert result.exit_code == 0, result.output
    assert "  0  Kitchen\\x1b[2J speaker\n" in result.stdout
    assert "  1  Head\\u202ephones\\u200e\n" in result.stdout
    assert_nothing_raw(result)


def test_the_device_error_escapes_the_names_the_same_way(hostile_devices):
    result = invoke("play", "pelvic-tilts", "--plain", "--device", f"x{HOSTILE}")
    assert result.exit_code == 2
    assert result.stderr == (
        f'breathpace: --device: device "x{SHOWN}" matches no playback device (the devices: '
        '0 "Kitchen\\x1b[2J speaker"; 1 "Head\\u202ephones\\u200e")\n'
    )
    assert_nothing_raw(result)


def _journal_session(routine: str) -> None:
    from breathpace.journal.db import open_journal
    from breathpace.journal.records import EndSession, StartSession, apply_write

    with open_journal() as journal, journal.transaction() as conn:
        start = StartSession(
            routine="placeholder",
            source="/x.toml",
            title="T",
            mode="plain",
            pace="4-0-6-0",
            tempo_scale=1.0,
            planned_ms=60_000,
            started_at="2026-11-30T08:00:00+00:00",
            rows=((1, "", "Tilt", 1, 8),),
        )
        sid = apply_write(conn, start, 0)
        apply_write(conn, EndSession("2026-11-30T08:01:00+00:00", "completed", 60_000), sid)
    # As an older breathpace could have written it, before names were checked.
    conn = sqlite3.connect(paths.journal_file())
    with conn:
        conn.execute("UPDATE session SET routine = ?", (routine,))
    conn.close()


def test_history_delete_names_the_session_escaped():
    _journal_session(f"r{HOSTILE}")
    result = invoke("history", "--delete", "1", "--yes")
    assert result.exit_code == 0, result.output
    assert f"Deleted session #1 r{SHOWN}," in result.stdout
    assert_nothing_raw(result)


def test_a_note_with_undecodable_bytes_is_saved_and_shown_escaped():
    _journal_session("pelvic-tilts")
    note = "caf\udce9 " + HOSTILE  # "café" typed on a Latin-1 terminal, then an escape
    result = invoke("history", "--note", note)
    assert result.exit_code == 0, result.output
    shown = invoke("history", "--session", "1")
    assert f'check-in: "caf\\xe9 {SHOWN}"' in shown.stdout
    for r in (result, shown):
        assert_nothing_raw(r)


def test_figure_names_a_bad_title_and_an_asked_pose_escaped(tmp_path):
    figure = tmp_path / "odd.toml"
    figure.write_text(
        'format = 1\ntitle = "Odd\\u001b]0;x\\u0007"\n[poses.start]\nbody = { pitch = 90 }\n',
        encoding="utf-8",
    )
    bad_title = invoke("figure", str(figure))
    assert bad_title.exit_code == 2
    assert bad_title.stderr.endswith(
        'title: must be one line of printable text (found "Odd\\x1b]0;x\\x07")\n'
    )
    missing = invoke("figure", "cat-cow", "--pose", f"q{HOSTILE}")
    assert missing.exit_code == 2
    assert f'no pose "q{SHOWN}"' in missing.stderr
    for r in (bad_title, missing):
        assert_nothing_raw(r)


def test_pace_reset_shows_the_cleared_value_escaped():
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('pace = "4-0-6-0\\u001b[2J"\n', encoding="utf-8")
    shown = invoke("pace")
    assert shown.exit_code == 2 and "\\x1b[2J" in shown.stderr
    reset = invoke("pace", "--reset")
    assert reset.exit_code == 0, reset.output
    assert 'Cleared your personal pace "4-0-6-0\\x1b[2J"' in reset.stdout
    for r in (shown, reset):
        assert_nothing_raw(r)


def test_a_long_pace_argument_is_echoed_cut_short():
    result = invoke("pace", "1" * 5000)
    assert result.exit_code == 2
    assert len(result.stderr) < 200 and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "mark",
    ["\u200e", "\u200f", "\u061c", "\u200b", "\u2060", "\ufeff", "\u202e", "\u2066"],
    ids=["lrm", "rlm", "alm", "zwsp", "word-joiner", "bom", "rlo", "lri"],
)
def test_invisible_and_bidi_marks_in_routine_text_are_refused_visibly(tmp_path, mark):
    path = tmp_path / "marks.toml"
    path.write_text(
        f'format = 1\ntitle = "Bridge{mark}s"\n[[exercise]]\nname = "B"\n'
        'phases = [{ move = "lift", seconds = 1 }]\n',
        encoding="utf-8",
    )
    result = invoke("check", str(path))
    assert result.exit_code == 2
    escaped = f"\\u{ord(mark):04x}"
    assert result.stderr == (
        f"error: {path}: title: must not contain control characters "
        f'({escaped} at character 7) (found "Bridge{escaped}s")\n'
    )
    assert_nothing_raw(result)


def test_emoji_joined_by_zero_width_joiners_stay_valid(tmp_path):
    path = tmp_path / "emoji.toml"
    path.write_text(
        'format = 1\ntitle = "Desk break 👩\u200d💻"\n[[exercise]]\nname = "B"\n'
        'phases = [{ move = "lift", seconds = 1 }]\n',
        encoding="utf-8",
    )
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
