"""The routine format's figure keys: optional, checked against the figure they name,
and `check` stays light while it does so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.routine.lint import figure_problems
from breathpace.routine.load import parse_routine

ROOT = Path(__file__).resolve().parents[2]

ROUTINE = """
format = 1
title = "Bridges"

[[exercise]]
name = "Glute bridge"
figure = "glute-bridge"
reps = 2
phases = [
  {{ move = "lift", breath = "exhale", breaths = 1, effort = true, pose = "{lift}" }},
  {{ move = "hold", breath = "hold", breaths = 1 }},
  {{ move = "lower", breath = "inhale", breaths = 1, pose = "start" }},
]

[[exercise]]
name = "Single-leg bridge"
figure = "single-leg-bridge"
sides = "both"
tempo = "4-0-4-0"
start = "concentric"
poses = {{ concentric = "{top}", eccentric = "start" }}

[[exercise]]
name = "Resting breaths"
figure = "resting-breath"
pattern = "4-0-6-0"
cycles = 3
"""


def _check(tmp_path: Path, text: str):
    path = tmp_path / "bridges.toml"
    path.write_text(text, encoding="utf-8")
    return path, CliRunner().invoke(main, ["check", str(path)])


def test_a_routine_with_figures_and_poses_checks_clean(tmp_path: Path):
    path, result = _check(tmp_path, ROUTINE.format(lift="top", top="top"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {path}: Bridges\n"


def test_a_phase_naming_a_pose_its_figure_lacks_is_an_error(tmp_path: Path):
    path, result = _check(tmp_path, ROUTINE.format(lift="tpo", top="up"))
    assert result.exit_code == 2
    assert result.stderr == (
        f'error: {path}: exercise 1 "Glute bridge": phases[1].pose: figure "glute-bridge" '
        'has no pose "tpo" (did you mean "top"?)\n'
        f'error: {path}: exercise 2 "Single-leg bridge": poses.concentric: figure '
        '"single-leg-bridge" has no pose "up"\n'
    )


def test_an_unknown_figure_and_a_pose_without_a_figure_are_errors(tmp_path: Path):
    text = ROUTINE.format(lift="top", top="top").replace(
        'figure = "glute-bridge"\n', 'figure = "glute-brigde"\n'
    )
    text = text.replace('figure = "single-leg-bridge"\n', "")
    path, result = _check(tmp_path, text)
    assert result.exit_code == 2
    assert result.stderr == (
        f'error: {path}: exercise 1 "Glute bridge": figure: no figure of that name '
        '(did you mean "glute-bridge"?)\n'
        f'error: {path}: exercise 2 "Single-leg bridge": poses.concentric: names a pose, but the '
        "item has no figure\n"
    )


def test_a_figure_path_is_relative_to_the_routine_and_its_problems_are_named(tmp_path: Path):
    (tmp_path / "mine.toml").write_text('format = 1\ntitle = "M"\n[poses.start]\n')
    (tmp_path / "broken.toml").write_text('format = 1\ntitle = "B"\n[poses.top]\n')
    text = ROUTINE.format(lift="top", top="top")
    text = text.replace('figure = "glute-bridge"', 'figure = "./mine.toml"')
    text = text.replace('figure = "single-leg-bridge"', 'figure = "./broken.toml"')
    path, result = _check(tmp_path, text)
    assert result.exit_code == 2
    assert result.stderr == (
        f'error: {path}: exercise 1 "Glute bridge": phases[1].pose: figure "./mine.toml" '
        'has no pose "top"\n'
        f'error: {path}: exercise 2 "Single-leg bridge": figure: {tmp_path}/broken.toml: '
        "needs a [poses.start] pose (the position to get into)\n"
    )


def test_poses_belong_to_tempo_only():
    text = ROUTINE.format(lift="top", top="top").replace(
        'name = "Glute bridge"\n', 'name = "Glute bridge"\nposes = { concentric = "top" }\n'
    )
    try:
        parse_routine(text, "r.toml")
    except ValueError as exc:
        assert str(exc) == (
            'r.toml: exercise 1 "Glute bridge": poses applies to tempo; with phases give '
            "each phase a pose"
        )
    else:  # pragma: no cover
        raise AssertionError("poses with phases was accepted")


def test_figure_problems_is_pure_and_asks_the_caller_for_poses():
    routine = parse_routine(ROUTINE.format(lift="top", top="top"))
    asked: list[str] = []

    def poses_of(name: str):
        asked.append(name)
        if name == "resting-breath":
            raise LookupError("gone")
        return ["start", "top"]

    assert figure_problems(routine, poses_of) == [
        'breathing block 3 "Resting breaths": figure: gone'
    ]
    assert asked == ["glute-bridge", "single-leg-bridge", "resting-breath"]


def test_old_routines_without_figure_keys_stay_valid():
    result = CliRunner().invoke(
        main, ["check", "-q", *map(str, (ROOT / "routines").glob("*.toml"))]
    )
    assert result.exit_code == 0, result.output


def _modules_after_check(path: Path) -> set[str]:
    probe = (
        "import json, runpy, sys\n"
        f"sys.argv = ['breathpace', 'check', {str(path)!r}]\n"
        "try:\n    runpy.run_module('breathpace', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


@pytest.mark.slow
def test_checking_figures_and_routines_with_figures_loads_no_numpy(tmp_path: Path):
    routine = tmp_path / "bridges.toml"
    routine.write_text(ROUTINE.format(lift="top", top="top"), encoding="utf-8")
    for path in (ROOT / "figures" / "clamshell.toml", routine):
        modules = _modules_after_check(path)
        assert "breathpace.figures.load" in modules
        heavy = {m for m in modules if m.split(".")[0] in ("numpy", "textual", "miniaudio")}
        assert heavy == set()
        assert "breathpace.figures.render" not in modules
