"""The authoring commands as a person types them: list, preview, new, schema, ROUTINE.

Everything runs in-process with click's CliRunner against the real built-in library,
with the config folder pointed at a temporary one (see tests/conftest.py) so the
person's own routines here are only the ones a test writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace import fmt
from breathpace.cli import main
from breathpace.library import data_dir, load_routine
from breathpace.timeline import compile

ROOT = Path(__file__).resolve().parents[2]
SEGMENT_KEYS = {
    "start_s",
    "duration_s",
    "kind",
    "breath",
    "move",
    "effort",
    "exercise",
    "side",
    "set",
    "rep",
}
MY_ROUTINE = """\
format = 1
title = "My evening bridges"
tags = ["mine", "evening"]

[[exercise]]
name = "Bridge"
reps = 3
tempo = "3-0-2-0"
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- list --------------------------------------------------------------------------


def _section(output: str, heading: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(line)
    return rows


def test_list_shows_built_ins_with_title_length_and_tags():
    result = run("list")
    assert result.exit_code == 0, result.output
    rows = _section(result.stdout, "Built-in routines:")
    assert len(rows) == len(list(data_dir("routines").glob("*.toml")))
    routine = load_routine(data_dir("routines") / "glute-bridge.toml")
    length = fmt.length(compile(routine).duration_ms)
    row = next(r for r in rows if r.split()[0] == "glute-bridge")
    assert routine.title in row and length in row
    assert ", ".join(routine.tags) in row
    names = {r.split()[0] for r in rows}
    assert {"pelvic-tilts", "glute-bridge", "coherent", "box", "4-7-8"} <= names


def test_list_shows_the_persons_own_routines(user_routines_dir: Path):
    (user_routines_dir / "evening.toml").write_text(MY_ROUTINE, "utf-8")
    (user_routines_dir / "typo.toml").write_text(MY_ROUTINE.replace("reps", "rep"), "utf-8")
    result = run("list")
    assert result.exit_code == 0, result.output
    rows = _section(result.stdout, "Your routines")
    assert str(user_routines_dir) in result.stdout
    evening = next(r for r in rows if r.split()[0] == "evening")
    length = fmt.length(compile(load_routine(user_routines_dir / "evening.toml")).duration_ms)
    assert "My evening bridges" in evening and length in evening and "mine, evening" in evening
    typo = next(r for r in rows if r.split()[0] == "typo")
    assert typo.endswith('(invalid: exercise 1 "Bridge": unknown key "rep" (did you mean "reps"?))')


def test_list_without_own_routines_says_none():
    result = run("list")
    assert _section(result.stdout, "Your routines") == ["  (none)"]


def test_list_by_tag():
    result = run("list", "--tag", "preset")
    rows = _section(result.stdout, "Built-in routines:")
    names = {r.split()[0] for r in rows}
    assert "box" in names and "glute-bridge" not in names


# --- preview -----------------------------------------------------------------------


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def test_preview_json_shape_and_contiguity():
    result = run("preview", "glute-bridge", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"duration_s", "segments"}
    segments = data["segments"]
    timeline = compile(load_routine(data_dir("routines") / "glute-bridge.toml"))
    assert len(segments) == len(timeline)
    assert _ms(data["duration_s"]) == timeline.duration_ms
    t = 0
    for seg, real in zip(segments, timeline.segments, strict=True):
        assert set(seg) == SEGMENT_KEYS
        assert _ms(seg["start_s"]) == t == real.start_ms
        assert _ms(seg["duration_s"]) == real.duration_ms > 0
        t += _ms(seg["duration_s"])
        assert seg["kind"] == real.kind.value and seg["breath"] == real.breath.value
        assert isinstance(seg["effort"], bool) and isinstance(seg["move"], str)
        assert seg["side"] in (None, "left", "right")
        assert seg["set"] is None or seg["set"] >= 1
        assert seg["rep"] is None or seg["rep"] >= 1
    assert t == _ms(data["duration_s"])
    assert segments[0]["kind"] == "lead-in" and segments[-1]["kind"] == "end"
    reps = [s for s in segments if s["rep"]]
    assert {s["exercise"] for s in reps} == {
        "Pelvic tilt warm-up",
        "Glute bridge",
        "Resting breaths",
    }


def test_preview_table_has_each_item_and_the_total(classic_glute_bridge: Path):
    result = run("preview", "glute-bridge")
    assert result.exit_code == 0, result.stderr
    routine = load_routine(classic_glute_bridge)
    total = compile(routine).duration_ms
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Glute bridge")
    assert lines[-1] == f"total: {fmt.length(total)} ({total / 1000:g} s)"
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["#", "item"])
    rows = lines[header + 1 : header + 1 + len(routine.exercise)]
    timeline = compile(routine)
    for number, (row, item) in enumerate(zip(rows, routine.exercise, strict=True), start=1):
        assert row.split()[0] == str(number) and item.name in row
        own = [
            s.duration_ms
            for s in timeline.segments
            if s.exercise == number and s.kind.value not in ("wait", "transition")
        ]
        assert row.endswith(fmt.length(sum(own)))
    # sets, reps, sides of the glute bridge
    assert rows[1].split("Glute bridge")[1].split()[:3] == ["2", "8", "-"]
    assert rows[2].split("Resting breaths")[1].split()[:3] == ["-", "4", "breaths"]


def test_preview_pace_changes_lengths_given_in_breaths():
    base = json.loads(run("preview", "glute-bridge", "--json").stdout)
    slow = json.loads(run("preview", "glute-bridge", "--json", "--pace", "8-0-12-0").stdout)
    assert len(base["segments"]) == len(slow["segments"])
    for a, b in zip(base["segments"], slow["segments"], strict=True):
        if a["exercise"] == "Glute bridge" and a["kind"] in ("phase", "rest"):
            # every phase and the rest of this exercise are given in breaths
            assert _ms(b["duration_s"]) == 2 * _ms(a["duration_s"])
        if a["kind"] in ("lead-in", "transition", "end"):
            assert b["duration_s"] == a["duration_s"]
        if a["exercise"] == "Resting breaths":
            # a breathing block keeps its own pattern
            assert b["duration_s"] == a["duration_s"]
    assert slow["duration_s"] > base["duration_s"]
    table = run("preview", "glute-bridge", "--pace", "8-0-12-0")
    assert "pace 8-0-12-0" in table.stdout.splitlines()[0]


def test_preview_tempo_stretches():
    base = json.loads(run("preview", "pelvic-tilts", "--json").stdout)
    slow = json.loads(run("preview", "pelvic-tilts", "--json", "--tempo", "2").stdout)
    for a, b in zip(base["segments"], slow["segments"], strict=True):
        if a["kind"] == "phase":
            assert _ms(b["duration_s"]) == 2 * _ms(a["duration_s"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--pace", "4-6"],
            "breathpace: --pace: breath pattern must be four numbers of seconds joined by "
            'dashes, like "4-0-6-0" (found "4-6")\n',
        ),
        (["--tempo", "fast"], 'breathpace: --tempo: must be a number like 1.2 (found "fast")\n'),
        (["--tempo", "9"], 'breathpace: --tempo: must be between 0.5 and 2 (found "9")\n'),
    ],
)
def test_preview_bad_options_are_one_line(args, message):
    result = run("preview", "glute-bridge", *args)
    assert result.exit_code == 2
    assert result.stderr == message


# --- ROUTINE resolution --------------------------------------------------------------


def test_routine_by_built_in_name_user_name_and_path(user_routines_dir: Path, tmp_path: Path):
    builtin = json.loads(run("preview", "box", "--json").stdout)
    assert (
        builtin["segments"][1]["exercise"]
        == load_routine(data_dir("routines") / "box.toml").exercise[0].name
    )
    (user_routines_dir / "evening.toml").write_text(MY_ROUTINE, "utf-8")
    mine = run("preview", "evening")
    assert mine.exit_code == 0 and mine.stdout.startswith("My evening bridges  (evening,")
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(MY_ROUTINE.replace("My evening", "Elsewhere"), "utf-8")
    by_path = run("preview", str(elsewhere))
    assert by_path.exit_code == 0 and by_path.stdout.startswith("Elsewhere bridges")


def test_a_users_copy_wins_over_the_built_in_of_the_same_name(user_routines_dir: Path):
    (user_routines_dir / "box.toml").write_text(MY_ROUTINE, "utf-8")
    result = run("preview", "box")
    assert result.stdout.startswith("My evening bridges  (box,")


def test_an_unknown_routine_name_suggests_a_close_one():
    result = run("preview", "glute-brige")
    assert result.exit_code == 2
    assert result.stderr == (
        'breathpace: glute-brige: no routine of that name (did you mean "glute-bridge"?)\n'
    )


def test_a_broken_routine_named_on_preview_is_one_line(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text('format = 1\ntitle = "x"\nexercise = []\n', "utf-8")
    result = run("preview", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"breathpace: {path}: exercise: needs at least one entry (found an empty list)\n"
    )


# --- new -----------------------------------------------------------------------------


def test_new_by_name_writes_a_template_that_passes_check(user_routines_dir: Path):
    result = run("new", "my-bridges")
    path = user_routines_dir / "my-bridges.toml"
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {path}\n"
    checked = run("check", str(path))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr == ""  # no warnings either: the template follows the method
    assert checked.stdout == f"ok: {path}: My bridges\n"
    text = path.read_text("utf-8")
    assert text.startswith("#:schema ")
    assert "[[exercise]]" in text and "pattern =" in text and "tempo =" in text
    # The name is now a ROUTINE everywhere.
    assert run("preview", "my-bridges").exit_code == 0
    assert "my-bridges" in run("list").stdout


def test_new_by_path(tmp_path: Path):
    target = tmp_path / "sub" / "folder" / "lunges"
    result = run("new", str(target))
    assert result.exit_code == 0, result.stderr
    written = target.with_suffix(".toml")
    assert result.stdout == f"wrote {written}\n"
    assert run("check", str(written)).exit_code == 0
    explicit = tmp_path / "explicit.toml"
    assert run("new", str(explicit)).exit_code == 0
    assert run("check", str(explicit)).exit_code == 0


def test_new_refuses_to_overwrite(user_routines_dir: Path):
    path = user_routines_dir / "keep.toml"
    path.write_text("# my own work\n", "utf-8")
    result = run("new", "keep")
    assert result.exit_code == 2
    assert result.stderr == f"breathpace: {path}: already exists (use --force to overwrite)\n"
    assert path.read_text("utf-8") == "# my own work\n"
    forced = run("new", "keep", "--force")
    assert forced.exit_code == 0
    assert run("check", str(path)).exit_code == 0


def test_new_rejects_a_name_that_is_not_a_file_name():
    result = run("new", "my bridges!")
    assert result.exit_code == 2
    assert result.stderr == (
        "breathpace: NAME: use letters, digits, - and _ only, like my-bridges "
        '(found "my bridges!")\n'
    )


# --- schema and the module entry point -------------------------------------------------


def test_schema_equals_the_committed_file():
    """If this fails after a model change: breathpace schema > routine.schema.json"""
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "routine.schema.json").read_text("utf-8")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Routine"
    assert "exercise" in schema["required"] and "format" in schema["required"]
    assert schema["additionalProperties"] is False
    # Every field carries its docstring as a description for editors.
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name


@pytest.mark.slow
def test_python_dash_m_breathpace_help():
    proc = subprocess.run(
        [sys.executable, "-m", "breathpace", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout
    for command in ("list", "check", "preview", "new", "schema"):
        assert f"  {command} " in proc.stdout


@pytest.mark.slow
def test_python_dash_m_breathpace_runs_a_command():
    proc = subprocess.run(
        [sys.executable, "-m", "breathpace", "preview", "box", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["segments"][-1]["kind"] == "end"


def test_preview_at_a_pace_that_makes_it_too_long(tmp_path: Path):
    path = tmp_path / "long.toml"
    path.write_text(
        'format = 1\ntitle = "Long"\n[[exercise]]\nname = "B"\nsets = 10\nreps = 100\n'
        'phases = [{ move = "up", breaths = 1, effort = true }]\n',
        "utf-8",
    )
    assert run("check", str(path)).exit_code == 0  # 1,000 breaths at 4-0-6-0: under 3 h
    result = run("preview", str(path), "--pace", "30-0-30-0")
    assert result.exit_code == 2
    assert result.stderr == f"breathpace: {path}: the routine is longer than the 4 hour limit\n"


def test_check_needs_a_file():
    result = run("check")
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr
