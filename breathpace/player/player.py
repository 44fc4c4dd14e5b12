"""The Player: one session's position, controls and events, whatever shows it.

The Textual screen and the plain mode are thin readers of this class; neither decides
timing. The master clock is the backend's frame counter (the audio stream's frames
while sound plays, a monotonic clock when silent), read in `poll()`.

This is the thin shell around the pure `Core` (position, stretches, pace changes and
the state table, in integer frames): it reads the backend's clock, hands the reading to
the core, carries out the core's effects on the backend, compiles timelines and builds
their mixers (`audio.Sound`), and falls back to silence when the device is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from breathpace.audio.backends import capabilities_of
from breathpace.clock import MonotonicClock
from breathpace.player.audio import Sound, Source, clamp01, fall_silent
from breathpace.player.core import Core, DiscardFrom, Effect, Pause, Plan, PlayFrom
from breathpace.player.events import Event, Notice, PlayerState, Reloaded
from breathpace.player.states import Trigger, allows
from breathpace.routine.model import Routine
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import Segment, Timeline, compile, pace_for

if TYPE_CHECKING:
    import numpy as np

    from breathpace.audio.backends import Backend
    from breathpace.audio.theme import Theme

#: slower()/faster() change tempo_scale by this much, within these bounds.
TEMPO_STEP = Fraction(1, 10)
TEMPO_MIN = Fraction(1, 2)
TEMPO_MAX = Fraction(2)


class Player:
    """Owns the position and the controls of one session. See the module docstring.

    `timeline`, when given, is `routine` already compiled with `pace` and `tempo_scale`
    (by `session.prepare`): the player uses it instead of compiling again.
    """

    def __init__(
        self,
        routine: Routine,
        *,
        backend: Backend,
        pace: BreathPattern | None = None,
        tempo_scale: Fraction | float = 1,
        theme: Theme | None = None,
        volume: float = 0.8,
        muted: bool = False,
        tick: bool = False,
        breath_tone: bool = False,
        voice: Mapping[str, np.ndarray] | None = None,
        clock=None,
        timeline: Timeline | None = None,
    ):
        self.routine = routine
        self._backend = backend
        self._clock = clock or getattr(backend, "clock", None) or MonotonicClock()
        self._sr = backend.sample_rate
        caps = capabilities_of(backend)
        self._sound = Sound(
            self._sr,
            theme,
            audible=caps.renders,
            tick=tick,
            breath_tone=breath_tone,
            voice=voice,
        )
        # A float like 1.1 is meant as written, not as its binary approximation.
        scale = Fraction(str(tempo_scale)) if isinstance(tempo_scale, float) else tempo_scale
        plan = self._make_plan(routine, pace, Fraction(scale), timeline)
        self._core = Core(
            plan, self._sr, discards_ahead=caps.discards_ahead, wall_clock=not caps.renders
        )
        self._source = Source(self._core, volume=volume, muted=muted, audible=caps.renders)
        backend.attach(self._source)

    def _make_plan(
        self,
        routine: Routine,
        pace: BreathPattern | None,
        scale: Fraction,
        timeline: Timeline | None = None,
    ) -> Plan:
        if timeline is None:
            timeline = compile(routine, pace, scale)
        return Plan.of(
            timeline,
            self._sr,
            pace=pace_for(routine, pace),
            pace_override=pace,
            tempo_scale=scale,
            sound=self._sound.mixer_for(timeline),
        )

    # ------------------------------------------------------------ public state

    @property
    def state(self) -> PlayerState:
        return self._core.state

    @property
    def timeline(self) -> Timeline:
        return self._core.timeline

    @property
    def pace(self) -> BreathPattern:
        return self._core.plan.pace

    @property
    def tempo_scale(self) -> Fraction:
        return self._core.plan.tempo_scale

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def volume(self) -> float:
        return self._source.volume

    @property
    def muted(self) -> bool:
        return self._source.muted

    @property
    def pending_pace(self) -> tuple[BreathPattern, Fraction] | None:
        """The pace and tempo waiting for the next rep boundary, if any."""
        p = self._core.pending
        return (p.pace, p.tempo_scale) if p is not None else None

    @property
    def position_ms(self) -> int:
        return self._core.position_ms

    @property
    def segment(self) -> Segment:
        return self._core.segment

    @property
    def remaining_ms(self) -> int:
        return self.timeline.remaining_ms(self.position_ms)

    @property
    def progress(self) -> float:
        total = self.timeline.duration_ms
        return min(1.0, self.position_ms / total) if total else 1.0

    @property
    def played_ms(self) -> int:
        return self._core.played_ms

    # ------------------------------------------------------------------ polling

    def poll(self) -> list[Event]:
        """Read the clock, move the position, and return the events that happened (the
        session runner is their one reader: it hands them to the journal, then to the
        screen or the plain mode)."""
        self._sync()
        return self._core.take_events()

    def _position(self) -> int:
        return self._backend.position_frames()

    def _apply(self) -> None:
        """Carry out what the core decided, in order, on the backend."""
        effects: list[Effect] = self._core.take_effects()
        for effect in effects:
            match effect:
                case PlayFrom(tape=tape):
                    self._backend.play_from(tape)
                case Pause():
                    self._backend.pause()
                case DiscardFrom(tape=tape):
                    # Only a backend that declares `discards_ahead` is ever asked.
                    self._backend.discard_from(tape)  # type: ignore[attr-defined]

    def _sync(self) -> None:
        if self._core.state is not PlayerState.PLAYING:
            return
        self._check_backend()
        # The wall clock too: with sound, a stop shows as a tape that stood still.
        wall = round(self._clock.now() * self._sr)
        self._core.sync(self._position(), wall)
        self._apply()

    def _check_backend(self) -> None:
        problem = self._backend.failed()
        if problem is None:
            return
        core = self._core
        core.settle(self._position())
        self._backend = fall_silent(self._backend, self._clock)
        caps = capabilities_of(self._backend)
        self._sound.audible = caps.renders  # later plans need no mixer
        core.discards_ahead = caps.discards_ahead
        core.wall_clock = not caps.renders
        core.emit(Notice(f"{problem} Carrying on silently."))
        core.restart(self._position())
        self._apply()

    # ----------------------------------------------------------------- controls

    def start(self, *, wait_first: bool = False) -> None:
        """Begin playing; `wait_first` holds at the start until `confirm_ready()`."""
        if self.state is not PlayerState.READY:
            return
        self._core.start(self._position(), wait_first=wait_first)
        self._apply()

    def pause(self) -> None:
        if not allows(self.state, Trigger.PAUSE):
            return
        self._sync()
        if not allows(self.state, Trigger.PAUSE):
            return
        self._core.pause()
        self._apply()

    def resume(self) -> None:
        if not allows(self.state, Trigger.RESUME):
            return
        self._core.resume(self._position())
        self._apply()

    def toggle_pause(self) -> None:
        if self.state is PlayerState.PLAYING:
            self.pause()
        elif self.state is PlayerState.PAUSED:
            self.resume()
        elif self.state is PlayerState.WAITING:
            self.confirm_ready()
        elif self.state is PlayerState.READY:
            self.start()

    def confirm_ready(self) -> None:
        if not allows(self.state, Trigger.CONFIRM):
            return
        self._core.confirm_ready(self._position())
        self._apply()

    def next(self, level: str = "rep") -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._core.next(self._position(), level)
        self._apply()

    def seek(self, ms: int) -> None:
        """Go to `ms` into the timeline; before `start()` the session begins there
        (`play --from`, `--resume`)."""
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._core.seek(self._position(), ms)
        self._apply()

    def previous(self, level: str = "rep") -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._core.previous(self._position(), level)
        self._apply()

    def slower(self) -> None:
        self._change_tempo(+TEMPO_STEP)

    def faster(self) -> None:
        self._change_tempo(-TEMPO_STEP)

    def _change_tempo(self, step: Fraction) -> None:
        base = self._core.base
        scale = min(TEMPO_MAX, max(TEMPO_MIN, base.tempo_scale + step))
        if scale == base.tempo_scale:
            return
        self._request(base.pace_override, scale)

    def set_pace(self, pace: BreathPattern) -> None:
        self._request(pace, self._core.base.tempo_scale)

    def _request(self, pace: BreathPattern | None, scale: Fraction) -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        plan = self._make_plan(self.routine, pace, scale)
        self._core.request(plan, self._position())
        self._apply()

    def set_volume(self, volume: float) -> None:
        self._source.volume = clamp01(volume)
        self._core.sound_changed()
        self._apply()

    def toggle_mute(self) -> None:
        self._source.muted = not self._source.muted
        self._core.sound_changed()
        self._apply()

    def reload(self, routine: Routine) -> None:
        """Recompile a changed routine and keep the place (same item, side, set and rep
        where it still exists, else the start of that item)."""
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        base = self._core.base
        try:
            plan = self._make_plan(routine, base.pace_override, base.tempo_scale)
        except Exception as exc:  # a routine that validates may still not compile
            text = str(exc).strip()
            self._core.emit(Reloaded(ok=False, error=text.splitlines()[0] if text else repr(exc)))
            return
        self.routine = routine
        self._core.reload(plan, self._position())
        self._apply()

    def stop(self) -> None:
        """End the session (its last events are in the next `poll()`). The caller still
        owns (and closes) the backend."""
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._core.stop()
        self._apply()

    def close(self) -> None:
        """Stop and release the sound device."""
        self.stop()
        self._backend.close()
