"""The routines a person can play, found and measured at their own dose.

`breathpace list` and the home screen show the same rows: every built-in and user
routine, loaded, and its length at the effective dose (accepted dose changes and the
personal pace), so the length a person reads is the length they will play. A file that
does not load is still a row, with its one-line error, so a typo never makes a routine
silently disappear.

No numpy, no audio, no Textual: `list` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from breathpace import library
from breathpace.journal.dose import DoseBook, dose_book
from breathpace.library import Resolved
from breathpace.routine.load import RoutineError
from breathpace.routine.model import Routine
from breathpace.session.dose import Dose, personal_dose
from breathpace.session.errors import SessionError
from breathpace.timeline import compile


@dataclass(frozen=True)
class Entry:
    """One routine file as the lists show it."""

    name: str
    path: Path
    builtin: bool
    routine: Routine | None
    """The file's routine (None when it does not load)."""
    length_ms: int | None
    """Its length at the effective dose."""
    error: str | None = None
    """Why it does not load: the whole one-line message (file and field)."""
    detail: str | None = None
    """The same without the file name (the row already names it)."""
    dose: Dose | None = None

    @property
    def breathing(self) -> bool:
        return self.routine is not None and "breathing" in self.routine.tags

    @property
    def resolved(self) -> Resolved:
        assert self.routine is not None
        return Resolved(self.name, self.path, self.routine, self.builtin)


def resolve_routine(name_or_path: str) -> Resolved:
    """A routine by built-in name, the person's own name, or path; SessionError if not."""
    try:
        return library.resolve(name_or_path)
    except RoutineError as exc:
        raise SessionError(str(exc)) from None


def load_entry(
    path: Path,
    builtin: bool,
    settings_pace: str | None,
    book: DoseBook | None = None,
) -> Entry:
    try:
        routine, own_ms = library.load_measured(path)  # as `check` judges it
        dose = personal_dose(path.stem, routine, settings_pace, book)
        if dose.routine is routine and dose.pace is None and dose.tempo == 1:
            ms = own_ms  # played as written: the length loading measured
        else:
            ms = compile(dose.routine, dose.pace, dose.tempo).duration_ms
    except (RoutineError, ValueError) as exc:  # ValueError: too long at this pace
        detail = getattr(exc, "detail", None) or str(exc)
        return Entry(path.stem, path, builtin, None, None, " ".join(str(exc).split()), detail)
    return Entry(path.stem, path, builtin, routine, ms, dose=dose)


def routine_entries(settings_pace: str | None = None) -> tuple[list[Entry], list[Entry]]:
    """(built-in entries, the person's own entries), each in file-name order."""
    # Read through the module, so a test can swap the built-in library for a fixed one.
    book = dose_book()  # the journal read once, not once per routine
    builtin = [load_entry(p, True, settings_pace, book) for p in library.builtin_routine_files()]
    user = [load_entry(p, False, settings_pace, book) for p in library.user_routine_files()]
    return builtin, user


def playable_entries(settings_pace: str | None = None) -> list[Entry]:
    """The routines a name plays: a person's own routine hides the built-in of the same
    name (as `resolve` does). Built-ins last, each group by title."""
    builtin, user = routine_entries(settings_pace)
    mine = {e.name for e in user}
    entries = [e for e in builtin if e.name not in mine] + user
    entries.sort(key=lambda e: (e.builtin, (e.routine.title if e.routine else e.name).lower()))
    return entries
