"""One played session as the interface sees it: the Player plus its journal record.

The interface starts and ends sessions from several places (the play command, the
home screen, the Breathe screen, a signal); keeping the journal hook and the single,
idempotent `end()` here means every path records exactly one outcome.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from breathpace.player import Player


def journal_available() -> bool:
    return importlib.util.find_spec("breathpace.journal.recorder") is not None


class Session:
    def __init__(self, player: Player, *, routine_name: str, source: str, mode: str = "tui"):
        self.player = player
        self.routine_name = routine_name
        self.source = source
        self.mode = mode
        self.recorder: Any = None
        self.started = False
        self.outcome: str | None = None
        self.notice: str | None = None
        """A one-line journal notice for the person (e.g. the journal could not be opened)."""
        self.on_notice: Any = None
        """Shows a journal notice that comes mid-session or at the end (set by the screen)."""

    @property
    def session_id(self) -> int | None:
        sid = getattr(self.recorder, "session_id", None)
        return sid or None

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        if journal_available():
            from breathpace.journal.recorder import record_session

            # Subscribed before the first poll, so no segment change is missed.
            self.recorder = record_session(
                self.player,
                routine_name=self.routine_name,
                source=self.source,
                mode=self.mode,
                on_notice=self._journal_notice,
            )
            self.notice = getattr(self.recorder, "notice", None)
        self.player.start()

    def _journal_notice(self, text: str) -> None:
        if self.on_notice is not None:
            self.on_notice(text)

    def end(self, outcome: str) -> None:
        """Stop the player and close the journal record, once, whatever calls it first."""
        if self.outcome is not None:
            return
        self.outcome = outcome
        try:
            if str(self.player.state) != "stopped":
                self.player.stop()
        finally:
            if self.recorder is not None:
                self.recorder.close(outcome)
