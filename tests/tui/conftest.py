"""Fixtures for the interface tests: a fake clock, the silent backend, a short routine.

Every app here runs with `FakeClock` and `SilentBackend(clock=...)`, so the session
moves only when a test advances the clock; the first-run safety notice is marked as
seen (it has its own tests) so it does not cover the screen under test.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SHORT = textwrap.dedent(
    """\
    format = 1
    title = "Short test set"
    pace = "2-0-2-0"
    lead_in = 3

    [[exercise]]
    name = "Tilt"
    position = "On your back"
    cues = ["cue one", "cue two"]
    sets = 2
    reps = {reps}
    rest = {{ seconds = 4 }}
    rest_after = {{ seconds = 5 }}
    phases = [
      {{ move = "lift", breath = "exhale", seconds = 2, effort = true }},
      {{ move = "lower", breath = "inhale", seconds = 2 }},
    ]

    [[exercise]]
    name = "Bridge"
    sides = "both"
    switch_rest = {{ seconds = 3 }}
    reps = 2
    phases = [
      {{ move = "up", breath = "exhale", seconds = 2, effort = true }},
      {{ move = "hold", breath = "hold", seconds = 1 }},
      {{ move = "down", breath = "inhale", seconds = 2 }},
    ]
    """
)


def short_routine_text(reps: int = 3) -> str:
    return SHORT.format(reps=reps)


@pytest.fixture(autouse=True)
def safety_seen(isolated_home):
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(seen_safety=True))


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / "short.toml"
    path.write_text(short_routine_text(), encoding="utf-8")
    return path
