"""`breathpace preview` says what each exercise involves before it is played:
the routine's safety, then per exercise its dose, safety, position, general cues and
each phase with its own cue — above the table; `--brief` prints only the table. A
routine of breathing blocks names their pattern, not the routine's unused pace. The
TUI preview shows the same: the safety under the summary, the highlighted exercise's
details under the table."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from breathpace import fmt
from breathpace.cli import main
from breathpace.library import resolve
from breathpace.session import words
from breathpace.timeline import compile


@pytest.fixture(autouse=True)
def safety_seen():
    from breathpace.settings import Settings, save_settings

    save_settings(Settings(seen_safety=True))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_preview_shows_what_each_exercise_involves_above_the_table():
    result = run("preview", "glute-bridge")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    routine = resolve("glute-bridge").routine
    table = next(i for i, line in enumerate(lines) if line.split()[:2] == ["#", "item"])
    above = lines[:table]
    assert f"Safety: {routine.safety}" in above
    for number, item in enumerate(routine.exercise, start=1):
        start = above.index(f"{number}. {item.name}")
        block = []
        for line in above[start + 1 :]:
            if not line.startswith("   "):
                break
            block.append(line.strip())
        assert block[0].startswith("Dose: ")
        if item.position:
            assert f"Position: {item.position}" in block
        for cue in item.cues:
            assert f"Cue: {cue}" in block
        for phase in getattr(item, "phases", None) or ():
            line = next(b for b in block if b.startswith("Phase: ") and f" {phase.move} (" in b)
            if phase.cue:
                assert line.endswith(f"— {phase.cue}")
    bridge = above[above.index("2. Glute bridge") + 1 :]
    assert "Dose: 1 set × 5 reps · 1 min 40 s" in bridge[0]
    # The dose's length is the table's length for that item.
    assert lines[table + 2].endswith("1 min 40 s")


def test_tempo_part_cues_are_listed_on_their_parts():
    result = run("preview", "split-squat")
    routine = resolve("split-squat").routine
    item = next(i for i in routine.exercise if getattr(i, "part_cues", None))
    cues = [c for c in item.part_cues.model_dump().values() if c]
    phase_lines = [line.strip() for line in result.stdout.splitlines() if "Phase: " in line]
    for cue in cues:
        assert any(line.endswith(f"— {cue}") for line in phase_lines), cue


def test_brief_prints_only_the_table():
    result = run("preview", "glute-bridge", "--brief")
    assert result.exit_code == 0
    assert "Position:" not in result.stdout and "Phase:" not in result.stdout
    assert "Safety:" in result.stdout  # the routine's safety is never left out
    assert result.stdout.splitlines()[-1].startswith("total: ")


BREATHING_ONLY = """
format = 1
title = "Evening breaths"

[[exercise]]
name = "Slow out-breaths"
pattern = "4-0-8-0"
cycles = 6
"""


def test_a_breathing_only_routine_names_its_pattern_not_the_default_pace(tmp_path):
    path = tmp_path / "evening.toml"
    path.write_text(BREATHING_ONLY, "utf-8")
    result = run("preview", str(path))
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.endswith("(evening, pattern 4-0-8-0)")
    assert "4-0-6-0" not in result.stdout  # the format's default pace, used by nothing
    assert "Dose: pattern 4-0-8-0, 6 breaths" in result.stdout


def test_tui_preview_shows_safety_and_the_highlighted_exercises_details():
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.preview import PreviewScreen
    from tests.fakes import FakeRig
    from tests.tui.helpers import screen_text

    routine = resolve("glute-bridge").routine
    rig = FakeRig()

    async def main():
        app = BreathpaceApp(backend=rig.backend, clock=rig.clock)
        async with app.run_test(size=(110, 50)) as pilot:
            app.push_screen(PreviewScreen(routine))
            await pilot.pause()
            text = " ".join(screen_text(app).split())
            assert routine.safety[:60] in text
            assert "1. Pelvic tilt warm-up" in text
            first = routine.exercise[0]
            assert f"Position: {first.position}" in text
            assert first.phases[0].cue in text
            await pilot.press("down")
            await pilot.pause()
            text = " ".join(screen_text(app).split())
            second = routine.exercise[1]
            assert "2. Glute bridge" in text and second.phases[0].cue in text
            assert first.phases[0].cue not in text

    asyncio.run(main())


def test_tui_preview_of_breathing_blocks_names_their_pattern():
    from breathpace.routine.load import parse_routine
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.preview import PreviewScreen
    from tests.fakes import FakeRig

    routine = parse_routine(BREATHING_ONLY, "evening.toml")
    rig = FakeRig()

    async def main():
        app = BreathpaceApp(backend=rig.backend, clock=rig.clock)
        async with app.run_test(size=(110, 40)) as pilot:
            app.push_screen(PreviewScreen(routine))
            await pilot.pause()
            total = str(app.screen.query_one("#preview-total").render())
            assert "pattern 4-0-8-0" in total and "4-0-6-0" not in total
            table = app.screen.query_one("#preview-table")
            length = str(table.get_row_at(0)[-1])
            assert length == fmt.length(words.item_ms(compile(routine), 1))

    asyncio.run(main())
