"""A podcast feed of the person's routines: one episode per routine at their dose.

A folder holds the tracks (MP3 with chapters and figures), beside each its Podcasting
2.0 chapters file (JSON) and its pictures, an RSS 2.0 `feed.xml` with the iTunes tags
podcast apps read, and `feed.json`, the record of what is in the feed, from which the
next run works out what changed.

An episode is a routine at one dose: its file name carries a hash of everything that
decides the sound (the dosed routine, pace, tempo, theme, voice). When the dose changes
(an accepted suggestion, a new personal pace) the next run adds a new episode; an
unchanged routine's files are not touched. Each routine keeps its newest
`KEEP_PER_ROUTINE` episodes listed (the current dose and the one before, so a phone
that downloaded the older one still finds it in the feed); an episode's files are
removed once it is no longer listed, and only files the record names are ever removed.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin
from xml.etree import ElementTree as ET

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from breathpace.outfile import atomic_output
from breathpace.safe_text import name_text

if TYPE_CHECKING:
    from breathpace.session.prepare import Prepared
    from breathpace.track.tags import TrackInfo

KEEP_PER_ROUTINE = 2
STATE_NAME = "feed.json"
FEED_NAME = "feed.xml"
COVER_NAME = "cover.png"
#: Bumped when the rendering itself changes, so every episode is made again.
TRACK_VERSION = 1
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("podcast", PODCAST)


class FeedError(ValueError):
    """A feed folder or record that cannot be used; one line."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Episode(_Frozen):
    """One routine at one dose, as it is listed in the feed."""

    routine: str = Field(min_length=1)
    """The routine's name, as the journal knows it."""
    source: str = Field(min_length=1)
    """What `feed` was given for it (a name, or a file's absolute path), to find it again
    when the feed is made again without naming routines."""
    dose: str = Field(pattern=r"^[0-9a-f]{10}$")
    """The hash of everything that decides the sound."""
    title: str
    """The track's title (routine and dose)."""
    description: str
    """The routine's summary and safety notes."""
    audio: str
    """The track's file name in the folder."""
    chapters: str
    """The Podcasting 2.0 chapters file's name."""
    pictures: tuple[str, ...]
    """The cover and the chapter pictures' file names."""
    bytes: int = Field(ge=0)
    """The track's size, for the enclosure."""
    duration_ms: int = Field(ge=0)
    published: datetime
    """When this episode was first made."""


class FeedState(_Frozen):
    """The record of the feed, kept as feed.json in the folder."""

    format: int = 1
    """The record's format."""
    base_url: str
    """Where the folder is served; enclosure and picture addresses start with it."""
    voice: bool = False
    """Whether the tracks speak their cues."""
    episodes: tuple[Episode, ...] = ()
    """Newest first."""


def slug(name: str) -> str:
    """A file-name-safe form of a routine's name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "routine"


def dose_hash(prepared: Prepared, voice: bool) -> str:
    """Ten hex digits that change whenever the track's sound would."""
    facts = {
        "version": TRACK_VERSION,
        "routine": prepared.routine.model_dump(mode="json"),
        "pace": prepared.dose.pace_text,
        "tempo": str(prepared.dose.tempo),
        "theme": prepared.theme.model_dump(mode="json"),
        "voice": voice,
    }
    text = json.dumps(facts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def read_state(folder: Path) -> FeedState | None:
    """The feed's record in `folder`, or None when there is none (FeedError, one line,
    when it cannot be read or is not a record of this format)."""
    path = folder / STATE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"{path}: cannot be read ({exc})") from None
    try:
        return FeedState.model_validate_json(text)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        raise FeedError(f"{path}: {where}: {error['msg']}") from None


def write_text(path: Path, text: str) -> bool:
    """Write `text` to `path` unless it already holds exactly that; True if written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    with atomic_output(path, binary=False) as out:
        out.write(text)
    return True


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as out:
        out.write(data)


def chapters_json(info: TrackInfo, picture_urls: list[str | None]) -> str:
    """The Podcasting 2.0 chapters file (JSON chapters format 1.2.0)."""
    chapters = []
    for chapter, url in zip(info.chapters, picture_urls, strict=True):
        entry: dict[str, object] = {"startTime": chapter.start_ms / 1000, "title": chapter.title}
        if url:
            entry["img"] = url
        chapters.append(entry)
    return json.dumps({"version": "1.2.0", "chapters": chapters}, indent=1) + "\n"


def url(base: str, name: str) -> str:
    return urljoin(base if base.endswith("/") else base + "/", quote(name))


def enclosure_url(state: FeedState, episode: Episode) -> str:
    """The address of an episode's track, as feed.xml gives it (and anything that
    links to the track, such as a calendar event, must give it too)."""
    return url(state.base_url, episode.audio)


def current_episode(state: FeedState, routine: str, dose: str) -> Episode | None:
    """The routine's episode at `dose` (its `dose_hash` now), if the feed lists one.

    Not simply the newest: a dose that went back to an earlier one finds that
    episode's track again, as `feed` itself does."""
    return next((e for e in state.episodes if e.routine == routine and e.dose == dose), None)


def _hms(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def feed_xml(state: FeedState) -> str:
    """The RSS 2.0 feed with iTunes and Podcasting 2.0 tags, newest episode first."""

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = text
        return element

    rss = ET.Element("rss", {"version": "2.0"})
    channel = sub(rss, "channel")
    sub(channel, "title", "breathpace: my routines")
    sub(channel, "link", state.base_url)
    sub(
        channel,
        "description",
        "Guided, breath-paced routines at your own dose, "
        "with a chapter and a figure for every exercise.",
    )
    sub(channel, "language", "en")
    sub(channel, "generator", "breathpace")
    if state.episodes:
        newest = max(e.published for e in state.episodes)
        sub(channel, "lastBuildDate", format_datetime(newest))
    sub(channel, f"{{{ITUNES}}}author", "breathpace")
    sub(channel, f"{{{ITUNES}}}image", href=url(state.base_url, COVER_NAME))
    sub(channel, f"{{{ITUNES}}}category", text="Health & Fitness")
    sub(channel, f"{{{ITUNES}}}explicit", "false")
    sub(channel, f"{{{ITUNES}}}type", "episodic")
    for episode in state.episodes:
        item = sub(channel, "item")
        sub(item, "title", episode.title)
        sub(item, "description", episode.description)
        sub(
            item,
            "enclosure",
            url=enclosure_url(state, episode),
            length=str(episode.bytes),
            type="audio/mpeg",
        )
        guid = f"breathpace:{name_text(episode.routine)}:{episode.dose}"
        sub(item, "guid", guid, isPermaLink="false")
        sub(item, "pubDate", format_datetime(episode.published))
        sub(item, f"{{{ITUNES}}}duration", _hms(episode.duration_ms))
        sub(item, f"{{{ITUNES}}}episodeType", "full")
        if episode.pictures:
            sub(item, f"{{{ITUNES}}}image", href=url(state.base_url, episode.pictures[0]))
        sub(
            item,
            f"{{{PODCAST}}}chapters",
            url=url(state.base_url, episode.chapters),
            type="application/json+chapters",
        )
    ET.indent(rss)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def make_episode(
    folder: Path,
    prepared: Prepared,
    mixer,
    dose: str,
    base_url: str,
    now: datetime,
    source: str,
) -> Episode:
    """Render one routine into the folder: track, pictures, chapters file."""
    written: list[Path] = []
    try:
        return _make_episode(folder, prepared, mixer, dose, base_url, now, source, written)
    except BaseException:
        # The episode is whole or absent: pictures and chapters already written for a
        # track that failed are not left lying in the folder.
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _make_episode(
    folder: Path,
    prepared: Prepared,
    mixer,
    dose: str,
    base_url: str,
    now: datetime,
    source: str,
    written: list[Path],
) -> Episode:
    from breathpace.track.build import track_info, write_session

    def write_bytes(path: Path, data: bytes) -> None:
        written.append(path)
        with atomic_output(path) as out:
            out.write(data)

    stem = f"{slug(prepared.name)}-{dose}"
    info = track_info(prepared)
    pictures: list[str] = []
    if info.cover:
        pictures.append(f"{stem}.png")
        write_bytes(folder / pictures[-1], info.cover)
    chapter_urls: list[str | None] = []
    made: dict[bytes, str] = {}
    for number, image in enumerate(info.chapter_images, start=1):
        if image is None:
            chapter_urls.append(None)
            continue
        if image not in made:
            made[image] = f"{stem}-chapter{number:02d}.png"
            pictures.append(made[image])
            write_bytes(folder / made[image], image)
        chapter_urls.append(url(base_url, made[image]))
    chapters_name = f"{stem}.chapters.json"
    write_bytes(folder / chapters_name, chapters_json(info, chapter_urls).encode("utf-8"))
    audio = f"{stem}.mp3"
    written.append(folder / audio)
    write_session(folder / audio, prepared, mixer, info)
    return Episode(
        routine=prepared.name,
        source=source,
        dose=dose,
        title=info.title,
        description=info.comment,
        audio=audio,
        chapters=chapters_name,
        pictures=tuple(pictures),
        bytes=(folder / audio).stat().st_size,
        duration_ms=prepared.timeline.duration_ms,
        published=now,
    )


def listed(episodes: list[Episode]) -> tuple[list[Episode], list[Episode]]:
    """(kept, dropped): each routine's newest KEEP_PER_ROUTINE episodes stay listed."""
    kept: list[Episode] = []
    dropped: list[Episode] = []
    count: dict[str, int] = {}
    for episode in sorted(episodes, key=lambda e: e.published, reverse=True):
        count[episode.routine] = count.get(episode.routine, 0) + 1
        (kept if count[episode.routine] <= KEEP_PER_ROUTINE else dropped).append(episode)
    return kept, dropped


def episode_files(episode: Episode) -> set[str]:
    return {episode.audio, episode.chapters, *episode.pictures}


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
