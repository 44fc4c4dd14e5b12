"""Silence file descriptor 2 around native calls that chatter on it.

ALSA, JACK and PulseAudio libraries write warnings straight to fd 2, bypassing
`sys.stderr`; in the terminal that text would land in the middle of the Textual screen
or the plain-mode lines. Opening and probing a device happens inside `quiet_stderr()`,
which points fd 2 at /dev/null for the duration of the call only, so Python's own
errors afterwards still reach the person.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

_lock = threading.Lock()


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point fd 2 at /dev/null inside the block (no-op where fd 2 cannot be duplicated)."""
    with _lock:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
            finally:
                os.close(devnull)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
