"""The player screen driven by Pilot on a fake clock: it follows the Player exactly."""

from __future__ import annotations

import asyncio
import os
import tomllib

from breathpace.routine.model import Routine
from breathpace.timeline import compile
from tests.tui.conftest import short_routine_text
from tests.tui.helpers import advance, make_player_app, player_screen, screen_text, until


def short(reps: int = 3) -> Routine:
    return Routine.model_validate(tomllib.loads(short_routine_text(reps)))


def run(coro):
    return asyncio.run(coro)


def test_phase_and_counters_follow_the_clock_exactly():
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 0)
            assert screen.phase_word == "GET READY"
            assert screen.seconds_left == 3
            assert screen.heading == "Coming up: Tilt"
            # Before the exercise: its position and general cues.
            assert [n.text for n in screen.about] == ["On your back", "cue one", "cue two"]
            await advance(pilot, clock, 3.0)
            assert screen.phase_word == "EXHALE" and screen.move == "lift"
            assert screen.heading == "Tilt · set 1/2 · rep 1/3"
            assert screen.seconds_left == 2
            # The phases have no cue of their own: the general cues are not shown as
            # if they described the phase.
            assert screen.cue == "" and screen.about == ()
            assert screen.next_up == "Next: Bridge"
            await advance(pilot, clock, 1.75)
            assert screen.phase_word == "EXHALE" and screen.seconds_left == 1
            await advance(pilot, clock, 0.25)
            assert screen.phase_word == "INHALE" and screen.move == "lower"
            assert screen.seconds_left == 2
            await advance(pilot, clock, 2.0)
            assert screen.heading == "Tilt · set 1/2 · rep 2/3"
            assert screen.cue == ""
            # the labels on screen say the same as the reactives
            text = screen_text(app)
            assert "EXHALE · lift" in text
            assert "Tilt · set 1/2 · rep 2/3" in text

    run(main())


def test_rest_between_sets_and_time_left():
    async def main():
        routine = short()
        total_ms = compile(routine).duration_ms
        app, clock, _ = make_player_app(routine)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3 + 3 * 4)  # lead-in and three reps
            assert screen.phase_word == "REST"
            assert screen.heading == "Tilt · rest · next: set 2/2"
            assert screen.seconds_left == 4
            left = (total_ms - 15_000) // 1000
            assert screen.time_left == f"{left // 60:02d}:{left % 60:02d} left"
            await advance(pilot, clock, 4)
            assert screen.phase_word == "EXHALE"
            assert screen.heading == "Tilt · set 2/2 · rep 1/3"

    run(main())


def test_pause_holds_the_place_and_resume_continues():
    async def main():
        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3.5)
            await pilot.press("space")
            assert screen.state == "paused"
            assert "Paused" in screen.status
            position = session.player.position_ms
            await advance(pilot, clock, 5)
            assert session.player.position_ms == position
            assert screen.phase_word == "EXHALE" and screen.seconds_left == 2
            await pilot.press("space")
            assert screen.state == "playing"
            await advance(pilot, clock, 1.5)
            assert screen.phase_word == "INHALE"

    run(main())


def test_skip_and_back_by_rep_and_by_exercise():
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3.5)
            assert screen.heading.endswith("rep 1/3")
            await pilot.press("n")
            assert screen.heading == "Tilt · set 1/2 · rep 2/3"
            assert screen.phase_word == "EXHALE"
            await pilot.press("p")  # within the grace time: back to the rep before
            assert screen.heading == "Tilt · set 1/2 · rep 1/3"
            await pilot.press("right")  # the arrows do the same
            assert screen.heading == "Tilt · set 1/2 · rep 2/3"
            await pilot.press("left")
            assert screen.heading == "Tilt · set 1/2 · rep 1/3"
            await pilot.press("N")
            assert screen.heading == "Coming up: Bridge"
            assert screen.phase_word == "NEXT"
            await advance(pilot, clock, 5.25)
            assert screen.heading == "Bridge · left · set 1/1 · rep 1/2"
            await pilot.press("P")
            await pilot.press("P")
            assert screen.heading.startswith("Tilt")

    run(main())


def test_pace_change_is_shown_pending_then_applied_at_the_next_rep():
    async def main():
        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3.5)
            await pilot.press("plus")
            assert screen.status == "pace 2-0-2-0 ×1.1 from the next rep"
            assert screen.audio.startswith("pace 2-0-2-0 ·")
            await advance(pilot, clock, 3.5)  # into rep 2
            assert screen.status == ""
            assert screen.audio.startswith("pace 2-0-2-0 ×1.1 ·")
            assert screen.heading.endswith("rep 2/3")
            # phases given in seconds stretch with the tempo: 2.2 s each now
            assert session.player.segment.duration_ms == 2200
            await pilot.press("minus")
            assert "from the next rep" in screen.status

    run(main())


def test_mute_and_volume_steps():
    async def main():
        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 1)
            assert screen.audio.endswith("vol 80%")
            await pilot.press("m")
            assert session.player.muted and screen.audio.endswith("muted")
            await pilot.press("m")
            assert screen.audio.endswith("vol 80%")
            await pilot.press("v")
            assert screen.audio.endswith("vol 60%")
            for _ in range(3):
                await pilot.press("v")
            assert screen.audio.endswith("vol 100%")

    run(main())


def test_quit_asks_once_and_keeps_the_partial_session():
    async def main():
        from breathpace.tui.screens.checkin import CheckInScreen
        from breathpace.tui.screens.confirm import ConfirmScreen

        app, clock, session = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 3 + 4 * 2 + 0.5)  # two reps done
            await pilot.press("q")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # changed my mind
            assert not session.ended
            await pilot.press("q")
            await pilot.press("y")
            await until(pilot, lambda: session.ended)
            assert session.outcome == "quit"
            assert str(session.player.state) == "stopped"
            # the check-in comes next (escape skips it) and then the app ends
            if session.session_id:
                await until(pilot, lambda: isinstance(app.screen, CheckInScreen))
                await pilot.press("escape")
                await pilot.pause()
        assert app.return_code == 0
        from breathpace.journal.db import open_journal

        journal = open_journal()
        try:
            row = journal.conn.execute(
                "SELECT outcome FROM session WHERE id = ?", (session.session_id,)
            ).fetchone()
            reps = journal.conn.execute(
                "SELECT reps_done FROM progress WHERE session_id = ? AND exercise = 1",
                (session.session_id,),
            ).fetchone()
        finally:
            journal.close()
        assert row[0] == "quit"
        assert reps[0] == 2

    run(main())


def test_watch_reload_keeps_the_place_and_shows_errors_inline(routine_file):
    async def main():
        from breathpace.library import load_routine

        app, clock, session = make_player_app(load_routine(routine_file), watch=routine_file)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3 + 4 + 0.5)
            assert screen.heading == "Tilt · set 1/2 · rep 2/3"

            def save(text: str, bump: int) -> None:
                routine_file.write_text(text, encoding="utf-8")
                st = routine_file.stat()
                os.utime(routine_file, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 10**9))
                screen.check_watch()

            save(short_routine_text(reps=5), 1)
            await advance(pilot, clock, 0.25)
            assert screen.heading == "Tilt · set 1/2 · rep 2/5"
            assert screen.banner == ""

            save(short_routine_text(reps=5).replace("reps = 5", "reps = 0"), 2)
            await advance(pilot, clock, 0.25)
            assert "short.toml" in screen.banner and "reps" in screen.banner
            assert "\n" not in screen.banner
            assert app.screen.query_one("#banner").display
            # the session goes on under the error
            await advance(pilot, clock, 4)
            assert screen.heading == "Tilt · set 1/2 · rep 3/5"

            save(short_routine_text(reps=5), 3)
            await advance(pilot, clock, 0.25)
            assert screen.banner == ""
            assert not app.screen.query_one("#banner").display
            assert not session.ended

    run(main())


def test_wait_for_ready_holds_until_enter():
    async def main():
        text = short_routine_text().replace(
            'name = "Bridge"\n', 'name = "Bridge"\nwait_for_ready = true\n'
        )
        routine = Routine.model_validate(tomllib.loads(text))
        app, clock, _ = make_player_app(routine)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 3 + 12 + 4 + 12 + 0.5)
            assert screen.state == "waiting"
            assert screen.phase_word == "GET READY"
            assert screen.cue == "Press Enter when ready"
            await advance(pilot, clock, 10)
            assert screen.state == "waiting"
            await pilot.press("enter")
            assert screen.state == "playing"
            await advance(pilot, clock, 6)
            assert screen.heading.startswith("Bridge · left")

    run(main())


def test_narrow_terminal_keeps_the_phase_word_and_survives_resizes():
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 3.5)
            assert "EXHALE · lift" in screen_text(app)
            for size in ((30, 8), (120, 40), (40, 12)):
                await pilot.resize_terminal(*size)
                await advance(pilot, clock, 0.25)
            assert "EXHALE" in screen_text(app)

    run(main())


def test_calm_mode_shows_a_steady_bar_and_words():
    async def main():
        from breathpace.tui.widgets.breath_indicator import BreathIndicator

        app, clock, _ = make_player_app(short(), calm=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await advance(pilot, clock, 3.25)
            indicator = app.screen.query_one(BreathIndicator)
            first = screen_text(app)
            assert "breathe out" in first
            await advance(pilot, clock, 1.0)
            assert indicator.units == 0  # no animation at all
            assert screen_text(app).splitlines()[:8] == first.splitlines()[:8]

    run(main())


def test_breath_indicator_grows_on_inhale_and_shrinks_on_exhale():
    async def main():
        from breathpace.tui.widgets.breath_indicator import BreathIndicator

        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            indicator = app.screen.query_one(BreathIndicator)
            await advance(pilot, clock, 3.0)
            exhale = []
            for _ in range(8):
                await advance(pilot, clock, 0.25)
                exhale.append(indicator.units)
            inhale = []
            for _ in range(7):
                await advance(pilot, clock, 0.25)
                inhale.append(indicator.units)
            assert exhale == sorted(exhale, reverse=True) and exhale[0] > exhale[-1]
            assert inhale == sorted(inhale) and inhale[0] < inhale[-1]

    run(main())


def test_clock_jump_pauses_with_a_notice():
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 1)
            clock.advance(30)  # the lid was closed
            screen.tick()
            await pilot.pause()
            assert screen.state == "paused"
            assert any("clock jumped" in n.message for n in app._notifications)

    run(main())


def tiny_routine() -> Routine:
    """One 2-second rep and nothing else: a session that finishes at once."""
    return Routine.model_validate(
        {
            "format": 1,
            "title": "Tiny",
            "lead_in": 0,
            "exercise": [{"name": "Tilt", "reps": 1, "phases": [{"move": "tilt", "seconds": 2}]}],
        }
    )


def test_finished_session_without_a_journal_waits_on_done(monkeypatch):
    async def main():
        routine = tiny_routine()
        app, clock, session = make_player_app(routine)
        session.journal = False  # played without a journal
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 6)
            assert session.outcome == "completed" and session.session_id is None
            assert screen.phase_word == "DONE"
            assert screen.cue == "Well done. Press Enter or q to close."
            assert app.is_running
            await pilot.press("enter")
            await pilot.pause()
        assert app.return_code == 0

    run(main())


def test_finished_session_goes_to_the_check_in():
    async def main():
        routine = tiny_routine()
        app, clock, session = make_player_app(routine)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            await advance(pilot, clock, 2.5)
            assert screen.phase_word == "DONE"
            await advance(pilot, clock, 3)
            assert session.outcome == "completed"
            assert type(app.screen).__name__ == "CheckInScreen"
            await pilot.press("escape")
            await pilot.pause()
        assert app.return_code == 0

    run(main())


def test_switch_sides_moment_between_the_sides():
    async def main():
        app, clock, _ = make_player_app(short())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = player_screen(app)
            # lead-in 3, two sets of 3 reps with a 4 s rest, 5 s to the bridge, 2 left reps
            await advance(pilot, clock, 3 + 12 + 4 + 12 + 5 + 2 * 5 + 0.5)
            assert screen.phase_word == "SWITCH SIDES"
            assert screen.heading == "Bridge · right · set 1/1"
            assert screen.seconds_left == 3
            assert "SWITCH SIDES" in screen_text(app)
            await advance(pilot, clock, 3)
            assert screen.heading == "Bridge · right · set 1/1 · rep 1/2"
            assert screen.phase_word == "EXHALE" and screen.move == "up"

    run(main())
