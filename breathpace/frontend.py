"""Which renderer plays a prepared session: the full screen, or plain text.

The commands that play (play, breathe, capsule) prepare a session and hand it here. A
`SessionRunner` opens it in its mode; plain mode is used when asked, or with a notice
when the terminal cannot show the full screen. For the full screen the runner's device
opens on a thread while Textual imports, and is waited for before anything is drawn.
Textual is imported only for the full screen, so `--plain` never loads it.
"""

from __future__ import annotations

from breathpace.session.prepare import Prepared
from breathpace.session.runner import SessionRunner
from breathpace.tui.fallback import PLAIN_NOTICE, full_screen_unsupported


def play(prepared: Prepared, *, plain: bool) -> int:
    """Play `prepared`, full screen or plain; the exit status. SessionError (one line)
    when the sound device cannot be used."""
    fallback = not plain and full_screen_unsupported()
    runner = SessionRunner(prepared, mode="plain" if plain or fallback else "tui")
    try:
        if runner.mode == "plain":
            # Imported here, like the full screen below: each loads only its own.
            from breathpace.plain import play_plain

            if fallback:
                runner.notice(PLAIN_NOTICE)
            runner.open()
            return play_plain(runner)
        # Textual imports while the device opens on the runner's thread.
        from breathpace.tui.launch import run_session

        runner.open()
        return run_session(runner)
    finally:
        runner.close()
