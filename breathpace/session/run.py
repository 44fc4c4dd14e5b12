"""The two outside things a session runner uses: the sound device and the routine file.

`open_session_backend` opens the device the options name, with the option to blame
when it cannot; `WatchReloader` is the one `--watch`: it notices a saved routine file
and reloads it into the player, keeping the place. `SessionRunner` (`runner`) uses both.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breathpace.audio.backends import BackendError, NoSuchDevice, open_backend
from breathpace.library import load_routine
from breathpace.player.events import Reloaded
from breathpace.routine.load import RoutineError
from breathpace.session.dose import effective_dose
from breathpace.session.errors import SessionError
from breathpace.session.options import SessionOptions

if TYPE_CHECKING:
    from breathpace.player import Player


def open_session_backend(
    options: SessionOptions, *, clock: Any = None, wait: bool = True
) -> tuple[Any, str | None]:
    """Open the sound backend the options name: (backend, optional one-line notice).

    Done before anything is drawn, so a device problem is one line (SessionError).
    `wait=False` leaves waiting for the device to play to the caller (`open_backend`)."""
    try:
        return open_backend(options.audio, options.device, clock=clock, wait=wait)
    except NoSuchDevice as exc:
        # A device that is not there is the device's fault, not the backend's (unless
        # the backend was named on the command line too).
        blame = options.audio_from if options.audio_from.startswith("--") else options.device_from
        raise SessionError(f"{blame}: {exc}") from None
    except BackendError as exc:
        raise SessionError(f"{options.audio_from}: {exc}") from None


class WatchReloader:
    """`--watch`: reload the routine file into the player when it is saved.

    The file is compared by modification time and size; the person's accepted dose
    applies to the edited file as it did at the start."""

    def __init__(self, path: Path, *, name: str | None = None):
        self.path = Path(path)
        self.name = name or self.path.stem
        self._stamp = _stamp(self.path)

    def changed(self) -> bool:
        stamp = _stamp(self.path)
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        return True

    def reload(self, player: Player) -> Reloaded:
        """Load the file and hand it to the player. An error is returned, one line, and
        the session carries on with what it had; success is reported again by the
        player's own `Reloaded` event."""
        try:
            routine = effective_dose(self.name, load_routine(self.path)).routine
            player.reload(routine)
        except (RoutineError, ValueError) as exc:
            return Reloaded(ok=False, error=" ".join(str(exc).split()))
        return Reloaded(ok=True, error=None)

    def poll(self, player: Player) -> Reloaded | None:
        """Reload when the file changed since the last look; None when it did not."""
        if not self.changed():
            return None
        return self.reload(player)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
