"""One session, end to end: `SessionRunner`.

Every way of playing (the play, breathe and capsule commands, plain mode, the home and
Breathe screens) runs its session through a runner. It takes a prepared session and a
mode, and owns everything the session touches:

- the sound device: opened on a thread when the runner is made (the full screen imports
  Textual meanwhile), or borrowed from the caller (the app's one device), and closed by
  `close()` when it is the runner's own;
- the Player, built once the device is open (`open()`);
- the journal record, started with the session on its own writer thread, so the first
  tone never waits for the journal;
- the notices for the person: gathered here and nowhere else (the dose, where it begins,
  a voice that cannot speak, a device that fell back to silence, the journal), each a
  typed `Notice` in the event stream;
- `--watch`: a saved routine file is reloaded into the player, keeping the place;
- later inputs (a breath sensor, a remote) belong here too: they become controls of the
  player and events in the same stream.

It hands out one stream of typed events (`poll()`), in which the journal has already
heard each event before the renderer sees it, and it ends once, with an `Outcome`,
whatever ends it first (the last segment, q, Ctrl-C, a signal, a crash). The full
screen and the plain loop only render the stream and call the controls.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from breathpace.audio.backends import capabilities_of
from breathpace.journal.db import OUTCOMES
from breathpace.player.events import Event, Notice, PlayerState, Reloaded
from breathpace.session.errors import SessionError
from breathpace.session.prepare import Prepared, voice_clips
from breathpace.session.recorder import SessionRecorder, record_session
from breathpace.session.run import WatchReloader, open_session_backend

if TYPE_CHECKING:
    from breathpace.audio.backends import Backend
    from breathpace.player import Player

#: The modes a session is played in, as the journal records them.
MODES = ("tui", "plain")
#: How often a watched routine file is looked at.
WATCH_EVERY_S = 0.5


@dataclass(frozen=True)
class Outcome:
    """How a session ended."""

    outcome: str
    """One of the journal's outcomes: completed, quit, interrupted, crashed."""
    session_id: int | None
    """The journal's id; None when it was not recorded (or not kept: under 15 s)."""


class SessionRunner:
    """One prepared session, played in a mode. See the module docstring.

    `backend`: an open device to play on (the caller keeps and closes it); None opens
    the one the options name (on a thread, unless `--audio none`), owned and closed by
    `close()`. `clock` replaces the backend's clock (tests). `journal=False` plays
    without recording."""

    def __init__(
        self,
        prepared: Prepared,
        *,
        mode: str,
        backend: Backend | None = None,
        clock: Any = None,
        journal: bool = True,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.prepared = prepared
        self.mode = mode
        self.journal = journal
        self._clock = clock
        self._backend = backend
        self._owns_backend = backend is None
        self._backend_notice: str | None = None
        self._open_error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._player: Player | None = None
        self._events: list[Event] = []
        self._early: list[str] = []
        """Notices given before `open()`, said after the device's own."""
        self.recorder: SessionRecorder | None = None
        self.started = False
        self.outcome: str | None = None
        self._reloader = (
            WatchReloader(prepared.path, name=prepared.name)
            if prepared.options.watch and prepared.path is not None
            else None
        )
        self._next_watch = 0.0
        if backend is None:
            if prepared.options.audio == "none":
                self._open_device()
            else:
                self._thread = threading.Thread(
                    target=self._open_device, name="open-device", daemon=True
                )
                self._thread.start()

    # -- opening --------------------------------------------------------------------

    def _open_device(self) -> None:
        try:
            # Opened, not yet playing steadily: the screen draws the get-ready meanwhile
            # and starts once `sound_ready()`.
            self._backend, self._backend_notice = open_session_backend(
                self.prepared.options, wait=False
            )
        except BaseException as exc:  # handed to open(), on the calling thread
            self._open_error = exc

    def open(self) -> SessionRunner:
        """Wait for the device and build the Player; SessionError (one line) for a device
        that cannot be used. Call it before Textual draws: a device's C library may
        write to the terminal while it opens. Returns the runner."""
        if self._player is not None:
            return self
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._open_error is not None:
            raise self._open_error
        notes = list(self.prepared.notices)
        try:
            self._player = self._build_player(notes)
        except BaseException:
            self.close()
            raise
        if self._backend_notice:
            notes.append(self._backend_notice)
        notes += self._early
        if self.prepared.dose.pace_from == "settings":
            # Said when the person's own pace replaces the routine's.
            notes.append(self.prepared.dose.describe())
        self._events[:0] = [Notice(text) for text in notes]
        return self

    def _build_player(self, notes: list[str]) -> Player:
        # Imported here: the Player loads numpy; a runner is made (and its device opening
        # started) before that import is paid.
        from breathpace.player import Player

        prepared, options = self.prepared, self.prepared.options
        backend = self._backend
        assert backend is not None, "open() builds the player once the device is open"
        clips = None
        if options.voice and capabilities_of(backend).renders:
            clips, problem = voice_clips(prepared.timeline, backend.sample_rate)
            if problem:
                notes.append(f"Voice: {problem}; the tones carry on.")
        return Player(
            prepared.routine,
            backend=backend,
            pace=prepared.dose.pace,
            tempo_scale=prepared.dose.tempo,
            theme=prepared.theme,
            volume=options.volume,
            tick=options.tick,
            breath_tone=options.breath_tone,
            voice=clips,
            clock=self._clock,
            timeline=prepared.timeline,  # compiled once, in prepare()
        )

    def notice(self, text: str, *, warning: bool = False) -> None:
        """Add a notice for the person to the event stream (one given before `open()`
        follows the session's own opening notices)."""
        if self._player is None and not warning:
            self._early.append(text)
        else:
            self._events.append(Notice(text, warning=warning))

    # -- what the renderers read ----------------------------------------------------

    @property
    def player(self) -> Player:
        if self._player is None:
            raise SessionError("the session is not open yet")
        return self._player

    @property
    def routine_name(self) -> str:
        return self.prepared.name

    @property
    def source(self) -> str:
        return self.prepared.source

    @property
    def begin(self):
        """Where the session begins and what it continues (`--from`, `--resume`)."""
        return self.prepared.start

    @property
    def watching(self) -> bool:
        return self._reloader is not None

    @property
    def session_id(self) -> int | None:
        """The journal's id of this session; None when not recorded, or when it ended
        before its first rep within 15 s and so was not kept (`discarded`)."""
        if self.recorder is None or self.recorder.discarded:
            return None
        return self.recorder.session_id or None

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def sound_ready(self) -> bool:
        """Whether the sound device plays steadily yet (or has been found not to: the
        player then carries on silently). The full screen waits for it before starting,
        showing the get-ready as it will begin."""
        return self.player.backend.ready()

    # -- the session ----------------------------------------------------------------

    def start(self) -> None:
        """Begin playing (once): at the prepared place, with the journal recording."""
        if self.started:
            return
        self.started = True
        player = self.player
        if self.begin.ms:
            player.seek(self.begin.ms)  # before start(): the session begins there
        if self.journal:
            self.recorder = record_session(
                player,
                routine_name=self.routine_name,
                source=self.source,
                mode=self.mode,
                continues=self.begin.continues,
                last_rep=self.begin.last_rep,
                first_item=self.begin.first_item,
            )
        player.start(wait_first=self.begin.wait)
        self._next_watch = time.monotonic() + WATCH_EVERY_S

    def poll(self) -> list[Event]:
        """Everything that happened since the last poll, in order: the notices, the
        player's events (the journal has already heard each), a failed reload."""
        if self._player is not None and self.started:
            for event in self._player.poll():
                self._hear(event)
            self._watch()
        self._journal_notices()
        events, self._events = self._events, []
        return events

    def _hear(self, event: Event) -> None:
        # The journal first: a Ctrl-C typed the moment a rep's line appears never
        # leaves that finished rep unrecorded.
        if self.recorder is not None:
            self.recorder.on_event(event)
        self._events.append(event)

    def _journal_notices(self) -> None:
        if self.recorder is not None:
            for text in self.recorder.take_notices():
                self.notice(text, warning=True)

    def _watch(self) -> None:
        if self._reloader is None or self.ended:
            return
        now = time.monotonic()
        if now < self._next_watch:
            return
        self._next_watch = now + WATCH_EVERY_S
        self.reload_if_saved()

    def reload_if_saved(self) -> None:
        """Reload the routine file when it was saved since the last look (`--watch`).
        A reload the player takes is reported by the player's own `Reloaded`; one it
        cannot take is a `Reloaded(ok=False)` here, and the session carries on."""
        if self._reloader is None or self.ended or not self._reloader.changed():
            return
        result: Reloaded = self._reloader.reload(self.player)
        if not result.ok:
            self._events.append(result)
        for event in self.player.poll():
            self._hear(event)

    def end(self, outcome: str) -> Outcome:
        """Stop the player and close the journal record, once, whatever calls it first.
        Later calls return the first outcome. The journal's last notices (a full disk)
        are in the next `poll()`."""
        if self.outcome is not None:
            return Outcome(self.outcome, self.session_id)
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self.outcome = outcome
        try:
            if self._player is not None and self._player.state is not PlayerState.STOPPED:
                self._player.stop()
                for event in self._player.poll():  # the journal writes the played time
                    self._hear(event)
        finally:
            if self.recorder is not None:
                self.recorder.close(outcome)
                self._journal_notices()
        return Outcome(outcome, self.session_id)

    def close(self) -> None:
        """Release the sound device when it is the runner's own (after `end`). A device
        still opening (Ctrl-C at once) is left to its daemon thread and the process's
        end: waiting for it would hold up the exit."""
        if self._thread is not None and self._thread.is_alive():
            return
        if self._owns_backend and self._backend is not None:
            backend, self._backend = self._backend, None
            backend.close()


def end_all(runners, outcome: str) -> None:
    """End every started session not yet ended (an interrupt, a crash, the app closing)."""
    for runner in runners:
        if runner.started and not runner.ended:
            runner.end(outcome)
