"""The Player: one session's position, controls and events, whatever shows it.

The Textual screen and the plain mode are thin readers of this class; neither decides
timing. The master clock is the backend's frame counter (the audio stream's frames
while sound plays, a monotonic clock when silent), read in `poll()`.

How frames map to the timeline. The backend plays a *tape* of session frames that only
ever increases. The tape is cut into stretches (`_Stretch`): from tape frame
`tape_start` on, the listener hears timeline frame `tl_start`, `tl_start + 1`, … of one
timeline, until `tl_stop` (a `wait_for_ready` segment or the end of the session), where
the stretch holds in silence. A seek, a resume or a confirmed wait starts a new stretch
where nothing has been rendered yet. A new pace or tempo is a stretch that begins on the
tape frame of the next rep boundary with the recompiled timeline's frame of the same
rep: the audio thread switches there on the exact sample, and `poll()` notices the
switch when the clock passes it. Because tape frames never repeat, a block the audio
thread renders while the main thread swaps the stretches is always rendered by the
stretches that owned those frames: no locks on the audio thread.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from breathpace.audio.mixer import frame_of
from breathpace.clock import MonotonicClock
from breathpace.routine.model import Routine
from breathpace.routine.pattern import BreathPattern
from breathpace.session.events import (
    Event,
    Notice,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)
from breathpace.timeline import Kind, Segment, Timeline, compile

if TYPE_CHECKING:
    from breathpace.audio.backends import Backend
    from breathpace.audio.theme import Theme

#: A silent clock that leaps further than this between two polls means the computer
#: slept or the process was stopped: pause where we were instead of racing through cues.
JUMP_S = 2.0
#: slower()/faster() change tempo_scale by this much, within these bounds.
TEMPO_STEP = Fraction(1, 10)
TEMPO_MIN = Fraction(1, 2)
TEMPO_MAX = Fraction(2)
#: A volume change fades over this many frames instead of stepping (no click).
GAIN_RAMP = 512


@dataclass(frozen=True)
class _Plan:
    """One compiled timeline with the sound that goes with it."""

    timeline: Timeline
    mixer: Any  # breathpace.audio.mixer.Mixer, or None when nothing is heard
    pace: BreathPattern
    pace_override: BreathPattern | None
    tempo_scale: Fraction
    end_frame: int
    wait_frames: tuple[int, ...]
    """Start frames of the WAIT segments."""


@dataclass(frozen=True)
class _Stretch:
    tape_start: int
    tl_start: int
    tl_stop: int
    plan: _Plan
    switch_from_ms: int | None = None
    """For a pace switch: the rep boundary (ms, in the previous plan) it replaces."""

    @property
    def tape_stop(self) -> int:
        return self.tape_start + (self.tl_stop - self.tl_start)

    def tl_at(self, tape: int) -> int:
        return min(self.tl_start + max(0, tape - self.tape_start), self.tl_stop)


class Player:
    """Owns the position and the controls of one session. See the module docstring."""

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
    ):
        self.routine = routine
        self._backend = backend
        self._clock = clock or getattr(backend, "clock", None) or MonotonicClock()
        self._sr = backend.sample_rate
        self._audible = backend.name != "silent"
        if theme is None and self._audible:
            from breathpace.audio.theme import load_theme

            theme = load_theme()
        self._theme = theme
        self._sound_opts = {"tick": tick, "breath_tone": breath_tone, "voice": voice}
        self.volume = _clamp01(volume)
        self.muted = bool(muted)
        self._gain_applied = self._target_gain()

        # A float like 1.1 is meant as written, not as its binary approximation.
        scale = Fraction(str(tempo_scale)) if isinstance(tempo_scale, float) else tempo_scale
        self._plan = self._make_plan(routine, pace, Fraction(scale))
        self._pending: _Plan | None = None
        self.state = PlayerState.READY
        self._stretches: tuple[_Stretch, ...] = ()
        self._hold = 0  # timeline frame while not playing
        self._pos = 0  # timeline frame at the last sync
        self._index = 0  # index of the segment last reported
        self._last_tape = 0
        self._played_frames = 0
        self._rendered_until = 0
        self._tape_floor = 0  # no new stretch may start below this tape frame
        self._events: list[Event] = []
        self._subscribers: list[Callable[[Event], None]] = []
        backend.attach(self._source)

    # ----------------------------------------------------------------- plans

    def _make_plan(self, routine: Routine, pace: BreathPattern | None, scale: Fraction) -> _Plan:
        timeline = compile(routine, pace, scale)
        mixer = None
        if self._audible:
            from breathpace.audio.mixer import Mixer

            mixer = Mixer(timeline, self._theme, self._sr, **self._sound_opts)
        fo = self._frame_of
        return _Plan(
            timeline=timeline,
            mixer=mixer,
            pace=pace or routine.pace_parsed,
            pace_override=pace,
            tempo_scale=scale,
            end_frame=fo(timeline.duration_ms),
            wait_frames=tuple(fo(s.start_ms) for s in timeline.segments if s.kind is Kind.WAIT),
        )

    def _frame_of(self, ms: int) -> int:
        return frame_of(ms, self._sr)

    def _ms_of(self, frame: int) -> int:
        """The latest ms whose frame has been reached (inverse of the mixer's rounding)."""
        ms = frame * 1000 // self._sr
        while self._frame_of(ms + 1) <= frame:
            ms += 1
        while ms > 0 and self._frame_of(ms) > frame:
            ms -= 1
        return ms

    def _stop_after(self, plan: _Plan, tl_frame: int, through_wait: bool) -> int:
        for w in plan.wait_frames:
            if w > tl_frame or (w == tl_frame and not through_wait):
                return w
        return plan.end_frame

    # ------------------------------------------------------------ public state

    @property
    def timeline(self) -> Timeline:
        return self._plan.timeline

    @property
    def pace(self) -> BreathPattern:
        return self._plan.pace

    @property
    def tempo_scale(self) -> Fraction:
        return self._plan.tempo_scale

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def pending_pace(self) -> tuple[BreathPattern, Fraction] | None:
        """The pace and tempo waiting for the next rep boundary, if any."""
        p = self._pending
        return (p.pace, p.tempo_scale) if p is not None else None

    @property
    def position_ms(self) -> int:
        return min(self._ms_of(self._pos), self.timeline.duration_ms)

    @property
    def segment(self) -> Segment:
        return self.timeline.segments[self._index]

    @property
    def remaining_ms(self) -> int:
        return self.timeline.remaining_ms(self.position_ms)

    @property
    def progress(self) -> float:
        total = self.timeline.duration_ms
        return min(1.0, self.position_ms / total) if total else 1.0

    @property
    def played_ms(self) -> int:
        return self._played_frames * 1000 // self._sr

    def subscribe(self, callback: Callable[[Event], None]) -> None:
        self._subscribers.append(callback)

    # ------------------------------------------------------------------ polling

    def poll(self) -> list[Event]:
        """Read the clock, move the position, and deliver the events that happened."""
        self._sync()
        events, self._events = self._events, []
        for event in events:
            for callback in list(self._subscribers):
                callback(event)
        return events

    def _emit(self, event: Event) -> None:
        self._events.append(event)

    def _set_state(self, state: PlayerState) -> None:
        if state is not self.state:
            self.state = state
            self._emit(StateChanged(state))

    def _sync(self) -> None:
        if self.state is not PlayerState.PLAYING:
            return
        self._check_backend()
        tape = self._backend.position_frames()
        if not self._audible and tape - self._last_tape > JUMP_S * self._sr:
            self._hold_at(self._pos)
            self._backend.pause()
            self._set_state(PlayerState.PAUSED)
            self._emit(
                Notice(
                    "The clock jumped (was the computer asleep?): paused where you were. "
                    "Resume when ready."
                )
            )
            return
        stretch = self._stretch_at(tape)
        if stretch is None:
            return
        self._count_played(tape)
        self._last_tape = tape
        if stretch.plan is not self._plan:
            self._commit_switch(stretch)
        tl = stretch.tl_at(tape)
        self._pos = tl
        self._advance_to(self.timeline.index_at(self._ms_of(tl)))
        if tl >= stretch.tl_stop:
            self._reach_stop(stretch)

    def _count_played(self, tape: int) -> None:
        delta = 0
        stretches = self._stretches
        for i, s in enumerate(stretches):
            lo = max(self._last_tape, s.tape_start)
            hi = min(tape, s.tape_stop)
            if i + 1 < len(stretches):
                hi = min(hi, stretches[i + 1].tape_start)
            if hi > lo:
                delta += hi - lo
        self._played_frames += delta

    def _stretch_at(self, tape: int) -> _Stretch | None:
        found = None
        for s in self._stretches:
            if s.tape_start <= tape:
                found = s
        return found if found is not None else (self._stretches[0] if self._stretches else None)

    def _advance_to(self, index: int) -> None:
        """Report every segment from the last reported one up to `index`, in order, so a
        slow poll never skips a segment (the journal counts reps from these)."""
        segs = self.timeline.segments
        while self._index < index:
            self._index += 1
            self._emit(SegmentChanged(segs[self._index], segs[self._index - 1]))

    def _enter(self, index: int, previous: Segment | None = None) -> None:
        """Report a jump to `index` (a seek, a reload, a switch of timelines). `previous`
        is the segment left behind (by default the current one of this timeline)."""
        segs = self.timeline.segments
        if previous is None:
            if index == self._index:
                return
            previous = segs[self._index]
        self._index = index
        self._emit(SegmentChanged(segs[index], previous))

    def _swap_plan(self, plan: _Plan) -> Segment:
        """Make `plan` current; returns the segment that was current before."""
        left = self.segment
        self._plan = plan
        if self._pending is plan:
            self._pending = None
        self._index = min(self._index, len(plan.timeline.segments) - 1)
        return left

    def _commit_switch(self, stretch: _Stretch) -> None:
        """The clock has passed a pace switch: finish the old timeline up to the boundary
        and carry on in the new one."""
        old = self.timeline
        if stretch.switch_from_ms is not None:
            self._advance_to(old.index_at(stretch.switch_from_ms) - 1)
        self._plan = stretch.plan
        if self._pending is stretch.plan:
            self._pending = None
        new_index = self.timeline.index_at(self._ms_of(stretch.tl_start))
        segs = self.timeline.segments
        # The previous segment is named in the new timeline, so "one step on" still reads
        # as flowing play (the rep that just ended was played in full).
        previous = segs[new_index - 1] if new_index > 0 else None
        self._index = new_index
        self._emit(SegmentChanged(segs[new_index], previous))
        self._emit(PaceChanged(self.pace, self.tempo_scale, pending=False))

    def _reach_stop(self, stretch: _Stretch) -> None:
        self._hold_at(stretch.tl_stop)
        self._backend.pause()
        if stretch.tl_stop >= stretch.plan.end_frame:
            self._advance_to(len(self.timeline.segments) - 1)
            self._set_state(PlayerState.FINISHED)
        else:
            self._advance_to(self.timeline.index_at(self._ms_of(stretch.tl_stop)))
            self._apply_pending_here()
            self._set_state(PlayerState.WAITING)

    def _check_backend(self) -> None:
        problem = self._backend.failed()
        if problem is None:
            return
        from breathpace.audio.backends.silent import SilentBackend

        tape = self._backend.position_frames()
        stretch = self._stretch_at(tape)
        if stretch is not None:
            if stretch.plan is not self._plan:
                self._commit_switch(stretch)
            self._pos = stretch.tl_at(tape)
        with contextlib.suppress(Exception):
            self._backend.close()
        self._backend = SilentBackend(self._sr, clock=self._clock)
        self._audible = False
        self._emit(Notice(f"{problem} Carrying on silently."))
        self._start_stretch(self._pos, through_wait=True)

    # ---------------------------------------------------------------- stretches

    def _hold_at(self, tl_frame: int) -> None:
        self._hold = tl_frame
        self._pos = tl_frame
        self._stretches = ()

    def _start_stretch(self, tl_frame: int, *, through_wait: bool) -> None:
        """Play from timeline frame `tl_frame` of the current plan, on fresh tape."""
        tape = max(self._tape_floor, self._rendered_until, self._backend.position_frames())
        moved = self._apply_pending_here(tl_frame)
        if moved is not None:
            tl_frame = moved
        plan = self._plan
        stretch = _Stretch(tape, tl_frame, self._stop_after(plan, tl_frame, through_wait), plan)
        self._stretches = (stretch,)
        self._pos = tl_frame
        self._last_tape = tape
        self._tape_floor = tape
        self._schedule_pending()
        self._backend.play_from(tape)

    def _apply_pending_here(self, tl_frame: int | None = None) -> int | None:
        """When held exactly on a rep boundary, a pending pace applies at once. Returns
        the frame of the same place in the new timeline, or None if nothing changed."""
        if self._pending is None:
            return None
        if self.state is PlayerState.READY:
            self._plan, self._pending = self._pending, None
            self._emit(PaceChanged(self.pace, self.tempo_scale, pending=False))
            return 0
        frame = self._pos if tl_frame is None else tl_frame
        ms = self._ms_of(frame)
        if self._frame_of(ms) != frame or self.timeline.next_start(ms - 1, "rep") != ms:
            return None
        self._switch_plan_now(ms)
        return self._pos

    def _switch_plan_now(self, at_ms: int) -> None:
        plan = self._pending
        assert plan is not None
        new_ms = _same_place(self.timeline, at_ms, plan.timeline)
        left = self._swap_plan(plan)
        self._pending = None
        self._pos = self._hold = self._frame_of(new_ms)
        self._enter(plan.timeline.index_at(new_ms), left)
        self._emit(PaceChanged(plan.pace, plan.tempo_scale, pending=False))

    def _guard(self) -> int:
        """The first tape frame whose sound may still change. A streaming backend has
        rendered up to `_rendered_until`; a buffering one (`discard_from`) re-renders
        on request, so only a moment past its clock is settled."""
        position = self._backend.position_frames()
        if hasattr(self._backend, "discard_from"):
            return max(self._tape_floor, position + self._sr // 10)
        return max(self._tape_floor, self._rendered_until, position)

    def _drop_future_switch(self) -> list[_Stretch]:
        """Forget stretches that start on tape the audio thread has not reached."""
        guard = self._guard()
        kept = [s for s in self._stretches if s.tape_start <= guard] or list(self._stretches[:1])
        if len(kept) < len(self._stretches):
            self._discard(guard)
        self._stretches = tuple(kept)
        return kept

    def _discard(self, tape: int) -> None:
        discard = getattr(self._backend, "discard_from", None)
        if discard is not None and self.state is PlayerState.PLAYING:
            discard(tape)

    def _schedule_pending(self) -> None:
        """Place the pending pace on the tape at the next rep boundary not yet rendered."""
        if self._pending is None or not self._stretches or self.state is PlayerState.STOPPED:
            return
        guard = self._guard()
        kept = self._drop_future_switch()
        current = kept[-1]
        guard_tl = current.tl_at(guard)
        boundary_ms = current.plan.timeline.next_start(self._ms_of(guard_tl), "rep")
        if boundary_ms is None:
            return
        boundary = self._frame_of(boundary_ms)
        if boundary > current.tl_stop:
            return
        plan = self._pending
        new_ms = _same_place(current.plan.timeline, boundary_ms, plan.timeline)
        new_tl = self._frame_of(new_ms)
        tape = current.tape_start + (boundary - current.tl_start)
        switch = _Stretch(
            tape, new_tl, self._stop_after(plan, new_tl, False), plan, switch_from_ms=boundary_ms
        )
        self._stretches = (*kept[-2:], switch)
        self._discard(tape)

    # ------------------------------------------------------------ audio thread

    def _source(self, start: int, n: int) -> np.ndarray:
        """Samples for tape frames [start, start + n). Runs on the audio thread: reads
        immutable snapshots only, never blocks, never raises out (backends guard it)."""
        if start + n > self._rendered_until:
            self._rendered_until = start + n
        out = np.zeros(n, dtype=np.float32)
        stretches = self._stretches
        for i, s in enumerate(stretches):
            lo = max(start, s.tape_start)
            hi = (
                start + n
                if i + 1 == len(stretches)
                else min(start + n, stretches[i + 1].tape_start)
            )
            hi = min(hi, s.tape_stop)
            if hi <= lo or s.plan.mixer is None:
                continue
            out[lo - start : hi - start] = s.plan.mixer.render(
                s.tl_start + lo - s.tape_start, hi - lo
            )
        target = self._target_gain()
        applied = self._gain_applied
        if target == applied:
            if target != 1.0:
                out *= target
        else:
            k = min(n, GAIN_RAMP)
            ramp = np.full(n, target, dtype=np.float32)
            ramp[:k] = np.linspace(applied, target, k, endpoint=False, dtype=np.float32)
            out *= ramp
            self._gain_applied = target
        return out

    def _target_gain(self) -> float:
        return 0.0 if self.muted else float(self.volume)

    # ----------------------------------------------------------------- controls

    def start(self) -> None:
        if self.state is not PlayerState.READY:
            return
        # Usually frame 0; a seek made before starting is kept.
        frame = self._hold
        self._index = self.timeline.index_at(self._ms_of(frame))
        first = self.segment
        self._emit(SegmentChanged(first, None))
        if first.kind is Kind.WAIT and self._frame_of(first.start_ms) == frame:
            self._hold_at(frame)
            self._set_state(PlayerState.WAITING)
            return
        self._set_state(PlayerState.PLAYING)
        self._start_stretch(frame, through_wait=False)

    def pause(self) -> None:
        if self.state is not PlayerState.PLAYING:
            return
        self._sync()
        if self.state is not PlayerState.PLAYING:
            return
        self._backend.pause()
        self._hold_at(self._pos)
        self._set_state(PlayerState.PAUSED)

    def resume(self) -> None:
        if self.state is not PlayerState.PAUSED:
            return
        self._set_state(PlayerState.PLAYING)
        self._start_stretch(self._hold, through_wait=True)

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
        if self.state is not PlayerState.WAITING:
            return
        self._set_state(PlayerState.PLAYING)
        self._start_stretch(self._hold, through_wait=True)

    def next(self, level: str = "rep") -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        target = self.timeline.next_start(self.position_ms, level)
        if target is None:
            self._seek_frame(self._plan.end_frame)
        else:
            self._seek(target)

    def previous(self, level: str = "rep") -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._seek(self.timeline.previous_start(self.position_ms, level))

    def _seek(self, ms: int) -> None:
        if self._pending is not None:
            # A seek is a boundary: a waiting pace applies now, at the same place.
            old = self.timeline
            left = self._swap_plan(self._pending)
            self._emit(PaceChanged(self.pace, self.tempo_scale, pending=False))
            self._seek_frame(self._frame_of(_same_place(old, ms, self.timeline)), left)
            return
        self._seek_frame(self._frame_of(ms))

    def _seek_frame(self, frame: int, left: Segment | None = None) -> None:
        frame = min(max(frame, 0), self._plan.end_frame)
        if self.state is PlayerState.READY:
            # Not started: just choose where start() begins (it reports the segment).
            self._index = self.timeline.index_at(self._ms_of(frame))
            self._hold_at(min(frame, self._frame_of(self.segment.start_ms)))
            return
        self._enter(self.timeline.index_at(self._ms_of(frame)), left)
        was = self.state
        if frame >= self._plan.end_frame:
            self._backend.pause()
            self._hold_at(frame)
            self._advance_to(len(self.timeline.segments) - 1)
            self._set_state(PlayerState.FINISHED)
            return
        if was in (PlayerState.PLAYING, PlayerState.WAITING, PlayerState.FINISHED):
            self._set_state(PlayerState.PLAYING)
            self._start_stretch(frame, through_wait=False)
        else:
            self._hold_at(frame)

    def slower(self) -> None:
        self._change_tempo(+TEMPO_STEP)

    def faster(self) -> None:
        self._change_tempo(-TEMPO_STEP)

    def _change_tempo(self, step: Fraction) -> None:
        base = self._pending or self._plan
        scale = min(TEMPO_MAX, max(TEMPO_MIN, base.tempo_scale + step))
        if scale == base.tempo_scale:
            return
        self._request(base.pace_override, scale)

    def set_pace(self, pace: BreathPattern) -> None:
        base = self._pending or self._plan
        self._request(pace, base.tempo_scale)

    def _request(self, pace: BreathPattern | None, scale: Fraction) -> None:
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        plan = self._make_plan(self.routine, pace, scale)
        if (plan.pace, plan.tempo_scale) == (self.pace, self.tempo_scale):
            # Back to what is playing: nothing left to switch.
            self._pending = None
            self._drop_future_switch()
            self._emit(PaceChanged(plan.pace, plan.tempo_scale, pending=False))
            return
        self._pending = plan
        self._emit(PaceChanged(plan.pace, plan.tempo_scale, pending=True))
        if self.state is PlayerState.PLAYING:
            self._schedule_pending()
        elif self.state in (PlayerState.READY, PlayerState.WAITING):
            self._apply_pending_here()

    def set_volume(self, volume: float) -> None:
        self.volume = _clamp01(volume)
        self._discard(0)

    def toggle_mute(self) -> None:
        self.muted = not self.muted
        self._discard(0)

    def reload(self, routine: Routine) -> None:
        """Recompile a changed routine and keep the place (same item, side, set and rep
        where it still exists, else the start of that item)."""
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        base = self._pending or self._plan
        try:
            plan = self._make_plan(routine, base.pace_override, base.tempo_scale)
        except Exception as exc:  # a routine that validates may still not compile
            text = str(exc).strip()
            self._emit(Reloaded(ok=False, error=text.splitlines()[0] if text else repr(exc)))
            return
        target_ms = _same_place(self.timeline, self.position_ms, plan.timeline)
        self.routine = routine
        left = self._swap_plan(plan)
        self._pending = None
        self._emit(Reloaded(ok=True, error=None))
        state = self.state
        frame = self._frame_of(target_ms)
        self._enter(plan.timeline.index_at(target_ms), left)
        if state is PlayerState.PLAYING:
            self._start_stretch(frame, through_wait=True)
        elif state is PlayerState.FINISHED and frame < plan.end_frame:
            self._hold_at(frame)
            self._set_state(PlayerState.PAUSED)
        else:
            self._hold_at(min(frame, plan.end_frame))

    def stop(self) -> None:
        """End the session. The caller still owns (and closes) the backend."""
        if self.state is PlayerState.STOPPED:
            return
        self._sync()
        self._backend.pause()
        self._hold_at(self._pos)
        self._pending = None
        self._set_state(PlayerState.STOPPED)
        # Deliver the last events (the journal writes played time on STOPPED).
        self.poll()

    def close(self) -> None:
        """Stop and release the sound device."""
        self.stop()
        self._backend.close()


def _same_place(old: Timeline, ms: int, new: Timeline, seg: Segment | None = None) -> int:
    """Where the segment at `ms` of `old` starts in `new`: the same item, side, set and
    rep; else the start of the same item; else the nearest end."""
    seg = seg or old.at(ms)
    if seg.kind is Kind.END:
        return new.segments[-1].start_ms
    found = new.locate(seg.exercise, seg.side, seg.set, seg.rep)
    if found is not None:
        return found
    if seg.exercise == 0:
        return 0
    try:
        return new.item_span(seg.exercise)[0]
    except ValueError:
        return new.segments[-1].start_ms


def _clamp01(value: float) -> float:
    v = float(value)
    if math.isnan(v):
        return 0.0
    return min(1.0, max(0.0, v))
