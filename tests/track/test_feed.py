"""`breathpace feed DIR [ROUTINE...]`: a podcast feed a phone's app can subscribe to.

The feed is read back with feedparser (as a podcast app's parser would), the tracks'
chapters with mutagen. A dose change is made the way the person makes one: an accepted
suggestion written to the journal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from breathpace.cli import main
from breathpace.routine.load import parse_routine
from breathpace.timeline import compile
from breathpace.track.feed import KEEP_PER_ROUTINE

BASE = "http://phone.test/breath/"

ALPHA = """
format = 1
title = "Alpha"
pace = "1.5-0-1.5-0"
lead_in = 2

[[exercise]]
name = "Tilt"
figure = "pelvic-tilt"
position = "On your back, knees bent"
reps = 2
phases = [
  { move = "tilt", pose = "tilt", breath = "exhale", seconds = 1.5, effort = true },
  { move = "release", pose = "start", breath = "inhale", seconds = 1.5 },
]

[[exercise]]
name = "Rest"
figure = "resting-breath"
pattern = "2-0-2-0"
cycles = 1
"""

BETA = ALPHA.replace('title = "Alpha"', 'title = "Beta"').replace("reps = 2", "reps = 1")


@pytest.fixture
def routines(user_routines_dir: Path) -> Path:
    (user_routines_dir / "alpha.toml").write_text(ALPHA)
    (user_routines_dir / "beta.toml").write_text(BETA)
    return user_routines_dir


def feed(*args: str):
    return CliRunner().invoke(main, ["feed", *args])


def accept_more_reps(routine: str, reps: int) -> None:
    from breathpace.journal.db import open_journal
    from breathpace.journal.dose import accept
    from breathpace.journal.suggest import Kind, Suggestion

    with open_journal() as journal:
        accept(
            journal,
            Suggestion(
                routine=routine,
                kind=Kind.ADD_REP,
                summary=f"Add one rep to Tilt: {reps - 1} → {reps} a set.",
                why="Three easy sessions.",
                exercise=1,
                exercise_name="Tilt",
                reps=reps,
            ),
        )


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """name -> (inode, modification time in ns): what changes when a file is rewritten."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.usefixtures("routines")
def test_the_feed_lists_each_routine_with_enclosure_duration_and_chapters(tmp_path: Path):
    folder = tmp_path / "feed"
    result = feed(str(folder), "alpha", "beta", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    assert parsed.feed.image.href == BASE + "cover.png"
    by_title = {entry.title: entry for entry in parsed.entries}
    assert sorted(by_title) == ["Alpha (pace 1.5-0-1.5-0)", "Beta (pace 1.5-0-1.5-0)"]
    for text, title in ((ALPHA, "Alpha"), (BETA, "Beta")):
        entry = by_title[f"{title} (pace 1.5-0-1.5-0)"]
        (enclosure,) = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        assert enclosure.href.startswith(BASE)
        audio = folder / enclosure.href.removeprefix(BASE)
        assert int(enclosure.length) == audio.stat().st_size
        duration_s = round(compile(parse_routine(text)).duration_ms / 1000)
        assert entry.itunes_duration == f"00:00:{duration_s:02d}"
        assert entry.image.href.startswith(BASE) and entry.image.href.endswith(".png")
        chapters_url = entry.podcast_chapters["url"]
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        chapters = json.loads((folder / chapters_url.removeprefix(BASE)).read_text())
        in_mp3 = [(c.start_time, c.sub_frames["TIT2"].text[0]) for c in ID3(audio).getall("CHAP")]
        in_json = [(round(c["startTime"] * 1000), c["title"]) for c in chapters["chapters"]]
        assert in_json == in_mp3
        assert [t for _, t in in_json] == ["Get ready", "Tilt", "Rest"]
        for chapter in chapters["chapters"]:
            assert (folder / chapter["img"].removeprefix(BASE)).read_bytes()[:4] == b"\x89PNG"
    # Nothing but the feed's own files; no temporary file is left behind.
    assert not [name for name in os.listdir(folder) if name.startswith(".")]


@pytest.mark.usefixtures("routines")
def test_a_dose_change_adds_an_episode_and_leaves_the_others_alone(tmp_path: Path):
    folder = tmp_path / "feed"
    assert feed(str(folder), "alpha", "beta", "--base-url", BASE).exit_code == 0
    first = files(folder)
    first_alpha = ID3(next(folder.glob("alpha-*.mp3")))

    accept_more_reps("alpha", 3)
    # Without routines or a base address: the ones already in the feed, where it was.
    result = feed(str(folder))
    assert result.exit_code == 0, result.output
    second = files(folder)
    parsed = feedparser.parse(str(folder / "feed.xml"))
    titles = [e.title for e in parsed.entries]
    assert titles.count("Alpha (pace 1.5-0-1.5-0, your dose)") == 1
    assert titles.count("Alpha (pace 1.5-0-1.5-0)") == 1  # the previous dose stays listed
    assert titles.count("Beta (pace 1.5-0-1.5-0)") == 1
    assert all(e.enclosures[0].href.startswith(BASE) for e in parsed.entries)
    # Every file of the first run is still there, not rewritten (same inode and time).
    unchanged = {n: v for n, v in first.items() if n not in ("feed.xml", "feed.json")}
    assert {n: second[n] for n in unchanged} == unchanged
    new_audio = [n for n in second if n.startswith("alpha-") and n.endswith(".mp3")]
    assert len(new_audio) == 2
    # The new episode has the third rep: its Tilt chapter is longer by one rep (3 s).
    old, new = (ID3(folder / n) for n in new_audio)
    lengths = {
        tag["TIT2"].text[0]: [c.end_time - c.start_time for c in tag.getall("CHAP")]
        for tag in (old, new)
    }
    assert lengths["Alpha (pace 1.5-0-1.5-0, your dose)"][1] == (
        lengths["Alpha (pace 1.5-0-1.5-0)"][1] + 3000
    )
    assert first_alpha["TIT2"].text == ["Alpha (pace 1.5-0-1.5-0)"]

    # A run with nothing changed rewrites nothing at all, the feed included.
    assert feed(str(folder)).exit_code == 0
    assert files(folder) == second


@pytest.mark.usefixtures("routines")
def test_an_episode_no_longer_listed_loses_its_files(tmp_path: Path):
    folder = tmp_path / "feed"
    assert feed(str(folder), "alpha", "--base-url", BASE).exit_code == 0
    oldest = {p.name for p in folder.iterdir()} - {"feed.xml", "feed.json", "cover.png"}
    for reps in range(3, 3 + KEEP_PER_ROUTINE):
        accept_more_reps("alpha", reps)
        result = feed(str(folder))
        assert result.exit_code == 0, result.output
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert len(parsed.entries) == KEEP_PER_ROUTINE
    left = {p.name for p in folder.iterdir()}
    assert not oldest & left
    listed = {e.enclosures[0].href.removeprefix(BASE) for e in parsed.entries}
    assert listed == {n for n in left if n.endswith(".mp3")}
    assert "removed alpha-" in result.output


def test_a_routine_that_fails_check_writes_nothing(routines: Path, tmp_path: Path):
    (routines / "broken.toml").write_text(ALPHA.replace("reps = 2", "reps = 0"))
    folder = tmp_path / "feed"
    result = feed(str(folder), "alpha", "broken", "--base-url", BASE)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("breathpace: ") and "broken.toml" in line and "reps" in line
    assert not folder.exists()


def test_a_new_feed_needs_routines(tmp_path: Path):
    result = feed(str(tmp_path / "feed"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"breathpace: {tmp_path / 'feed'}: no feed here yet; name the routines to put in it"
    )


def test_a_damaged_feed_record_is_one_line_naming_the_field(tmp_path: Path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "feed.json").write_text('{"format": 1, "episodes": []}')
    result = feed(str(folder), "glute-bridge")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"breathpace: {folder / 'feed.json'}: base_url: Field required"
    assert [p.name for p in folder.iterdir()] == ["feed.json"]


def test_a_file_in_place_of_the_folder_is_one_line(tmp_path: Path):
    (tmp_path / "feed").write_text("not a folder")
    result = feed(str(tmp_path / "feed"), "glute-bridge")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"breathpace: {tmp_path / 'feed'}: not a folder"


@pytest.mark.usefixtures("routines")
def test_a_full_disk_half_way_leaves_the_feed_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import errno

    from breathpace.track import build

    folder = tmp_path / "feed"
    assert feed(str(folder), "beta", "--base-url", BASE).exit_code == 0
    before = files(folder)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "write_session", full)
    result = feed(str(folder), "alpha", "beta")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"breathpace: {folder}: cannot be written (No space left on device)"
    )
    # alpha's pictures and chapters, written before its track failed, are gone again.
    assert files(folder) == before

    fresh = tmp_path / "fresh"
    result = feed(str(fresh), "alpha", "--base-url", BASE)
    assert result.exit_code == 2
    assert not fresh.exists()


def test_a_routine_file_is_found_again_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "mine.toml").write_text(BETA)
    monkeypatch.chdir(tmp_path)
    assert feed("feed", "mine.toml", "--base-url", BASE).exit_code == 0
    before = files(tmp_path / "feed")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = feed(str(tmp_path / "feed"))
    assert result.exit_code == 0, result.output
    assert "unchanged mine-" in result.output
    assert files(tmp_path / "feed") == before


def test_a_base_url_must_be_a_web_address(tmp_path: Path):
    result = feed(str(tmp_path / "feed"), "glute-bridge", "--base-url", "phone.local/breath")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        'breathpace: --base-url: "phone.local/breath" is not an http:// or https:// address'
    )
    assert not (tmp_path / "feed").exists()
