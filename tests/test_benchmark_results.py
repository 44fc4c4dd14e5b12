"""Benchmark results are kept as JSON lines, and compare.py sets the last run beside
the one before it, with each run's commit and load, so a figure is never read without
knowing where it was measured."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import compare
import harness


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "RESULTS", tmp_path)
    monkeypatch.setattr(compare, "RESULTS", tmp_path)
    monkeypatch.setattr(harness, "_git", lambda *args: "abc1234")
    return tmp_path


def test_each_run_is_one_line_with_where_it_was_measured(results):
    harness.record("first_frame", {"none median ms": 500.0}, results)
    harness.record("first_frame", {"none median ms": 450.0}, results)
    runs = [json.loads(line) for line in (results / "first_frame.jsonl").read_text().splitlines()]
    assert [r["figures"] for r in runs] == [{"none median ms": 500.0}, {"none median ms": 450.0}]
    for run in runs:
        assert run["commit"] == "abc1234"
        assert len(run["load_1_5_15"]) == 3 and run["cpus"] >= 1
        assert run["when"] and run["python"]


def test_compare_shows_the_change_and_both_loads(results, capsys):
    harness.record("tui_cpu", {"none CPU %": 2.0, "gone": 1.0}, results)
    harness.record("tui_cpu", {"none CPU %": 1.5, "new": 3.0}, results)
    assert compare.main(["tui_cpu"]) == 0
    out = capsys.readouterr().out
    assert "tui_cpu: 2 runs recorded" in out
    (line,) = [line for line in out.splitlines() if "none CPU %" in line]
    assert line.split()[-5:] == ["2", "->", "1.5", "-25", "%"]
    assert any(line.split()[-3:] == ["1", "->", "-"] for line in out.splitlines())
    assert out.count("load ") == 2


def test_a_single_run_has_nothing_to_compare(results, capsys):
    harness.record("first_frame", {"x": 1.0}, results)
    compare.main([])
    assert "nothing to compare" in capsys.readouterr().out


def test_the_sound_servers_pid_comes_from_its_pid_file(tmp_path):
    (tmp_path / "pulse").mkdir()
    assert harness.sound_server_pid(str(tmp_path)) is None  # no file
    (tmp_path / "pulse" / "pid").write_text("999999999\n")
    assert harness.sound_server_pid(str(tmp_path)) is None  # no such process
    import os

    (tmp_path / "pulse" / "pid").write_text(f"{os.getpid()}\n")
    assert harness.sound_server_pid(str(tmp_path)) == os.getpid()
