"""The rendered track in other programs' hands, and writes the system refuses.

Each test here starts a process (ffmpeg, espeak-ng, a `breathpace` that obeys file
permissions, a small tmpfs), so all are marked slow.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import miniaudio
import numpy as np
import pytest
from click.testing import CliRunner

from breathpace.audio.mixer import SAMPLE_RATE, frame_of
from breathpace.cli import main
from breathpace.routine.load import parse_routine
from breathpace.timeline import compile
from tests.cli.test_files_not_files import small_tmpfs
from tests.track.test_render_track import ROUTINE
from tests.unprivileged import bound_by_permissions

pytestmark = pytest.mark.slow

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="needs ffmpeg (installed by .ci/run)",
)


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "track-test.toml"
    path.write_text(ROUTINE)
    return path


def render(*args: str):
    return CliRunner().invoke(main, ["render", *args])


def breathpace(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_ffmpeg
def test_ffmpeg_reads_the_gapless_header_and_the_chapters(routine: Path, tmp_path: Path):
    out = tmp_path / "t.mp3"
    assert render(str(routine), "-o", str(out)).exit_code == 0
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(out), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    timeline = compile(parse_routine(ROUTINE))
    # ffmpeg trims LAME's delay and padding from the header: the session's samples.
    assert len(decoded) // 2 == frame_of(timeline.duration_ms)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chapters = [(c["start"], c["tags"]["title"]) for c in json.loads(probe)["chapters"]]
    want = [(0, "Get ready")]
    for number, item in enumerate(parse_routine(ROUTINE).exercise, start=1):
        first = next(s for s in timeline.segments if s.exercise == number)
        want.append((first.start_ms, item.name + (", left side" if number == 2 else "")))
    right = next(s for s in timeline.segments if s.side == "right")
    want.append((right.start_ms, "Clamshell, right side"))
    assert chapters == want


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_with_voice_the_words_are_in_the_mp3(routine: Path, tmp_path: Path):
    tones, spoken = tmp_path / "tones.mp3", tmp_path / "spoken.mp3"
    assert render(str(routine), "-o", str(tones)).exit_code == 0
    result = render(str(routine), "-o", str(spoken), "--voice")
    assert result.exit_code == 0 and "espeak-ng" not in result.output

    def samples(path: Path) -> np.ndarray:
        decoded = miniaudio.decode_file(
            str(path), miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=SAMPLE_RATE
        )
        return np.frombuffer(decoded.samples, dtype=np.float32)

    a, b = samples(tones), samples(spoken)
    assert len(a) == len(b)
    timeline = compile(parse_routine(ROUTINE))
    # Just after each segment starts, the spoken track holds more than the tones.
    louder = 0
    for seg in timeline.segments:
        start = frame_of(seg.start_ms)
        window = slice(start, start + SAMPLE_RATE // 2)
        louder += np.abs(b[window] - a[window]).max() > 0.05
    assert louder == len(timeline.segments)


def test_an_unwritable_folder_is_one_line(routine: Path, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    prefix = tuple(bound_by_permissions())
    for args, option in (
        (["render", str(routine), "-o", str(folder / "t.mp3")], "--output: "),
        (["feed", str(folder), str(routine), "--base-url", "http://x.test/"], ""),
    ):
        proc = breathpace(*args, prefix=prefix)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [
            f"breathpace: {option}cannot write in {folder} (Permission denied)"
        ]
    assert list(folder.iterdir()) == []


def test_an_mp3_to_a_full_disk_is_one_line_and_leaves_nothing(routine: Path, tmp_path: Path):
    with small_tmpfs(tmp_path / "full", size="128k") as full:
        proc = breathpace("render", str(routine), "-o", str(full / "t.mp3"))
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines() == [
            f"breathpace: {full / 't.mp3'}: cannot be written (No space left on device)"
        ]
        assert list(full.iterdir()) == []
