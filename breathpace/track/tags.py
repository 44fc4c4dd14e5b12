"""What a track says about itself: title, grouping, cover and chapters, with mutagen.

MP3 gets ID3v2.3 (the version every phone and podcast app reads): TIT2/TPE1/TALB so the
tracks group under one artist and album, the cover as APIC, one CHAP per chapter with
its title and figure as sub-frames, and a CTOC listing them in order. The tag is built
up front (the chapters are known before a sample is encoded) and written ahead of the
audio. FLAC and Ogg Vorbis get Vorbis comments with the usual chapter keys
(CHAPTER001=00:00:08.000, CHAPTER001NAME=…), which carry no pictures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from breathpace.track.chapters import Chapter

ARTIST = "breathpace"
ALBUM = "breathpace routines"
#: ID3 CHAP byte offsets are optional; this value says "not given" (ID3v2 chapters 1.0).
NO_OFFSET = 0xFFFFFFFF
TOC_ID = "toc"


@dataclass(frozen=True)
class TrackInfo:
    """Everything a track's tags carry, decided before encoding."""

    title: str
    """The routine's title and the dose it was rendered at."""
    comment: str
    """The routine's summary and its safety note."""
    chapters: tuple[Chapter, ...]
    chapter_images: tuple[bytes | None, ...]
    """A PNG per chapter (its exercise's figure), or None."""
    cover: bytes | None = None
    """The cover, PNG."""
    artist: str = ARTIST
    album: str = ALBUM


def chapter_id(index: int) -> str:
    return f"chp{index}"


def id3_tag(info: TrackInfo) -> bytes:
    """The whole ID3v2.3 tag as bytes, to be written before the first MP3 frame."""
    from mutagen.id3 import APIC, CHAP, COMM, CTOC, ID3, TALB, TIT2, TPE1, TPE2, CTOCFlags

    frames: list[Any] = [
        TIT2(encoding=3, text=info.title),
        TPE1(encoding=3, text=info.artist),
        TPE2(encoding=3, text=info.artist),
        TALB(encoding=3, text=info.album),
    ]
    if info.comment:
        frames.append(COMM(encoding=3, lang="eng", desc="", text=info.comment))
    if info.cover:
        frames.append(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=info.cover))
    ids = []
    chapters: list[Any] = []
    for index, (chapter, image) in enumerate(zip(info.chapters, info.chapter_images, strict=True)):
        sub: list[Any] = [TIT2(encoding=3, text=chapter.title)]
        if image:
            sub.append(
                APIC(encoding=3, mime="image/png", type=0, desc=f"chapter {index + 1}", data=image)
            )
        ids.append(chapter_id(index))
        chapters.append(
            CHAP(
                element_id=ids[-1],
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=sub,
            )
        )
    if ids:
        frames.append(
            CTOC(
                element_id=TOC_ID,
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=info.title)],
            )
        )
    # mutagen orders the frames it saves by size, which would scatter the chapters;
    # players that read CHAP frames in file order (ffmpeg among them) need them in
    # time order. So each frame is rendered alone and the tag assembled in order.
    body = b"".join(_frame_bytes(ID3, frame) for frame in [*frames, *chapters])
    return b"ID3\x03\x00\x00" + _syncsafe(len(body)) + body


def _frame_bytes(id3_class: Any, frame: Any) -> bytes:
    tag = id3_class()
    tag.add(frame)
    out = io.BytesIO()
    tag.save(out, v2_version=3, padding=lambda _: 0)
    return out.getvalue()[10:]  # after the 10-byte tag header


def _syncsafe(size: int) -> bytes:
    """An ID3 tag size: 28 bits in four bytes of seven."""
    if size >= 1 << 28:
        raise ValueError("an ID3 tag cannot be this large")
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def clock(ms: int) -> str:
    """HH:MM:SS.mmm, the time format of Vorbis chapter comments."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def vorbis_comments(info: TrackInfo) -> dict[str, str]:
    """Vorbis comments for FLAC and Ogg: the same names and chapters, no pictures."""
    comments = {
        "TITLE": info.title,
        "ARTIST": info.artist,
        "ALBUMARTIST": info.artist,
        "ALBUM": info.album,
    }
    if info.comment:
        comments["COMMENT"] = info.comment
    for number, chapter in enumerate(info.chapters, start=1):
        comments[f"CHAPTER{number:03d}"] = clock(chapter.start_ms)
        comments[f"CHAPTER{number:03d}NAME"] = chapter.title
    return comments
