"""The Textual application: one audio backend, the person's settings, a stack of screens.

The backend is opened before the app starts (C audio libraries write to fd 2, which
Textual draws on) and handed in. The app ends every session cleanly whatever ends it:
q, a finished session, Ctrl-C, SIGTERM or SIGHUP (the last two through asyncio signal
handlers, so Textual still restores the terminal on the way out).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from breathpace.clock import MonotonicClock
from breathpace.library import Resolved
from breathpace.session.errors import SessionError
from breathpace.session.options import SessionOptions, session_options
from breathpace.session.prepare import prepare
from breathpace.session.runner import SessionRunner, end_all
from breathpace.settings import Settings
from breathpace.tui.partial_render import install as install_partial_render
from breathpace.tui.partial_update import install as install_partial_update
from breathpace.tui.screens.followup import maybe_followup
from breathpace.tui.screens.player import PlayerScreen
from breathpace.tui.screens.safety import maybe_safety
from breathpace.tui.text import shown

if TYPE_CHECKING:
    from breathpace.audio.backends import Backend

#: Exit statuses for a session ended by a signal, as a shell would report them.
SIGNAL_EXIT = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}
#: After SIGTERM or SIGHUP (the journal already closed), the longest the process may
#: take to leave before it exits regardless.
EXIT_GRACE_S = 5.0


def exit_anyway(status: int, after: float = EXIT_GRACE_S) -> None:
    """Exit the process with `status` in `after` seconds unless it has ended by then
    (a daemon thread: a normal exit does not wait for it)."""

    def later() -> None:
        time.sleep(after)
        os._exit(status)

    threading.Thread(target=later, name="breathpace-exit", daemon=True).start()


class BreathpaceApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "breathpace"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar = [
        Binding("ctrl+c", "interrupt('SIGINT')", "Quit", show=False, priority=True),
        # The terminal is raw, so Ctrl-Z reaches the app as a key: stop as a shell
        # program does (the terminal is given back; `fg` continues).
        Binding("ctrl+z", "suspend_process", "Suspend", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        backend: Backend | None = None,
        clock: Any = None,
        first: Callable[[], Screen] | None = None,
        calm: bool | None = None,
        notice: str | None = None,
        options: SessionOptions | None = None,
    ) -> None:
        super().__init__()
        # Changed cells go to the terminal alone, not the widget's row up to them.
        install_partial_update()
        # And only the lines under a change are rendered, of only the widgets under it.
        install_partial_render()
        self.settings = settings or (options.settings if options else Settings())
        self.options = options
        """The session options the command line gave (None: the settings alone)."""
        self.backend = backend
        self.clock = clock or MonotonicClock()
        """The app's clock (the pace finder's taps)."""
        self._session_clock = clock
        """The clock sessions run on when one was given (tests); None: the device's."""
        self.calm = self.settings.reduced_motion if calm is None else calm
        self.startup_notice = notice
        self._first = first
        self.exit_status = 0
        self.sessions: list[Any] = []
        """Every session started in this app, so an interrupt can close them all."""
        self.breathe_only = False
        """True when the app was opened on the Breathe screen by `breathpace breathe`."""

    # -- start-up -------------------------------------------------------------------

    def get_driver_class(self):
        """Textual's driver for this platform; on Linux and macOS the one that survives
        being stopped and continued (`breathpace.tui.driver`) when it fits this Textual."""
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":  # not imported elsewhere: it needs termios
            from breathpace.tui.driver import choose_driver

            return choose_driver(driver)
        return driver

    def get_default_screen(self) -> Screen:
        if self._first is not None:
            return self._first()
        # Imported only for the home screen: `play` and `breathe` start without it (and
        # without the list, preview and history it brings, ~15 ms of start-up).
        from breathpace.tui.screens.home import HomeScreen

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
                    loop.add_signal_handler(sig, self._signalled, name)
        except (NotImplementedError, RuntimeError):  # not on the main thread, or Windows
            pass

    def _signalled(self, signal_name: str) -> None:
        """SIGTERM or SIGHUP: end the sessions and leave; and make sure the process
        does end. Once the journal is closed nothing is worth hanging for: if leaving
        the terminal blocks (a closed terminal, a sound server that does not answer),
        the process exits anyway after `EXIT_GRACE_S`."""
        self.action_interrupt(signal_name)
        exit_anyway(SIGNAL_EXIT.get(signal_name, 1))

    def terminal_lost(self) -> None:
        """The terminal was closed (its driver could no longer write or read): the same
        as the hang-up signal that usually comes with it."""
        if not self._exit:  # not already leaving (q, the end, a signal)
            self._signalled("SIGHUP")

    # -- sessions -------------------------------------------------------------------

    def start_routine(
        self,
        resolved: Resolved,
        *,
        source: str | None = None,
        personal_pace: bool = True,
        journal_dose: bool = True,
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
        runner = SessionRunner(
            prepared, mode="tui", backend=self.backend, clock=self._session_clock
        )
        try:
            runner.open()
        except SessionError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.push_screen(PlayerScreen(runner, calm=self.calm))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, always shown as text: the messages quote routine names, file
        names and bad values, which must never be read as markup (`markup` is ignored:
        screens' `self.notify` pass Textual's default of True)."""
        super().notify(
            shown(message, newlines=True),
            title=shown(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_interrupt(self, signal_name: str = "SIGINT") -> None:
        """Ctrl-C or a signal: close the session in the journal, leave cleanly.

        Ctrl-C is the person's own choice to stop ("quit", as in the plain mode); SIGTERM
        and SIGHUP come from outside ("interrupted")."""
        end_all(self.sessions, "quit" if signal_name == "SIGINT" else "interrupted")
        self.exit_status = SIGNAL_EXIT.get(signal_name, 1)
        self.exit(return_code=self.exit_status)
