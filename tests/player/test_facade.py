"""The Player facade over the core: a compiled timeline passed in, declared capabilities."""

from __future__ import annotations

from fractions import Fraction

import pytest

import breathpace.player.player as player_module
from breathpace.audio.backends import Capabilities
from breathpace.player import Player, PlayerState
from breathpace.routine.load import parse_routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import compile

ROUTINE = """
format = 1
title = "Facade"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Tilt"
reps = 3
phases = [
  { move = "tilt", breath = "exhale", breaths = 1 },
  { move = "release", breath = "inhale", breaths = 1 },
]
"""


def test_a_timeline_passed_in_is_used_and_not_compiled_again(fake_rig, monkeypatch):
    routine = parse_routine(ROUTINE)
    pace = BreathPattern.parse("2-0-2-0")
    timeline = compile(routine, pace, Fraction(3, 2))

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(player_module, "compile", no_compile)
    player = fake_rig.player(routine, pace=pace, tempo_scale=Fraction(3, 2), timeline=timeline)
    assert player.timeline is timeline
    assert (player.pace, player.tempo_scale) == (pace, Fraction(3, 2))
    player.start()
    fake_rig.run(player, timeline.duration_ms / 1000 + 0.1)
    assert player.state is PlayerState.FINISHED
    assert player.played_ms == timeline.duration_ms


def test_without_a_timeline_the_player_compiles_its_own(fake_rig):
    routine = parse_routine(ROUTINE)
    player = fake_rig.player(routine)
    assert player.timeline == compile(routine, None, Fraction(1))


class Buffering:
    """A backend that renders far ahead and re-renders on request (as simpleaudio)."""

    name = "buffering"
    sample_rate = 1000
    capabilities = Capabilities(renders=True, discards_ahead=True, lists_devices=False)

    def __init__(self):
        self.frame = 0
        self.discarded: list[int] = []

    def attach(self, source):
        self.source = source

    def play_from(self, frame):
        self.frame = frame

    def pause(self):
        pass

    def position_frames(self):
        return self.frame

    def failed(self):
        return None

    def close(self):
        pass

    def discard_from(self, frame):
        self.discarded.append(frame)


def test_a_backend_that_declares_discarding_is_asked_to_discard():
    backend = Buffering()
    player = Player(parse_routine(ROUTINE), backend=backend, volume=0.5)
    player.start()
    player.set_volume(0.7)
    assert backend.discarded == [0]
    player.toggle_mute()
    assert backend.discarded == [0, 0]


def test_a_backend_must_declare_its_capabilities():
    class Undeclared(Buffering):
        capabilities = None

    with pytest.raises(TypeError, match="'buffering' declares no Capabilities"):
        Player(parse_routine(ROUTINE), backend=Undeclared())
