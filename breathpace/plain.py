"""Plain mode: a session as one line of text per segment, for screen readers and scripts.

`breathpace play ROUTINE --plain` (and `breathe --plain`) print each segment on stdout
the moment it starts, flushed, with the sound playing as in the full screen. The loop
only reads the Player; it sleeps until the next segment is due (at most a tenth of a
second), so it costs next to nothing. Ctrl-C, SIGTERM and SIGHUP end it cleanly: the
journal gets the session up to where it got, and the caller closes the device.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import sys
import time
from typing import Any, TextIO

from breathpace.player import (
    Notice,
    PaceChanged,
    Player,
    PlayerState,
    Reloaded,
    SegmentChanged,
)
from breathpace.timeline.segment import Kind, Segment

#: Longest sleep between two polls; segment lines are printed within a few ms anyway,
#: because the loop wakes for the next segment's start.
MAX_SLEEP_S = 0.1
WATCH_EVERY_S = 0.5
READY_PROMPT = "Press Enter when you are in position"

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


class _Signalled(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def clock_text(ms: int) -> str:
    s = ms // 1000
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def segment_line(seg: Segment) -> str:
    """`00:05  Pelvic tilt  set 1/2  rep 1/8  EXHALE  tilt  6.0s`"""
    parts = [clock_text(seg.start_ms), seg.exercise_name]
    if seg.side:
        parts.append(seg.side)
    if seg.sets and seg.set and seg.kind in (Kind.PHASE, Kind.REST, Kind.SWITCH):
        parts.append(f"set {seg.set}/{seg.sets}")
    if seg.rep:
        parts.append(f"rep {seg.rep}/{seg.reps}")
    parts.append(seg.phase_word)
    move = seg.move.strip()
    if move and move.upper() != seg.phase_word:
        parts.append(move)
    parts.append(f"{seg.duration_ms / 1000:.1f}s")
    return "  ".join(parts)


def run_plain(
    player: Player,
    resolved: Any,
    *,
    notice: str | None = None,
    mode: str = "plain",
    source: str | None = None,
    watch: bool = False,
    out: TextIO | None = None,
    stdin: TextIO | None = None,
    sleep=time.sleep,
) -> int:
    """Play the session to its end, printing; returns the exit status.

    0 at the end; 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP. The caller
    owns and closes the backend. `sleep` is replaced in tests by a FakeClock's advance.
    """
    out = out or sys.stdout
    stdin = stdin if stdin is not None else sys.stdin

    def say(text: str) -> None:
        try:
            out.write(text + "\n")
            out.flush()
        except (OSError, ValueError):  # the terminal went away (SIGHUP) or a closed pipe
            pass

    if notice:
        say(notice)

    def on_event(event) -> None:
        if isinstance(event, SegmentChanged):
            say(segment_line(event.segment))
        elif isinstance(event, Notice):
            say(event.text)
        elif isinstance(event, PaceChanged) and not event.pending:
            say(f"pace {event.pace}, tempo x{float(event.tempo_scale):g}")
        elif isinstance(event, Reloaded):
            say("reloaded" if event.ok else f"not reloaded: {event.error}")

    player.subscribe(on_event)
    recorder = _start_journal(player, resolved, mode, source, say)

    previous = _install_signal_handlers()
    outcome, code = "interrupted", 1
    try:
        code = _loop(player, resolved, watch, stdin, say, sleep)
        outcome = "completed" if code == 0 else "interrupted"
    except KeyboardInterrupt:
        outcome, code = "quit", EXIT_CODES[signal.SIGINT]
    except _Signalled as sig:
        outcome, code = "interrupted", EXIT_CODES.get(sig.signum, 128 + sig.signum)
    finally:
        # Nothing below may be interrupted half-way by a second Ctrl-C.
        _ignore_signals()
        try:
            if player.state is not PlayerState.STOPPED:
                player.stop()
            if code != 0:
                say(f"stopped at {clock_text(player.position_ms)}")
            if recorder is not None:
                recorder.close(outcome)
        finally:
            _restore_signal_handlers(previous)
    return code


def _loop(player: Player, resolved: Any, watch: bool, stdin: TextIO, say, sleep) -> int:
    path = getattr(resolved, "path", None)
    mtime = _mtime(path) if watch else None
    next_watch = time.monotonic() + WATCH_EVERY_S
    player.start()
    while True:
        player.poll()
        state = player.state
        if state is PlayerState.FINISHED:
            return 0
        if state is PlayerState.STOPPED:
            return 1
        if state is PlayerState.WAITING:
            _wait_for_ready(stdin, say)
            player.confirm_ready()
            continue
        if state is PlayerState.PAUSED:
            # Only a clock jump pauses a plain session (it has no pause key): the
            # notice was printed; carry on from where it was.
            player.resume()
            continue
        if watch and path is not None and time.monotonic() >= next_watch:
            next_watch = time.monotonic() + WATCH_EVERY_S
            mtime = _reload_if_changed(player, path, mtime, say)
        due = player.segment.end_ms - player.position_ms
        sleep(min(MAX_SLEEP_S, max(0.002, due / 1000)))


def _wait_for_ready(stdin: TextIO, say) -> None:
    say(READY_PROMPT)
    try:
        interactive = stdin.isatty()
    except (AttributeError, ValueError, OSError):
        interactive = False
    if interactive:
        stdin.readline()  # "" at EOF: carry on with the countdown


def _mtime(path) -> float | None:
    try:
        return os.stat(path).st_mtime
    except (OSError, TypeError):
        return None


def _reload_if_changed(player: Player, path, mtime: float | None, say) -> float | None:
    now = _mtime(path)
    if now is None or now == mtime:
        return mtime
    from breathpace.journal.dose import apply_dose
    from breathpace.routine.load import RoutineError, load_routine

    try:
        # The person's accepted dose applies to the edited file as it did at start.
        routine = apply_dose(path.stem, load_routine(path))
    except (RoutineError, ValueError) as exc:
        say(f"not reloaded: {exc}")
        return now
    player.reload(routine)
    return now


def _start_journal(player: Player, resolved: Any, mode: str, source: str | None, say):
    if importlib.util.find_spec("breathpace.journal.recorder") is None:
        return None
    from breathpace.journal.recorder import record_session

    recorder = record_session(
        player,
        routine_name=resolved.name,
        source=source if source is not None else str(resolved.path),
        mode=mode,
        on_notice=say,  # the journal failing mid-session: one line, the session goes on
    )
    if getattr(recorder, "notice", None):
        say(recorder.notice)
    return recorder


def _raise_signal(signum, frame) -> None:
    raise _Signalled(signum)


def _install_signal_handlers() -> dict:
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        # Outside the main thread signals cannot be caught; the session then simply runs.
        with contextlib.suppress(ValueError, OSError):
            previous[sig] = signal.signal(sig, _raise_signal)
    return previous


def _ignore_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)


def _restore_signal_handlers(previous: dict) -> None:
    previous = {signal.SIGINT: signal.default_int_handler, **previous}
    for sig, handler in previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(sig, handler)
