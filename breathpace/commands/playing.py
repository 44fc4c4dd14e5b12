"""What the commands that play (play, breathe, capsule) share: `--audio`, and handing a
prepared session to its runner.

Not a command itself: each of those commands prepares its session (routine, dose,
options) and calls `play_prepared`, so none of them calls another command.
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
    """Play a prepared session in its runner (`breathpace.frontend.play`); the exit
    status. A device that cannot be used is one line on stderr (exit 2)."""
    # Imported here, not at the top: it loads the session's player and (full screen)
    # Textual, which `--help` and a mistyped routine must not wait for.
    from breathpace.frontend import play

    try:
        with input_errors():
            return play(prepared, plain=plain)
    except KeyboardInterrupt:
        # Ctrl-C while the device was still opening: nothing to close or record yet.
        return 130
