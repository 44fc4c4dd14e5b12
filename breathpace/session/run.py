"""Opening, watching and ending a session: the backend, the Player, the journal.

Every way of playing (the play and breathe commands, plain mode, the home and Breathe
screens) opens its session here and ends it through `Session.end`, which is idempotent:
whatever ends a session first (the last segment, q, Ctrl-C, a signal, a crash) records
the one outcome and later calls change nothing. `WatchReloader` is the one `--watch`:
it notices a saved routine file and reloads it into the player, keeping the place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from breathpace.audio.backends import BackendError, NoSuchDevice, capabilities_of, open_backend
from breathpace.journal.db import OUTCOMES
from breathpace.journal.recorder import SessionRecorder, record_session
from breathpace.library import load_routine
from breathpace.player import Player
from breathpace.routine.load import RoutineError
from breathpace.session.dose import effective_dose
from breathpace.session.errors import SessionError
from breathpace.session.events import PlayerState, Reloaded
from breathpace.session.options import SessionOptions
from breathpace.session.prepare import Prepared, voice_clips
from breathpace.session.start import StartAt


def open_session_backend(
    options: SessionOptions, *, clock: Any = None, wait: bool = True
) -> tuple[Any, str | None]:
    """Open the sound backend the options name: (backend, optional one-line notice).

    Done before anything is drawn, so a device problem is one line (SessionError).
    `wait=False` leaves waiting for the device to play to the caller (`open_backend`)."""
    try:
        return open_backend(options.audio, options.device, clock=clock, wait=wait)
    except NoSuchDevice as exc:
        # A device that is not there is the device's fault, not the backend's (unless
        # the backend was named on the command line too).
        blame = options.audio_from if options.audio_from.startswith("--") else options.device_from
        raise SessionError(f"{blame}: {exc}") from None
    except BackendError as exc:
        raise SessionError(f"{options.audio_from}: {exc}") from None


def build_player(
    prepared: Prepared, backend: Any, *, clock: Any = None
) -> tuple[Player, list[str]]:
    """The Player for a prepared session on `backend`, and the notices for the person
    (their accepted dose changes, a voice that cannot speak)."""
    options = prepared.options
    notices = list(prepared.notices)
    clips = None
    if options.voice and capabilities_of(backend).renders:
        clips, problem = voice_clips(prepared.timeline, backend.sample_rate)
        if problem:
            notices.append(f"Voice: {problem}; the tones carry on.")
    player = Player(
        prepared.routine,
        backend=backend,
        pace=prepared.dose.pace,
        tempo_scale=prepared.dose.tempo,
        theme=prepared.theme,
        volume=options.volume,
        tick=options.tick,
        breath_tone=options.breath_tone,
        voice=clips,
        clock=clock,
        timeline=prepared.timeline,  # compiled once, in prepare()
    )
    return player, notices


class Session:
    """One played session: the Player and its journal record, ended exactly once."""

    def __init__(
        self,
        player: Player,
        *,
        routine_name: str,
        source: str,
        mode: str = "tui",
        journal: bool = True,
        start: StartAt | None = None,
    ):
        self.player = player
        self.routine_name = routine_name
        self.source = source
        self.mode = mode
        self.journal = journal
        """False plays without recording (a journal the person does not want touched)."""
        self.begin = start or StartAt()
        """Where the session begins and what it continues (`--from`, `--resume`)."""
        self.recorder: SessionRecorder | None = None
        self.started = False
        self.outcome: str | None = None
        self.notice: str | None = None
        """A one-line journal notice for the person (e.g. the journal could not be opened)."""
        self.on_notice: Any = None
        """Shows a journal notice that comes mid-session or at the end (a full disk, a
        deleted journal); set by the plain mode or the screen before `start`."""

    @property
    def session_id(self) -> int | None:
        """The journal's id of this session; None when not recorded, or when it ended
        before its first rep within 15 s and so was not kept (`discarded`)."""
        if getattr(self.recorder, "discarded", False):
            return None
        sid = getattr(self.recorder, "session_id", None)
        return sid or None

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def open_journal(self) -> None:
        """Start the journal record (once). Subscribed before the first poll, so no
        segment change is missed."""
        if self.recorder is not None or not self.journal:
            return
        self.recorder = record_session(
            self.player,
            routine_name=self.routine_name,
            source=self.source,
            mode=self.mode,
            continues=self.begin.continues,
            last_rep=self.begin.last_rep,
            on_notice=self._journal_notice,
        )
        self.notice = self.recorder.notice

    def _journal_notice(self, text: str) -> None:
        if self.on_notice is not None:
            self.on_notice(text)

    def sound_ready(self) -> bool:
        """Whether the sound device plays steadily yet (or has been found not to: the
        player then carries on silently). The full screen waits for it before starting,
        showing the get-ready as it will begin."""
        return self.player.backend.ready()

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        if self.begin.ms:
            self.player.seek(self.begin.ms)  # before start(): the session begins there
        self.open_journal()
        self.player.start()

    def end(self, outcome: str) -> None:
        """Stop the player and close the journal record, once, whatever calls it first."""
        if self.outcome is not None:
            return
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self.outcome = outcome
        try:
            if self.player.state is not PlayerState.STOPPED:
                self.player.stop()
        finally:
            if self.recorder is not None:
                self.recorder.close(outcome)


def open_session(
    prepared: Prepared, backend: Any, *, mode: str, clock: Any = None
) -> tuple[Session, list[str]]:
    """The Session for a prepared routine on an open backend, and the notices to show."""
    player, notices = build_player(prepared, backend, clock=clock)
    session = Session(
        player,
        routine_name=prepared.name,
        source=prepared.source,
        mode=mode,
        start=prepared.start,
    )
    return session, notices


class OpeningSession:
    """A session whose sound device is opened on a thread.

    The full-screen player starts this before it imports Textual, so opening the device
    overlaps the interface's own start-up instead of coming before it. Waiting for the
    opened stream to play steadily (seconds, when a sound server wakes a sink) is left
    to the screen, which shows the get-ready meanwhile (`Session.sound_ready()`). Only
    the opening is overlapped: the Player and its rendered cues are built on the calling
    thread in `result()` (CPU work gains nothing on a second thread under the GIL), and
    `--audio none` opens at once, with no thread. `result()` hands back what
    `open_session_backend` and `open_session` would have: (session, backend, notices),
    or raises their error. It is waited for before Textual draws: the device's C library
    may write to fd 2, the terminal Textual draws on, while it opens."""

    def __init__(self, prepared: Prepared, *, mode: str):
        self._prepared = prepared
        self._mode = mode
        self._opened: tuple[Any, str | None] | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if prepared.options.audio == "none":
            self._open()
        else:
            self._thread = threading.Thread(target=self._open, name="open-device", daemon=True)
            self._thread.start()

    def _open(self) -> None:
        try:
            # Opened, not yet playing steadily: the screen draws meanwhile and starts
            # the session once `Session.sound_ready()`.
            self._opened = open_session_backend(self._prepared.options, wait=False)
        except BaseException as exc:  # handed to result(), on the calling thread
            self._error = exc

    def result(self) -> tuple[Session, Any, list[str]]:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._opened is not None
        backend, notice = self._opened
        try:
            session, notices = open_session(self._prepared, backend, mode=self._mode)
        except BaseException:
            backend.close()
            raise
        if notice:
            notices.append(notice)
        return session, backend, notices


def end_all(sessions, outcome: str) -> None:
    """End every started session not yet ended (an interrupt, a crash, the app closing)."""
    for session in sessions:
        if session.started and not session.ended:
            session.end(outcome)


class WatchReloader:
    """`--watch`: reload the routine file into the player when it is saved.

    The file is compared by modification time and size; the person's accepted dose
    applies to the edited file as it did at the start."""

    def __init__(self, path: Path, *, name: str | None = None):
        self.path = Path(path)
        self.name = name or self.path.stem
        self._stamp = _stamp(self.path)

    def changed(self) -> bool:
        stamp = _stamp(self.path)
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        return True

    def reload(self, player: Player) -> Reloaded:
        """Load the file and hand it to the player. An error is returned, one line, and
        the session carries on with what it had; success is reported again by the
        player's own `Reloaded` event."""
        try:
            routine = effective_dose(self.name, load_routine(self.path)).routine
            player.reload(routine)
        except (RoutineError, ValueError) as exc:
            return Reloaded(ok=False, error=" ".join(str(exc).split()))
        return Reloaded(ok=True, error=None)

    def poll(self, player: Player) -> Reloaded | None:
        """Reload when the file changed since the last look; None when it did not."""
        if not self.changed():
            return None
        return self.reload(player)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
