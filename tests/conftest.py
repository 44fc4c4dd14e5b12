"""Shared fixtures: every test runs with its own empty config and data folders.

platformdirs honours XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_STATE_HOME on Linux, so
pointing them at a temporary folder keeps every test (and every subprocess a test
starts, which inherits the environment) away from the real home's routines, settings,
journal and saved sessions.
"""

from __future__ import annotations

import os
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
# `pytest` alone runs the fast lane: what a newcomer runs first, green and quick on any
# machine. `pytest --slow` (what `.ci/run` runs) runs everything; naming files or a
# marker expression (`pytest tests/e2e`, `pytest -m pulse`) runs what was named, slow
# or not. `pytest -m "not slow"` is the fast lane spelled out.
# A test is slow when it starts a real process, drives tmux or needs the sound server
# (or, marked by hand with its reason, walks whole routines through the real screen).
# Everything under tests/e2e/ and everything marked `tmux` or `pulse` is slow by
# definition; any other test that starts a process must say so with
# `@pytest.mark.slow`, and the guard below fails it when it does not, so the fast lane
# cannot quietly grow slow again.

_SLOW_BY_MARK = ("tmux", "pulse")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="run the slow tests too (real processes, tmux, the sound server); CI does",
    )


def fast_lane_only(config: pytest.Config) -> bool:
    """The run leaves slow tests out: `pytest` alone, or `-m "not slow"`."""
    markexpr = config.getoption("markexpr", "") or ""
    if "not slow" in markexpr:
        return True
    return not (config.getoption("--slow") or markexpr or config.option.file_or_dir)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        in_e2e = "e2e" in Path(str(item.path)).parts
        if in_e2e or any(item.get_closest_marker(m) for m in _SLOW_BY_MARK):
            item.add_marker(pytest.mark.slow)
    if fast_lane_only(config) and not config.getoption("markexpr", ""):
        slow = [item for item in items if item.get_closest_marker("slow")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if not item.get_closest_marker("slow")]
            config.stash[_LEFT_OUT] = len(slow)


_LEFT_OUT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    left_out = config.stash.get(_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"the fast lane: {left_out} slow tests (real processes, tmux, the sound server) "
            "were not run; `pytest --slow` runs everything, as CI does"
        )


# -- In CI, the sound server and tmux must be there ------------------------------------
# A test marked `pulse` or `tmux` skips, with its reason, on a machine without a sound
# server or tmux (a newcomer's laptop, a container). CI (`CI=true`) installs and starts
# both, so there such a skip means the run did not test what it says: it fails. The one
# skip CI accepts is simpleaudio's on Python 3.12+ (tests/sound.py says why).


def _must_not_skip(item: pytest.Item) -> bool:
    return os.environ.get("CI", "").lower() == "true" and any(
        item.get_closest_marker(m) for m in _SLOW_BY_MARK
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and _must_not_skip(item)):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    from tests.sound import SIMPLEAUDIO_PY312

    if SIMPLEAUDIO_PY312 in reason:
        return
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (CI=true), where {_SLOW_BY_MARK} tests must run: {reason}"


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
    is content that gets tuned, and those tests are about the journal, not about
    today's dose in the library.
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
# easier to fool on a starved machine, so the full run (`pytest --slow`, what CI runs)
# keeps Textual's own steps. `textual._wait` is private: when a Textual release moves it or
# its two numbers, the fast lane keeps Textual's steps too (slower, still correct).
_IDLE_STEP_S = 1 / 200


def finer_idle_steps(wait: object) -> bool:
    """Scale Textual's idle judgement in `wait` (its `textual._wait` module) to
    `_IDLE_STEP_S` steps; False, changing nothing, when it is not the shape known."""
    granularity = getattr(wait, "SLEEP_GRANULARITY", None)
    idle = getattr(wait, "SLEEP_IDLE", None)
    if not all(isinstance(v, float) and v > 0 for v in (granularity, idle)):
        return False
    assert isinstance(granularity, float) and isinstance(idle, float)
    setattr(wait, "SLEEP_IDLE", idle * _IDLE_STEP_S / granularity)  # noqa: B010
    setattr(wait, "SLEEP_GRANULARITY", _IDLE_STEP_S)  # noqa: B010
    return True


def pytest_configure(config: pytest.Config) -> None:
    if not fast_lane_only(config):
        return
    try:
        import textual._wait as wait
    except ImportError:
        return
    finer_idle_steps(wait)
