"""Desktop reminders at each capsule's time, from a command the person started and sees.

`breathpace day --remind` runs in the foreground until the day's last capsule (or
Ctrl-C); nothing is left running behind the person's back. Notifications go through
`desktop-notifier` (the freedesktop Notifications service over D-Bus on Linux, the
system's own centre on macOS and Windows). Whether a service is there is asked first
with `dbus-fast` (which desktop-notifier itself uses), because desktop-notifier only
logs a notification it could not deliver.

The clock is passed in: a real one sleeps in short steps and looks at the wall clock
again (a laptop that slept through a capsule's time skips it rather than firing late).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from breathpace.day.plan import Planned

NOTIFICATIONS = "org.freedesktop.Notifications"
#: A capsule whose time passed longer ago than this (a suspended laptop) is skipped.
TOO_LATE = timedelta(minutes=10)
#: The longest single sleep: the wall clock is looked at again after it.
STEP_S = 30.0


class WallClock(Protocol):
    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


@dataclass
class SystemClock:
    tz: tzinfo

    def now(self) -> datetime:
        return datetime.now(self.tz)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class Reminder:
    title: str
    message: str


async def service_problem() -> str | None:
    """None when a notification service answers, else one line saying why not."""
    if sys.platform != "linux":
        return None  # desktop-notifier talks to the system's own notification centre
    try:
        from dbus_fast.aio import MessageBus
    except ImportError:
        return "no D-Bus library (dbus-fast) is installed"
    try:
        bus = await asyncio.wait_for(MessageBus().connect(), timeout=5)
    except Exception:
        return "no desktop session bus (D-Bus) to send notifications to"
    try:
        if await _ask(bus, "NameHasOwner", NOTIFICATIONS):
            return None
        if NOTIFICATIONS in (await _ask(bus, "ListActivatableNames") or []):
            return None
        return "no desktop notification service is running on this session bus"
    except Exception as exc:
        return f"the session bus did not answer ({type(exc).__name__})"
    finally:
        bus.disconnect()


async def _ask(bus, member: str, *args: str):
    from dbus_fast import Message

    message = Message(
        destination="org.freedesktop.DBus",
        path="/org/freedesktop/DBus",
        interface="org.freedesktop.DBus",
        member=member,
        signature="s" * len(args),
        body=list(args),
    )
    reply = await asyncio.wait_for(bus.call(message), timeout=5)
    return reply.body[0] if reply is not None and reply.body else None


def desktop_sender() -> Callable[[Reminder], Awaitable[None]]:
    from desktop_notifier import DesktopNotifier

    notifier = DesktopNotifier(app_name="breathpace")

    async def send(reminder: Reminder) -> None:
        await notifier.send(title=reminder.title, message=reminder.message)

    return send


async def run(
    items: Sequence[Planned],
    clock: WallClock,
    send: Callable[[Reminder], Awaitable[None]],
    reminder_for: Callable[[Planned], Reminder],
    is_done: Callable[[Planned], bool] = lambda item: False,
    said: Callable[[str], None] = print,
) -> int:
    """Wait for each item's time and send its reminder; returns how many were sent."""
    sent = 0
    for item in sorted(items, key=lambda i: i.at):
        while (left := (item.at - clock.now()).total_seconds()) > 0:
            await clock.sleep(min(left, STEP_S))
        late = clock.now() - item.at
        if late > TOO_LATE:
            said(
                f"{item.at:%H:%M} skipped: its time passed {int(late.total_seconds() // 60)} "
                "minutes ago"
            )
            continue
        if is_done(item):
            said(f"{item.at:%H:%M} already done: {item.routine}")
            continue
        reminder = reminder_for(item)
        await send(reminder)
        sent += 1
        said(f"{clock.now():%H:%M} reminded: {reminder.title}")
    return sent
