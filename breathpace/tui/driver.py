"""The terminal driver: Textual's Linux driver, made safe to stop and continue.

Textual re-enters application mode on every SIGCONT. After Ctrl-Z (SIGTSTP) that is
right: the driver left application mode before stopping. After a SIGSTOP (which no
program can catch: `kill -STOP`, a debugger, a job-control shell) it never left, so
re-entering saved the raw settings as the ones to restore at exit and started a second
input thread and a second writer thread: quitting then left a blank screen, the process
hung on the orphaned threads, and the terminal was left raw.

`SteadyLinuxDriver` knows whether it is in application mode. A SIGCONT while it still
is (it was stopped without leaving) only puts the terminal back the way the interface
needs it — the shell that took the terminal meanwhile set its own modes — and asks
for a full repaint; the settings to restore at exit stay the ones found at the start.
Setting the terminal from a background process group stops the process again
(SIGTTOU), so a continued-but-background session waits for `fg` as it should.

A terminal that is closed (a window, a tmux pane, an ssh connection) makes every write
fail. Textual's writer thread died on the first failed write and its bounded queue then
blocked the main thread forever: the process kept playing, parented to init, and its
SIGTERM handler (which needs the main thread) never ran. Here writes to a lost terminal
are dropped, and the app is told once (`terminal_lost`), so the session ends.

All of this leans on Textual's private driver internals (`_writer_thread`,
`_auto_restart`, `_patch_lflag`, `_enable_mouse_support`, ...), which can change in any
release. `choose_driver` therefore gives the app this driver only when Textual's
`LinuxDriver` still has every name it uses (`fits`); on any mismatch (a moved module, a
renamed method, a changed constructor) the app runs on Textual's own driver, which lacks
the two fixes above but works. The same fixes, as patches to Textual itself, are in
docs/textual-patches/.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import signal
import sys
import termios
import threading
import tty
from collections.abc import Callable
from typing import IO, Any, cast

from textual import constants
from textual.driver import Driver

try:
    from textual.drivers.linux_driver import LinuxDriver

    _TEXTUAL_LINUX: type[Driver] | None = LinuxDriver
except ImportError:  # moved or renamed: `choose_driver` keeps Textual's driver
    LinuxDriver = Driver  # type: ignore[assignment,misc]  # a base to define the class on
    _TEXTUAL_LINUX = None

#: The kitty keyboard flags Textual pushes on entering (its own constants where it has
#: them; 8.0 pushed 1, "disambiguate", alone).
try:
    from textual.drivers.linux_driver import (
        KITTY_DISAMBIGUATE_ESCAPE_CODES,
        KITTY_REPORT_ALL_KEYS,
        KITTY_REPORT_ASSOCIATED_TEXT,
    )

    KITTY_FLAGS = (
        KITTY_DISAMBIGUATE_ESCAPE_CODES | KITTY_REPORT_ALL_KEYS | KITTY_REPORT_ASSOCIATED_TEXT
    )
except ImportError:
    KITTY_FLAGS = 1

#: Methods of Textual's `LinuxDriver` this driver overrides, calls or copies from.
TEXTUAL_METHODS = (
    "start_application_mode",
    "stop_application_mode",
    "resume_application_mode",
    "run_input_thread",
    "_run_input_thread",
    "_sigcont_application",
    "_patch_lflag",
    "_patch_iflag",
    "_enable_mouse_support",
    "_enable_bracketed_paste",
    "_disable_line_wrap",
    "_request_terminal_sync_mode_support",
    "_query_in_band_window_resize",
    "write",
    "flush",
)
#: Attributes `LinuxDriver.__init__` sets that this driver reads.
TEXTUAL_ATTRIBUTES = ("_writer_thread", "_auto_restart", "_file", "_app", "attrs_before", "fileno")


def fits(driver: type | None = None) -> bool:
    """Whether Textual's `LinuxDriver` (or `driver`) still has every method this one
    uses and is built as it was, `(app, *, debug, mouse, size)`. Never raises."""
    driver = _TEXTUAL_LINUX if driver is None else driver
    if driver is None:
        return False
    try:
        if not all(callable(getattr(driver, name, None)) for name in TEXTUAL_METHODS):
            return False
        inspect.signature(driver).bind(None, debug=False, mouse=True, size=None)
        return True
    except (TypeError, ValueError):
        return False


def choose_driver(textual_driver: type[Driver]) -> type[Driver]:
    """The driver the app runs on: `SteadyLinuxDriver` in place of Textual's Linux driver
    when it fits the Textual installed; Textual's own driver otherwise."""
    if textual_driver is _TEXTUAL_LINUX and fits():
        return SteadyLinuxDriver
    return textual_driver


class TerminalFile:
    """The terminal as the writer thread sees it: a failed write (the terminal was
    closed) is dropped and reported once, instead of killing the thread."""

    def __init__(self, file: IO[str], on_lost: Callable[[], None]):
        self._file = file
        self._on_lost = on_lost
        self.lost = False

    def _failed(self) -> None:
        if not self.lost:
            self.lost = True
            self._on_lost()

    def write(self, text: str) -> int:
        if self.lost:
            return len(text)
        try:
            return self._file.write(text)
        except (OSError, ValueError):  # EIO after a hang-up; ValueError: file closed
            self._failed()
            return len(text)

    def flush(self) -> None:
        if self.lost:
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._failed()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


class SteadyLinuxDriver(LinuxDriver):
    """`LinuxDriver` that enters application mode once, however often it is continued,
    and lets the app end when its terminal is closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._steady = all(hasattr(self, name) for name in TEXTUAL_ATTRIBUTES)
        """Textual's driver set what this one reads; when not, it is Textual's alone."""
        self._active = False
        """In application mode: entered and not left."""
        self._app_loop: asyncio.AbstractEventLoop | None = None
        """The app's loop, for calls from the writer and input threads."""
        self._lost_reported = threading.Lock()
        if self._steady:
            terminal = cast(IO[str], self._file or sys.__stderr__)
            self._file = cast(Any, TerminalFile(terminal, self._terminal_lost))

    # -- a closed terminal ----------------------------------------------------------

    def _terminal_lost(self) -> None:
        """Called from the writer or input thread when the terminal is gone: ask the
        app, on its own loop, to end (`App.terminal_lost`, when it has one)."""
        if not self._lost_reported.acquire(blocking=False):
            return  # told once
        loop, app = self._app_loop, self._app
        handler = getattr(app, "terminal_lost", None)
        if loop is None or handler is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(handler)

    def _run_input_thread(self) -> None:
        if not self._steady:
            return super()._run_input_thread()
        # Reading a closed terminal fails with EIO: that is the terminal going away,
        # not a crash to report (Textual would panic with a traceback).
        try:
            self.run_input_thread()
        except OSError:
            self._terminal_lost()
        except BaseException:  # as Textual does: the app shows the traceback
            import rich.traceback

            self._app.call_later(self._app.panic, rich.traceback.Traceback())

    # -- entering and leaving -------------------------------------------------------

    def start_application_mode(self) -> None:
        if not self._steady:
            return super().start_application_mode()
        if self._active:
            # Continued after a stop that never left application mode.
            self._reenter()
            return
        writer = self._writer_thread
        self._app_loop = asyncio.get_running_loop()
        super().start_application_mode()
        # Textual returns early, without entering, when the process is in the
        # background (its terminal check failed); a new writer thread means it entered.
        self._active = self._writer_thread is not None and self._writer_thread is not writer

    def stop_application_mode(self) -> None:
        if not self._steady:
            return super().stop_application_mode()
        if not self._active:
            return  # already left (suspended by Ctrl-Z): the terminal is restored
        self._active = False
        super().stop_application_mode()

    def _sigcont_application(self, *_: Any) -> None:
        """SIGCONT: enter application mode again (after Ctrl-Z) or re-assert it (after
        a SIGSTOP); either way the whole screen is drawn again."""
        if not self._steady:
            return super()._sigcont_application(*_)
        if not self._auto_restart:
            return  # inside App.suspend(): the app resumes the driver itself
        self.resume_application_mode()
        self._repaint_soon()

    # -- continued without having left ----------------------------------------------

    def _raw_attributes(self) -> list[Any] | None:
        """The terminal settings the interface runs with, made from the ones found at
        the start exactly as Textual makes them."""
        if self.attrs_before is None:
            return None
        attrs = [list(a) if isinstance(a, list) else a for a in self.attrs_before]
        attrs[tty.LFLAG] = self._patch_lflag(cast(int, attrs[tty.LFLAG]))
        attrs[tty.IFLAG] = self._patch_iflag(cast(int, attrs[tty.IFLAG]))
        attrs[tty.CC][termios.VMIN] = 1
        return attrs

    def _reenter(self) -> None:
        raw = self._raw_attributes()
        if raw is not None and os.isatty(self.fileno):
            # From a background process group this raises SIGTTOU, whose default
            # action stops the process again until `fg` continues it (and we get here
            # once more). Make sure the default action is in place.
            previous = signal.signal(signal.SIGTTOU, signal.SIG_DFL)
            try:
                termios.tcsetattr(self.fileno, termios.TCSANOW, raw)
            except termios.error:
                return
            finally:
                signal.signal(signal.SIGTTOU, previous)
        # The modes Textual's `start_application_mode` sets, in its order, through its
        # own methods where it has them (so a new mode there is not missed here).
        write = self.write
        write("\x1b[?1049h")  # the alternate screen (a shell may have printed meanwhile)
        self._enable_mouse_support()
        write("\x1b[?25l")  # hide the cursor
        write("\x1b[?1004h")  # focus events
        write("\x1b[<u")  # pop, then push: one entry on the kitty keyboard stack
        if not getattr(constants, "DISABLE_KITTY_KEY", False):
            write(f"\x1b[>{KITTY_FLAGS}u")
        self.flush()
        self._request_terminal_sync_mode_support()
        self._query_in_band_window_resize()  # the answer turns in-band resize on again
        self._enable_bracketed_paste()
        self._disable_line_wrap()
        self._enable_mouse_support()
        self.flush()

    def _repaint_soon(self) -> None:
        """Ask the app (on its own loop) to draw every line again: whatever the shell
        printed while the process was stopped is on the screen."""
        loop, app = self._app_loop, self._app
        if loop is None or loop.is_closed():
            return

        def repaint() -> None:
            try:
                app.screen.refresh(repaint=True, layout=True)
                app.refresh(repaint=True, layout=True)
            except Exception:  # no screen yet, or the app is closing
                pass

        loop.call_soon_threadsafe(repaint)


__all__ = ["SteadyLinuxDriver", "choose_driver", "fits"]
