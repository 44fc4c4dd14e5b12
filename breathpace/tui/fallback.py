"""Whether this terminal can show the full-screen interface, asked before Textual loads.

A terminal that says `TERM=dumb` (Emacs' shell buffer, some IDE consoles, a serial
line) shows Textual's alternate-screen, mouse and truecolor codes as garbage. The
commands that play (play, breathe, capsule) fall back to plain mode there with a
one-line notice; the home screen, which has no plain form, refuses in one line.
Light on purpose: no Textual import, so the fallback costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: What the commands that play say when they fall back to plain mode.
PLAIN_NOTICE = "TERM=dumb: this terminal cannot show the full screen, so playing in plain mode."
#: The home screen's one-line refusal (the command exits 2).
HOME_REFUSAL = (
    "TERM=dumb: the home screen needs a full-screen terminal; "
    "use `breathpace list` and `breathpace play NAME --plain`"
)


def full_screen_unsupported(environ: Mapping[str, str] | None = None) -> bool:
    """True when the terminal declares it cannot address the screen (`TERM=dumb`)."""
    env = os.environ if environ is None else environ
    return env.get("TERM", "").strip().lower() == "dumb"


__all__ = ["HOME_REFUSAL", "PLAIN_NOTICE", "full_screen_unsupported"]
