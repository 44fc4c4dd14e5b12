"""Reading the journal back: sessions, adherence, trends and the current suggestions.

The CLI (`breathpace history`), the History screen and the CSV export all read through
here, so they show the same numbers. The computations take `today`/`now` and the local
time zone as arguments, which keeps them testable; "a day" is the person's local day.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from breathpace import fmt
from breathpace.journal.db import Journal, from_db, now_utc
from breathpace.journal.suggest import (
    Context,
    SessionFacts,
    Suggestion,
    dose_of,
    main_exercise,
    suggest,
)

FOLLOWUP_AFTER = timedelta(hours=12)
FOLLOWUP_UNTIL = timedelta(hours=72)
SPARK = "▁▂▃▄▅▆▇█"
PRACTISED_MS = 60_000


@dataclass(frozen=True)
class SessionRow:
    id: int
    routine: str
    source: str
    mode: str
    pace: str
    tempo_scale: float
    planned_ms: int
    played_ms: int
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    effort: int | None
    pain: int | None
    note: str
    followup: str | None
    followup_pain: int | None
    followup_at: datetime | None
    reps_done: int
    reps_planned: int
    title: str = ""
    """The routine's title when it was played ("" in sessions from before version 3)."""
    continues: int | None = None
    """The session this one carries on (`play --resume`), if any."""
    first_item: int | None = None
    """The item a session started part-way (`play --from N`) began at; None: the start."""

    @property
    def outcome_text(self) -> str:
        return self.outcome or "cut short"

    @property
    def practised(self) -> bool:
        """At least one rep, or a minute of play: a session opened and stopped at once
        is neither a day of practice nor something to ask the back about."""
        return self.reps_done > 0 or self.played_ms >= PRACTISED_MS

    @property
    def is_capsule(self) -> bool:
        return self.routine.startswith("capsule-")

    @property
    def end(self) -> datetime:
        return self.ended_at or self.started_at + timedelta(milliseconds=self.played_ms)

    def facts(self) -> SessionFacts:
        return SessionFacts(
            session_id=self.id,
            started_at=self.started_at,
            outcome=self.outcome,
            effort=self.effort,
            pain=self.pain,
            followup=self.followup,
            followup_pain=self.followup_pain,
            followup_at=self.followup_at,
            first_item=self.first_item,
        )


_SELECT = """
SELECT s.*, c.effort, c.pain, COALESCE(c.note, '') AS note,
       f.response AS followup, f.pain AS followup_pain, f.at AS followup_at,
       COALESCE((SELECT SUM(reps_done) FROM progress p WHERE p.session_id = s.id), 0)
           AS reps_done,
       COALESCE((SELECT SUM(sets * reps) FROM progress p WHERE p.session_id = s.id), 0)
           AS reps_planned
FROM session s
LEFT JOIN checkin c ON c.session_id = s.id
LEFT JOIN followup f ON f.session_id = s.id
"""


#: The columns of `session_cells`, as both the history command and screen show them.
SESSION_COLUMNS = ("date", "routine", "played / planned", "outcome", "effort", "pain", "next day")


def session_cells(r: SessionRow) -> tuple[str, ...]:
    """One session as the history table shows it (command and screen alike), in local
    time: date, routine, played / planned, outcome, effort, pain, next day."""
    nextday = r.followup or ("skipped" if r.followup_at else "-")
    if r.followup_pain is not None:
        nextday += f", pain {r.followup_pain}"
    return (
        r.started_at.astimezone().strftime("%a %d %b %H:%M"),
        r.routine,
        f"{fmt.length(r.played_ms)} / {fmt.length(r.planned_ms)}",
        r.outcome_text,
        "-" if r.effort is None else str(r.effort),
        "-" if r.pain is None else str(r.pain),
        nextday,
    )


def _row(r) -> SessionRow:
    return SessionRow(
        id=r["id"],
        routine=r["routine"],
        source=r["source"],
        mode=r["mode"],
        pace=r["pace"],
        tempo_scale=r["tempo_scale"],
        planned_ms=r["planned_ms"],
        played_ms=r["played_ms"],
        started_at=from_db(r["started_at"]),
        ended_at=from_db(r["ended_at"]) if r["ended_at"] else None,
        outcome=r["outcome"],
        effort=r["effort"],
        pain=r["pain"],
        note=r["note"],
        followup=r["followup"],
        followup_pain=r["followup_pain"],
        followup_at=from_db(r["followup_at"]) if r["followup_at"] else None,
        reps_done=r["reps_done"],
        reps_planned=r["reps_planned"],
        title=r["title"],
        continues=r["continues"],
        first_item=r["first_item"],
    )


def sessions(
    journal: Journal, *, routine: str | None = None, limit: int | None = None
) -> list[SessionRow]:
    """Sessions, newest first."""
    sql = _SELECT
    args: list = []
    if routine is not None:
        sql += " WHERE s.routine = ?"
        args.append(routine)
    sql += " ORDER BY s.started_at DESC, s.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_row(r) for r in journal.conn.execute(sql, args)]


def session(journal: Journal, session_id: int) -> SessionRow | None:
    r = journal.conn.execute(_SELECT + " WHERE s.id = ?", (session_id,)).fetchone()
    return _row(r) if r else None


def progress(journal: Journal, session_id: int) -> list[dict]:
    rows = journal.conn.execute(
        "SELECT exercise, name, side, sets, reps, reps_done, sets_done FROM progress "
        "WHERE session_id = ? ORDER BY exercise, side",
        (session_id,),
    )
    return [dict(r) for r in rows]


def pending_followup(journal: Journal, now: datetime | None = None) -> SessionRow | None:
    """The latest session 12–72 hours old with no follow-up answer (or skip) yet."""
    now = now or now_utc()
    earliest = now - FOLLOWUP_UNTIL - timedelta(hours=4)  # started a little before its end
    for row in sessions(journal, limit=50):
        if row.started_at < earliest:
            break
        if row.followup_at is not None or not row.practised:
            continue
        if FOLLOWUP_AFTER <= now - row.end <= FOLLOWUP_UNTIL:
            return row
    return None


# Adherence and trends.


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    return moment.astimezone(tz).date()


@dataclass(frozen=True)
class Adherence:
    days_7: int
    days_30: int
    capsule_streak: int
    """Days in a row, up to today (or yesterday, if today is still open), with a capsule."""


def adherence(rows: Iterable[SessionRow], today: date, tz: tzinfo | None = None) -> Adherence:
    rows = list(rows)
    days = {local_day(r.started_at, tz) for r in rows if r.practised}
    capsule_days = {local_day(r.started_at, tz) for r in rows if r.practised and r.is_capsule}

    def within(n: int) -> int:
        return sum(1 for d in days if today - timedelta(days=n - 1) <= d <= today)

    streak = 0
    cursor = today if today in capsule_days else today - timedelta(days=1)
    while cursor in capsule_days:
        streak += 1
        cursor -= timedelta(days=1)
    return Adherence(days_7=within(7), days_30=within(30), capsule_streak=streak)


@dataclass(frozen=True)
class Trend:
    name: str
    recent: float | None
    """Average over the last 7 days."""
    before: float | None
    """Average over the 7 days before those."""
    daily: tuple[float | None, ...]
    """Daily averages, oldest first, for the last `days` days (None: nothing that day)."""

    @property
    def direction(self) -> str:
        if self.recent is None or self.before is None:
            return ""
        delta = self.recent - self.before
        if abs(delta) < 0.5:
            return "steady"
        return "up" if delta > 0 else "down"


def trend(
    rows: Iterable[SessionRow],
    name: str,
    today: date,
    *,
    days: int = 14,
    tz: tzinfo | None = None,
) -> Trend:
    """`name` is "pain" (check-in pain, or next-day pain when that is all there is) or "effort"."""
    by_day: dict[date, list[int]] = {}
    for r in rows:
        pain = r.pain if r.pain is not None else r.followup_pain
        value = r.effort if name == "effort" else pain
        if value is not None:
            by_day.setdefault(local_day(r.started_at, tz), []).append(value)

    def mean_over(first: int, last: int) -> float | None:
        values = [
            v
            for offset in range(first, last + 1)
            for v in by_day.get(today - timedelta(days=offset), [])
        ]
        return round(statistics.fmean(values), 1) if values else None

    daily = tuple(
        (
            round(statistics.fmean(by_day[d]), 1)
            if (d := today - timedelta(days=offset)) in by_day
            else None
        )
        for offset in range(days - 1, -1, -1)
    )
    return Trend(name, mean_over(0, 6), mean_over(7, 13), daily)


def sparkline(values: Sequence[float | None], top: float = 10) -> str:
    """A one-line chart of 0..top values; a gap (·) where there is no value."""
    out = []
    for v in values:
        if v is None:
            out.append("·")
        else:
            out.append(SPARK[min(len(SPARK) - 1, max(0, round(v / top * (len(SPARK) - 1))))])
    return "".join(out)


# Suggestions (these read the routine files, through the library).


def previous_levels() -> dict[str, str]:
    """routine name -> the routine whose next level it is (the person's own first)."""
    from breathpace.library import builtin_routine_files, load_routine, user_routine_files
    from breathpace.routine.load import RoutineError

    found: dict[str, str] = {}
    for path in user_routine_files() + builtin_routine_files():
        try:
            routine = load_routine(path)
        except RoutineError:
            continue
        if routine.next_level is not None:
            found.setdefault(routine.next_level, path.stem)
    return found


def previous_level(routine_name: str) -> str | None:
    """The routine whose next level `routine_name` is, as `previous_levels()` says it,
    for that one routine: a file is loaded and checked in full only when its
    `next_level` names it. (Loading every routine, with its figures, at the end of each
    session cost it 2 MB of memory for one answer.)"""
    from breathpace.library import builtin_routine_files, load_routine, user_routine_files
    from breathpace.routine.load import RoutineError, read_routine_data

    for path in user_routine_files() + builtin_routine_files():
        try:
            if read_routine_data(path).get("next_level") != routine_name:
                continue  # whether it loads or not, it is not the one
            routine = load_routine(path)
        except RoutineError:
            continue
        if routine.next_level == routine_name:
            return path.stem
    return None


BREATHE_SOURCE = "breathe"
"""The source recorded for a practice built on the Breathe screen or by `breathe PATTERN`."""


def routine_file(journal: Journal, routine_name: str):
    """The routine as its file says now, wherever that file is now:

    1. by name (built-in or the person's own);
    2. the file it was last played from (stored as an absolute path since version 3),
       or, for breathing practice that has no file, the practice rebuilt from its pattern;
    3. one of the person's routines or a built-in with the title it was played under
       (the file was moved or renamed).

    None if none of these loads; `stored_routine` then rebuilds what was played."""
    from breathpace.library import builtin_routine_files, load_routine, resolve, user_routine_files
    from breathpace.routine.load import RoutineError
    from breathpace.routine.practice import PracticeError, build_practice

    try:
        return resolve(routine_name).routine
    except RoutineError:
        pass
    rows = journal.conn.execute(
        "SELECT source, title, pace FROM session WHERE routine = ? "
        "ORDER BY started_at DESC, id DESC",
        (routine_name,),
    ).fetchall()
    if rows and rows[0]["source"] == BREATHE_SOURCE:
        try:
            return build_practice(rows[0]["pace"])
        except PracticeError:
            return None
    for source in dict.fromkeys(row["source"] for row in rows):
        try:
            return load_routine(source)
        except (RoutineError, OSError, ValueError):
            continue
    titles = {row["title"] for row in rows if row["title"]}
    if titles:
        for path in user_routine_files() + builtin_routine_files():
            try:
                routine = load_routine(path)
            except RoutineError:
                continue
            if routine.title in titles:
                return routine
    return stored_routine(journal, routine_name)


def stored_routine(journal: Journal, routine_name: str):
    """The routine as the journal last saw it played, when no file can be found: its
    title and each exercise's name and dose (sets, reps) from the latest session, with
    one breath each way per rep. Enough to suggest one change to the dose (a hold's
    length is not stored, so a suggestion about holds waits for the file)."""
    from pydantic import ValidationError

    from breathpace.routine.model import Routine

    row = journal.conn.execute(
        "SELECT id, title FROM session WHERE routine = ? ORDER BY started_at DESC, id DESC LIMIT 1",
        (routine_name,),
    ).fetchone()
    if row is None:
        return None
    items = journal.conn.execute(
        "SELECT exercise, name, MAX(side) AS side, sets, reps FROM progress "
        "WHERE session_id = ? GROUP BY exercise ORDER BY exercise",
        (row["id"],),
    ).fetchall()
    if not items:
        return None
    exercises: list[dict[str, object]] = []
    for item in items:
        entry: dict[str, object] = {
            "name": item["name"],
            "sets": item["sets"],
            "reps": item["reps"],
            "phases": [
                {"move": "effort", "breath": "exhale", "seconds": 4, "effort": True},
                {"move": "return", "breath": "inhale", "seconds": 4},
            ],
        }
        if item["side"]:
            entry["sides"] = "both"
        # Numbered as the journal numbers them, so a dose change lands on the same item.
        while len(exercises) < item["exercise"] - 1:
            exercises.append({"name": "(not recorded)", "pattern": "4-0-6-0", "cycles": 1})
        exercises.append(entry)
    try:
        return Routine.model_validate(
            {
                "format": 1,
                "title": row["title"] or routine_name,
                "exercise": exercises,
            }
        )
    except ValidationError:
        return None


def suggestion_for(
    journal: Journal,
    routine_name: str,
    *,
    levels: dict[str, str] | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> Suggestion | None:
    """The current suggestion for a routine, or None when its file cannot be loaded.

    `levels` is `previous_levels()`, when the caller asks about several routines (it
    reads every routine file; one routine alone needs only the files that name it);
    `now` and `tz` default to the clock and the local zone."""
    from breathpace.journal.dose import apply_overrides, last_change, overrides
    from breathpace.routine.model import Exercise

    file_routine = routine_file(journal, routine_name)
    if file_routine is None:
        return None
    routine = apply_overrides(file_routine, overrides(journal, routine_name))
    change = last_change(journal, routine_name)
    number = main_exercise(routine)
    dose = dose_of(routine, file_routine, number) if number is not None else None
    next_level = routine.next_level
    if next_level is None and number is not None:
        item = routine.exercise[number - 1]
        next_level = item.next_level if isinstance(item, Exercise) else None
    now = now or now_utc()
    start = None
    if next_level is not None and dose is not None:
        start = _level_start(journal, next_level, dose.length_ms)
    ctx = Context(
        routine=routine_name,
        dose=dose,
        sessions=tuple(r.facts() for r in sessions(journal, routine=routine_name, limit=200)),
        last_change_at=change[0] if change else None,
        last_change_kind=change[1] if change else None,
        next_level=next_level,
        previous_level=(
            levels.get(routine_name) if levels is not None else previous_level(routine_name)
        ),
        now=now,
        tz=tz or now.astimezone().tzinfo,
        level_start=start,
    )
    return suggest(ctx)


def _level_start(journal: Journal, name: str, current_ms: int):
    """Where the next level `name` starts for this person (None: at its own dose)."""
    from breathpace.journal.dose import apply_overrides, overrides
    from breathpace.journal.suggest import level_start
    from breathpace.library import resolve
    from breathpace.routine.load import RoutineError

    try:
        routine = resolve(name).routine
    except RoutineError:
        return None
    return level_start(current_ms, apply_overrides(routine, overrides(journal, name)))


def all_suggestions(
    journal: Journal, *, now: datetime | None = None, tz: tzinfo | None = None
) -> list[tuple[str, Suggestion | None]]:
    """(routine name, its suggestion or None) for every routine in the journal, most
    recently played first."""
    levels = previous_levels()
    return [
        (name, suggestion_for(journal, name, levels=levels, now=now, tz=tz))
        for name in routines_practised(journal)
    ]


def routines_practised(journal: Journal) -> list[str]:
    """Routine names in the journal, most recently played first."""
    rows = journal.conn.execute(
        "SELECT routine, MAX(started_at) AS last FROM session GROUP BY routine ORDER BY last DESC"
    )
    return [r["routine"] for r in rows]
