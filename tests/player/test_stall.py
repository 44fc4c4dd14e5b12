"""A stop with sound behaves as a stop without: pause where it was and say so.

With a rendering backend the tape is the count of frames the device took; while the
process (audio thread included) is stopped it stands still and the wall clock runs on.
The core compares the two; the Player hands it both readings.
"""

from __future__ import annotations

from breathpace.audio.backends import Capabilities
from breathpace.clock import FakeClock
from breathpace.player import Player
from breathpace.player.core import JUMP_S, Pause
from breathpace.player.events import Notice, PlayerState
from breathpace.routine.load import parse_routine
from tests.player.test_core import ROUTINE, SR, started

S = PlayerState
STALL = int(JUMP_S * SR)


def notices(core) -> list[str]:
    return [e.text for e in core.take_events() if isinstance(e, Notice)]


def test_a_sounding_tape_that_stood_still_while_the_wall_clock_ran_pauses_where_it_was():
    core = started()
    for t in range(100, 3001, 100):
        core.sync(t, wall=t)
    core.take_events()
    core.take_effects()
    # Stopped for longer than JUMP_S: the wall clock ran, the tape moved 20 ms.
    core.sync(3020, wall=3000 + STALL + 500)
    assert core.state is S.PAUSED
    assert core.position_ms == 3000  # where it was at the last look before the stop
    assert any("clock jumped" in text for text in notices(core))
    assert Pause() in core.take_effects()
    # Resumed later: the time spent paused is no stall.
    core.resume(3100)
    core.take_effects()
    core.sync(3200, wall=20_000)
    core.sync(3300, wall=20_100)
    assert core.state is S.PLAYING


def test_a_busy_main_thread_while_the_sound_played_on_is_no_stall():
    core = started()
    core.sync(1000, wall=1000)
    core.sync(1000 + STALL + 500, wall=1000 + STALL + 520)  # both moved: sound played
    assert core.state is S.PLAYING
    # A short stop (under JUMP_S) plays on, as the silent clock does.
    core.sync(1000 + STALL + 600, wall=1000 + STALL + 520 + STALL - 100)
    assert core.state is S.PLAYING


class Stalling:
    """A rendering backend whose frame counter the test moves (the audio thread)."""

    name = "stalling"
    sample_rate = SR
    capabilities = Capabilities(renders=True, discards_ahead=False, lists_devices=False)

    def __init__(self):
        self.frame = 0
        self.paused = False

    def attach(self, source):
        self.source = source

    def play_from(self, frame):
        self.frame = frame
        self.paused = False

    def pause(self):
        self.paused = True

    def position_frames(self):
        return self.frame

    def failed(self):
        return None

    def close(self):
        pass


def test_the_player_pauses_a_sounding_session_after_a_stop_and_pauses_the_sound():
    clock, backend = FakeClock(100.0), Stalling()
    player = Player(parse_routine(ROUTINE), backend=backend, clock=clock)
    player.start()
    for _ in range(30):  # 3 s of playing: frames and wall time move together
        clock.advance(0.1)
        backend.frame += 100
        player.poll()
    assert player.state is S.PLAYING and player.position_ms == 3000
    clock.advance(JUMP_S + 3)  # stopped (Ctrl-Z, SIGSTOP): no frames meanwhile
    backend.frame += 25  # the audio thread ran first after the continue
    events = player.poll()
    assert player.state is S.PAUSED and backend.paused
    assert player.position_ms == 3000
    assert any(isinstance(e, Notice) and "clock jumped" in e.text for e in events)
