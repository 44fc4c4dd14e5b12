"""Shared fixtures: every test runs with its own empty config and data folders.

platformdirs honours XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_STATE_HOME on Linux, so
pointing them at a temporary folder keeps every test (and every subprocess a test
starts, which inherits the environment) away from the real home's routines, settings,
journal and saved sessions.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the config, data and state folders at fresh temporary folders for this test."""
    base = tmp_path_factory.mktemp("home")
    config = base / "config"
    data = base / "data"
    state = base / "state"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return base


@pytest.fixture
def user_routines_dir(isolated_home: Path) -> Path:
    """The (created) folder where `breathpace` looks for the person's own routines."""
    from breathpace import paths

    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    assert str(folder).startswith(str(isolated_home))
    return folder


# -- The fast lane -------------------------------------------------------------------
# `pytest -m "not slow"` is the quick loop while working; `.ci/run` runs everything.
# A test is slow when it starts a real process, drives tmux or needs the sound server
# (or, marked by hand with its reason, walks whole routines through the real screen).
# Everything under tests/e2e/ and everything marked `tmux` or `pulse` is slow by
# definition; any other test that starts a process must say so with
# `@pytest.mark.slow`, and the guard below fails it when it does not, so the fast lane
# cannot quietly grow slow again.

_SLOW_BY_MARK = ("tmux", "pulse")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        in_e2e = "e2e" in Path(str(item.path)).parts
        if in_e2e or any(item.get_closest_marker(m) for m in _SLOW_BY_MARK):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _processes_only_in_the_slow_lane(request: pytest.FixtureRequest, monkeypatch):
    if request.node.get_closest_marker("slow"):
        yield
        return
    import subprocess

    real_init = subprocess.Popen.__init__

    def refuse(self, args, *rest, **kwargs):
        pytest.fail(
            f"{request.node.nodeid} starts a process ({args!r:.80}): mark it "
            "@pytest.mark.slow so the fast lane stays fast",
            pytrace=False,
        )
        return real_init(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    yield


@pytest.fixture
def fake_rig():
    """A fake clock and the silent backend on it (see `tests/fakes.py`); build players
    with `fake_rig.player(routine)` and move them with `fake_rig.clock.advance()`."""
    from tests.fakes import FakeRig

    return FakeRig()


@pytest.fixture
def classic_glute_bridge(user_routines_dir: Path) -> Path:
    """A fixed sample routine named "glute-bridge" (the library's old 2 x 8 version) in
    the person's routines folder, where it shadows the built-in of that name.

    Journal, check-in and preview tests count its reps and minutes; the built-in's dose
    is content that gets tuned (issue 13), and those tests are about the journal, not
    about today's dose in the library.
    """
    source = Path(__file__).resolve().parent / "fixtures" / "glute-bridge-classic.toml"
    target = user_routines_dir / "glute-bridge.toml"
    target.write_text(source.read_text("utf-8"), "utf-8")
    return target


# -- Textual's pilot, in finer steps, in the fast lane ---------------------------------
# Every `pilot.press` and `pilot.pause` waits until the app is idle, judged by sleeping
# in steps of `SLEEP_GRANULARITY` (20 ms) until a step passes with almost no CPU time
# used; a key press waits two such steps at least. Across the interface tests that was
# 45 s of a fast lane of 100, spent asleep. The fast lane makes the same judgement in
# 5 ms steps (the CPU allowance scaled with it). A finer step can end before work the
# app queued for after its next repaint (1/60 s away) has run, so a test that needs
# such work waits for it by name (`tests.tui.helpers.until`); and a finer judgement is
# easier to fool on a starved machine, so the full run (`pytest`, what CI runs) keeps
# Textual's own steps.
_IDLE_STEP_S = 1 / 200


def pytest_configure(config: pytest.Config) -> None:
    if "not slow" not in (config.getoption("markexpr", "") or ""):
        return
    import textual._wait

    textual._wait.SLEEP_IDLE = (
        textual._wait.SLEEP_IDLE * _IDLE_STEP_S / (textual._wait.SLEEP_GRANULARITY)
    )
    textual._wait.SLEEP_GRANULARITY = _IDLE_STEP_S
