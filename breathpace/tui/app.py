"""The Textual application: one audio backend, the person's settings, a stack of screens.

The backend is opened before the app starts (C audio libraries write to fd 2, which
Textual draws on) and handed in. The app ends every session cleanly whatever ends it:
q, a finished session, Ctrl-C, SIGTERM or SIGHUP (the last two through asyncio signal
handlers, so Textual still restores the terminal on the way out).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from breathpace.clock import MonotonicClock
from breathpace.library import Resolved
from breathpace.session.errors import SessionError
from breathpace.session.options import SessionOptions, session_options
from breathpace.session.prepare import prepare
from breathpace.session.run import Session, end_all, open_session
from breathpace.settings import Settings
from breathpace.tui.screens.followup import maybe_followup
from breathpace.tui.screens.home import HomeScreen
from breathpace.tui.screens.player import PlayerScreen
from breathpace.tui.screens.safety import maybe_safety

#: Exit statuses for a session ended by a signal, as a shell would report them.
SIGNAL_EXIT = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}


class BreathpaceApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "breathpace"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar = [
        Binding("ctrl+c", "interrupt('SIGINT')", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        backend: Any = None,
        clock: Any = None,
        first: Callable[[], Screen] | None = None,
        calm: bool | None = None,
        notice: str | None = None,
        player_factory: Callable[..., Any] | None = None,
        options: SessionOptions | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or (options.settings if options else Settings())
        self.options = options
        """The session options the command line gave (None: the settings alone)."""
        self.backend = backend
        self.clock = clock or MonotonicClock()
        self.calm = self.settings.reduced_motion if calm is None else calm
        self.startup_notice = notice
        self._first = first
        self._player_factory = player_factory
        self.exit_status = 0
        self.sessions: list[Any] = []
        """Every session started in this app, so an interrupt can close them all."""
        self.breathe_only = False
        """True when the app was opened on the Breathe screen by `breathpace breathe`."""

    # -- start-up -------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        if self._first is not None:
            return self._first()
        return HomeScreen()

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.startup_notice:
            self.notify(self.startup_notice, timeout=8)
        # The next-day follow-up and the first-run safety notice, when due. Pushed
        # after the first screen so they sit on top; a player waits for them.
        maybe_followup(self)
        maybe_safety(self)

    def _install_signal_handlers(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGHUP"):
                sig = getattr(signal, name, None)
                if sig is not None:
                    loop.add_signal_handler(sig, self.action_interrupt, name)
        except (NotImplementedError, RuntimeError):  # not on the main thread, or Windows
            pass

    # -- sessions -------------------------------------------------------------------

    def start_routine(
        self,
        resolved: Resolved,
        *,
        source: str | None = None,
        personal_pace: bool = True,
        journal_dose: bool = True,
        watch: Path | None = None,
    ) -> None:
        """Play a routine on top of the current screen (home or Breathe), prepared as
        the play command prepares it (the same effective dose), with the settings."""
        try:
            prepared = prepare(
                resolved,
                self.options or session_options(settings=self.settings),
                personal_pace=personal_pace,
                journal_dose=journal_dose,
                source=source,
                lenient_theme=True,
            )
        except SessionError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        if self._player_factory is not None:
            session = Session(
                self._player_factory(prepared.routine),
                routine_name=prepared.name,
                source=prepared.source,
            )
        else:
            session, notices = open_session(prepared, self.backend, mode="tui")
            for notice in notices:
                self.notify(notice, timeout=8)
        self.push_screen(PlayerScreen(session, watch=watch, calm=self.calm))

    def action_interrupt(self, signal_name: str = "SIGINT") -> None:
        """Ctrl-C or a signal: close the session in the journal, leave cleanly.

        Ctrl-C is the person's own choice to stop ("quit", as in the plain mode); SIGTERM
        and SIGHUP come from outside ("interrupted")."""
        end_all(self.sessions, "quit" if signal_name == "SIGINT" else "interrupted")
        self.exit_status = SIGNAL_EXIT.get(signal_name, 1)
        self.exit(return_code=self.exit_status)
