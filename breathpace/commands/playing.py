"""What the commands that play (play, breathe, capsule) share: `--audio`, and playing a
prepared session in its runner, full screen or plain.

Not a command itself: each of those commands prepares its session (routine, dose,
options) and calls `play_prepared`, so none of them calls another command. Plain mode
is used when asked, or with a notice when the terminal cannot show the full screen.
For the full screen the runner's device opens on a thread while Textual imports, and
is waited for before anything is drawn; `--plain` never imports Textual.
"""

from __future__ import annotations

import click

from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.commands.options import input_errors
from breathpace.session.prepare import Prepared

audio_option = click.option(
    "--audio", type=click.Choice(AUDIO_KINDS), default=None, help="Sound backend."
)


def play_prepared(prepared: Prepared, *, plain: bool) -> int:
    """Play a prepared session, full screen or plain; the exit status. A device that
    cannot be used is one line on stderr (exit 2)."""
    try:
        with input_errors():
            return _play(prepared, plain=plain)
    except KeyboardInterrupt:
        # Ctrl-C while the device was still opening: nothing to close or record yet.
        return 130


def _play(prepared: Prepared, *, plain: bool) -> int:
    # Imported here: the runner and the terminal check are not needed for `--help`
    # or a routine that does not load.
    from breathpace.session.runner import SessionRunner
    from breathpace.tui.fallback import PLAIN_NOTICE, full_screen_unsupported

    fallback = not plain and full_screen_unsupported()
    runner = SessionRunner(prepared, mode="plain" if plain or fallback else "tui")
    try:
        if runner.mode == "plain":
            # Imported here, like the full screen below: each loads only its own.
            from breathpace.plain import play_plain

            if fallback:
                runner.notice(PLAIN_NOTICE)
            return play_plain(runner.open())
        # Imported while the device opens on the runner's thread: Textual, which
        # `--help`, a mistyped routine and `--plain` never load.
        from breathpace.tui.launch import run_session

        return run_session(runner.open())
    finally:
        runner.close()
