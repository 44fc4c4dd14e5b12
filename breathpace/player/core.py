"""The Player's pure core: one session's position, in integer frames, with no sound.

No numpy, no backend, no clock, no threads: the core is told the tape position (the
backend's frame counter, read by the `Player`) and answers with *effects* (`PlayFrom`,
`Pause`, `DiscardFrom`) that the Player carries out on the backend, and with events
for the front ends. So every rule of timing is tested here without any device.

How frames map to the timeline. The backend plays a *tape* of session frames that only
ever increases. The tape is cut into stretches (`Stretch`): from tape frame
`tape_start` on, the listener hears timeline frame `tl_start`, `tl_start + 1`, … of one
timeline, until `tl_stop` (a `wait_for_ready` segment or the end of the session), where
the stretch holds in silence. A seek, a resume or a confirmed wait starts a new stretch
where nothing has been rendered yet. A new pace or tempo is a stretch that begins on the
tape frame of the next rep boundary with the recompiled timeline's frame of the same
rep: the audio thread switches there on the exact sample, and `sync()` notices the
switch when the clock passes it. Because tape frames never repeat, a block the audio
thread renders while the main thread swaps the stretches is always rendered by the
stretches that owned those frames: no locks on the audio thread.

The states and what moves between them are the table in `states.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from breathpace.frames import frame_of, ms_of
from breathpace.player.events import (
    Event,
    Notice,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
    StateChanged,
)
from breathpace.player.states import Trigger, transition
from breathpace.routine.pattern import BreathPattern
from breathpace.timeline import Kind, Segment, Timeline

#: A silent clock that leaps further than this between two polls means the computer
#: slept or the process was stopped: pause where we were instead of racing through cues.
#: With sound, the tape stands still instead (the audio thread was stopped too) while
#: the wall clock runs on: a stall longer than this pauses the same way.
JUMP_S = 2.0
#: A buffering backend (one that discards ahead) has settled its sound only this far
#: past its clock, in seconds; later sound may still be re-rendered.
SETTLED_S = Fraction(1, 10)

CLOCK_JUMP_NOTICE = (
    "The clock jumped (was the computer asleep, or the program stopped?): "
    "paused where you were. Resume when ready."
)


@dataclass(frozen=True)
class Plan:
    """One compiled timeline, with the sound that goes with it (opaque to the core)."""

    timeline: Timeline
    sound: Any
    """What renders this timeline (the audio side's mixer), or None when nothing is heard."""
    pace: BreathPattern
    pace_override: BreathPattern | None
    tempo_scale: Fraction
    end_frame: int
    wait_frames: tuple[int, ...]
    """Start frames of the WAIT segments."""

    @classmethod
    def of(
        cls,
        timeline: Timeline,
        sample_rate: int,
        *,
        pace: BreathPattern,
        pace_override: BreathPattern | None,
        tempo_scale: Fraction,
        sound: Any = None,
    ) -> Plan:
        return cls(
            timeline=timeline,
            sound=sound,
            pace=pace,
            pace_override=pace_override,
            tempo_scale=tempo_scale,
            end_frame=frame_of(timeline.duration_ms, sample_rate),
            # Read from the columns: building every Segment of a 400,000-segment
            # timeline here would cost a hundred megabytes for a handful of waits.
            wait_frames=tuple(
                frame_of(start, sample_rate)
                for shape, start, _, _ in timeline.segments.rows()
                if shape["kind"] is Kind.WAIT
            ),
        )


@dataclass(frozen=True)
class Stretch:
    """From tape frame `tape_start` on, timeline frames `tl_start` … `tl_stop` of `plan`."""

    tape_start: int
    tl_start: int
    tl_stop: int
    plan: Plan
    switch_from_ms: int | None = None
    """For a pace switch: the rep boundary (ms, in the previous plan) it replaces."""

    @property
    def tape_stop(self) -> int:
        return self.tape_start + (self.tl_stop - self.tl_start)

    def tl_at(self, tape: int) -> int:
        """The timeline frame heard at tape frame `tape` (held at `tl_stop`)."""
        return min(self.tl_start + max(0, tape - self.tape_start), self.tl_stop)


@dataclass(frozen=True)
class PlayFrom:
    """Start (or restart) pulling the tape from this frame."""

    tape: int


@dataclass(frozen=True)
class Pause:
    """Stop pulling the tape."""


@dataclass(frozen=True)
class DiscardFrom:
    """Sound rendered ahead from this tape frame on is stale: render it again."""

    tape: int


Effect = PlayFrom | Pause | DiscardFrom


class Core:
    """Position, stretches, pending pace and state of one session. See the module
    docstring. Every control takes `position`, the backend's tape frame just read;
    afterwards the caller runs `take_effects()` on the backend, and `take_events()`
    are what the front ends hear."""

    def __init__(
        self,
        plan: Plan,
        sample_rate: int,
        *,
        discards_ahead: bool = False,
        wall_clock: bool = True,
    ):
        self.sample_rate = sample_rate
        self.plan = plan
        self.pending: Plan | None = None
        self.discards_ahead = discards_ahead
        """The backend re-renders from a frame on request (see `Capabilities`)."""
        self.wall_clock = wall_clock
        """The position is a wall clock over silence: a leap means the computer slept."""
        self.state = PlayerState.READY
        self.stretches: tuple[Stretch, ...] = ()
        self.hold = 0  # timeline frame while not playing
        self.pos = 0  # timeline frame at the last sync
        self.index = 0  # index of the segment last reported
        self.last_tape = 0
        self.last_wall: int | None = None
        """The wall clock (in frames) at the sync that set `last_tape`; None after a
        new stretch, until the next sync."""
        self.played_frames = 0
        self.rendered_until = 0
        """Tape frames below this have been rendered (written by the audio thread)."""
        self.tape_floor = 0  # no new stretch may start below this tape frame
        self._now = 0  # the tape position given to the current control
        self._events: list[Event] = []
        self._effects: list[Effect] = []

    # ------------------------------------------------------------ conversions

    def frame_of(self, ms: int) -> int:
        return frame_of(ms, self.sample_rate)

    def ms_of(self, frame: int) -> int:
        return ms_of(frame, self.sample_rate)

    # ------------------------------------------------------------ public state

    @property
    def timeline(self) -> Timeline:
        return self.plan.timeline

    @property
    def base(self) -> Plan:
        """The plan a further pace or tempo change starts from (the pending one if any)."""
        return self.pending or self.plan

    @property
    def position_ms(self) -> int:
        return min(self.ms_of(self.pos), self.timeline.duration_ms)

    @property
    def segment(self) -> Segment:
        return self.timeline.segments[self.index]

    @property
    def played_ms(self) -> int:
        return self.played_frames * 1000 // self.sample_rate

    def emit(self, event: Event) -> None:
        self._events.append(event)

    def take_events(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def take_effects(self) -> list[Effect]:
        effects, self._effects = self._effects, []
        return effects

    def _fire(self, trigger: Trigger) -> PlayerState:
        state = transition(self.state, trigger)
        if state is not self.state:
            self.state = state
            self.emit(StateChanged(state))
        return state

    # ----------------------------------------------------------------- syncing

    def sync(self, position: int, wall: int | None = None) -> None:
        """The clock reads `position`: move the place, cross segments, switch paces.

        `wall`, when given, is a monotonic wall clock in frames. A silent clock that
        leaps, or a sounding tape that stood still while the wall clock ran on (the
        process or the device was stopped), for more than `JUMP_S` pauses where the
        session was, with a notice: the same after a stop with sound or without."""
        if self.state is not PlayerState.PLAYING:
            return
        self._now = tape = position
        limit = JUMP_S * self.sample_rate
        if self.wall_clock:
            jumped = tape - self.last_tape > limit
        else:
            # A main thread that was only busy (the audio played on) is no stall: the
            # tape moved with the wall clock.
            last = self.last_wall
            jumped = (
                wall is not None
                and last is not None
                and (wall - last) - (tape - self.last_tape) > limit
            )
        if jumped:
            self._hold_at(self.pos)
            self._effects.append(Pause())
            self._fire(Trigger.CLOCK_JUMP)
            self.emit(Notice(CLOCK_JUMP_NOTICE))
            return
        stretch = self._stretch_at(tape)
        if stretch is None:
            return
        self._count_played(tape)
        self.last_tape = tape
        self.last_wall = wall
        if stretch.plan is not self.plan:
            self._commit_switch(stretch)
        tl = stretch.tl_at(tape)
        self.pos = tl
        self._advance_to(self.timeline.index_at(self.ms_of(tl)))
        if tl >= stretch.tl_stop:
            self._reach_stop(stretch)

    def settle(self, position: int) -> None:
        """Take the place heard at `position` without crossing segments (the device is
        gone: what it played last is where the session carries on)."""
        stretch = self._stretch_at(position)
        if stretch is not None:
            if stretch.plan is not self.plan:
                self._commit_switch(stretch)
            self.pos = stretch.tl_at(position)

    def restart(self, position: int) -> None:
        """Play on from the current place on fresh tape (a new backend took over)."""
        self._now = position
        self._start_stretch(self.pos, through_wait=True)

    def _count_played(self, tape: int) -> None:
        delta = 0
        stretches = self.stretches
        for i, s in enumerate(stretches):
            lo = max(self.last_tape, s.tape_start)
            hi = min(tape, s.tape_stop)
            if i + 1 < len(stretches):
                hi = min(hi, stretches[i + 1].tape_start)
            if hi > lo:
                delta += hi - lo
        self.played_frames += delta

    def _stretch_at(self, tape: int) -> Stretch | None:
        found = None
        for s in self.stretches:
            if s.tape_start <= tape:
                found = s
        return found if found is not None else (self.stretches[0] if self.stretches else None)

    def _advance_to(self, index: int) -> None:
        """Report every segment from the last reported one up to `index`, in order, so a
        slow poll never skips a segment (the journal counts reps from these)."""
        segs = self.timeline.segments
        while self.index < index:
            self.index += 1
            self.emit(SegmentChanged(segs[self.index], segs[self.index - 1]))

    def _enter(self, index: int, previous: Segment | None = None) -> None:
        """Report a jump to `index` (a seek, a reload, a switch of timelines). `previous`
        is the segment left behind (by default the current one of this timeline)."""
        segs = self.timeline.segments
        if previous is None:
            if index == self.index:
                return
            previous = segs[self.index]
        self.index = index
        self.emit(SegmentChanged(segs[index], previous))

    def _swap_plan(self, plan: Plan) -> Segment:
        """Make `plan` current; returns the segment that was current before."""
        left = self.segment
        self.plan = plan
        if self.pending is plan:
            self.pending = None
        self.index = min(self.index, len(plan.timeline.segments) - 1)
        return left

    def _commit_switch(self, stretch: Stretch) -> None:
        """The clock has passed a pace switch: finish the old timeline up to the boundary
        and carry on in the new one."""
        old = self.timeline
        if stretch.switch_from_ms is not None:
            self._advance_to(old.index_at(stretch.switch_from_ms) - 1)
        self.plan = stretch.plan
        if self.pending is stretch.plan:
            self.pending = None
        new_index = self.timeline.index_at(self.ms_of(stretch.tl_start))
        segs = self.timeline.segments
        # The previous segment is named in the new timeline, so "one step on" still reads
        # as flowing play (the rep that just ended was played in full).
        previous = segs[new_index - 1] if new_index > 0 else None
        self.index = new_index
        self.emit(SegmentChanged(segs[new_index], previous))
        self.emit(PaceChanged(self.plan.pace, self.plan.tempo_scale, pending=False))

    def _reach_stop(self, stretch: Stretch) -> None:
        self._hold_at(stretch.tl_stop)
        self._effects.append(Pause())
        if stretch.tl_stop >= stretch.plan.end_frame:
            self._advance_to(len(self.timeline.segments) - 1)
            self._fire(Trigger.REACH_END)
        else:
            self._advance_to(self.timeline.index_at(self.ms_of(stretch.tl_stop)))
            self._apply_pending_here()
            self._fire(Trigger.REACH_WAIT)

    # --------------------------------------------------------------- stretches

    def _stop_after(self, plan: Plan, tl_frame: int, through_wait: bool) -> int:
        for w in plan.wait_frames:
            if w > tl_frame or (w == tl_frame and not through_wait):
                return w
        return plan.end_frame

    def _hold_at(self, tl_frame: int) -> None:
        self.hold = tl_frame
        self.pos = tl_frame
        self.stretches = ()

    def _start_stretch(self, tl_frame: int, *, through_wait: bool) -> None:
        """Play from timeline frame `tl_frame` of the current plan, on fresh tape."""
        tape = max(self.tape_floor, self.rendered_until, self._now)
        moved = self._apply_pending_here(tl_frame)
        if moved is not None:
            tl_frame = moved
        plan = self.plan
        stretch = Stretch(tape, tl_frame, self._stop_after(plan, tl_frame, through_wait), plan)
        self.stretches = (stretch,)
        self.pos = tl_frame
        self.last_tape = tape
        self.last_wall = None  # the next sync starts the comparison afresh
        self.tape_floor = tape
        self._schedule_pending()
        self._effects.append(PlayFrom(tape))

    def _apply_pending_here(self, tl_frame: int | None = None) -> int | None:
        """When held exactly on a rep boundary, a pending pace applies at once. Returns
        the frame of the same place in the new timeline, or None if nothing changed."""
        if self.pending is None:
            return None
        if self.state is PlayerState.READY:
            self.plan, self.pending = self.pending, None
            self.emit(PaceChanged(self.plan.pace, self.plan.tempo_scale, pending=False))
            return 0
        frame = self.pos if tl_frame is None else tl_frame
        ms = self.ms_of(frame)
        if self.frame_of(ms) != frame or self.timeline.next_start(ms - 1, "rep") != ms:
            return None
        self._switch_plan_now(ms)
        return self.pos

    def _switch_plan_now(self, at_ms: int) -> None:
        plan = self.pending
        assert plan is not None
        new_ms = same_place(self.timeline, at_ms, plan.timeline)
        left = self._swap_plan(plan)
        self.pending = None
        self.pos = self.hold = self.frame_of(new_ms)
        self._enter(plan.timeline.index_at(new_ms), left)
        self.emit(PaceChanged(plan.pace, plan.tempo_scale, pending=False))

    def _guard(self) -> int:
        """The first tape frame whose sound may still change. A streaming backend has
        rendered up to `rendered_until`; a buffering one (discards ahead) re-renders on
        request, so only a moment past its clock is settled."""
        if self.discards_ahead:
            return max(self.tape_floor, self._now + int(self.sample_rate * SETTLED_S))
        return max(self.tape_floor, self.rendered_until, self._now)

    def _drop_future_switch(self) -> list[Stretch]:
        """Forget stretches that start on tape the audio thread has not reached."""
        guard = self._guard()
        kept = [s for s in self.stretches if s.tape_start <= guard] or list(self.stretches[:1])
        if len(kept) < len(self.stretches):
            self._discard(guard)
        self.stretches = tuple(kept)
        return kept

    def _discard(self, tape: int) -> None:
        if self.discards_ahead and self.state is PlayerState.PLAYING:
            self._effects.append(DiscardFrom(tape))

    def _schedule_pending(self) -> None:
        """Place the pending pace on the tape at the next rep boundary not yet rendered."""
        if self.pending is None or not self.stretches or self.state is PlayerState.STOPPED:
            return
        guard = self._guard()
        kept = self._drop_future_switch()
        current = kept[-1]
        guard_tl = current.tl_at(guard)
        boundary_ms = current.plan.timeline.next_start(self.ms_of(guard_tl), "rep")
        if boundary_ms is None:
            return
        boundary = self.frame_of(boundary_ms)
        if boundary > current.tl_stop:
            return
        plan = self.pending
        new_ms = same_place(current.plan.timeline, boundary_ms, plan.timeline)
        new_tl = self.frame_of(new_ms)
        tape = current.tape_start + (boundary - current.tl_start)
        switch = Stretch(
            tape, new_tl, self._stop_after(plan, new_tl, False), plan, switch_from_ms=boundary_ms
        )
        self.stretches = (*kept[-2:], switch)
        self._discard(tape)

    # ----------------------------------------------------------------- controls
    # The Player syncs before calling these and checks that the control applies.

    def start(self, position: int, *, wait_first: bool = False) -> None:
        """Begin playing where the player stands. `wait_first` holds there first, as a
        `wait_for_ready` segment does, until `confirm_ready` (a session resumed at a
        rep: the person gets into position before it moves)."""
        if self.state is not PlayerState.READY:
            return
        self._now = position
        # Usually frame 0; a seek made before starting is kept.
        frame = self.hold
        self.index = self.timeline.index_at(self.ms_of(frame))
        first = self.segment
        self.emit(SegmentChanged(first, None))
        if wait_first or (first.kind is Kind.WAIT and self.frame_of(first.start_ms) == frame):
            self._hold_at(frame)
            self._fire(Trigger.START_AT_WAIT)
            return
        self._fire(Trigger.START)
        self._start_stretch(frame, through_wait=False)

    def pause(self) -> None:
        self._effects.append(Pause())
        self._hold_at(self.pos)
        self._fire(Trigger.PAUSE)

    def resume(self, position: int) -> None:
        self._now = position
        self._fire(Trigger.RESUME)
        self._start_stretch(self.hold, through_wait=True)

    def confirm_ready(self, position: int) -> None:
        self._now = position
        self._fire(Trigger.CONFIRM)
        self._start_stretch(self.hold, through_wait=True)

    def next(self, position: int, level: str = "rep") -> None:
        self._now = position
        target = self.timeline.next_start(self.position_ms, level)
        if target is None:
            self._seek_frame(self.plan.end_frame)
        else:
            self._seek(target)

    def previous(self, position: int, level: str = "rep") -> None:
        self._now = position
        self._seek(self.timeline.previous_start(self.position_ms, level))

    def seek(self, position: int, ms: int) -> None:
        """Go to `ms` of the timeline (before `start()`: where the session begins)."""
        self._now = position
        self._seek(ms)

    def _seek(self, ms: int) -> None:
        if self.pending is not None:
            # A seek is a boundary: a waiting pace applies now, at the same place.
            old = self.timeline
            left = self._swap_plan(self.pending)
            self.emit(PaceChanged(self.plan.pace, self.plan.tempo_scale, pending=False))
            self._seek_frame(self.frame_of(same_place(old, ms, self.timeline)), left)
            return
        self._seek_frame(self.frame_of(ms))

    def _seek_frame(self, frame: int, left: Segment | None = None) -> None:
        frame = min(max(frame, 0), self.plan.end_frame)
        at_end = frame >= self.plan.end_frame
        if self.state is PlayerState.READY:
            # Not started: just choose where start() begins (it reports the segment).
            self.index = self.timeline.index_at(self.ms_of(frame))
            self._hold_at(min(frame, self.frame_of(self.segment.start_ms)))
            self._fire(Trigger.SEEK_END if at_end else Trigger.SEEK)
            return
        self._enter(self.timeline.index_at(self.ms_of(frame)), left)
        if at_end:
            self._effects.append(Pause())
            self._hold_at(frame)
            self._advance_to(len(self.timeline.segments) - 1)
            self._fire(Trigger.SEEK_END)
            return
        if self._fire(Trigger.SEEK) is PlayerState.PLAYING:
            self._start_stretch(frame, through_wait=False)
        else:
            self._hold_at(frame)

    def request(self, plan: Plan, position: int) -> None:
        """Ask for `plan` (a new pace or tempo): it applies at the next rep boundary."""
        self._now = position
        if (plan.pace, plan.tempo_scale) == (self.plan.pace, self.plan.tempo_scale):
            # Back to what is playing: nothing left to switch.
            self.pending = None
            self._drop_future_switch()
            self.emit(PaceChanged(plan.pace, plan.tempo_scale, pending=False))
            return
        self.pending = plan
        self.emit(PaceChanged(plan.pace, plan.tempo_scale, pending=True))
        if self.state is PlayerState.PLAYING:
            self._schedule_pending()
        elif self.state in (PlayerState.READY, PlayerState.WAITING):
            self._apply_pending_here()

    def sound_changed(self) -> None:
        """Volume or mute changed: sound rendered ahead is stale (if it can be redone)."""
        self._discard(0)

    def reload(self, plan: Plan, position: int) -> None:
        """Carry on in `plan`, a recompiled routine, at the same place (same item, side,
        set and rep where it still exists, else the start of that item)."""
        self._now = position
        target_ms = same_place(self.timeline, self.position_ms, plan.timeline)
        left = self._swap_plan(plan)
        self.pending = None
        self.emit(Reloaded(ok=True, error=None))
        frame = self.frame_of(target_ms)
        self._enter(plan.timeline.index_at(target_ms), left)
        at_end = frame >= plan.end_frame
        if self._fire(Trigger.RELOAD_AT_END if at_end else Trigger.RELOAD) is PlayerState.PLAYING:
            self._start_stretch(frame, through_wait=True)
        else:
            self._hold_at(min(frame, plan.end_frame))

    def stop(self) -> None:
        self._effects.append(Pause())
        self._hold_at(self.pos)
        self.pending = None
        self._fire(Trigger.STOP)


def same_place(old: Timeline, ms: int, new: Timeline, seg: Segment | None = None) -> int:
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
