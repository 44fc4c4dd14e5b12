"""Choosing the movement capsule for the time of day, and `breathpace capsule --print`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from breathpace.capsule import CAPSULE_ROUTINES, SLOTS, capsule_for, capsule_routine
from breathpace.cli import main
from breathpace.fmt import length
from breathpace.library import data_dir
from breathpace.routine.load import load_routine
from breathpace.timeline import compile

HOURS = [
    (0, "bedtime"),
    (1, "bedtime"),
    (3, "bedtime"),
    (4, "waking"),
    (6, "waking"),
    (10, "waking"),
    (11, "sitting"),
    (14, "sitting"),
    (17, "sitting"),
    (18, "bedtime"),
    (21, "bedtime"),
    (23, "bedtime"),
]


@pytest.mark.parametrize(("hour", "slot"), HOURS)
def test_capsule_for(hour: int, slot: str):
    assert capsule_for(hour) == slot


def test_every_hour_has_exactly_one_slot_in_three_blocks():
    slots = [capsule_for(h) for h in range(24)]
    assert set(slots) == set(SLOTS)
    changes = sum(1 for a, b in zip(slots, slots[1:] + slots[:1], strict=True) if a != b)
    assert changes == 3  # three contiguous blocks around the clock


@pytest.mark.parametrize("bad", [-1, 24, 100, 7.5, "7", True, None])
def test_capsule_for_rejects_non_hours(bad):
    with pytest.raises(ValueError, match="hour must be"):
        capsule_for(bad)


@pytest.mark.parametrize("slot", SLOTS)
def test_every_slot_names_a_builtin_capsule(slot: str):
    name = capsule_routine(slot)
    routine = load_routine(data_dir("routines") / f"{name}.toml")
    assert routine.capsule == slot


def test_capsule_routine_rejects_unknown_slot():
    with pytest.raises(ValueError, match="unknown capsule"):
        capsule_routine("lunch")


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return CliRunner()


def _expected_line(slot: str) -> str:
    name = CAPSULE_ROUTINES[slot]
    routine = load_routine(data_dir("routines") / f"{name}.toml")
    return f"{slot}: {name} ({routine.title}, {length(compile(routine).duration_ms)})"


@pytest.mark.parametrize("slot", SLOTS)
def test_print_named_slot(runner: CliRunner, slot: str):
    result = runner.invoke(main, ["capsule", slot, "--print"])
    assert result.exit_code == 0, result.output
    assert result.output == _expected_line(slot) + "\n"


@pytest.mark.parametrize(("hour", "slot"), [(5, "waking"), (12, "sitting"), (2, "bedtime")])
def test_print_chooses_by_hour(runner: CliRunner, hour: int, slot: str):
    result = runner.invoke(main, ["capsule", "--print", "--hour", str(hour)])
    assert result.exit_code == 0, result.output
    assert result.output == _expected_line(slot) + "\n"


def test_print_without_slot_uses_the_local_time(runner: CliRunner):
    import datetime

    before = capsule_for(datetime.datetime.now().hour)
    result = runner.invoke(main, ["capsule", "--print"])
    after = capsule_for(datetime.datetime.now().hour)
    assert result.exit_code == 0, result.output
    assert result.output in {_expected_line(before) + "\n", _expected_line(after) + "\n"}


def test_unknown_slot_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(main, ["capsule", "lunch", "--print"])
    assert result.exit_code == 2
    assert "lunch" in result.output
    assert "Traceback" not in result.output


def test_a_person_own_capsule_of_the_same_name_is_used(runner: CliRunner, tmp_path):
    own = tmp_path / "config" / "breathpace" / "routines"
    own.mkdir(parents=True)
    builtin = (data_dir("routines") / "capsule-sitting.toml").read_text(encoding="utf-8")
    (own / "capsule-sitting.toml").write_text(
        builtin.replace('title = "Before-sitting capsule"', 'title = "My desk capsule"'),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["capsule", "sitting", "--print"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sitting: capsule-sitting (My desk capsule, ")


@pytest.mark.slow
def test_capsule_plays_through_the_play_command(tmp_path):
    """The real `play --plain` starts the chosen capsule; Ctrl-C ends it cleanly."""
    pytest.importorskip("breathpace.commands.play")
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "breathpace", "capsule", "bedtime", "--plain", "--audio", "none"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        seen = []
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            if "Open book" in line:
                break
        assert any("Open book" in line for line in seen), seen
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err, err
