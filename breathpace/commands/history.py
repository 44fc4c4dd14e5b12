"""`breathpace history`: sessions, adherence, pain/effort trends and the next small change.

`--accept ROUTINE` takes the current suggestion for a routine (it becomes a personal
dose override in the journal; the routine file is never touched) and `--reset ROUTINE`
goes back to the dose in the file. `--effort/--pain/--note` and `--next-day` record the
check-in and the next-day answer without the full-screen interface (after `play
--plain`, for screen readers and scripts).
"""

from __future__ import annotations

import contextlib
from datetime import datetime

import click

from breathpace import fmt
from breathpace.commands.errors import InputError
from breathpace.journal import db, pace_log
from breathpace.journal import dose as journal_dose
from breathpace.journal import history as h
from breathpace.journal.suggest import Kind
from breathpace.library import routine_names
from breathpace.safe_text import printable


def _echo(text: str = "", err: bool = False) -> None:
    # Routine names, exercise names and notes come from the journal, which may hold
    # rows written before routine text was checked: every line is shown printable.
    click.echo(printable(text), err=err)


class JournalUnavailable(InputError):
    """The journal cannot be opened (locked, unreadable folder): one line, exit 1."""

    exit_code = 1


def _open(reading: bool = False):
    try:
        # Only reading: a full disk still shows the journal as last saved.
        journal = db.open_journal_for_reading() if reading else db.open_journal()
    except db.JournalError as exc:
        raise JournalUnavailable(str(exc)) from None
    for line in journal.notices:
        _echo(f"breathpace: {line}", err=True)
    return journal


@contextlib.contextmanager
def journal_errors(journal):
    """A journal that fails after it opened (locked by another writer, a full disk, a
    damaged page) is one line naming the file, exit 1; never a traceback."""

    try:
        yield
    except db.JournalError as exc:
        raise JournalUnavailable(f"{journal.path}: {exc}") from None


def _known_routine(journal, name: str, option: str) -> None:
    """A routine name `breathpace` knows, or one the journal has sessions of."""

    if name not in routine_names() and name not in h.routines_practised(journal):
        raise InputError(f"{option}: no routine named {name!r} (see `breathpace list`)")


def _whole(low: int, high: int | None):
    """A click callback for a whole-number option: one-line error, exit 2."""

    def parse(ctx, param, value: str | None) -> int | None:
        if value is None:
            return None
        name = param.opts[0]
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            limits = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise InputError(f"{name}: a whole number {limits} (found {value!r})")
        return number

    return parse


NEXT_DAY = {"calmer": "calmer", "same": "same", "more-sensitive": "more sensitive"}


def _next_day_choice(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    key = value.strip().lower().replace(" ", "-")
    if key not in NEXT_DAY:
        raise InputError(f"--next-day: calmer, same or more-sensitive (found {value!r})")
    return NEXT_DAY[key]


@click.command("history")
@click.option(
    "--limit",
    default="20",
    callback=_whole(1, None),
    metavar="N",
    help="How many sessions to list (20).",
)
@click.option("--accept", "accept_name", metavar="ROUTINE", help="Accept ROUTINE's suggestion.")
@click.option("--reset", "reset_name", metavar="ROUTINE", help="Drop ROUTINE's dose changes.")
@click.option(
    "--delete",
    "delete_id",
    callback=_whole(1, None),
    metavar="N",
    help="Delete session N (# in the list) with its check-in and next-day answer; asks first.",
)
@click.option("--yes", is_flag=True, help="With --delete: do not ask (for scripts).")
@click.option(
    "--effort", callback=_whole(0, 10), metavar="0-10", help="Check in: effort of the session."
)
@click.option(
    "--pain",
    callback=_whole(0, 10),
    metavar="0-10",
    help="Check in: pain now (with --next-day: pain the day after).",
)
@click.option("--note", help="Check in: a note on the session.")
@click.option(
    "--next-day",
    callback=_next_day_choice,
    metavar="calmer|same|more-sensitive",
    help="The next-day answer for the session 12-72 hours ago: how the back responded.",
)
@click.option(
    "--session",
    "session_id",
    callback=_whole(1, None),
    metavar="N",
    help="Show one session (# in the list) in detail; with --effort/--pain/--note or "
    "--next-day, the session to check in or answer for instead of the latest.",
)
def history_cmd(
    limit: int,
    accept_name: str | None,
    reset_name: str | None,
    delete_id: int | None,
    yes: bool,
    effort: int | None,
    pain: int | None,
    note: str | None,
    next_day: str | None,
    session_id: int | None,
) -> None:
    """Show your sessions, how regularly you practise, pain and effort trends, and the
    one small change the journal suggests for each routine.

    Without the full-screen interface (e.g. after `play --plain`), check in with
    `--effort 3 --pain 2 --note "..."` and answer the next day with
    `--next-day calmer|same|more-sensitive --pain 1`.
    """
    writes = (accept_name, reset_name, delete_id, next_day, effort, pain, note)
    reading = all(option is None for option in writes)
    with _open(reading) as journal, journal_errors(journal):
        if accept_name is not None:
            _accept(journal, accept_name)
        elif reset_name is not None:
            _reset(journal, reset_name)
        elif delete_id is not None:
            _delete(journal, delete_id, yes)
        elif next_day is not None:
            if effort is not None or note is not None:
                raise InputError("--next-day: give it with --pain only (check in separately)")
            _next_day(journal, next_day, pain, session_id)
        elif effort is not None or pain is not None or note is not None:
            _check_in(journal, effort, pain, note or "", session_id)
        elif session_id is not None:
            _print_session(journal, session_id)
        else:
            _print(journal, limit)


def _target(journal, session_id: int | None, option: str):

    if session_id is not None:
        row = h.session(journal, session_id)
        if row is None:
            raise InputError(f"--session: no session #{session_id} (see `breathpace history`)")
        return row
    rows = h.sessions(journal, limit=1)
    if not rows:
        raise InputError(f"{option}: there are no sessions yet")
    return rows[0]


def _describe(row) -> str:
    when = row.started_at.astimezone().strftime("%a %d %b %H:%M")
    return f"#{row.id} {printable(row.routine)}, {when}"


def _check_in(journal, effort, pain, note: str, session_id: int | None) -> None:

    row = _target(journal, session_id, "--effort/--pain/--note")
    db.save_checkin(journal, row.id, effort=effort, pain=pain, note=note)
    _echo(f"Check-in saved for session {_describe(row)}.")


def _next_day(journal, response: str, pain, session_id: int | None) -> None:

    if session_id is not None:
        row = _target(journal, session_id, "--next-day")
    else:
        row = h.pending_followup(journal)
        if row is None:
            raise InputError(
                "--next-day: no session 12-72 hours ago is waiting for an answer "
                "(name one with --session N)"
            )
    db.save_followup(journal, row.id, response=response, pain=pain)
    _echo(f"Next-day answer saved for session {_describe(row)}: {response}.")


def _accept(journal, name: str) -> None:

    _known_routine(journal, name, "--accept")
    suggestion = h.suggestion_for(journal, name)
    if suggestion is None:
        raise InputError(f"--accept: routine {name!r} cannot be loaded (try `breathpace check`)")
    if suggestion.kind is Kind.HOLD:
        _echo(f"{name}: nothing to change. {suggestion.summary}")
        _echo(f"  Why: {suggestion.why}")
        return
    journal_dose.accept(journal, suggestion)
    _echo(f"Accepted for {name}: {suggestion.summary}")
    if suggestion.level_start is not None and suggestion.routine_to:
        start = suggestion.level_start
        _echo(
            f"  {suggestion.routine_to} starts at {start.reps} reps a set of {start.name} "
            "(your dose of it; --reset to go back to its own)."
        )
    if suggestion.routine_to:
        _echo(f"  Next time: breathpace play {suggestion.routine_to}")
    else:
        _echo(f"  `breathpace preview {name}` shows the new dose; `play` uses it.")
    _echo("  Watch how the back responds over the next day or two.")
    if suggestion.advice:
        _echo(f"  {suggestion.advice}")


def _delete(journal, session_id: int, yes: bool) -> None:

    row = h.session(journal, session_id)
    if row is None:
        raise InputError(f"--delete: no session #{session_id} (see `breathpace history`)")
    played = f"played {fmt.length(row.played_ms)}, {row.outcome_text}"
    if not yes:
        click.confirm(
            f"Delete session {_describe(row)} ({played}) with its check-in and next-day answer?",
            default=False,
            abort=True,
            err=True,
        )
    db.delete_session(journal, row.id)
    click.echo(f"Deleted session {_describe(row)}.")


def _reset(journal, name: str) -> None:

    _known_routine(journal, name, "--reset")
    n = journal_dose.reset(journal, name)
    what = f"{n} dose change{'' if n == 1 else 's'}" if n else "no dose changes"
    _echo(f"{name}: dropped {what}; back to the dose in the routine file.")


def _print_session(journal, session_id: int) -> None:
    row = _target(journal, session_id, "--session")
    _echo(f"Session {_describe(row)}")
    ended = f", ended {row.ended_at.astimezone():%H:%M}" if row.ended_at else ""
    _echo(
        f"  {row.outcome_text}{ended}; played {fmt.length(row.played_ms)} of "
        f"{fmt.length(row.planned_ms)}; pace {row.pace}, tempo x{row.tempo_scale:g}; {row.mode}"
    )
    _echo(f"  from {row.source}")
    if row.continues is not None:
        _echo(f"  continues session #{row.continues} (play --resume)")
    if row.first_item:
        _echo(f"  began part-way, at item {row.first_item} (play --from): not a whole session")
    rows = h.progress(journal, row.id)
    names = {p["exercise"]: p["name"] for p in rows}
    for change in pace_log.pace_changes(journal, row.id):
        _echo(f"  pace changed: {pace_log.describe(change, names)}")
    for p in rows:
        side = f" ({p['side']})" if p["side"] else ""
        planned = p["sets"] * p["reps"]
        _echo(
            f"  {p['exercise']:>2}. {p['name']}{side}: {p['reps_done']} of {planned} reps, "
            f"{p['sets_done']} of {p['sets']} sets"
        )
    checkin = "-"
    if row.effort is not None or row.pain is not None or row.note:
        bits = [
            f"effort {row.effort}" if row.effort is not None else "",
            f"pain {row.pain}" if row.pain is not None else "",
            f'"{row.note}"' if row.note else "",
        ]
        checkin = ", ".join(b for b in bits if b)
    _echo(f"  check-in: {checkin}")
    nextday = row.followup or ("skipped" if row.followup_at else "-")
    if row.followup_pain is not None:
        nextday += f", pain {row.followup_pain}"
    _echo(f"  next day: {nextday}")


def _slots(rows) -> str:
    """Per slot of the day plan: on how many of the last 14 days it was done."""
    from breathpace.day import glance
    from breathpace.settings import SettingsError, load_settings

    try:
        plan = load_settings().day
    except SettingsError:
        plan = None  # the defaults; `breathpace day` names what is wrong with the file
    return glance.two_weeks(plan, rows, glance.wall_now())


def _print(journal, limit: int) -> None:
    rows = h.sessions(journal)
    if not rows:
        _echo("No sessions yet. Play a routine with `breathpace play NAME`.")
        return
    today = datetime.now().astimezone().date()

    _echo(f"Sessions (newest first, {min(limit, len(rows))} of {len(rows)})")
    table: list[tuple[str, ...]] = [("#", *h.SESSION_COLUMNS)]
    table += [(str(r.id), *h.session_cells(r)) for r in rows[:limit]]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        _echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())

    adh = h.adherence(rows, today)
    _echo()
    _echo(
        f"Practised on {adh.days_7} of the last 7 days and {adh.days_30} of the last 30; "
        f"capsule streak: {adh.capsule_streak} day{'' if adh.capsule_streak == 1 else 's'}."
    )
    _echo(f"Capsules over two weeks: {_slots(rows)}.")

    _echo()
    _echo("Trends (average of the last 7 days, and of the 7 before; 14 days charted)")
    for name in ("pain", "effort"):
        t = h.trend(rows, name, today)
        recent = "-" if t.recent is None else f"{t.recent:g}"
        before = "-" if t.before is None else f"{t.before:g}"
        direction = f", {t.direction}" if t.direction else ""
        _echo(f"  {name:<6} {recent:>4} (before {before}{direction})  {h.sparkline(t.daily)}")

    _echo()
    _echo("Suggestions (one change at a time; the rule that decided and the facts it read)")
    advice: list[str] = []
    for name, s in h.all_suggestions(journal):
        if s is None:
            # Say what the person can do, not what failed inside.
            _echo(
                f"  {name}: no suggestion: its routine is not among your routines or the"
                " built-ins any more; play it again (by name or file) to get one."
            )
            continue
        _echo(f"  {name}: {s.summary}")
        _echo(f"    Why: {s.why}")
        if s.rule_text:
            _echo(f"    Rule ({s.rule}): {s.rule_text}")
        for i, fact in enumerate(s.facts):
            _echo(f"    {'Read:' if i == 0 else '     '} {fact}")
        if s.advice and s.advice not in advice:
            advice.append(s.advice)
        for o in journal_dose.overrides(journal, name).values():
            parts = [
                f"{label} {value:g}"
                for label, value in (("reps", o.reps), ("sets", o.sets), ("hold", o.hold_breaths))
                if value is not None
            ]
            _echo(f"    Your dose of {o.name}: {', '.join(parts)} (--reset {name} to undo)")
        if s.kind != "hold steady":
            _echo(f"    Accept with: breathpace history --accept {name}")
    for text in advice:
        # Said once, however many routines it concerns.
        _echo()
        _echo(f"About pain: {text}")
