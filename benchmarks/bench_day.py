"""What the day plan costs: `breathpace day` and `--ics` as a person runs them, and
reading a large calendar.

Run: python benchmarks/bench_day.py [--runs N]

Prints medians over N runs (default 11): the `day` command (a fresh process, the test
calendar of tests/day), `day --ics` for 14 days without and with a feed folder (two
capsules in the feed: each routine's current dose is worked out to find its episode),
and, in one process, reading two weeks
out of a calendar of 5,000 past meetings plus 40 weekly series (a few years of a busy
work calendar) and planning those 14 days.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
CALENDAR = ROOT / "tests" / "day" / "work-calendar.ics"


def big_calendar(path: Path) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    start = date(2022, 1, 3)
    for n in range(5_000):
        day = start + timedelta(days=n // 5)
        hour = 9 + n % 5 * 2
        lines += [
            "BEGIN:VEVENT",
            f"UID:past-{n}@bench",
            "DTSTAMP:20220101T000000Z",
            f"SUMMARY:Meeting {n}",
            f"DTSTART;TZID=Europe/Berlin:{day:%Y%m%d}T{hour:02d}0000",
            f"DTEND;TZID=Europe/Berlin:{day:%Y%m%d}T{hour + 1:02d}0000",
            "END:VEVENT",
        ]
    for n in range(40):
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{n}@bench",
            "DTSTAMP:20220101T000000Z",
            f"SUMMARY:Series {n}",
            f"DTSTART;TZID=America/New_York:{date(2023, 1, 2) + timedelta(days=n % 5):%Y%m%d}"
            f"T{8 + n % 8:02d}3000",
            f"DTEND;TZID=America/New_York:{date(2023, 1, 2) + timedelta(days=n % 5):%Y%m%d}"
            f"T{9 + n % 8:02d}4500",
            "RRULE:FREQ=WEEKLY",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n")


def median_ms(fn, runs: int) -> tuple[float, float, float, float]:
    """Wall-time median, min and max, and the median CPU time (this process and its
    children: on a busy machine the CPU time is the steadier figure)."""
    times, cpu = [], []
    for _ in range(runs):
        before = _cpu()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((_cpu() - before) * 1000)
    return statistics.median(times), min(times), max(times), statistics.median(cpu)


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def show(what: str, figures: tuple[float, float, float, float], runs: int) -> None:
    median, low, high, cpu = figures
    print(
        f"{what}: median {median:.0f} ms (min {low:.0f}, max {high:.0f}), "
        f"CPU {cpu:.0f} ms ({runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    runs = max(5, parser.parse_args().runs)
    script = shutil.which("breathpace")
    command = [script] if script else [sys.executable, "-m", "breathpace"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home}
        env["TZ"] = "Europe/Berlin"
        setup = [*command, "day", "--calendar", str(CALENDAR)]
        subprocess.run(setup, env=env, check=True, capture_output=True)

        def day() -> None:
            subprocess.run(
                [*command, "day", "--date", "2026-03-04"], env=env, check=True, capture_output=True
            )

        def export() -> None:
            out = Path(home) / "plan.ics"
            subprocess.run(
                [*command, "day", "--ics", str(out), "--date", "2026-03-02"],
                env=env,
                check=True,
                capture_output=True,
            )

        show("breathpace day (test calendar)", median_ms(day, runs), runs)
        show("breathpace day --ics (14 days)", median_ms(export, runs), runs)

        feed = Path(home) / "feed"
        make = [*command, "feed", str(feed), "capsule-waking", "capsule-sitting-seated"]
        subprocess.run(make, env=env, check=True, capture_output=True)
        subprocess.run(
            [*command, "day", "--feed", str(feed)], env=env, check=True, capture_output=True
        )
        show("breathpace day --ics (14 days, with a feed)", median_ms(export, runs), runs)

        sys.path.insert(0, str(ROOT))
        from breathpace.day.calendar import read_busy
        from breathpace.day.plan import plan_day
        from breathpace.dayplan import DayPlan

        big = Path(home) / "big.ics"
        big_calendar(big)
        tz = ZoneInfo("Europe/Berlin")
        first = date(2026, 3, 2)
        last = first + timedelta(days=13)
        size = big.stat().st_size

        def read() -> None:
            read_busy(big, first, last, tz)

        show(
            f"read 14 days of a {size // 1000:,} kB calendar (5,040 events)",
            median_ms(read, runs),
            runs,
        )
        busy = read_busy(big, first, last, tz)
        plan = DayPlan()

        def plan14() -> None:
            for n in range(14):
                plan_day(plan, first + timedelta(days=n), tz, busy)

        show(f"plan 14 days with {len(busy)} busy events", median_ms(plan14, runs), runs)


if __name__ == "__main__":
    main()
