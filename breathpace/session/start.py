"""Where a session begins: at item N (`play --from N`) or where the last one stopped
(`play --resume`).

Both are a place in the timeline compiled at today's dose, found here before a device
opens, so a name that matches nothing or a routine with nothing to resume is one line
(`SessionError`). The session then plays the whole timeline from that place: the
progress bar, the time left and "previous" work as they always do, and the journal's
item numbers stay those of the routine, so a continuation's reps add up with the
session it continues.

`--resume` reads the journal: the latest session of the routine, if it was not
completed, carries on after its last finished rep (a `breathpace.journal.resume.RepKey`),
at the end of that rep: a rest, a side switch, the next item's get-ready or the next
rep, whichever follows it. When that is a rep, the session holds at its start, with the
item's position shown, until the person is ready (Enter; plain mode reading no
terminal goes on at once): it never begins inside a movement.
"""

from __future__ import annotations

from dataclasses import dataclass

from breathpace.journal.db import JournalError
from breathpace.journal.resume import RepKey, last_unfinished
from breathpace.routine.model import Routine
from breathpace.session.errors import SessionError
from breathpace.timeline import Kind, Timeline


@dataclass(frozen=True)
class StartAt:
    """Where a session begins and, for a continuation, what it continues."""

    ms: int = 0
    """Milliseconds into the timeline."""
    note: str | None = None
    """One line for the person: where it begins and why."""
    continues: int | None = None
    """The journal id of the session this one continues (`--resume`)."""
    last_rep: str | None = None
    """Where the continued session stopped ("item|side|set|rep"), carried over."""
    first_item: int | None = None
    """The item a session started part-way (`--from N`) begins at: it covers that item
    and the ones after, and is never a whole session of the routine."""
    wait: bool = False
    """Hold at the start until the person is ready: it begins with a moving rep, so
    they first get into the position shown (as a `wait_for_ready` item does)."""


def item_list(routine: Routine) -> str:
    return ", ".join(f"{n} {item.name}" for n, item in enumerate(routine.exercise, 1))


def find_item(routine: Routine, spec: str) -> int:
    """The 1-based item `spec` names: its number, or its name (exact, case and spacing
    aside; else the one item whose name starts with it). SessionError lists the items."""
    items = routine.exercise
    text = " ".join(spec.split())
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(items):
            return number
    else:
        wanted = text.casefold()
        names = [" ".join(item.name.split()).casefold() for item in items]
        if wanted in names:
            return names.index(wanted) + 1
        starting = [n for n, name in enumerate(names, 1) if wanted and name.startswith(wanted)]
        if len(starting) == 1:
            return starting[0]
    raise SessionError(f"--from: no item {spec!r} in this routine (items: {item_list(routine)})")


def item_start_ms(timeline: Timeline, number: int) -> int:
    """Where item `number` begins: its get-ready (transition or wait) when it has one.
    Item 1 begins at 0, with the session's own lead-in."""
    if number <= 1:
        return 0
    return timeline.item_span(number)[0]


def start_from(routine: Routine, timeline: Timeline, spec: str) -> StartAt:
    number = find_item(routine, spec)
    return StartAt(
        ms=item_start_ms(timeline, number),
        note=f"Starting at item {number}: {routine.exercise[number - 1].name}",
        first_item=number if number > 1 else None,
    )


def after_rep_ms(timeline: Timeline, last_rep: str | None) -> int | None:
    """Where play carries on after `last_rep`: the end of the segment that finishes it.
    0 when nothing was finished; None when what follows is the end of the session.
    A rep today's dose no longer has (fewer reps or sets) carries on at the start of
    the next item."""
    if not last_rep:
        return 0
    key = RepKey.parse(last_rep)
    if key is None:
        return 0
    item, side, set_, rep = key.item, key.side, key.set, key.rep
    segments = timeline.segments
    found = None
    for index in range(len(segments)):
        seg = segments[index]
        if (seg.exercise, seg.side, seg.set, seg.rep) == (item, side, set_, rep) and seg.is_rep:
            found = seg  # the last segment of the rep (it carries the rep's end)
        elif found is not None:
            break
    if found is not None:
        at = found.end_ms
    elif item < len(timeline.items):
        at = item_start_ms(timeline, item + 1)
    else:
        return None
    if at >= timeline.duration_ms or timeline.at(at).kind is Kind.END:
        return None
    return at


def resume(routine_name: str, routine: Routine, timeline: Timeline) -> StartAt:
    """Where `play NAME --resume` begins; SessionError (one line) if nothing to resume."""
    try:
        found = last_unfinished(routine_name)
    except JournalError as exc:
        raise SessionError(f"--resume: {exc}") from None
    if found is None:
        raise SessionError(
            f"--resume: nothing to resume for {routine_name!r}: "
            "its last session was completed, or there is none"
        )
    at = after_rep_ms(timeline, found.last_rep)
    if at is None:
        raise SessionError(
            f"--resume: nothing left to resume for {routine_name!r}: "
            "every rep of its last session was done"
        )
    seg = timeline.at(at)
    if at == 0:
        where = "from the start (no rep was finished)"
    elif seg.kind is Kind.PHASE and seg.rep:
        side = f" {seg.side}" if seg.side else ""
        where = f"at {seg.exercise_name}{side}, set {seg.set}, rep {seg.rep}"
    else:
        where = f"after the last finished rep, before {seg.exercise_name}"
    return StartAt(
        ms=at,
        note=f"Continuing session #{found.session_id} {where}",
        continues=found.session_id,
        last_rep=found.last_rep,
        wait=seg.kind is Kind.PHASE,
    )
