"""A theme's sample WAV is read as untrusted input: its header is checked before any
sound is made from it.

The stories: a theme downloaded from someone's blog holds a sample whose header says
1 Hz (resampling it to 44.1 kHz would ask for terabytes), forty channels, an hour of
sound, or nothing at all. `render` and `play` say which file and which field in one
line, exit 2, and write nothing.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.audio.synth import resample
from breathpace.audio.theme import ThemeError, load_theme
from breathpace.audio.wavfile import WavError, read_wav
from breathpace.cli import main


def wav_bytes(rate: int, channels: int, frames: int, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(b"\x10" * width * channels * frames)
    return buf.getvalue()


BAD = [
    (wav_bytes(1, 1, 100), "sample rate: 1 Hz (must be 8,000 to 192,000 Hz)"),
    (wav_bytes(4_000, 1, 100), "sample rate: 4,000 Hz"),
    (wav_bytes(1_000_000, 1, 100), "sample rate: 1,000,000 Hz"),
    (wav_bytes(44_100, 40, 10), "channels: 40 (1 to 8 are read)"),
    (wav_bytes(8_000, 1, 8_000 * 61), "length: longer than 60 s"),
    (wav_bytes(44_100, 1, 0), "length: the file holds no sound"),
    (b"RIFF\x00\x00\x00\x00WAVEjunk", "not a PCM WAV file"),
]
IDS = ["1-hz", "4-khz", "1-mhz", "40-channels", "61-seconds", "empty", "not-wav"]


def theme_with(folder: Path, sample: bytes) -> Path:
    (folder / "chime.wav").write_bytes(sample)
    theme = folder / "mine.toml"
    theme.write_text(
        'format = 1\ndescription = "mine"\n[[cue.inhale]]\nsample = "chime.wav"\nlevel = 0.5\n'
    )
    return theme


@pytest.mark.parametrize(("sample", "words"), BAD, ids=IDS)
def test_the_reader_names_the_field(sample, words):
    with pytest.raises(WavError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_wav(sample)


@pytest.mark.parametrize(("sample", "words"), BAD, ids=IDS)
def test_a_theme_with_a_bad_sample_names_file_and_field(tmp_path, sample, words):
    theme = theme_with(tmp_path, sample)
    with pytest.raises(ThemeError) as caught:
        load_theme(str(theme))
    assert f"cue.inhale[1].sample: chime.wav: {words}" in str(caught.value)


@pytest.mark.parametrize(("sample", "words"), BAD, ids=IDS)
@pytest.mark.parametrize("command", ["render", "play"])
def test_render_and_play_refuse_it_in_one_line_and_write_nothing(tmp_path, sample, words, command):
    folder = tmp_path / "theme"
    folder.mkdir()
    theme = theme_with(folder, sample)
    out = tmp_path / "out.wav"
    args = ["pelvic-tilts", "--theme", str(theme)]
    args = ["render", *args, "-o", str(out)] if command == "render" else ["play", *args, "--plain"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(theme) in result.stderr and words in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theme"]


def test_resampling_between_absurd_rates_is_refused_before_allocating():
    with pytest.raises(ValueError, match="cannot resample from 1 Hz to 44100 Hz"):
        resample([0.0] * 100, 1, 44_100)
