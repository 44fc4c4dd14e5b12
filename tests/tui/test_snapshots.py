"""SVG snapshots of the main screens (pytest-textual-snapshot).

The clock is a FakeClock that only the test moves, inputs do not blink, and the home
and Breathe lists come from fixed routines written here, so a snapshot changes only
when what the screen shows changes. Update with `pytest --snapshot-update` after
checking the new look.
"""

from __future__ import annotations

import tomllib

import pytest

from breathpace.routine.model import Routine
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app

SIZE = (80, 24)

BREATHING = """\
format = 1
title = "{title}"
tags = ["breathing", "preset", "seated"]
pace = "{pattern}"

[[exercise]]
name = "{title}"
pattern = "{pattern}"
minutes = {minutes}
"""


@pytest.fixture
def fixed_library(tmp_path, monkeypatch):
    """The built-in library replaced by four fixed routines."""
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "short.toml").write_text(short_routine_text(), "utf-8")
    (folder / "tilts.toml").write_text(
        short_routine_text(8).replace('title = "Short test set"', 'title = "Pelvic tilts"'),
        "utf-8",
    )
    for name, title, pattern, minutes in (
        ("coherent", "Coherent breathing", "5.5-0-5.5-0", 10),
        ("box", "Box breathing", "4-4-4-4", 4),
    ):
        text = BREATHING.format(title=title, pattern=pattern, minutes=minutes)
        (folder / f"{name}.toml").write_text(text, "utf-8")
    import breathpace.library as library

    monkeypatch.setattr(library, "builtin_routine_files", lambda: sorted(folder.glob("*.toml")))
    return folder


def short() -> Routine:
    return Routine.model_validate(tomllib.loads(short_routine_text()))


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    """The home screen's plan for today is drawn at a fixed moment: 10:00 on a Monday."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from breathpace.day import glance

    moment = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr(glance, "wall_now", lambda: moment)


def test_snapshot_home(snap_compare, fixed_library):
    from breathpace.tui.app import BreathpaceApp

    assert snap_compare(BreathpaceApp(), terminal_size=SIZE)


def test_snapshot_player_mid_inhale(snap_compare):
    app, clock, _ = make_player_app(short())

    async def run_before(pilot):
        await pilot.pause()
        await advance(pilot, clock, 3 + 2 + 1)  # lead-in, the exhale, half the inhale

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_player_on_a_rest(snap_compare):
    app, clock, _ = make_player_app(short())

    async def run_before(pilot):
        await pilot.pause()
        await advance(pilot, clock, 3 + 12 + 1.5)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_breathe(snap_compare, fixed_library):
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.breathe import BreatheScreen

    assert snap_compare(BreathpaceApp(first=BreatheScreen), terminal_size=SIZE)


def test_snapshot_help(snap_compare, fixed_library):
    from breathpace.tui.app import BreathpaceApp

    assert snap_compare(BreathpaceApp(), press=["question_mark"], terminal_size=SIZE)


def test_snapshot_first_run_safety_notice(snap_compare, fixed_library):
    from breathpace.settings import Settings, save_settings
    from breathpace.tui.app import BreathpaceApp

    save_settings(Settings(seen_safety=False))
    assert snap_compare(BreathpaceApp(), terminal_size=SIZE)


def test_snapshot_player_at_40_by_12_paused(snap_compare):
    app, clock, _ = make_player_app(short())

    async def run_before(pilot):
        await pilot.pause()
        await advance(pilot, clock, 3 + 2 + 1)
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(40, 12), run_before=run_before)


def test_snapshot_player_with_a_figure(snap_compare):
    from tests.tui.test_figure import figured

    app, clock, _ = make_player_app(figured())

    async def run_before(pilot):
        await pilot.pause()
        await advance(pilot, clock, 3 + 1.5)  # the lead-in, then most of the first lift

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
