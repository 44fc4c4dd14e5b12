"""`breathpace day`: show and set the day plan, export it to a calendar, remind.

Without options it shows the plan and today's capsules (done, next and when); options
set the plan (written to the `[day]` table of the settings file); `--ics FILE` exports
the coming days with an alarm per capsule; `--remind` stays in the foreground and
sends a desktop notification at each of today's capsules; `--start` plays the next.
On first use it asks a couple of questions (or, without a terminal, takes the
defaults and says so).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date, datetime, timedelta, tzinfo

import click

from breathpace import paths
from breathpace.commands.errors import InputError
from breathpace.safe_text import printable

#: The option that sets each key of the plan, to name it in an error.
OPTIONS = {
    "wake": "--wake",
    "bedtime": "--bedtime",
    "sitting_from": "--sitting",
    "sitting_until": "--sitting",
    "sitting_days": "--sitting-days",
    "main_session": "--main",
    "main_routine": "--main-routine",
    "calendar": "--calendar",
    "waking_capsules": "--waking-capsules",
    "sitting_capsules": "--sitting-capsules",
    "bedtime_capsules": "--bedtime-capsules",
    "feed": "--feed",
}

#: How many days `--ics` exports when --days is not given: two weeks of reminders.
EXPORT_DAYS = 14


def wall_clock(tz: tzinfo):
    """The clock reminders wait on and "now" is read from (a test moves it)."""
    from breathpace.day.remind import SystemClock

    return SystemClock(tz)


def _echo(text: str = "", err: bool = False) -> None:
    click.echo(printable(text), err=err)


def _hours(ctx, param, value: str | None):
    if value is None:
        return None
    parts = value.split("-")
    if len(parts) != 2:
        raise InputError(f"--sitting: two times as HH:MM-HH:MM, like 09:00-17:00 (found {value!r})")
    return parts[0].strip(), parts[1].strip()


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _days(value: str | None) -> list[str] | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("none", ""):
        return []
    if text in ("weekdays", "mon-fri"):
        return ["mon", "tue", "wed", "thu", "fri"]
    if text in ("every day", "all", "daily", "mon-sun"):
        return ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return [d[:3] if d in full else d for d in _names(text) or []]


@click.command("day")
@click.option("--wake", metavar="HH:MM", help="Set when you usually get up.")
@click.option("--bedtime", metavar="HH:MM", help="Set when you usually go to bed.")
@click.option(
    "--sitting", callback=_hours, metavar="HH:MM-HH:MM", help="Set your usual sitting hours."
)
@click.option(
    "--sitting-days",
    metavar="DAYS",
    help="Days with sitting hours: mon,tue,... or weekdays or none.",
)
@click.option(
    "--main",
    "main_session",
    type=click.Choice(["morning", "midday", "evening", "none"]),
    help="Set when the main (longer) session goes.",
)
@click.option("--main-routine", metavar="ROUTINE", help="Set the main session's routine.")
@click.option(
    "--calendar", metavar="FILE", help="Your calendar file (.ics); `none` to stop using one."
)
@click.option("--waking-capsules", metavar="A,B,C", help="Waking capsules that take turns.")
@click.option(
    "--sitting-capsules", metavar="A,B,C", help="Before-sitting capsules that take turns."
)
@click.option("--bedtime-capsules", metavar="A,B,C", help="Bedtime capsules that take turns.")
@click.option("--feed", metavar="DIR", help="The folder `breathpace feed` writes; `none` to unset.")
@click.option("--feed-url", hidden=True, help="No longer used: see `breathpace feed --base-url`.")
@click.option(
    "--ics", "ics_path", metavar="FILE", help="Export the coming days as iCalendar with alarms."
)
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=EXPORT_DAYS,
    show_default=True,
    help="With --ics: how many days.",
)
@click.option(
    "--remind",
    is_flag=True,
    help="Stay open and send a desktop notification at each capsule today.",
)
@click.option("--start", is_flag=True, help="Play the next capsule now.")
@click.option("--date", "on_date", metavar="YYYY-MM-DD", help="Show (or export from) another day.")
def day_cmd(
    wake: str | None,
    bedtime: str | None,
    sitting: tuple[str, str] | None,
    sitting_days: str | None,
    main_session: str | None,
    main_routine: str | None,
    calendar: str | None,
    waking_capsules: str | None,
    sitting_capsules: str | None,
    bedtime_capsules: str | None,
    feed: str | None,
    feed_url: str | None,
    ics_path: str | None,
    days: int,
    remind: bool,
    start: bool,
    on_date: str | None,
) -> None:
    """Show and set your day plan: a capsule on waking, before long sitting (from your
    calendar file too) and before bed, and when the main session goes.

    Examples: `breathpace day --wake 06:30 --sitting 08:30-16:30 --calendar ~/work.ics`;
    `breathpace day --ics ~/breathpace.ics` (import it into your calendar app);
    `breathpace day --remind` (desktop notifications while it runs).
    """
    from breathpace.dayplan import DayPlan
    from breathpace.settings import (
        Settings,
        load_settings,
        retired_lines,
        save_settings,
        settings_problems,
    )

    if feed_url is not None:
        raise InputError(
            "--feed-url: no longer used: the track links use the address the feed is "
            "served at; give it once with `breathpace feed DIR --base-url URL`"
        )
    problems = settings_problems()
    if problems:
        for line in problems:
            _echo(f"breathpace: {line}", err=True)
        sys.exit(2)
    settings = load_settings()
    retired = retired_lines()
    if retired:
        # Said once: saving the plan again leaves the retired keys out of the file.
        save_settings(settings)
        for line in retired:
            _echo(f"breathpace: {line}; removed it from the file.", err=True)

    changes: dict[str, object] = {}
    for key, value in (
        ("wake", wake),
        ("bedtime", bedtime),
        ("main_session", main_session),
        ("main_routine", main_routine),
        ("waking_capsules", _names(waking_capsules)),
        ("sitting_capsules", _names(sitting_capsules)),
        ("bedtime_capsules", _names(bedtime_capsules)),
        ("sitting_days", _days(sitting_days)),
    ):
        if value is not None:
            changes[key] = value
    if sitting is not None:
        changes["sitting_from"], changes["sitting_until"] = sitting
    for key, value in (("calendar", calendar), ("feed", feed)):
        if value is not None:
            none = value.strip().lower() in ("", "none")
            if not none:
                value = str(_absolute(value))
            changes[key] = None if none else value

    plan = settings.day
    if plan is None and not changes:
        plan = _first_use()
    base = (plan or DayPlan()).model_dump()
    if changes or settings.day is None:
        from pydantic import ValidationError

        from breathpace.settings import describe_all

        try:
            plan = DayPlan.model_validate({**base, **changes})
        except ValidationError as exc:
            for line in describe_all(exc):
                key = line.split(":")[0]
                # Blame the option that was typed, else the file's key (as `play` does).
                field = key.split(".")[0]
                where = OPTIONS.get(field) if field in changes else None
                if key == "settings" and changes:
                    where = "day"  # the options together make a day that does not fit
                if where is None:
                    whole = "day" if key == "settings" else f"day.{key}"  # the plan as a whole
                    where = f"{printable(str(paths.settings_file()))}: {whole}"
                _echo(f"breathpace: {where}{line[len(key) :]}", err=True)
            sys.exit(2)
        _check_routines(plan)
        save_settings(Settings.model_validate({**settings.model_dump(), "day": plan.model_dump()}))
        if changes:
            _echo("Day plan saved.", err=True)
    assert plan is not None

    from breathpace.day.context import local_zone

    tz = local_zone()
    clock = wall_clock(tz)
    now = clock.now()
    day = _parse_date(on_date) if on_date else now.date()

    if ics_path is not None:
        _export(plan, tz, day, days, ics_path, now)
        return
    if remind:
        sys.exit(_remind(plan, tz, clock, day))
    _show(plan, tz, day, now, start)


def _absolute(value: str):
    from pathlib import Path

    return Path(value).expanduser().absolute()


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date: a date as YYYY-MM-DD (found {value!r})") from None


def _first_use():
    """A couple of questions on a terminal; the defaults, said aloud, without one."""
    from pydantic import ValidationError

    from breathpace.dayplan import DayPlan

    plan = DayPlan()
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _echo(
            "breathpace: no day plan yet, and no terminal to ask in: using the defaults "
            f"(up at {plan.wake}, bed at {plan.bedtime}, sitting {plan.sitting_from}-"
            f"{plan.sitting_until} on weekdays, main session in the evening); change them "
            "with `breathpace day --wake HH:MM ...` or in the settings file's [day] table.",
            err=True,
        )
        return plan
    _echo("No day plan yet: a couple of questions (Enter keeps the suggestion).")
    while True:
        answers: dict[str, object] = {
            "wake": click.prompt(
                "When do you usually get up?", default=plan.wake, value_proc=_time
            ),
            "bedtime": click.prompt("And go to bed?", default=plan.bedtime, value_proc=_time),
        }
        hours = click.prompt(
            "Your usual sitting hours on weekdays (desk, study, driving), or none",
            default=f"{plan.sitting_from}-{plan.sitting_until}",
            value_proc=_sitting_answer,
        )
        if hours is None:
            answers["sitting_days"] = []
        else:
            answers["sitting_from"], answers["sitting_until"] = hours
        cal = click.prompt(
            "Your calendar file (.ics), if you have one",
            default="",
            show_default=False,
            value_proc=_calendar_answer,
        )
        if cal:
            answers["calendar"] = cal
        try:
            return DayPlan.model_validate({**plan.model_dump(), **answers})
        except ValidationError as exc:
            from breathpace.settings import describe_all

            for line in describe_all(exc):
                _echo(f"  {line.removeprefix('settings: ')}; once more, please.")


def _time(value: str) -> str:
    from breathpace.dayplan import parse_hhmm

    value = value.strip()
    try:
        parse_hhmm(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (found {value!r})") from None
    return value


def _sitting_answer(value: str) -> tuple[str, str] | None:
    if value.strip().lower() in ("none", "no", "-"):
        return None
    parts = value.split("-")
    if len(parts) != 2:
        raise click.BadParameter(f"two times as HH:MM-HH:MM, or none (found {value!r})")
    return _time(parts[0]), _time(parts[1])


def _calendar_answer(value: str) -> str:
    from breathpace.day.calendar import CalendarError, read_busy
    from breathpace.day.context import local_zone

    if not value.strip():
        return ""
    path = _absolute(value.strip())
    today = date.today()
    try:
        read_busy(path, today, today, local_zone())
    except CalendarError as exc:
        raise click.BadParameter(f"{exc} (Enter for none)") from None
    return str(path)


def _check_routines(plan) -> None:
    from breathpace.library import routine_names

    known = routine_names()
    for key in ("waking_capsules", "sitting_capsules", "bedtime_capsules"):
        for name in getattr(plan, key):
            if name not in known:
                raise InputError(f"day.{key}: no routine named {name!r} (see `breathpace list`)")
    if plan.main_routine not in known:
        raise InputError(f"day.main_routine: no routine named {plan.main_routine!r}")


def _context(plan, tz, first: date, last: date, journal: bool):
    from breathpace.day.context import load_context, since_for
    from breathpace.day.today import ADHERENCE_DAYS

    since = since_for(first, ADHERENCE_DAYS, tz) if journal else None
    context = load_context(plan, first, last, tz=tz, journal_since=since)
    for notice in context.notices:
        _echo(f"breathpace: {notice}", err=True)
    return context


def _show(plan, tz, day: date, now: datetime, start: bool) -> None:
    from breathpace.day import view
    from breathpace.day.today import today as today_of

    context = _context(plan, tz, day, day, journal=True)
    items = context.plan_for(day)
    state = today_of(plan, day, items, context.rows, now, tz)
    titles = view.titles_of({i.routine for i in items})
    days = ", ".join(plan.sitting_days) if plan.sitting_days else "no days"
    _echo("Day plan (settings file, [day]; change with `breathpace day --wake HH:MM` ...)")
    _echo(
        f"  up {plan.wake} · bed {plan.bedtime} · sitting {plan.sitting_from}-"
        f"{plan.sitting_until} on {days} · main session: {plan.main_session}"
        + (f" ({plan.main_routine})" if plan.main_session != "none" else "")
    )
    cal = plan.calendar or "none (--calendar FILE places capsules before long meetings)"
    _echo(f"  calendar: {cal}")
    _echo(f"  waking: {', '.join(plan.waking_capsules)}")
    _echo(f"  before sitting: {', '.join(plan.sitting_capsules)}")
    _echo(f"  bedtime: {', '.join(plan.bedtime_capsules)}")
    _echo()
    _echo(view.heading(state) if day == now.date() else f"{day:%a %d %b}")
    for line in view.lines(state, titles):
        _echo("  " + line.text())
    if day != now.date():
        return
    _echo(view.next_line(state, titles, now))
    if state.next is None:
        return
    if start:
        _play(state.next.routine)
    if sys.stdin.isatty() and sys.stdout.isatty():
        _echo("Press s to start it now, any other key to leave.")
        if click.getchar().lower() == "s":
            _play(state.next.routine)
    else:
        _echo(f"Start it with: breathpace day --start (or breathpace play {state.next.routine})")


def _play(name: str) -> None:
    # Played exactly as `breathpace capsule` and `play NAME` play it.
    from breathpace.commands.options import input_errors, resolve_or_exit
    from breathpace.commands.play import play_prepared
    from breathpace.session.options import Overrides, session_options
    from breathpace.session.prepare import prepare

    resolved = resolve_or_exit(name)
    with input_errors():
        prepared = prepare(resolved, session_options(Overrides()))
    try:
        code = play_prepared(prepared, plain=False)
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


def _export(plan, tz, first: date, days: int, path_text: str, now: datetime) -> None:
    from pathlib import Path

    from breathpace.day import ics
    from breathpace.day.tracks import track_links

    last = first + timedelta(days=days - 1)
    context = _context(plan, tz, first, last, journal=False)
    items = [i for n in range(days) for i in context.plan_for(first + timedelta(days=n))]
    names = {i.routine for i in items}
    from breathpace.day.view import titles_of

    titles = titles_of(names)
    summaries = _summaries(names)
    tracks = track_links(plan, names)
    if tracks.notice:
        _echo(f"breathpace: {tracks.notice}", err=True)
    data = ics.calendar_bytes(items, titles, summaries, tracks.links, now)
    try:
        ics.write_file(Path(path_text), data)
    except ics.ExportError as exc:
        raise InputError(f"--ics: {exc}") from None
    with_link = sum(1 for i in items if i.routine in tracks.links)
    linked = f", {with_link} with a track link" if with_link else ""
    _echo(
        f"Wrote {len(items)} events with an alarm each ({first:%d %b}-{last:%d %b}{linked}) "
        f"to {path_text}. Import it into your calendar; importing a newer export updates "
        "these events instead of adding them again.",
        err=True,
    )


def _summaries(names: set[str]) -> dict[str, str]:
    from breathpace.library import resolve

    out = {}
    for name in names:
        try:
            out[name] = resolve(name).routine.summary or ""
        except Exception:
            out[name] = ""
    return out


def _remind(plan, tz, clock, day: date) -> int:
    from breathpace.day import remind
    from breathpace.day.today import today as today_of
    from breathpace.day.view import minutes, titles_of

    problem = asyncio.run(remind.service_problem())
    if problem is not None:
        _echo(
            f"breathpace: cannot remind: {problem}; `breathpace day --ics FILE` puts the "
            "reminders in your calendar instead.",
            err=True,
        )
        return 1
    context = _context(plan, tz, day, day, journal=True)
    items = context.plan_for(day)
    titles = titles_of({i.routine for i in items})
    upcoming = [i for i in items if i.at >= clock.now()]
    if not upcoming:
        _echo("Nothing more to remind of today.")
        return 0
    _echo(
        f"Reminding of {len(upcoming)} capsule{'' if len(upcoming) == 1 else 's'} today, "
        f"the first at {upcoming[0].at:%H:%M}. Leave this open; Ctrl-C stops it."
    )

    def reminder_for(item):
        title = f"{titles.get(item.routine, item.routine)} ({minutes(item.length_ms)})"
        return remind.Reminder(
            printable(title), printable(f"{item.why}. Run: breathpace play {item.routine}")
        )

    def is_done(item) -> bool:
        from breathpace.day.context import journal_rows, since_for

        rows = journal_rows(since_for(day, 1, tz), [])
        state = today_of(plan, day, items, rows, clock.now(), tz)
        return any(e.done for e in state.entries if e.item is item)

    try:
        asyncio.run(
            remind.run(upcoming, clock, remind.desktop_sender(), reminder_for, is_done, _echo)
        )
    except KeyboardInterrupt:
        return 130
    _echo("That was today's last capsule.")
    return 0
