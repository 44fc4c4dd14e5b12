"""Plain mode: a session as one line of text per segment, for screen readers and scripts.

`breathpace play ROUTINE --plain` (and `breathe --plain`) print each segment on stdout
the moment it starts, flushed, with the sound playing as in the full screen. The loop
only reads the Player; it sleeps until the next segment is due (at most a tenth of a
second), so it costs next to nothing. It renders the session runner's events and ends
the session; Ctrl-C, SIGTERM and SIGHUP end it cleanly: the journal gets the session up
to where it got, and the caller closes the runner (and with it the device).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from typing import TextIO

from breathpace.player.events import (
    Event,
    Notice,
    PaceChanged,
    PlayerState,
    Reloaded,
    SegmentChanged,
)
from breathpace.safe_text import for_stream
from breathpace.session import words
from breathpace.session.runner import SessionRunner
from breathpace.session.summary import gather, summary_lines
from breathpace.session.words import clock_text
from breathpace.timeline.segment import Mark, Segment

#: Longest sleep between two polls; segment lines are printed within a few ms anyway,
#: because the loop wakes for the next segment's start.
MAX_SLEEP_S = 0.1
#: How often the wait for a waking sound device looks again.
DEVICE_POLL_S = 0.01
READY_PROMPT = "Press Enter when you are in position"
SAFETY_CONTINUE = "Press Enter when you have read this"

EXIT_CODES: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


class _Signalled(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def segment_line(seg: Segment, breathing: bool = False) -> str:
    """`00:05  Pelvic tilt  set 1/2  rep 1/8  EXHALE  tilt  6.0s` (see `words.plain_line`;
    `breathing` counts a breathing block's cycles as breaths)."""
    return words.plain_line(seg, breathing)


def play_plain(
    runner: SessionRunner,
    *,
    out: TextIO | None = None,
    stdin: TextIO | None = None,
    sleep=time.sleep,
) -> int:
    """Play an opened session to its end, printing its events; returns the exit status.

    0 at the end; 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP. The session is
    ended here (its outcome recorded); the caller closes the runner. `sleep` is
    replaced in tests by a FakeClock's advance.
    """
    out = out or sys.stdout
    stdin = stdin if stdin is not None else sys.stdin
    player = runner.player

    def say(text: str) -> None:
        # Printable, and encodable by this terminal (escaped on an ASCII one): a cue line
        # is never dropped, and text from a file never acts on the terminal.
        line = for_stream(text, out) + "\n"
        try:
            out.write(line)
            out.flush()
        except UnicodeError:
            raise  # a bug in for_stream: never swallowed
        except (OSError, ValueError):  # the terminal went away (SIGHUP) or a closed pipe
            pass

    def show(events: list[Event]) -> None:
        for event in events:
            match event:
                case SegmentChanged(segment=segment):
                    routine = player.routine
                    say(segment_line(segment, words.is_breathing(routine, segment)))
                    # Before an item (and in its rests): its safety, position and cues.
                    for note in words.general_notes(routine, segment):
                        say(note.line())
                case Notice(text=text):
                    say(text)
                case PaceChanged(pending=False):
                    say(f"pace {event.pace}, tempo x{float(event.tempo_scale):g}")
                case Reloaded(ok=ok, error=error):
                    say("reloaded" if ok else f"not reloaded: {error}")

    show(runner.poll())  # what the person should read first (dose, device, where)
    first_run_safety(say, stdin)
    # No get-ready before the first item: its safety and position come first anyway.
    for note in words.opening_notes(player.routine, player.timeline, runner.begin.ms):
        say(note.line())

    previous = _install_signal_handlers()
    outcome, code = "interrupted", 1
    try:
        code = _loop(runner, stdin, show, say, sleep)
        outcome = "completed" if code == 0 else "interrupted"
    except KeyboardInterrupt:
        outcome, code = "quit", EXIT_CODES[signal.SIGINT]
    except _Signalled as sig:
        outcome, code = "interrupted", EXIT_CODES.get(sig.signum, 128 + sig.signum)
    finally:
        # Nothing below may be interrupted half-way by a second Ctrl-C.
        _ignore_signals()
        try:
            runner.end(outcome)
            # The journal's last word (a full disk), then where it stopped.
            show([e for e in runner.poll() if isinstance(e, Notice)])
            if code != 0:
                say(f"stopped at {clock_text(player.position_ms)}")
            # What was done and what comes next, with the commands to type.
            for line in summary_lines(gather(runner), plain=True):
                say(line)
        finally:
            _restore_signal_handlers(previous)
    return code


def _loop(runner: SessionRunner, stdin: TextIO, show, say, sleep) -> int:
    player = runner.player
    halfway_said = -1  # the segment whose halfway tone has had its line
    # A sound server may take seconds to wake (the device opened, then nothing pulled):
    # start once it plays, so the first cue sounds on its sample and the wait is not
    # taken for a device that stopped responding. It gives up by itself (PROBE_S).
    while not runner.sound_ready():
        sleep(DEVICE_POLL_S)
    runner.start()
    while True:
        show(runner.poll())
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
        seg, now = player.segment, player.position_ms
        due = seg.end_ms - now
        if Mark.HALFWAY in seg.marks and seg.halfway_ms is not None and seg.index != halfway_said:
            # The halfway tone of a long hold has its line, as every other sound does.
            if now >= seg.halfway_ms:
                halfway_said = seg.index
                say(f"{clock_text(seg.halfway_ms)}  halfway")
            else:
                due = min(due, seg.halfway_ms - now)
        sleep(min(MAX_SLEEP_S, max(0.002, due / 1000)))


def _wait_for_ready(stdin: TextIO, say) -> None:
    say(READY_PROMPT)
    if _interactive(stdin):
        stdin.readline()  # "" at EOF: carry on with the countdown


def _interactive(stdin: TextIO) -> bool:
    try:
        return stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def first_run_safety(say, stdin: TextIO) -> bool:
    """The first-run safety notice, as the full screen shows it: the same words
    (`breathpace.safety`) and the same "seen" setting, so it is printed once, whichever
    way breathpace is first used. At a terminal it waits for Enter. True if printed."""
    # Imported here: settings and the notice are read only when the session begins
    # (the lines above are all this module needs to print segments).
    from breathpace.safety import SAFETY_NOTICE
    from breathpace.settings import SettingsError, load_settings, save_settings

    try:
        if load_settings().seen_safety:
            return False
    except SettingsError:
        pass  # print it; a settings file that cannot be read is not overwritten
    for line in SAFETY_NOTICE.rstrip().splitlines():  # say() escapes a line break
        say(line)
    if _interactive(stdin):
        say(SAFETY_CONTINUE)
        stdin.readline()
    say("")
    try:
        settings = load_settings()  # read again: it may have changed while they read
    except SettingsError:
        return True
    if not settings.seen_safety:
        save_settings(settings.model_copy(update={"seen_safety": True}))
    return True


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
