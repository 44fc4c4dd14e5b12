"""The player screen says what the moment is, driven by Pilot on a fake clock.

Through whole built-in routines, segment by segment: the heading, the cue line and the
general text are what `session/words.py` chooses for that segment — during a phase its
own cue and nothing else, before an item and in its rests the position, cues and
safety — and the terminal really shows them.
"""

from __future__ import annotations

import asyncio
import tomllib

import pytest

from breathpace.library import builtin_routine_files, load_routine
from breathpace.player.events import PlayerState
from breathpace.routine.model import Exercise, Routine
from breathpace.session import words
from breathpace.timeline import Kind
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text

ROUTINES = {path.stem: path for path in builtin_routine_files()}


def run(coro):
    return asyncio.run(coro)


def _all_phase_cues(routine: Routine) -> set[str]:
    cues = set()
    for item in routine.exercise:
        if isinstance(item, Exercise) and item.phases:
            cues |= {p.cue for p in item.phases if p.cue}
        elif isinstance(item, Exercise) and item.part_cues:
            cues |= {c for c in item.part_cues.model_dump().values() if c}
    return cues


# Walks whole routines through the real screen, segment by segment: minutes, not
# seconds, so it runs with the slow lane (the pure test of every built-in segment,
# tests/session/test_words.py, stays in the fast one).
@pytest.mark.slow
@pytest.mark.parametrize("name", ["glute-bridge", "split-squat", "box"])
def test_segment_by_segment_the_screen_shows_this_moments_words(name: str):
    routine = load_routine(ROUTINES[name])

    async def main():
        app, clock, session = make_player_app(routine, name=name)
        timeline = session.player.timeline
        all_cues = _all_phase_cues(routine)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            drawn = 0
            for seg in timeline.segments:
                if seg.kind is Kind.END or seg.index > 60:  # a long breathing block repeats
                    break
                middle = seg.start_ms + seg.duration_ms // 2
                while True:
                    if screen.state is PlayerState.WAITING and seg.kind is not Kind.WAIT:
                        await pilot.press("enter")  # in position: go on
                    left = middle - session.player.position_ms
                    if left <= 0 or screen.state is PlayerState.WAITING:
                        break
                    # Small steps: a leap of over 2 s would read as a sleeping computer.
                    await advance(pilot, clock, min(left, 1000) / 1000)
                shown = timeline.at(session.player.position_ms)
                assert shown.index == seg.index
                assert screen.heading == words.heading(routine, seg)
                assert list(screen.about) == words.general_notes(routine, seg)
                if seg.kind is Kind.PHASE:
                    assert screen.cue == (seg.cue or "")
                    assert screen.about == ()
                else:
                    waiting = screen.state is PlayerState.WAITING
                    assert screen.cue == ("Press Enter when ready" if waiting else "")
                if seg.index < 14 or seg.kind is not Kind.PHASE:
                    # What the terminal shows, not only the reactives.
                    text = " ".join(screen_text(app).split())
                    drawn += 1
                    if seg.cue:
                        assert seg.cue[:40] in text
                    for other in all_cues - {seg.cue}:
                        assert other[:40] not in text, (seg, other)
                    for note in screen.about:
                        assert note.text[:30] in text
            assert drawn > 10

    run(main())


def _routine(text: str) -> Routine:
    return Routine.model_validate(tomllib.loads(text))


def test_a_wait_for_ready_shows_position_and_cues_while_it_waits():
    text = short_routine_text().replace(
        'name = "Bridge"\n',
        'name = "Bridge"\nwait_for_ready = true\nposition = "Lying on your back"\n'
        'cues = ["Knees hip-width apart"]\nsafety = "Stop before pain"\n',
    )

    async def main():
        app, clock, _ = make_player_app(_routine(text))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3 + 12 + 4 + 12 + 0.5)
            assert screen.state == "waiting"
            assert screen.cue == "Press Enter when ready"
            assert [n.text for n in screen.about] == [
                "Stop before pain",
                "Lying on your back",
                "Knees hip-width apart",
            ]
            shown = screen_text(app)
            assert "Lying on your back" in shown and "Stop before pain" in shown
            await pilot.press("enter")
            await advance(pilot, clock, 6)
            assert screen.about == () and not app.screen.query_one("#about").display

    run(main())


def test_without_a_lead_in_the_routines_safety_is_said_as_it_starts():
    text = short_routine_text().replace("lead_in = 3", 'lead_in = 0\nsafety = "Go gently"')

    async def main():
        app, clock, _ = make_player_app(_routine(text))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 0.5)
            messages = [n.message for n in app._notifications]
            assert any("Safety: Go gently" in m and "Position: On your back" in m for m in messages)

    run(main())


def test_a_breathing_block_shows_its_own_pattern_and_counts_breaths():
    async def main():
        routine = load_routine(ROUTINES["4-7-8"])
        app, clock, _ = make_player_app(routine)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, routine.lead_in + 19 + 1, step=1.0)
            assert " · breath 2/" in screen.heading
            assert screen.audio.startswith("pattern 4-7-8-0 ·")

    run(main())


def test_general_text_from_a_file_is_shown_as_text_never_markup():
    text = short_routine_text().replace(
        'position = "On your back"', 'position = "[b]On[/b] your [@click=app.quit]back"'
    )

    async def main():
        app, clock, _ = make_player_app(_routine(text))
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 0.5)
            shown = screen_text(app)
            assert "[b]On[/b] your [@click=app.quit]back" in shown

    run(main())
