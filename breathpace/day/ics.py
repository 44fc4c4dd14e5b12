"""The day plan as an iCalendar file with one alarm per capsule, for the calendar the
person already trusts (phone or desktop), which then reminds them with no terminal open.

Built with `icalendar` (the same library that reads the person's calendar). Each item
is one event: its title and length, what it does in one line, the command that runs
it and, when the routine has a track in the person's `breathpace feed` (found by
`breathpace.day.tracks`), the link to it. The UID is the date, the slot and its turn
that day, so importing a new export updates the events instead of duplicating them.
Writing the file refuses anything but a plain file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breathpace.day.plan import SLOT_WORDS, Planned
from breathpace.day.view import minutes

UID_DOMAIN = "breathpace.day"


class ExportError(ValueError):
    """The calendar file cannot be written; `str()` is one line naming it."""


def uid(item: Planned) -> str:
    return f"{item.key}@{UID_DOMAIN}"


def calendar_bytes(
    items: Sequence[Planned],
    titles: Mapping[str, str],
    summaries: Mapping[str, str],
    links: Mapping[str, str],
    stamp: datetime,
) -> bytes:
    """The iCalendar text of the items: an event and a display alarm each."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//breathpace//day plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "breathpace day plan")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    for item in items:
        title = titles.get(item.routine, item.routine)
        length = minutes(item.length_ms)
        command = f"breathpace play {item.routine}"
        what = " ".join(summaries.get(item.routine, "").split()) or title
        lines = [what, f"{SLOT_WORDS[item.slot].capitalize()}: {item.why}.", f"Run: {command}"]
        link = links.get(item.routine)
        if link:
            lines.append(f"Track: {link}")
        event = Event()
        event.add("uid", uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.at.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", f"{title} ({length})")
        event.add("description", "\n".join(lines))
        event.add("categories", ["breathpace", SLOT_WORDS[item.slot]])
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: stays "free"
        if link:
            event.add("url", link)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(0))
        alarm.add("description", f"{title}: {command}")
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` only when it is absent or a regular file (never through a
    link, a FIFO or a device), by a temporary file renamed over it."""
    source = str(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"{source}: cannot be checked ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise ExportError(f"{source}: is a symbolic link; give the file itself")
        if stat.S_ISDIR(info.st_mode):
            raise ExportError(f"{source}: is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise ExportError(f"{source}: not a regular file (a device or a pipe)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{source}: the folder {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=".breathpace-", suffix=".ics")
    except OSError as exc:
        raise ExportError(f"{source}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 if info is None else stat.S_IMODE(info.st_mode))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(
            f"{source}: cannot be written ({exc.strerror or exc}); nothing was written"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
