"""The Player's state machine as one table: (state, trigger) -> next state.

Written in the manner of h11's `_state.py`: every legal move is a row of
`TRANSITIONS`, so what may happen in each state reads off the table instead of being
spread over the controls. A pair missing from the table is illegal and `transition`
says so. The public controls stay forgiving (pressing pause while paused does
nothing): they ask `allows` first, and only the core's own bookkeeping may raise.
"""

from __future__ import annotations

from enum import Enum, auto

from breathpace.player.events import PlayerState


class Trigger(Enum):
    """What happened to the session."""

    START = auto()
    """start() on a segment that plays."""
    START_AT_WAIT = auto()
    """start() exactly on a wait_for_ready segment: hold for the person."""
    PAUSE = auto()
    CLOCK_JUMP = auto()
    """The silent clock leapt (the computer slept): pause where we were."""
    RESUME = auto()
    CONFIRM = auto()
    """The person confirmed they are in position (confirm_ready)."""
    REACH_WAIT = auto()
    """Play reached a wait_for_ready segment."""
    REACH_END = auto()
    """Play reached the end of the session."""
    SEEK = auto()
    """next()/previous() landed before the end."""
    SEEK_END = auto()
    """next() went past the last segment."""
    RELOAD = auto()
    """The routine file changed; the same place is before the end of the new timeline."""
    RELOAD_AT_END = auto()
    """The routine file changed; the same place is the end of the new timeline."""
    STOP = auto()


class IllegalTransition(RuntimeError):
    """A trigger that cannot happen in the current state (a bug in the core)."""


READY, PLAYING, PAUSED, WAITING, FINISHED, STOPPED = (
    PlayerState.READY,
    PlayerState.PLAYING,
    PlayerState.PAUSED,
    PlayerState.WAITING,
    PlayerState.FINISHED,
    PlayerState.STOPPED,
)
T = Trigger

TRANSITIONS: dict[tuple[PlayerState, Trigger], PlayerState] = {
    # Not started: a seek or a reload only chooses where start() begins.
    (READY, T.START): PLAYING,
    (READY, T.START_AT_WAIT): WAITING,
    (READY, T.SEEK): READY,
    (READY, T.SEEK_END): READY,
    (READY, T.RELOAD): READY,
    (READY, T.RELOAD_AT_END): READY,
    (READY, T.STOP): STOPPED,
    (PLAYING, T.PAUSE): PAUSED,
    (PLAYING, T.CLOCK_JUMP): PAUSED,
    (PLAYING, T.REACH_WAIT): WAITING,
    (PLAYING, T.REACH_END): FINISHED,
    (PLAYING, T.SEEK): PLAYING,
    (PLAYING, T.SEEK_END): FINISHED,
    # Playing on from the end of the new timeline reaches the end at the next poll.
    (PLAYING, T.RELOAD): PLAYING,
    (PLAYING, T.RELOAD_AT_END): PLAYING,
    (PLAYING, T.STOP): STOPPED,
    # A seek while paused moves the place but stays paused.
    (PAUSED, T.RESUME): PLAYING,
    (PAUSED, T.SEEK): PAUSED,
    (PAUSED, T.SEEK_END): FINISHED,
    (PAUSED, T.RELOAD): PAUSED,
    (PAUSED, T.RELOAD_AT_END): PAUSED,
    (PAUSED, T.STOP): STOPPED,
    # Skipping from a wait means "go on": it plays.
    (WAITING, T.CONFIRM): PLAYING,
    (WAITING, T.SEEK): PLAYING,
    (WAITING, T.SEEK_END): FINISHED,
    (WAITING, T.RELOAD): WAITING,
    (WAITING, T.RELOAD_AT_END): WAITING,
    (WAITING, T.STOP): STOPPED,
    # Going back from the end plays again; a reload that adds time pauses there.
    (FINISHED, T.SEEK): PLAYING,
    (FINISHED, T.SEEK_END): FINISHED,
    (FINISHED, T.RELOAD): PAUSED,
    (FINISHED, T.RELOAD_AT_END): FINISHED,
    (FINISHED, T.STOP): STOPPED,
    # STOPPED is final: no row leaves it.
}


def allows(state: PlayerState, trigger: Trigger) -> bool:
    return (state, trigger) in TRANSITIONS


def transition(state: PlayerState, trigger: Trigger) -> PlayerState:
    """The state after `trigger` in `state`; raises IllegalTransition if it cannot happen."""
    try:
        return TRANSITIONS[state, trigger]
    except KeyError:
        raise IllegalTransition(
            f"{trigger.name} cannot happen while {state.value} "
            f"(it can while: {', '.join(s.value for s in _states_allowing(trigger)) or 'never'})"
        ) from None


def _states_allowing(trigger: Trigger) -> list[PlayerState]:
    return [s for (s, t) in TRANSITIONS if t is trigger]
