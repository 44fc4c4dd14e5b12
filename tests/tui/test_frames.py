"""The player screen draws only what changes, when it changes.

On the fake clock: no widget is rendered again while nothing on it changed, the breath
indicator is rendered only when its shape moves by a half cell, the phase word changes
on the very millisecond of the segment boundary because the screen's one timer is set
for it, and a session whose device opens slowly is handed over only once it is open.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import tomllib

from breathpace.routine.model import Routine
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import make_player_app, player_screen, screen_text


def short() -> Routine:
    return Routine.model_validate(tomllib.loads(short_routine_text(3)))


def count_renders(widget) -> list[int]:
    """Wrap the widget's line rendering; the list grows by one per rendered line."""
    calls: list[int] = []
    original = widget.render_line

    def counted(y: int):
        calls.append(y)
        return original(y)

    widget.render_line = counted
    return calls


async def walk(pilot, clock, screen, ms: int) -> None:
    """Start the session, then move the clock in 250 ms frames (a single big jump
    would count as a suspended machine and pause the session)."""
    screen.tick()
    for _ in range(ms // 250):
        await step(pilot, clock, screen, 250)
    await step(pilot, clock, screen, ms % 250)


async def step(pilot, clock, screen, ms: int) -> None:
    clock.advance(ms / 1000)
    screen.tick()
    await pilot.pause()


def test_nothing_is_rendered_again_while_nothing_changes():
    async def main():
        from breathpace.tui.widgets.breath_indicator import BreathIndicator

        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await walk(pilot, clock, screen, 100)  # the get-ready: a steady shape
            indicator = app.screen.query_one(BreathIndicator)
            phase = screen._lines["phase"]
            renders = count_renders(indicator)
            phase_renders = []
            original = phase.render
            phase.render = lambda: phase_renders.append(1) or original()
            # 0.1 s .. 0.9 s of the get-ready: the countdown stays at 3, the shape still.
            for _ in range(16):
                await step(pilot, clock, screen, 50)
            assert screen.seconds_left == 3
            assert renders == []
            assert phase_renders == []
            # The countdown's next second redraws the phase line, not the indicator.
            await step(pilot, clock, screen, 150)
            assert screen.seconds_left == 2
            assert phase_renders
            assert renders == []

    asyncio.run(main())


def test_the_indicator_is_rendered_only_when_its_shape_moves():
    async def main():
        from breathpace.tui.widgets.breath_indicator import STEP_MS, BreathIndicator

        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await walk(pilot, clock, screen, 3100)  # into the first exhale
            indicator = app.screen.query_one(BreathIndicator)
            renders = count_renders(indicator)
            moves = 0
            last = indicator.units
            for _ in range(60):  # 1.2 s of 20 ms frames inside the 2 s exhale
                before = len(renders)
                await step(pilot, clock, screen, 20)
                if indicator.units != last:
                    moves += 1
                    last = indicator.units
                else:
                    assert len(renders) == before  # no move, no render
            assert moves >= 3  # it does breathe
            assert moves <= 1200 // STEP_MS + 1  # at most one step per STEP_MS
            assert len(renders) > 0

    asyncio.run(main())


def test_the_phase_word_changes_on_the_boundary_millisecond():
    async def main():
        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            player = session.player
            await walk(pilot, clock, screen, 2000)
            boundary = player.timeline.at(player.position_ms).end_ms
            assert screen.phase_word == "GET READY"
            # Follow the screen's own timer exactly: each wake-up where it asks for it.
            for _ in range(50):
                wait = screen.next_change_in_ms()
                assert 0 < wait <= boundary - player.position_ms
                await step(pilot, clock, screen, wait)
                if screen.phase_word != "GET READY":
                    break
            assert screen.phase_word == "EXHALE"
            assert 0 <= player.position_ms - boundary <= 1
            # One millisecond before the next boundary it still says exhale.
            nxt = player.timeline.at(player.position_ms).end_ms
            await step(pilot, clock, screen, nxt - player.position_ms - 1)
            assert screen.phase_word == "EXHALE"
            await step(pilot, clock, screen, 1)
            assert screen.phase_word == "INHALE"

    asyncio.run(main())


def test_calm_mode_does_not_wake_for_the_breath():
    async def wakes(calm: bool) -> int:
        """How often the screen's timer asks to look during 1.5 s of the exhale."""
        app, clock, session = make_player_app(short(), calm=calm)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await walk(pilot, clock, screen, 3100)
            end = session.player.position_ms + 1500
            count = 0
            while session.player.position_ms < end:
                await step(pilot, clock, screen, screen.next_change_in_ms())
                count += 1
            return count

    async def main():
        from breathpace.tui.widgets.breath_indicator import STEP_MS

        animated, calm = await wakes(False), await wakes(True)
        assert animated >= 1500 // STEP_MS
        assert calm < animated

    asyncio.run(main())


def test_a_slow_device_is_waited_for_before_the_session_is_handed_over(monkeypatch):
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.session import runner as session_runner
    from breathpace.session.options import session_options
    from breathpace.session.prepare import prepare
    from breathpace.session.runner import SessionRunner

    opened = threading.Event()

    def slow_open(options, *, clock=None, wait=True):
        time.sleep(0.3)  # a device that takes its time
        opened.set()
        return SilentBackend(clock=FakeClock(0.0)), None

    monkeypatch.setattr(session_runner, "open_session_backend", slow_open)
    prepared = prepare("box", session_options())
    started = time.monotonic()
    runner = SessionRunner(prepared, mode="tui")
    assert not opened.is_set()  # the constructor does not wait: it opens on a thread
    runner.open()
    assert opened.is_set()
    assert time.monotonic() - started >= 0.3
    # Nothing has started: the get-ready begins, at its full length, once shown.
    assert not runner.started
    assert runner.player.position_ms == 0
    runner.close()


def test_a_device_that_cannot_open_is_one_error_from_open(monkeypatch):
    import pytest

    from breathpace.session import runner as session_runner
    from breathpace.session.errors import SessionError
    from breathpace.session.options import session_options
    from breathpace.session.prepare import prepare
    from breathpace.session.runner import SessionRunner

    def broken(options, *, clock=None, wait=True):
        raise SessionError("--audio: no such device")

    monkeypatch.setattr(session_runner, "open_session_backend", broken)
    runner = SessionRunner(prepare("box", session_options()), mode="tui")
    with pytest.raises(SessionError, match="no such device"):
        runner.open()


def test_the_get_ready_waits_for_a_device_still_waking_then_starts_from_its_beginning():
    async def main():
        app, clock, session = make_player_app(short())
        backend = session.player.backend
        waking = [True]
        backend.ready = lambda: not waking[0]
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            for _ in range(3):
                clock.advance(0.5)
                screen.tick()
            await pilot.pause()
            assert not session.started
            assert screen.status == "Waiting for the sound device…"
            assert "Waiting for the sound device…" in screen_text(app)
            waking[0] = False
            screen.tick()
            await pilot.pause()
            assert session.started
            # Nothing of the get-ready was spent waiting: it begins now, at its start.
            assert session.player.position_ms == 0
            assert screen.status == ""

    asyncio.run(main())


def test_the_time_left_ticks_with_the_countdown_never_skips_and_stays_within_a_second():
    from breathpace.timeline import compile
    from breathpace.tui.screens.player import shown_left_ms

    timeline = compile(short(), tempo_scale="0.87")  # phases of fractions of a second too
    duration = timeline.duration_ms
    shown = []
    for position in range(0, duration + 1, 7):
        seg = timeline.at(position)
        left = shown_left_ms(seg, position, duration)
        true = duration - position
        assert true - 1000 < left < true + 1000
        count = -(-(seg.end_ms - position) // 1000)
        shown.append((left // 1000, seg.index, count))
    for (before, seg_a, count_a), (after, seg_b, count_b) in itertools.pairwise(shown):
        assert after in (before, before - 1)  # never back, never a skipped second
        if seg_a == seg_b and count_a == count_b:
            assert after == before  # it changes only when the count does


def test_every_wake_up_in_a_breath_lands_on_the_segments_quarter_second_grid():
    """The indicator, the countdown and the time left share one grid: a breath of 2 s
    is 8 looks, each drawing everything due, never a look for one line alone."""

    async def main():
        from breathpace.tui.widgets.breath_indicator import STEP_MS

        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            player = session.player
            await walk(pilot, clock, screen, 3100)  # into the first exhale
            seg = player.timeline.at(player.position_ms)
            looks = []
            while player.position_ms < seg.end_ms - 1:
                wait = screen.next_change_in_ms()
                await step(pilot, clock, screen, wait)
                looks.append(seg.end_ms - player.position_ms)
            on_grid = [left for left in looks if left % STEP_MS == 0]
            # Every look but the one just before the boundary (LEAD_MS early) is on it.
            assert len(on_grid) >= len(looks) - 1
            assert len(looks) <= (seg.end_ms - 3100) // STEP_MS + 2

    asyncio.run(main())


def test_the_indicator_keeps_its_style_until_the_breath_changes_its_colour():
    """The style is worked out once (not per line), yet a new breath still recolours."""
    from textual.app import App

    from breathpace.tui.widgets.breath_indicator import BreathIndicator

    class One(App):
        def compose(self):
            yield BreathIndicator(id="b")

    async def main():
        async with One().run_test(size=(40, 9)) as pilot:
            indicator = pilot.app.query_one(BreathIndicator)
            colours = []
            for breath in ("inhale", "exhale", "hold", "inhale"):
                indicator.show(0.8, breath)
                await pilot.pause()
                colours.append(next(iter(indicator.render_line(4))).style.color)
            assert len({colours[0], colours[1], colours[2]}) == 3
            assert colours[3] == colours[0]

    asyncio.run(main())
