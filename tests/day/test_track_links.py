"""A capsule's calendar event links the track a phone's podcast app lists for it.

The feed is made by the real `breathpace feed`, its feed.xml read with feedparser (as a
podcast app reads it) and the exported calendar with icalendar. A dose change is made
the way the person makes one: a new personal pace with `breathpace pace`.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import icalendar
import pytest
from click.testing import CliRunner

from breathpace import paths
from breathpace.cli import main

BASE = "http://192.168.1.5:8000/breath/"
SEATED = "capsule-sitting-seated"


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"TZ": "Europe/Berlin"})


def export(path: Path):
    """(events, what `day --ics` said) for the golden week."""
    result = run("day", "--ics", str(path), "--date", "2026-03-02", "--days", "7")
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT")), result.output


def enclosures(folder: Path) -> dict[str, str]:
    """Episode title -> its enclosure address, as feed.xml lists them."""
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    return {entry.title: entry.enclosures[0].href for entry in parsed.entries}


def links(events) -> dict[str, set[str | None]]:
    """Routine -> the links its events carry (None for an event without one)."""
    found: dict[str, set[str | None]] = {}
    for event in events:
        description = str(event["DESCRIPTION"])
        routine = description.split("Run: breathpace play ")[1].split()[0]
        url = str(event["URL"]) if "URL" in event else None
        # The link in the description is the event's URL, or there is neither.
        assert (f"Track: {url}" in description) if url else ("Track:" not in description)
        found.setdefault(routine, set()).add(url)
    return found


@pytest.fixture
def seated_feed(tmp_path: Path) -> Path:
    """A plan whose before-sitting capsule is always the seated one, and a feed of it."""
    folder = tmp_path / "feed"
    assert run("day", "--feed", str(folder), "--sitting-capsules", SEATED).exit_code == 0
    made = run("feed", str(folder), SEATED, "--base-url", BASE)
    assert made.exit_code == 0, made.output
    return folder


def test_each_capsule_links_its_current_episode_and_a_new_pace_moves_the_link(
    tmp_path: Path, seated_feed: Path
):
    (first,) = enclosures(seated_feed).values()
    assert first.startswith(BASE + SEATED + "-") and first.endswith(".mp3")

    events, said = export(tmp_path / "plan.ics")
    by_routine = links(events)
    # Every before-sitting capsule of the week (two each workday) opens the episode
    # the podcast app lists; nothing else has a track yet.
    assert by_routine.pop(SEATED) == {first}
    seated = [e for e in events if f"play {SEATED}" in str(e["DESCRIPTION"])]
    assert len(seated) == 10
    assert all(urls == {None} for urls in by_routine.values())
    # Said once, with the command that makes the missing tracks.
    notices = [line for line in said.splitlines() if "no track at your current dose" in line]
    assert len(notices) == 1
    missing = sorted(by_routine)
    assert notices[0].endswith(f"make them with: breathpace feed {seated_feed} {' '.join(missing)}")
    assert "10 with a track link" in said

    # A slower breath is a new dose: until the feed is made again, the old track is not
    # what this person breathes to any more, and no event links it.
    assert run("pace", "5-0-7-0").exit_code == 0
    events, said = export(tmp_path / "stale.ics")
    assert links(events)[SEATED] == {None}
    assert f"for {', '.join(sorted([SEATED, *missing]))};" in said

    again = run("feed", str(seated_feed))  # remembers the routine and the address
    assert again.exit_code == 0, again.output
    listed = enclosures(seated_feed)
    assert len(listed) == 2
    (new,) = [href for title, href in listed.items() if "5-0-7-0" in title]
    assert new != first and new.startswith(BASE)
    events, _ = export(tmp_path / "new.ics")
    assert links(events)[SEATED] == {new}

    # Back to each routine's own pace: the earlier episode, still in the feed, is the
    # current one again.
    assert run("pace", "--reset").exit_code == 0
    events, _ = export(tmp_path / "back.ics")
    assert links(events)[SEATED] == {first}


def test_a_feed_folder_without_a_feed_links_nothing_and_says_how_to_make_one(tmp_path: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run("day", "--feed", str(folder)).exit_code == 0
    events, said = export(tmp_path / "plan.ics")
    assert not any("URL" in e for e in events)
    (notice,) = [line for line in said.splitlines() if "holds no feed yet" in line]
    names = sorted(links(events))
    assert notice.endswith(f"make one with: breathpace feed {folder} {' '.join(names)}")
    assert "with a track link" not in said


def test_an_unreadable_feed_record_is_one_line_and_the_calendar_is_still_written(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "feed.json").write_text('{"format": 1, "episodes": []}')
    assert run("day", "--feed", str(folder)).exit_code == 0
    events, said = export(tmp_path / "plan.ics")
    (notice,) = [line for line in said.splitlines() if "feed.json" in line]
    assert notice == f"breathpace: {folder / 'feed.json'}: base_url: Field required; no track links"
    # The same events as without a feed, none with a link.
    assert not any("URL" in e for e in events)
    assert run("day", "--feed", "none").exit_code == 0
    without, _ = export(tmp_path / "without.ics")
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in without]


def test_a_settings_file_with_the_old_feed_address_loads_says_so_once_and_drops_it():
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('[day]\nwake = "06:30"\nfeed_url = "http://192.168.1.5:8000"\n')
    first = run("day")
    assert first.exit_code == 0, first.output
    (line,) = [line for line in first.output.splitlines() if "feed_url" in line]
    assert line == (
        f"breathpace: {settings}: day.feed_url is no longer used: track links use the "
        "address `breathpace feed` was given (its --base-url); removed it from the file."
    )
    assert "feed_url" not in settings.read_text()
    assert 'wake = "06:30"' in settings.read_text()
    assert "feed_url" not in run("day").output


def test_the_old_feed_url_option_is_one_line_naming_where_the_address_goes_now():
    result = run("day", "--feed-url", "http://192.168.1.5:8000")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "breathpace: --feed-url: no longer used: the track links use the address the feed "
        "is served at; give it once with `breathpace feed DIR --base-url URL`"
    ]
