"""A private D-Bus session bus (the real `dbus-daemon`) and a small freedesktop
Notifications service on it that records what it is asked to show, and when.

The service answers the calls desktop-notifier makes (GetCapabilities, Notify,
CloseNotification, GetServerInformation) in a thread with its own event loop, so the
command under test talks to it over the bus exactly as it would to a desktop's.
"""

# ruff: noqa: F722, F821 (dbus-fast reads D-Bus signatures from the annotations)

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal


class Notifications(ServiceInterface):
    def __init__(self, now: Callable[[], object]):
        super().__init__("org.freedesktop.Notifications")
        self.now = now
        self.shown: list[tuple[object, str, str]] = []

    @method()
    def GetCapabilities(self) -> "as":
        return ["body"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["test-notifications", "breathpace tests", "1.0", "1.2"]

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        self.shown.append((self.now(), summary, body))
        return len(self.shown)

    @method()
    def CloseNotification(self, id: "u"):
        pass

    @signal()
    def NotificationClosed(self, id: "u", reason: "u") -> "uu":
        return [id, reason]

    @signal()
    def ActionInvoked(self, id: "u", action_key: "s") -> "us":
        return [id, action_key]


class PrivateBus:
    """`dbus-daemon` on a socket in `folder`; `address` for DBUS_SESSION_BUS_ADDRESS."""

    def __init__(self, folder: Path):
        self.socket = folder / "bus"
        self.address = f"unix:path={self.socket}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "PrivateBus":
        daemon = shutil.which("dbus-daemon")
        assert daemon, "dbus-daemon is not installed (apt: dbus)"
        config = self.socket.with_name("session.conf")
        config.write_text(
            "<!DOCTYPE busconfig PUBLIC '-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN'"
            " 'http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd'>\n"
            f"<busconfig><type>session</type><listen>{self.address}</listen>"
            "<auth>EXTERNAL</auth><policy context='default'>"
            "<allow send_destination='*' eavesdrop='true'/><allow eavesdrop='true'/>"
            "<allow own='*'/></policy></busconfig>\n"
        )
        self.process = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.process.stdout.readline()  # printed once it listens
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


class ServiceThread:
    """The Notifications service on the bus, served from a thread of its own."""

    def __init__(self, address: str, now: Callable[[], object]):
        self.address = address
        self.service = Notifications(now)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())
        self.loop.run_forever()

    async def _serve(self) -> None:
        self.bus = await MessageBus(bus_address=self.address).connect()
        self.bus.export("/org/freedesktop/Notifications", self.service)
        await self.bus.request_name("org.freedesktop.Notifications")
        self.ready.set()

    def __enter__(self) -> Notifications:
        self.thread.start()
        assert self.ready.wait(10), "the test notification service did not start"
        return self.service

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.bus.disconnect)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
