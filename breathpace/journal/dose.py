"""Personal dose overrides: the accepted suggestions, kept in the person's journal.

A built-in routine file is never edited. An accepted change (one rep more, one breath
less in a hold…) is stored per routine name and exercise number in the journal, and
`apply_dose` lays it over the routine whenever it is played or previewed. Each override
also remembers the exercise's name, so if the routine file changes under it the
override is ignored rather than landing on the wrong exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from breathpace import paths
from breathpace.journal.db import (
    Journal,
    JournalError,
    journal_problem,
    now_utc,
    open_journal,
    to_db,
)
from breathpace.routine.model import Exercise, Routine
from breathpace.safe_text import name_text

if TYPE_CHECKING:
    from breathpace.journal.suggest import Suggestion


@dataclass(frozen=True)
class Override:
    exercise: int
    name: str
    reps: int | None = None
    sets: int | None = None
    hold_breaths: float | None = None


#: Accepted overrides by routine name, then by exercise number.
DoseBook = dict[str, dict[int, Override]]


def overrides(journal: Journal, routine_name: str) -> dict[int, Override]:
    return read_book(journal, routine_name).get(routine_name, {})


def read_book(journal: Journal, routine_name: str | None = None) -> DoseBook:
    """The overrides of one routine, or of every routine (None), from an open journal."""
    query = "SELECT routine, exercise, name, reps, sets, hold_breaths FROM dose"
    if routine_name is None:
        rows = journal.conn.execute(query).fetchall()
    else:
        rows = journal.conn.execute(f"{query} WHERE routine = ?", (routine_name,)).fetchall()
    book: DoseBook = {}
    for r in rows:
        book.setdefault(r["routine"], {})[r["exercise"]] = Override(
            r["exercise"], r["name"], r["reps"], r["sets"], r["hold_breaths"]
        )
    return book


def apply_overrides(routine: Routine, found: dict[int, Override]) -> Routine:
    """The routine with the overrides laid over it (pure), validated like a file would be.

    An override that would take a capsule past five minutes is left out: a journal may
    hold one from before the limit, and a capsule stays short whatever the journal says.
    (Other routines keep the changes the person accepted; new suggestions keep within
    30 % of the written length.)
    """
    if not found:
        return routine
    # The suggestion engine is imported only when there is an override to lay over:
    # `list` reads every routine's dose, and most have none.
    from breathpace.journal.suggest import adjusted, capsule_fits

    result = routine
    for number, override in sorted(found.items()):
        if not 1 <= number <= len(result.exercise):
            continue
        item = result.exercise[number - 1]
        if not isinstance(item, Exercise) or item.name != override.name:
            continue
        candidate = adjusted(
            result,
            number,
            reps=override.reps,
            sets=override.sets,
            hold_breaths=override.hold_breaths,
        )
        if routine.capsule is None or capsule_fits(candidate, routine):
            result = candidate
    return result


def apply_dose(routine_name: str, routine: Routine, *, book: DoseBook | None = None) -> Routine:
    """`routine` with the person's accepted dose changes for `routine_name` applied.

    `book` is every routine's overrides read at once (`dose_book()`), for a listing of
    many routines; without it the journal is read for this one.
    """
    # A name from a file name that is not UTF-8 keeps its bytes as surrogates, which
    # SQLite cannot store: the journal knows it by its escaped form.
    routine_name = name_text(routine_name)
    if book is None:
        book = dose_book(routine_name)
    return apply_overrides(routine, book.get(routine_name, {}))


def dose_book(routine_name: str | None = None) -> DoseBook:
    """The accepted overrides of one routine, or of all of them, from the person's journal.

    Reads only: with no journal, or one that cannot be read, there are none (the
    commands that write the journal are the ones that deal with a bad file).
    """
    path = paths.journal_file()
    try:
        if not path.exists() or journal_problem(path) is not None:
            return {}
        with open_journal(path) as journal:
            return read_book(journal, routine_name)
    except JournalError:
        return {}


def accept(journal: Journal, suggestion: Suggestion, *, now: datetime | None = None) -> None:
    """Write an accepted suggestion: the override (when it changes a dose) and the log."""
    # Imported here, as in `apply_dose`: the suggestion engine is not needed to read doses.
    from breathpace.journal.suggest import Kind

    if suggestion.kind is Kind.HOLD:
        raise ValueError("holding steady changes nothing")
    when = to_db(now or now_utc())
    with journal.transaction() as conn:
        if suggestion.changes_dose:
            assert suggestion.exercise is not None and suggestion.exercise_name is not None
            _write_dose(
                conn,
                suggestion.routine,
                suggestion.exercise,
                suggestion.exercise_name,
                suggestion.reps,
                suggestion.hold_breaths,
                when,
            )
            # A routine that grows as a whole changes the reps of its other exercises too.
            for number, name, new_reps in suggestion.others:
                _write_dose(conn, suggestion.routine, number, name, new_reps, None, when)
        start = suggestion.level_start
        if start is not None and suggestion.routine_to is not None:
            # The next level starts at the volume the person had: its main exercise at
            # fewer reps, written as the person's own dose of that routine.
            _write_dose(
                conn, suggestion.routine_to, start.exercise, start.name, start.reps, None, when
            )
            _log(
                conn,
                suggestion.routine_to,
                "level start",
                start.exercise,
                f"Start at {start.reps} reps a set of {start.name} "
                f"(written: {start.written_reps}).",
                f"Moved up from {suggestion.routine} at about the same length.",
                when,
            )
        _log(
            conn,
            suggestion.routine,
            str(suggestion.kind),
            suggestion.exercise,
            suggestion.summary,
            suggestion.why,
            when,
        )


def _write_dose(conn, routine, number, name, reps, hold, when) -> None:
    """One exercise's override: the new reps or hold, keeping what it had of the other."""
    row = conn.execute(
        "SELECT reps, sets, hold_breaths FROM dose WHERE routine = ? AND exercise = ?",
        (routine, number),
    ).fetchone()
    reps = reps if reps is not None else (row and row["reps"])
    hold = hold if hold is not None else (row and row["hold_breaths"])
    sets = row["sets"] if row else None
    conn.execute(
        "INSERT OR REPLACE INTO dose (routine, exercise, name, reps, sets, hold_breaths, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (routine, number, name, reps or None, sets, hold or None, when),
    )


def _log(conn, routine, kind, exercise, summary, why, when) -> None:
    conn.execute(
        "INSERT INTO dose_change (routine, kind, exercise, summary, why, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (routine, kind, exercise, summary, why, when),
    )


def reset(journal: Journal, routine_name: str, *, now: datetime | None = None) -> int:
    """Drop every override of a routine (back to the file's dose); returns how many."""
    with journal.transaction() as conn:
        n = conn.execute("DELETE FROM dose WHERE routine = ?", (routine_name,)).rowcount
        conn.execute(
            "INSERT INTO dose_change (routine, kind, exercise, summary, why, at) "
            "VALUES (?, 'reset', NULL, 'Back to the dose in the routine file.', '', ?)",
            (routine_name, to_db(now or now_utc())),
        )
    return n


def last_change(journal: Journal, routine_name: str) -> tuple[datetime, str, int | None] | None:
    row = journal.conn.execute(
        "SELECT at, kind, exercise FROM dose_change WHERE routine = ? ORDER BY at DESC, id DESC "
        "LIMIT 1",
        (routine_name,),
    ).fetchone()
    if row is None:
        return None
    return datetime.fromisoformat(row["at"]), row["kind"], row["exercise"]
