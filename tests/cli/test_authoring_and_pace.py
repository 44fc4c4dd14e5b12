"""Authoring and the personal pace, as a person types the commands.

`check` lists every problem and takes routine names; `new` refuses a built-in's name and
copies a routine with `--from`; `list` marks a routine of yours that replaces a
built-in; `breathpace pace` shows, sets and resets the personal pace and says what it
does to the routines; `--tempo` stays within the player's range; `--device` that
matches nothing is a one-line error. Each runs the real command in a subprocess with
the config folders pointed at a temporary home (tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from breathpace import fmt, paths
from breathpace.library import data_dir, load_routine, resolve
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import compile
from tests.sound import NO_SERVER, pulse_runtime

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "routine" / "broken"
MINE = """\
format = 1
title = "My evening bridges"

[[exercise]]
name = "Bridge"
reps = 3
tempo = "3-0-2-0"
"""


def bp(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


# --- check --------------------------------------------------------------------------


@pytest.mark.slow
def test_check_prints_every_problem_one_line_each():
    path = BROKEN / "unknown-and-bad.toml"
    proc = bp("check", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        f'error: {path}: exercise 1 "Bridge": unknown key "rep" (did you mean "reps"?)\n'
        f'error: {path}: exercise 1 "Bridge": sets: must be at least 1 (found 0)\n'
    )
    # Other commands still stop at one line, with the count of the rest.
    preview = bp("preview", str(path))
    assert preview.returncode == 2
    assert preview.stderr.count("\n") == 1 and "(and 1 more)" in preview.stderr


@pytest.mark.slow
def test_check_takes_routine_names_as_play_does_and_still_files(
    user_routines_dir: Path, tmp_path: Path
):
    mine = user_routines_dir / "my-bridges.toml"
    mine.write_text(MINE, "utf-8")
    builtin = data_dir("routines") / "glute-bridge.toml"
    proc = bp("check", "my-bridges", "glute-bridge")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        f"ok: {mine}: My evening bridges\nok: {builtin}: {load_routine(builtin).title}\n"
    )
    # A file in the current folder, named without .toml, is still a file.
    (tmp_path / "draft").write_text(MINE, "utf-8")
    by_file = bp("check", "draft", cwd=tmp_path)
    assert by_file.returncode == 0, by_file.stderr
    assert by_file.stdout == "ok: draft: My evening bridges\n"
    unknown = bp("check", "glute-brige")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        'error: glute-brige: no routine of that name (did you mean "glute-bridge"?)\n'
    )


# --- new and list ---------------------------------------------------------------------


@pytest.mark.slow
def test_new_refuses_a_built_in_name_with_a_one_line_hint(user_routines_dir: Path):
    proc = bp("new", "glute-bridge")
    assert proc.returncode == 2
    assert proc.stderr == (
        'breathpace: NAME: "glute-bridge" is a built-in routine and yours would replace it; '
        "choose another name, e.g. `breathpace new my-glute-bridge --from glute-bridge`\n"
    )
    assert not (user_routines_dir / "glute-bridge.toml").exists()
    # A path into the routines folder would replace it just the same.
    by_path = bp("new", str(user_routines_dir / "box.toml"))
    assert by_path.returncode == 2 and '"box" is a built-in routine' in by_path.stderr


@pytest.mark.slow
def test_new_from_a_built_in_copies_it_with_a_title_of_your_own(user_routines_dir: Path):
    proc = bp("new", "my-bridges", "--from", "glute-bridge")
    path = user_routines_dir / "my-bridges.toml"
    original = resolve("glute-bridge").routine
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        f'wrote {path} ("{original.title} (my version)", a copy of glute-bridge to edit)\n'
    )
    copy = load_routine(path)
    assert copy.title == f"{original.title} (my version)"
    # Everything but the title is the built-in's, comments kept.
    assert copy.model_copy(update={"title": original.title}) == original
    text = path.read_text("utf-8")
    assert text.startswith(f"#:schema {(ROOT / 'routine.schema.json').resolve().as_uri()}\n")
    assert "../routine.schema.json" not in text
    checked = bp("check", "my-bridges")
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""  # no warnings either
    assert checked.stdout == f"ok: {path}: {original.title} (my version)\n"
    # From a file of one's own, by path; and from nothing that exists.
    other = bp("new", "evening", "--from", str(path))
    assert other.returncode == 0, other.stderr
    assert load_routine(user_routines_dir / "evening.toml").title == (
        f"{original.title} (my version) (my version)"
    )
    missing = bp("new", "nothing", "--from", "no-such-routine")
    assert missing.returncode == 2
    assert missing.stderr == (
        "breathpace: no-such-routine: no routine of that name (see `breathpace list`)\n"
    )
    assert not (user_routines_dir / "nothing.toml").exists()


@pytest.mark.slow
def test_list_marks_a_routine_of_yours_that_replaces_a_built_in(user_routines_dir: Path):
    (user_routines_dir / "box.toml").write_text(MINE, "utf-8")
    (user_routines_dir / "evening.toml").write_text(MINE, "utf-8")
    proc = bp("list")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("  ")}
    lines = proc.stdout.splitlines()
    mine_at = next(i for i, line in enumerate(lines) if line.startswith("Your routines"))
    builtin_box = next(line for line in lines[:mine_at] if line.split()[:1] == ["box"])
    my_box = next(line for line in lines[mine_at:] if line.split()[:1] == ["box"])
    assert "(replaced by yours)" in builtin_box
    assert "My evening bridges (yours, replaces the built-in)" in my_box
    assert "replaces" not in rows["evening"] and "replaced" not in rows["glute-bridge"]


# --- breathpace pace ------------------------------------------------------------------


def _lengths(name: str, pace: str) -> tuple[str, str]:
    routine = resolve(name).routine
    return (
        fmt.length(compile(routine).duration_ms),
        fmt.length(compile(routine, BreathPattern.parse(pace)).duration_ms),
    )


@pytest.mark.slow
def test_pace_shows_sets_and_resets_the_personal_pace():
    settings = paths.settings_file()
    none = bp("pace")
    assert none.returncode == 0, none.stderr
    assert none.stdout.startswith("You have no personal pace: each routine uses its own pace")
    assert f"It would be kept in {settings}." in none.stdout

    saved = bp("pace", "5-0-7-0")
    assert saved.returncode == 0, saved.stderr
    own, yours = _lengths("glute-bridge", "5-0-7-0")
    assert saved.stdout.splitlines()[:3] == [
        f"Saved your personal pace 5-0-7-0 in {settings}.",
        "A breath takes 12 s (5.0 a minute) instead of 10 s at the routines' usual pace "
        "4-0-6-0: 20 % slower.",
        f"  glute-bridge: {own} at its own pace, {yours} at yours "
        f"({round((_ms('glute-bridge', '5-0-7-0') - 1) * 100)} % slower)",
    ]
    assert tomllib.loads(settings.read_text("utf-8"))["pace"] == "5-0-7-0"

    shown = bp("pace")
    assert shown.stdout.startswith(f"Your personal pace: 5-0-7-0 (from {settings}).\n")
    assert f"  glute-bridge: {own} at its own pace, {yours} at yours" in shown.stdout

    faster = bp("pace", "2-0-2.5-0")
    assert "A breath takes 4.5 s (13.3 a minute)" in faster.stdout
    assert "2.2 times as fast" in faster.stdout  # not "55 % faster"

    reset = bp("pace", "--reset")
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.startswith(f"Cleared your personal pace 2-0-2.5-0 (in {settings}).")
    assert "pace" not in tomllib.loads(settings.read_text("utf-8"))


def _ms(name: str, pace: str) -> float:
    routine = resolve(name).routine
    return compile(routine, BreathPattern.parse(pace)).duration_ms / compile(routine).duration_ms


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["5-0"],
            "breathpace: PACE: breath pattern must be four numbers of seconds joined by "
            'dashes, like "4-0-6-0" (found "5-0")\n',
        ),
        (
            ["0.5-0-0.5-0"],
            "breathpace: PACE: a pace is a breath of 2 to 60 s (this one is 1 s) "
            '(found "0.5-0-0.5-0")\n',
        ),
        (["5-0-7-0", "--reset"], "breathpace: give a pace or --reset, not both\n"),
    ],
)
def test_a_bad_pace_is_one_line_and_changes_nothing(args, message):
    proc = bp("pace", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == message
    assert not paths.settings_file().exists()


# --- --tempo --------------------------------------------------------------------------


def test_the_tempo_range_is_the_players():
    from breathpace import player
    from breathpace.session.values import TEMPO_RANGE

    assert (player.TEMPO_MIN, player.TEMPO_MAX) == TEMPO_RANGE
    assert (Fraction(1, 2), Fraction(2)) == TEMPO_RANGE


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["play", "box", "--plain", "--audio", "none"],
        ["preview", "box"],
        ["render", "box", "-o", "OUT"],
        ["breathe", "box", "--plain", "--audio", "none"],
    ],
    ids=lambda c: c[0],
)
@pytest.mark.parametrize("tempo", ["0.4", "2.5", "inf"])
def test_tempo_outside_the_players_range_is_one_line_and_exit_2(command, tempo, tmp_path):
    args = [str(tmp_path / "out.wav") if a == "OUT" else a for a in command]
    proc = bp(*args, "--tempo", tempo)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f'breathpace: --tempo: must be between 0.5 and 2 (found "{tempo}")\n'
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.slow
def test_tempo_at_the_edges_of_the_range_is_taken():
    assert bp("preview", "box", "--tempo", "0.5").returncode == 0
    assert bp("preview", "box", "--tempo", "2").returncode == 0


# --- --device and no sound server -------------------------------------------------------


@pytest.mark.pulse
def test_a_device_that_matches_nothing_is_one_line_listing_the_devices():
    if (server := pulse_runtime()) is None:
        pytest.skip(NO_SERVER)
    env = dict(os.environ, XDG_RUNTIME_DIR=server)
    env.pop("PULSE_SERVER", None)
    devices = bp("devices", env=env)
    assert devices.returncode == 0, devices.stderr
    names = [line.split(None, 1)[1] for line in devices.stdout.splitlines()[1:]]
    assert names
    listed = "; ".join(f'{i} "{name}"' for i, name in enumerate(names))
    line = f'device "no-such-speaker" matches no playback device (the devices: {listed})\n'
    # The line blames --device (or --audio KIND, when that was asked for too).
    for command, prefix in (
        (["play", "box", "--plain"], "breathpace: --device: "),
        (["breathe", "box", "--plain"], "breathpace: --device: "),
        (["play", "box", "--plain", "--audio", "miniaudio"], "breathpace: --audio miniaudio: "),
    ):
        proc = bp(*command, "--device", "no-such-speaker", env=env)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr == prefix + line


@pytest.mark.slow
def test_no_sound_server_is_said_as_a_person_would(tmp_path: Path):
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/breathpace-no-server")
    env.pop("XDG_RUNTIME_DIR", None)
    routine = tmp_path / "tiny.toml"
    routine.write_text(
        'format = 1\ntitle = "Tiny"\nlead_in = 0\n[[exercise]]\nname = "B"\n'
        'pattern = "1-0-1-0"\ncycles = 1\n',
        "utf-8",
    )
    proc = bp("play", str(routine), "--plain", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "No sound device found; playing silently."
    assert "error -" not in proc.stdout + proc.stderr
