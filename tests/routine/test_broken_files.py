"""Every way a routine file can be wrong gets one exact, readable line and exit status 2.

Each file in `broken/` is a routine with one mistake an author could make; its message
is in `broken_messages.toml`, asserted exactly, so a change in wording is a deliberate
edit there and never an accident.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.library import load_routine
from breathpace.routine.load import RoutineError
from breathpace.timeline import Breath, compile
from tests.unprivileged import bound_by_permissions

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"
MESSAGES: dict[str, str] = tomllib.loads((HERE / "broken_messages.toml").read_text("utf-8"))
EVERY_PROBLEM: dict[str, list[str]] = tomllib.loads(
    (HERE / "broken_every_problem.toml").read_text("utf-8")
)
FILES = sorted(BROKEN.glob("*.toml"))
DESIGN_EXAMPLE = HERE / "design_example.toml"
README = HERE.parents[1] / "README.md"


def run_check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_the_corpus_and_its_messages_match():
    assert len(FILES) >= 30
    assert {p.name for p in FILES} == set(MESSAGES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_broken_file_gives_its_exact_message(path: Path):
    """check prints every problem, one line each; a file with one problem
    gets exactly the one line every other command prints."""
    result = run_check(str(path))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = EVERY_PROBLEM.get(path.name, [MESSAGES[path.name]])
    assert result.stderr == "".join(f"error: {path}: {line}\n" for line in lines)
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_load_routine_raises_the_same_line(path: Path):
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert str(info.value) == f"{path}: {MESSAGES[path.name]}"
    assert "\n" not in str(info.value)


def test_toml_syntax_errors_keep_line_and_column():
    syntax = {name: msg for name, msg in MESSAGES.items() if name.startswith("toml-")}
    assert len(syntax) >= 4
    for msg in syntax.values():
        assert re.match(r"line \d+, column \d+: TOML syntax error: ", msg)


def test_unknown_keys_at_every_level_suggest_the_right_one():
    suggestions = {
        "unknown-top-key.toml": "title",
        "unknown-exercise-key.toml": "reps",
        "unknown-phase-key.toml": "breaths",
        "unknown-length-key.toml": "breaths",
        "unknown-moves-key.toml": "concentric",
        "unknown-breathing-key.toml": "minutes",
        "exercise-key-typo-nested.toml": "seconds",
    }
    for name, key in suggestions.items():
        assert f'(did you mean "{key}"?)' in MESSAGES[name]


def test_files_with_several_problems_list_them_all_and_count_them_in_one_line():
    assert EVERY_PROBLEM.keys() <= MESSAGES.keys()
    for name, lines in EVERY_PROBLEM.items():
        assert len(lines) > 1
        assert MESSAGES[name] == f"{lines[0]} (and {len(lines) - 1} more)"
    several = [n for n, m in MESSAGES.items() if re.search(r"\(and \d+ more\)$", m)]
    assert sorted(several) == sorted(EVERY_PROBLEM)


def test_a_folder_is_not_a_routine(tmp_path: Path):
    folder = tmp_path / "routine.toml"
    folder.mkdir()
    result = run_check(str(folder))
    assert result.exit_code == 2
    assert result.stderr == f"error: {folder}: is a folder, not a routine file\n"


def test_a_missing_file(tmp_path: Path):
    missing = tmp_path / "nowhere.toml"
    result = run_check(str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file\n"


@pytest.mark.slow
@pytest.mark.parametrize("folder_mode", [0o755, 0o000], ids=["unreadable", "unreachable"])
def test_an_unreadable_file(tmp_path: Path, folder_mode: int):
    """A file the user may not read (or not even reach): one line, exit 2, in a real
    process that obeys file permissions (as root too, which gives up its override)."""
    home = tmp_path / "home"
    home.mkdir()
    folder = tmp_path / "private"
    folder.mkdir()
    path = folder / "locked.toml"
    path.write_text(DESIGN_EXAMPLE.read_text("utf-8"), "utf-8")
    path.chmod(0)
    folder.chmod(folder_mode)
    env = dict(
        os.environ,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    try:
        proc = subprocess.run(
            [*bound_by_permissions(), sys.executable, "-m", "breathpace", "check", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == f"error: {path}: cannot be read (Permission denied)\n"


def test_one_bad_file_among_good_ones_fails_the_run_and_reports_all():
    good = DESIGN_EXAMPLE
    bad = BROKEN / "unknown-exercise-key.toml"
    also_bad = BROKEN / "nan-seconds.toml"
    result = run_check(str(good), str(bad), str(also_bad))
    assert result.exit_code == 2
    assert result.stdout == f"ok: {good}: Bridge and pelvic-tilt set\n"
    assert result.stderr == (
        f"error: {bad}: {MESSAGES[bad.name]}\nerror: {also_bad}: {MESSAGES[also_bad.name]}\n"
    )


@pytest.mark.parametrize(
    "name",
    ["toml-missing-equals.toml", "unknown-phase-key.toml", "not-utf8.toml", "over-four-hours.toml"],
)
@pytest.mark.slow
def test_a_real_process_prints_the_same_line(name: str):
    path = BROKEN / name
    proc = subprocess.run(
        [sys.executable, "-m", "breathpace", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"error: {path}: {MESSAGES[name]}\n"


# --- the format as the design document shows it ---------------------------------------


def test_the_design_example_passes_check_as_written():
    result = run_check(str(DESIGN_EXAMPLE))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == f"ok: {DESIGN_EXAMPLE}: Bridge and pelvic-tilt set\n"


def test_the_design_example_is_the_one_in_the_readme():
    """The format example people copy from the README is the file checked above."""
    text = README.read_text("utf-8")
    section = text[text.index("## Writing a routine") :]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    assert blocks, "the README's 'Writing a routine' has no toml example"
    assert DESIGN_EXAMPLE.read_text("utf-8") == blocks[0]


def test_the_design_example_means_what_it_says():
    routine = load_routine(DESIGN_EXAMPLE)
    timeline = compile(routine)
    tilt = [s for s in timeline.segments if s.exercise == 1 and s.is_rep]
    assert len({(s.set, s.rep) for s in tilt}) == 16
    assert {s.breath for s in tilt if s.effort} == {Breath.EXHALE}
    bridge = [s for s in timeline.segments if s.exercise == 2 and s.is_rep]
    assert {s.side for s in bridge} == {"left", "right"}
    # hold_top = { breaths = 2 } is two whole breath cycles, never a breath-hold.
    holds = [s for s in bridge if s.move == "hold" and (s.side, s.rep) == ("left", 1)]
    assert [s.breath for s in holds] == [Breath.INHALE, Breath.EXHALE] * 2


def test_a_zero_inside_tempo_means_no_pause(tmp_path: Path):
    path = tmp_path / "zero.toml"
    path.write_text(
        'format = 1\ntitle = "Zero pauses"\n\n[[exercise]]\nname = "Bridge"\ntempo = "3-0-2-0"\n',
        "utf-8",
    )
    result = run_check(str(path))
    assert result.exit_code == 0, result.stderr
    rep = [s for s in compile(load_routine(path)).segments if s.is_rep]
    assert [(s.move, s.duration_ms) for s in rep] == [("lower", 3000), ("lift", 2000)]


def test_a_byte_order_mark_and_windows_line_ends_are_fine(tmp_path: Path):
    text = DESIGN_EXAMPLE.read_text("utf-8")
    path = tmp_path / "windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_check(str(path))
    assert result.exit_code == 0, result.stderr
    assert load_routine(path) == load_routine(DESIGN_EXAMPLE)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "huge.toml"
    path.write_text("# padding\n" * 200_000, "utf-8")
    result = run_check(str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: file is larger than 1,000,000 bytes\n"
