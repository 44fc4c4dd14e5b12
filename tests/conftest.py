"""Shared fixtures: every test runs with its own empty config and data folders.

platformdirs honours XDG_CONFIG_HOME and XDG_DATA_HOME on Linux, so pointing them at a
temporary folder keeps every test (and every subprocess a test starts, which inherits
the environment) away from the real home's routines, settings and journal.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the config and data folders at fresh temporary folders for this test."""
    base = tmp_path_factory.mktemp("home")
    config = base / "config"
    data = base / "data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return base


@pytest.fixture
def user_routines_dir(isolated_home: Path) -> Path:
    """The (created) folder where `breathpace` looks for the person's own routines."""
    from breathpace import paths

    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    assert str(folder).startswith(str(isolated_home))
    return folder


@pytest.fixture
def fake_rig():
    """A fake clock and the silent backend on it (see `tests/fakes.py`); build players
    with `fake_rig.player(routine)` and move them with `fake_rig.clock.advance()`."""
    from tests.fakes import FakeRig

    return FakeRig()
