"""`breathpace history`: sessions, adherence, pain/effort trends and the next small change.

`--accept ROUTINE` takes the current suggestion for a routine (it becomes a personal
dose override in the journal; the routine file is never touched) and `--reset ROUTINE`
goes back to the dose in the file.
"""

from __future__ import annotations

from datetime import datetime

import click

from breathpace import fmt
from breathpace.commands.errors import InputError


def _open():
    from breathpace.journal.db import JournalError, open_journal

    try:
        journal = open_journal()
    except JournalError as exc:
        raise click.ClickException(str(exc)) from None
    if journal.notice:
        click.echo(f"breathpace: {journal.notice}", err=True)
    return journal


def _known_routine(journal, name: str, option: str) -> None:
    """A routine name `breathpace` knows, or one the journal has sessions of."""
    from breathpace.journal.history import routines_practised
    from breathpace.library import routine_names

    if name not in routine_names() and name not in routines_practised(journal):
        raise InputError(f"{option}: no routine named {name!r} (see `breathpace list`)")


@click.command("history")
@click.option("--limit", default=20, show_default=True, help="How many sessions to list.")
@click.option("--accept", "accept_name", metavar="ROUTINE", help="Accept ROUTINE's suggestion.")
@click.option("--reset", "reset_name", metavar="ROUTINE", help="Drop ROUTINE's dose changes.")
def history_cmd(limit: int, accept_name: str | None, reset_name: str | None) -> None:
    """Show your sessions, how regularly you practise, pain and effort trends, and the
    one small change the journal suggests for each routine."""
    if limit < 1:
        raise InputError(f"--limit: must be at least 1 (found {limit})")
    with _open() as journal:
        if accept_name is not None:
            _accept(journal, accept_name)
            return
        if reset_name is not None:
            _reset(journal, reset_name)
            return
        _print(journal, limit)


def _accept(journal, name: str) -> None:
    from breathpace.journal.dose import accept
    from breathpace.journal.history import suggestion_for
    from breathpace.journal.suggest import Kind

    _known_routine(journal, name, "--accept")
    suggestion = suggestion_for(journal, name)
    if suggestion is None:
        raise InputError(f"--accept: routine {name!r} cannot be loaded (try `breathpace check`)")
    if suggestion.kind is Kind.HOLD:
        click.echo(f"{name}: nothing to change. {suggestion.summary}")
        click.echo(f"  Why: {suggestion.why}")
        return
    accept(journal, suggestion)
    click.echo(f"Accepted for {name}: {suggestion.summary}")
    if suggestion.routine_to:
        click.echo(f"  Next time: breathpace play {suggestion.routine_to}")
    else:
        click.echo(f"  `breathpace preview {name}` shows the new dose; `play` uses it.")
    click.echo("  Watch how the back responds over the next day or two.")


def _reset(journal, name: str) -> None:
    from breathpace.journal.dose import reset

    _known_routine(journal, name, "--reset")
    n = reset(journal, name)
    what = f"{n} dose change{'' if n == 1 else 's'}" if n else "no dose changes"
    click.echo(f"{name}: dropped {what}; back to the dose in the routine file.")


def _print(journal, limit: int) -> None:
    from breathpace.journal import history as h
    from breathpace.journal.dose import overrides

    rows = h.sessions(journal)
    if not rows:
        click.echo("No sessions yet. Play a routine with `breathpace play NAME`.")
        return
    today = datetime.now().astimezone().date()

    click.echo(f"Sessions (newest first, {min(limit, len(rows))} of {len(rows)})")
    table = [("date", "routine", "played / planned", "outcome", "effort", "pain", "next day")]
    for r in rows[:limit]:
        local = r.started_at.astimezone()
        nextday = r.followup or ("skipped" if r.followup_at else "-")
        if r.followup_pain is not None:
            nextday += f", pain {r.followup_pain}"
        table.append(
            (
                local.strftime("%a %d %b %H:%M"),
                r.routine,
                f"{fmt.length(r.played_ms)} / {fmt.length(r.planned_ms)}",
                r.outcome_text,
                "-" if r.effort is None else str(r.effort),
                "-" if r.pain is None else str(r.pain),
                nextday,
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())

    adh = h.adherence(rows, today)
    click.echo()
    click.echo(
        f"Practised on {adh.days_7} of the last 7 days and {adh.days_30} of the last 30; "
        f"capsule streak: {adh.capsule_streak} day{'' if adh.capsule_streak == 1 else 's'}."
    )

    click.echo()
    click.echo("Trends (average of the last 7 days, and of the 7 before; 14 days charted)")
    for name in ("pain", "effort"):
        t = h.trend(rows, name, today)
        recent = "-" if t.recent is None else f"{t.recent:g}"
        before = "-" if t.before is None else f"{t.before:g}"
        direction = f", {t.direction}" if t.direction else ""
        click.echo(f"  {name:<6} {recent:>4} (before {before}{direction})  {h.sparkline(t.daily)}")

    click.echo()
    click.echo("Suggestions (one change at a time)")
    for name, s in h.all_suggestions(journal):
        if s is None:
            click.echo(f"  {name}: the routine file cannot be found or loaded.")
            continue
        click.echo(f"  {name}: {s.summary}")
        click.echo(f"    Why: {s.why}")
        for o in overrides(journal, name).values():
            parts = [
                f"{label} {value:g}"
                for label, value in (("reps", o.reps), ("sets", o.sets), ("hold", o.hold_breaths))
                if value is not None
            ]
            click.echo(f"    Your dose of {o.name}: {', '.join(parts)} (--reset {name} to undo)")
        if s.kind != "hold steady":
            click.echo(f"    Accept with: breathpace history --accept {name}")
