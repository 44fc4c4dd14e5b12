"""`breathpace render -o NAME.mp3|.flac|.ogg`: the file is what its name says, its
sounds fall where the timeline puts them, and its chapters and pictures read back.

Everything here reads the written file as a phone's player would: decoded by miniaudio
(dr_mp3, which honours LAME's gapless header), tags read by mutagen, pictures opened by
Pillow. The expected times come from the timeline's segments.
"""

from __future__ import annotations

import errno
import io
import json
from pathlib import Path

import miniaudio
import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from PIL import Image

from breathpace.audio.mixer import SAMPLE_RATE, frame_of
from breathpace.cli import main
from breathpace.routine.load import parse_routine
from breathpace.timeline import compile
from breathpace.track import encode
from tests.e2e.onset_timing import ROUTINE as ONSET_ROUTINE
from tests.e2e.onset_timing import detect_onsets

#: "A few milliseconds": onsets are found on decoded samples, where MP3's quantisation
#: noise may lead a tone's start by a little.
ONSET_TOLERANCE_MS = 3

ROUTINE = """
format = 1
title = "Track test"
summary = "Two short exercises."
safety = "Stop before pain."
pace = "1.5-0-1.5-0"
lead_in = 2

[[exercise]]
name = "Pelvic tilt"
figure = "pelvic-tilt"
position = "On your back, knees bent, feet flat"
reps = 2
rest_after = { seconds = 2 }
phases = [
  { move = "tilt", pose = "tilt", breath = "exhale", seconds = 1.5, effort = true },
  { move = "release", pose = "start", breath = "inhale", seconds = 1.5 },
]

[[exercise]]
name = "Clamshell"
figure = "clamshell"
position = "On your side, knees bent, head resting on your arm"
sides = "both"
reps = 1
switch_rest = { seconds = 2 }
phases = [
  { move = "open", breath = "exhale", seconds = 1.5, effort = true },
  { move = "close", breath = "inhale", seconds = 1.5 },
]
"""


def render(*args: str) -> object:
    return CliRunner().invoke(main, ["render", *args])


def decode(path: Path) -> np.ndarray:
    decoded = miniaudio.decode_file(
        str(path),
        output_format=miniaudio.SampleFormat.FLOAT32,
        nchannels=1,
        sample_rate=SAMPLE_RATE,
    )
    return np.frombuffer(decoded.samples, dtype=np.float32)


def decode_bytes(data: bytes) -> np.ndarray:
    decoded = miniaudio.decode(
        data,
        output_format=miniaudio.SampleFormat.FLOAT32,
        nchannels=1,
        sample_rate=SAMPLE_RATE,
    )
    return np.frombuffer(decoded.samples, dtype=np.float32)


@pytest.fixture
def track_routine(tmp_path: Path) -> Path:
    path = tmp_path / "track-test.toml"
    path.write_text(ROUTINE)
    return path


@pytest.fixture
def onset_routine(tmp_path: Path) -> Path:
    path = tmp_path / "onsets.toml"
    path.write_text(ONSET_ROUTINE)
    return path


# -- timing --------------------------------------------------------------------------


def test_mp3_tones_start_where_the_timeline_says(onset_routine: Path, tmp_path: Path):
    out = tmp_path / "onsets.mp3"
    result = render(str(onset_routine), "-o", str(out))
    assert result.exit_code == 0, result.output
    samples = decode(out)
    timeline = compile(parse_routine(ONSET_ROUTINE))
    # The gapless header names LAME's delay and padding, and the decoder trims both:
    # exactly the session's samples come out, the first one first.
    assert len(samples) == frame_of(timeline.duration_ms)
    want_ms = [seg.start_ms for seg in timeline.segments]
    found_ms = [f * 1000 / SAMPLE_RATE for f in detect_onsets(samples)]
    assert len(found_ms) == len(want_ms), (found_ms, want_ms)
    errors = np.array(found_ms) - np.array(want_ms)
    assert np.abs(errors).max() <= ONSET_TOLERANCE_MS, errors


def test_without_the_gapless_header_every_tone_is_late_by_the_codec_delay(
    onset_routine: Path, tmp_path: Path
):
    """What the header is for: cut it out and the same audio decodes 1105 samples
    (LAME's 576 and the decoder's 529, 25 ms) late."""
    out = tmp_path / "onsets.mp3"
    assert render(str(onset_routine), "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    tag_size = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    info_size = encode.frame_size(data[tag_size : tag_size + 4])
    assert data[tag_size + 21 : tag_size + 25] == b"Info"
    bare = decode_bytes(data[:tag_size] + data[tag_size + info_size :])
    with_header = decode(out)
    late = detect_onsets(bare)[0] - detect_onsets(with_header)[0]
    assert abs(late - (encode.LAME_DELAY + encode.DECODER_DELAY)) <= 2


def test_flac_holds_exactly_the_samples_of_the_wav(track_routine: Path, tmp_path: Path):
    import soundfile

    wav, flac = tmp_path / "t.wav", tmp_path / "t.flac"
    assert render(str(track_routine), "-o", str(wav)).exit_code == 0
    assert render(str(track_routine), "-o", str(flac)).exit_code == 0
    a, _ = soundfile.read(wav, dtype="int16")
    b, rate = soundfile.read(flac, dtype="int16")
    assert rate == SAMPLE_RATE
    assert np.array_equal(a, b)


# -- tags, chapters, pictures -----------------------------------------------------


def expected_chapters(routine_text: str) -> list[tuple[int, str]]:
    """From the segments: the lead-in, each exercise's first segment, and on a
    both-sides exercise the first segment of the right side."""
    routine = parse_routine(routine_text)
    timeline = compile(routine)
    want = [(0, "Get ready")]
    for number, item in enumerate(routine.exercise, start=1):
        first = next(s for s in timeline.segments if s.exercise == number)
        if getattr(item, "sides", None) == "both":
            right = next(s for s in timeline.segments if s.exercise == number and s.side == "right")
            want += [(first.start_ms, f"{item.name}, left side")]
            want += [(right.start_ms, f"{item.name}, right side")]
        else:
            want.append((first.start_ms, item.name))
    return want


def png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data))


def test_mp3_chapters_start_at_each_exercise_with_its_figure(track_routine: Path, tmp_path: Path):
    out = tmp_path / "t.mp3"
    result = render(str(track_routine), "-o", str(out))
    assert result.exit_code == 0, result.output
    tags = ID3(out)
    chapters = tags.getall("CHAP")
    # Written in time order, and the table of contents lists them in that order.
    assert [(c.start_time, c.sub_frames["TIT2"].text[0]) for c in chapters] == expected_chapters(
        ROUTINE
    )
    (toc,) = tags.getall("CTOC")
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    duration = compile(parse_routine(ROUTINE)).duration_ms
    assert [c.end_time for c in chapters] == [c.start_time for c in chapters[1:]] + [duration]
    pictures = []
    for chapter in chapters:
        (apic,) = [f for f in chapter.sub_frames.values() if f.FrameID == "APIC"]
        image = png(apic.data)
        assert image.size == (720, 720)
        pictures.append(np.asarray(image.convert("L"), dtype=np.int16))
    # Every exercise's picture is its own (the lead-in shows the first exercise).
    assert not np.array_equal(pictures[1], pictures[2])
    # The right side is the same body doing the pose on its other side, as on screen:
    # the limbs swap, the body keeps its place in the picture (the upper part holds the
    # figure; the words are below).
    top = 330
    left, right = pictures[2][:top], pictures[3][:top]
    assert (left > 100).sum() > 2000 and (right > 100).sum() > 2000  # both drawn
    assert np.abs(right - left).mean() > 0.5  # not the same picture

    def centre_x(picture: np.ndarray) -> float:
        cols = np.nonzero(picture > 100)[1]
        return float(cols.mean())

    # The limbs move to the other side of the trunk, so the ink's middle may shift a
    # little; a picture flipped end to end would move it by far more.
    assert abs(centre_x(right) - centre_x(left)) < 720 * 0.12


def test_mp3_title_grouping_and_cover(track_routine: Path, tmp_path: Path):
    out = tmp_path / "t.mp3"
    assert render(str(track_routine), "-o", str(out), "--pace", "2-0-3-0").exit_code == 0
    tags = ID3(out)
    assert tags["TIT2"].text == ["Track test (pace 2-0-3-0)"]
    assert tags["TPE1"].text == ["breathpace"] and tags["TALB"].text == ["breathpace routines"]
    cover = [f for f in tags.getall("APIC") if f.type == 3]
    assert len(cover) == 1 and png(cover[0].data).size == (1400, 1400)
    assert "Stop before pain." in tags.getall("COMM")[0].text[0]


def test_the_title_names_the_personal_pace(track_routine: Path, tmp_path: Path):
    from breathpace import paths

    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('pace = "3-0-4-0"\n')
    out = tmp_path / "t.mp3"
    assert render(str(track_routine), "-o", str(out)).exit_code == 0
    assert ID3(out)["TIT2"].text == ["Track test (your pace 3-0-4-0)"]
    # and the chapters follow that pace
    assert ID3(out).getall("CHAP")[1].start_time == 2000


@pytest.mark.parametrize("suffix", [".flac", ".ogg"])
def test_flac_and_ogg_carry_chapter_comments(track_routine: Path, tmp_path: Path, suffix: str):
    import mutagen

    out = tmp_path / f"t{suffix}"
    assert render(str(track_routine), "-o", str(out)).exit_code == 0
    audio = mutagen.File(out)
    assert audio.tags["TITLE"] == ["Track test (pace 1.5-0-1.5-0)"]
    got = []
    number = 1
    while f"CHAPTER{number:03d}" in audio.tags:
        clock = audio.tags[f"CHAPTER{number:03d}"][0]
        h, m, s = clock.split(":")
        got.append((round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000),
                    audio.tags[f"CHAPTER{number:03d}NAME"][0]))  # fmt: skip
        number += 1
    assert got == expected_chapters(ROUTINE)
    assert len(decode(out)) == frame_of(compile(parse_routine(ROUTINE)).duration_ms)


def test_the_written_file_is_the_named_format(track_routine: Path, tmp_path: Path):
    magic = {".wav": b"RIFF", ".mp3": b"ID3\x03", ".flac": b"fLaC", ".ogg": b"OggS"}
    for suffix, start in magic.items():
        out = tmp_path / f"t{suffix.upper()}"  # the extension in capitals is the same format
        assert render(str(track_routine), "-o", str(out)).exit_code == 0
        assert out.read_bytes()[:4] == start


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["t.m4a", "t", "t.mp3.txt"])
def test_an_unknown_extension_is_one_line_and_writes_nothing(
    track_routine: Path, tmp_path: Path, name: str
):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = render(str(track_routine), "-o", str(out))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    named = f'"{Path(name).suffix}"' if Path(name).suffix else "no extension"
    assert line == (
        f"breathpace: {out}: {named} is not a format breathpace writes; "
        "end the name in .wav, .mp3, .flac or .ogg"
    )
    assert list(out.parent.iterdir()) == []


def test_a_routine_that_fails_check_is_one_line_and_writes_nothing(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(ROUTINE.replace("reps = 2", "reps = -2"))
    out = tmp_path / "out"
    out.mkdir()
    result = render(str(bad), "-o", str(out / "t.mp3"))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"breathpace: {bad}") and "reps" in line
    assert list(out.iterdir()) == []


class FillsUp:
    """A file that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, handle, room: int):
        self._handle, self._room = handle, room

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)


@pytest.mark.parametrize("suffix", [".mp3", ".flac", ".wav"])
def test_a_full_disk_half_way_keeps_the_older_file_and_leaves_no_part(
    track_routine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
):
    import contextlib

    real = encode.atomic_output

    @contextlib.contextmanager
    def filling(path, **kw):
        with real(path, **kw) as handle:
            yield FillsUp(handle, 100_000)

    monkeypatch.setattr(encode, "atomic_output", filling)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"t{suffix}"
    out.write_bytes(b"an older track")
    result = render(str(track_routine), "-o", str(out))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == f"breathpace: {out}: cannot be written (No space left on device)"
    assert [p.name for p in folder.iterdir()] == [out.name]
    assert out.read_bytes() == b"an older track"


def test_rendering_keeps_the_mode_of_the_file_it_replaces(track_routine: Path, tmp_path: Path):
    out = tmp_path / "t.mp3"
    out.write_bytes(b"old")
    out.chmod(0o640)
    assert render(str(track_routine), "-o", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_bytes()[:3] == b"ID3"


def test_the_chapters_json_of_a_feed_and_the_mp3_agree(track_routine: Path, tmp_path: Path):
    """The feed's chapters file is made from the same chapters as the track's tags."""
    from breathpace.session.options import Overrides, session_options
    from breathpace.session.prepare import prepare
    from breathpace.track.build import track_info
    from breathpace.track.feed import chapters_json

    prepared = prepare(str(track_routine), session_options(Overrides()))
    info = track_info(prepared, pictures=False)
    data = json.loads(chapters_json(info, [None] * len(info.chapters)))
    assert [(round(c["startTime"] * 1000), c["title"]) for c in data["chapters"]] == (
        expected_chapters(ROUTINE)
    )
