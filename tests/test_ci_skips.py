"""In CI a sound-server or tmux test that skips is a failure; elsewhere it stays a skip.

A newcomer's machine may have no sound server: those tests skip with the reason. CI
starts one, so a skip there means the run did not test sound: the hook in
tests/conftest.py turns it into a failure. These drive that hook with made-up reports.
"""

from __future__ import annotations

import types

import pytest

from tests import conftest
from tests.sound import NO_SERVER, SIMPLEAUDIO_PY312


def outcome_of(marks: tuple[str, ...], reason: str) -> pytest.TestReport:
    item = types.SimpleNamespace(get_closest_marker=lambda name: name if name in marks else None)
    report = pytest.TestReport(
        nodeid="tests/x.py::test_x",
        location=("tests/x.py", 1, "test_x"),
        keywords={},
        outcome="skipped",
        longrepr=("tests/x.py", 1, f"Skipped: {reason}"),
        when="call",
    )
    hook = conftest.pytest_runtest_makereport(item, None)  # type: ignore[arg-type]
    next(hook)
    with pytest.raises(StopIteration):
        hook.send(types.SimpleNamespace(get_result=lambda: report))
    return report


@pytest.mark.parametrize("mark", ["pulse", "tmux"])
def test_in_ci_a_skipped_sound_or_tmux_test_fails_naming_why(monkeypatch, mark):
    monkeypatch.setenv("CI", "true")
    report = outcome_of((mark,), NO_SERVER)
    assert report.outcome == "failed"
    assert NO_SERVER in str(report.longrepr)


def test_outside_ci_it_stays_a_skip(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert outcome_of(("pulse",), NO_SERVER).outcome == "skipped"


def test_in_ci_other_tests_may_skip(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert outcome_of((), "hypothesis found nothing to do").outcome == "skipped"


def test_in_ci_simpleaudio_may_skip_on_the_pythons_it_crashes(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert outcome_of(("pulse",), SIMPLEAUDIO_PY312).outcome == "skipped"
