"""Entry points into the interface: the home screen, the Breathe screen, one session.

Each runs on an audio device opened before Textual draws anything (C audio libraries
write to fd 2, which Textual draws on), and each makes sure a session that is cut short
(q, Ctrl-C, SIGTERM, SIGHUP, or a crash) is closed in the journal with one outcome and
the terminal is given back in a normal state. Bad input is a `SessionError`; the
commands turn it into their one-line exit-2 error.
"""

from __future__ import annotations

from typing import Any

from breathpace.session.options import SessionOptions, session_options
from breathpace.session.run import open_session_backend
from breathpace.session.runner import SessionRunner, end_all
from breathpace.session.summary import print_summaries
from breathpace.tui.app import BreathpaceApp
from breathpace.tui.screens.breathe import BreatheScreen
from breathpace.tui.screens.player import PlayerScreen


def run_home(options: SessionOptions | None = None) -> int:
    """`breathpace` with no command: the home screen; returns the exit status."""
    options = options or session_options()
    backend, notice = open_session_backend(options)
    try:
        # Every session started from the home screen plays on this one device.
        return run_app(BreathpaceApp(options=options, backend=backend, notice=notice))
    finally:
        backend.close()


def run_breathe(options: SessionOptions) -> int:
    """`breathpace breathe` without a choice: the Breathe screen."""
    backend, notice = open_session_backend(options)
    app = BreathpaceApp(
        options=options,  # --volume, --theme… apply to the practice chosen there
        backend=backend,
        notice=notice,
        calm=options.calm,
        first=BreatheScreen,
    )
    app.breathe_only = True
    try:
        return run_app(app)
    finally:
        backend.close()


def run_session(runner: SessionRunner, *, clock: Any = None) -> int:
    """Play one opened session full screen; returns the exit status (0 after q or the
    end). The caller closes the runner."""
    app = BreathpaceApp(
        settings=runner.prepared.options.settings,
        clock=clock,
        first=lambda: PlayerScreen(runner, standalone=True),
        calm=runner.prepared.options.calm,
    )
    return run_app(app)


def run_app(app: BreathpaceApp) -> int:
    """Run the app to its end; every session started in it ends with one outcome, and
    its summary is printed once the terminal is the person's again. The exit status."""
    try:
        app.run()
    finally:
        # Whatever ended the app, the journal gets exactly one outcome. Textual
        # catches a crash inside the app, restores the terminal and sets return_code.
        crashed = app.exit_status == 0 and bool(app.return_code)
        end_all(app.sessions, "crashed" if crashed else "interrupted")
    print_summaries(app.sessions)
    if app.exit_status == 0 and app.return_code:
        return int(app.return_code)
    return app.exit_status


__all__ = ["run_app", "run_breathe", "run_home", "run_session"]
