"""`breathpace day --remind` against a real notification service on a private session
bus, with a clock the test moves: each capsule's notification arrives at its time, a
capsule already done is not reminded of, and without a service it says so in one line.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import breathpace.commands.day as day_command
from breathpace.cli import main
from breathpace.journal.db import open_journal
from tests.day.notification_service import PrivateBus, ServiceThread

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")


class MovedClock:
    """Wall time that moves only when the reminder sleeps: a day passes in no time."""

    def __init__(self, start: datetime):
        self.moment = start
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.moment += timedelta(seconds=seconds)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def remind(clock: MovedClock, bus_address: str, monkeypatch):
    monkeypatch.setattr(day_command, "wall_clock", lambda tz: clock)
    env = {"TZ": "Europe/Berlin", "DBUS_SESSION_BUS_ADDRESS": bus_address}
    runner = CliRunner()
    assert runner.invoke(main, ["day", "--wake", "07:00"], env=env).exit_code == 0
    return runner.invoke(main, ["day", "--remind"], env=env, catch_exceptions=False)


def test_each_capsule_is_notified_at_its_time(tmp_path, monkeypatch):
    clock = MovedClock(at("2026-03-02T06:50"))
    with PrivateBus(tmp_path) as bus, ServiceThread(bus.address, clock.now) as service:
        result = remind(clock, bus.address, monkeypatch)
    assert result.exit_code == 0, result.output
    shown = [(when, title) for when, title, _ in service.shown]
    assert shown == [
        (at("2026-03-02T07:00"), "Waking capsule (4 min)"),
        (at("2026-03-02T08:55"), "Before-sitting capsule (3 min)"),
        (at("2026-03-02T12:55"), "Before-sitting capsule: seated (3 min)"),
        (at("2026-03-02T18:30"), "Everyday back set (NHS-style) (7 min)"),
        (at("2026-03-02T22:45"), "Bedtime capsule (4 min)"),
    ]
    bodies = [body for _, _, body in service.shown]
    assert bodies[1] == "before the sitting hours (09:00). Run: breathpace play capsule-sitting"
    # It looked at the clock again at least every half minute, never slept past a time.
    assert max(clock.slept) <= 30
    assert "That was today's last capsule." in result.output


def test_a_capsule_done_before_its_time_is_not_reminded_of(tmp_path, monkeypatch):
    with open_journal() as journal:
        add_session(journal, "capsule-sitting-wall", at("2026-03-02T08:20"))
    clock = MovedClock(at("2026-03-02T08:00"))
    with PrivateBus(tmp_path) as bus, ServiceThread(bus.address, clock.now) as service:
        result = remind(clock, bus.address, monkeypatch)
    assert result.exit_code == 0, result.output
    assert [when for when, _, _ in service.shown] == [
        at("2026-03-02T12:55"),
        at("2026-03-02T18:30"),
        at("2026-03-02T22:45"),
    ]
    assert "08:55 already done: capsule-sitting" in result.output


def test_no_notification_service_on_the_bus_is_one_line(tmp_path, monkeypatch):
    clock = MovedClock(at("2026-03-02T06:50"))
    with PrivateBus(tmp_path) as bus:
        result = remind(clock, bus.address, monkeypatch)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("breathpace: cannot remind: no desktop notification service")
    assert clock.slept == []


def test_no_session_bus_at_all_is_one_line(tmp_path, monkeypatch):
    clock = MovedClock(at("2026-03-02T06:50"))
    result = remind(clock, f"unix:path={tmp_path / 'no-bus'}", monkeypatch)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "breathpace: cannot remind: no desktop session bus (D-Bus) to send notifications to; "
        "`breathpace day --ics FILE` puts the reminders in your calendar instead."
    )
