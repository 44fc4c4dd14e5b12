"""The few lines that close a session: what was done and what comes next.

Shown on the player screen's end (above the check-in), printed to the terminal after the
full screen closes, and printed by `--plain` (with the command to check in), all from
`summary_lines`, a pure function of a `Summary`. `gather` fills a `Summary` from the
journal record (the reps and exercises as written there, so the numbers match
`breathpace history`) or, when nothing was recorded, from the player alone.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from breathpace.fmt import length
from breathpace.player.events import Notice
from breathpace.safe_text import for_stream

if TYPE_CHECKING:
    from breathpace.session.runner import SessionRunner

#: Outcomes as a sentence says them.
OUTCOME_WORDS = {
    "completed": "completed",
    "quit": "stopped",
    "interrupted": "interrupted",
    "crashed": "ended by an error",
}


@dataclass(frozen=True)
class Summary:
    """What one ended session did, and what its journal record allows next."""

    routine: str
    """The routine's name as `play` takes it."""
    title: str
    outcome: str
    played_ms: int
    exercises_done: int
    """Items with at least one finished rep."""
    exercises: int
    reps_done: int
    reps_planned: int
    session_id: int | None = None
    """The journal's id; None when the session was not recorded."""
    discarded: bool = False
    """Stopped before its first rep and within 15 s: not kept as a session."""
    continues: int | None = None
    checked_in: bool = False
    suggestion: str | None = None
    """The journal's suggestion for this routine, one line, if it has one."""
    not_recorded: str | None = None
    """Why nothing was recorded (the journal could not be opened or written)."""
    resumable: bool = True
    """`play NAME --resume` can carry it on (False for a practice built on the spot)."""
    first_item: int | None = None
    """Started part-way (`play --from N`) at this item: not a whole session."""
    pace_changes: tuple[str, ...] = ()
    """Each pace or tempo change made during the session, with the rep it took effect
    at (`journal.pace_log.describe`)."""
    play_as: str | None = None
    """What to type after `play` to play it again: the path when it was played by path
    (its name would not find it), else `routine`."""


def summary_lines(s: Summary, *, plain: bool = False) -> list[str]:
    """The summary, a line each. `plain` adds the commands to type (check in, resume),
    for a person without the full screen's check-in form."""
    if s.discarded:
        return [
            f"{s.title}: stopped before the first rep, in the first 15 s.",
            "Not kept in the journal: it does not count as a practice.",
        ]
    lines = [
        f"{s.title}: {OUTCOME_WORDS.get(s.outcome, s.outcome)} · {length(s.played_ms)} practised"
    ]
    done = []
    if s.exercises:
        done.append(f"{s.exercises_done} of {s.exercises} exercises")
    if s.reps_planned:
        done.append(f"{s.reps_done} of {s.reps_planned} reps")
    if done:
        lines.append(
            ", ".join(done) + (f" (continuing session #{s.continues})" if s.continues else "")
        )
    if s.first_item:
        lines.append(f"Began at item {s.first_item}: not counted as a whole session.")
    lines += [f"Pace changed: {change}" for change in s.pace_changes]
    if s.session_id is None:
        lines.append(s.not_recorded or "Not recorded in the journal.")
        return lines
    if s.checked_in:
        lines.append(f"Checked in (session #{s.session_id}).")
    elif plain:
        lines.append(
            f"Check in now: breathpace history --session {s.session_id} --effort N --pain N (0-10)"
        )
    else:
        lines.append("Next: a short check-in (effort and pain now, 0-10).")
    if plain:
        lines.append(
            "In 12 hours or more: breathpace history --next-day calmer|same|more-sensitive"
        )
    else:
        lines.append(
            "In 12 hours or more: how did your back respond? (asked when you next open breathpace)"
        )
    if s.suggestion:
        lines.append(f"Suggestion: {s.suggestion}")
    if s.outcome != "completed" and s.reps_done and s.resumable:
        again = shlex.quote(s.play_as or s.routine)
        lines.append(f"To carry on later: breathpace play {again} --resume")
    return lines


def gather(session: SessionRunner) -> Summary:
    """The summary of an ended session, read from its journal record (never raises for
    a journal problem: it falls back to what the player knows)."""
    # Imported here: the history queries load only when a session has ended.
    from breathpace.journal.db import JournalError, open_journal
    from breathpace.journal.history import BREATHE_SOURCE, progress, suggestion_for
    from breathpace.journal.history import session as session_row

    player = session.player
    title = getattr(getattr(player, "routine", None), "title", None) or session.routine_name
    recorder = session.recorder
    base = dict(
        routine=session.routine_name,
        title=title,
        outcome=session.outcome or "quit",
        continues=session.begin.continues,
        # A practice built on the spot (`breathe 4-0-6-0`) has no routine to resume.
        resumable=session.source != BREATHE_SOURCE,
        play_as=getattr(getattr(session, "prepared", None), "play_as", None),
        pace_changes=_pace_changes(session),
        first_item=session.begin.first_item,
    )
    if recorder is not None and getattr(recorder, "discarded", False):
        return Summary(
            **base,
            played_ms=0,
            exercises_done=0,
            exercises=0,
            reps_done=0,
            reps_planned=0,
            discarded=True,
        )
    sid = session.session_id
    items = len(getattr(player.timeline, "items", ()) or ())
    # Not in the journal (a full disk): what the session itself counted.
    counted = recorder.counts() if recorder is not None else (0, items, 0, 0)
    fallback = Summary(
        **base,
        played_ms=int(getattr(player, "played_ms", 0)),
        exercises_done=counted[0],
        exercises=counted[1] or items,
        reps_done=counted[2],
        reps_planned=counted[3],
        # The journal's own notice already said why (once); this only points back to it.
        not_recorded=(
            "Not recorded yet: breathpace could not write it (the notice above says why)."
            if recorder is not None and (recorder.error or recorder.notice)
            else None
        ),
    )
    if not sid or (recorder is not None and recorder.error):
        return fallback
    try:
        with open_journal() as journal:
            row = session_row(journal, sid)
            if row is None:
                return fallback
            rows = progress(journal, sid)
            try:
                found = suggestion_for(journal, session.routine_name)
            except Exception:  # a suggestion is a nicety: never let it hide the summary
                found = None
    except JournalError:
        return fallback
    exercises = {r["exercise"] for r in rows}
    done = {r["exercise"] for r in rows if r["reps_done"]}
    return Summary(
        **base,
        played_ms=row.played_ms,
        exercises_done=len(done),
        exercises=len(exercises) or items,
        reps_done=row.reps_done,
        reps_planned=row.reps_planned,
        session_id=sid,
        checked_in=row.effort is not None or row.pain is not None or bool(row.note),
        suggestion=found.summary if found is not None and found.summary else None,
    )


def _pace_changes(session: SessionRunner) -> tuple[str, ...]:
    # Imported here, as the history queries in `gather`: only once a session has ended.
    from breathpace.journal.pace_log import describe

    recorder = session.recorder
    if recorder is None:
        return ()
    items = getattr(session.player.timeline, "items", ()) or ()
    names = {number: name for number, name in enumerate(items, 1)}
    return tuple(describe(change, names) for change in recorder.pace_changes)


def print_summaries(sessions, out=None) -> None:
    """After the full screen has closed: each ended session's summary on the terminal,
    read again from the journal (so a check-in just saved shows as done), with the
    commands to type at the shell (a check-in skipped on the screen can be given
    later with the session's own number)."""
    out = out or sys.stdout
    for session in sessions:
        if not (session.started and session.ended):
            continue
        # The journal's last word (a full disk at the end), which the closing screen
        # could no longer show.
        said = [e.text for e in session.poll() if isinstance(e, Notice) and e.warning]
        try:
            for line in [*said, *summary_lines(gather(session), plain=True)]:
                out.write(for_stream(line, out) + "\n")
            out.flush()
        except (OSError, ValueError):  # the terminal went away (SIGHUP): nothing to tell
            return
