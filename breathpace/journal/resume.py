"""What `play --resume` reads from the journal: the rep key and the last unfinished session.

A session row keeps the last rep it finished as one short text, "item|side|set|rep"
(side empty when the item has none). It is written by the session's recorder and read
back when a later session carries on; both go through `RepKey`, so the format lives
here alone. `last_unfinished` is the one query `--resume` needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from breathpace.journal.db import open_journal


@dataclass(frozen=True)
class RepKey:
    """One rep of a session, as the journal names it."""

    item: int
    """The item's number in the routine (1-based)."""
    side: str | None
    """"left" or "right" for a sided item; None when it has no sides."""
    set: int
    """The set's number (1-based)."""
    rep: int
    """The rep's number within its set (1-based)."""

    def text(self) -> str:
        """The stored form, "item|side|set|rep"."""
        return f"{self.item}|{self.side or ''}|{self.set}|{self.rep}"

    @classmethod
    def parse(cls, text: str | None) -> RepKey | None:
        """The key a stored text names; None for nothing stored or a text it cannot read."""
        if not text:
            return None
        try:
            item, side, set_, rep = text.split("|")
            return cls(int(item), side or None, int(set_), int(rep))
        except ValueError:
            return None


@dataclass(frozen=True)
class Unfinished:
    """The latest session of a routine, not completed: what `--resume` continues."""

    session_id: int
    last_rep: str | None
    """Its last finished rep, stored form (see `RepKey`)."""
    started_at: str


def last_unfinished(routine_name: str) -> Unfinished | None:
    """The routine's latest session when it was quit, interrupted or cut short; None
    when there is none or the latest one was completed. JournalError when the journal
    cannot be read."""
    with open_journal() as journal:
        row = journal.conn.execute(
            "SELECT id, outcome, last_rep, started_at FROM session WHERE routine = ? "
            "ORDER BY started_at DESC, id DESC LIMIT 1",
            (routine_name,),
        ).fetchone()
    if row is None or row["outcome"] == "completed":
        return None
    return Unfinished(row["id"], row["last_rep"], row["started_at"])
