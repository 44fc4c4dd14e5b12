"""End to end: `breathpace render` writes a WAV; the samples read back carry every cue.

The file is analysed like a recording: onsets are found from the signal's energy over
silence, pitch from FFT peaks. Nothing here asks the mixer where it put things, except
to check that the onsets found are all cues that were meant to be there.
"""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from breathpace.audio.mixer import SAMPLE_RATE, Mixer, frame_of
from breathpace.audio.theme import load_theme
from breathpace.audio.wavfile import to_int16
from breathpace.cli import main
from breathpace.routine.load import parse_routine
from breathpace.timeline import Breath, Kind, compile

TOLERANCE = 44  # 1 ms at 44.1 kHz

ROUTINE = """
format = 1
title = "Audio test"
pace = "2-0-2-0"
lead_in = 4

[[exercise]]
name = "Breaths"
pattern = "2-2-2-2"
cycles = 2

[[exercise]]
name = "Tilt"
sets = 2
reps = 2
sides = "both"
halfway = true
rest = { seconds = 4 }
switch_rest = { seconds = 4 }
rest_after = { seconds = 5 }
phases = [
  { move = "tilt", breath = "exhale", seconds = 2, effort = true },
  { move = "hold", breath = "hold", seconds = 4 },
  { move = "release", breath = "inhale", seconds = 2 },
]

[[exercise]]
name = "Rise"
wait_for_ready = true
reps = 2
sets = 1
phases = [
  { move = "rise", breath = "inhale", seconds = 2.0137 },
  { move = "lower", breath = "exhale", seconds = 2.0071 },
]
"""

#: Stretches every breath to odd milliseconds, so rounding to frames is exercised.
TEMPO = Fraction("1.0137")


@pytest.fixture(scope="module")
def routine_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("routine") / "audio-test.toml"
    path.write_text(ROUTINE)
    return path


@pytest.fixture(scope="module")
def timeline(routine_file):
    return compile(parse_routine(routine_file.read_text(), str(routine_file)), None, TEMPO)


@pytest.fixture(scope="module")
def rendered(routine_file, tmp_path_factory) -> np.ndarray:
    out = tmp_path_factory.mktemp("wav") / "session.wav"
    result = CliRunner().invoke(
        main, ["render", str(routine_file), "-o", str(out), "--tempo", str(float(TEMPO))]
    )
    assert result.exit_code == 0, result.output
    return read_back(out)


def read_back(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == SAMPLE_RATE
        raw = wav.readframes(wav.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32767.0


def detect_onsets(x: np.ndarray, threshold: float = 0.004, gap_ms: int = 20) -> list[int]:
    """Frames where the signal rises above `threshold` after at least `gap_ms` below it."""
    loud = np.flatnonzero(np.abs(x) >= threshold)
    if len(loud) == 0:
        return []
    gap = gap_ms * SAMPLE_RATE // 1000
    after_silence = np.flatnonzero(np.diff(loud) > gap) + 1
    return [int(loud[0])] + [int(loud[i]) for i in after_silence]


def dominant_hz(x: np.ndarray) -> float:
    """Frequency of the strongest FFT peak (Hann window, zero-padded, parabolic fit)."""
    n = 1 << 16
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n))
    i = int(np.argmax(spectrum[1:-1])) + 1
    a, b, c = np.log(spectrum[i - 1 : i + 2] + 1e-12)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return (i + offset) * SAMPLE_RATE / n


def test_the_file_is_the_whole_session(rendered, timeline):
    assert len(rendered) == frame_of(timeline.duration_ms)
    assert np.max(np.abs(rendered)) <= 1.0


def test_every_segment_start_has_an_onset_within_one_ms(rendered, timeline):
    onsets = np.array(detect_onsets(rendered))
    assert len(timeline.segments) > 30
    for seg in timeline.segments:
        expected = frame_of(seg.start_ms)
        i = np.searchsorted(onsets, expected)
        assert i < len(onsets), f"no onset at or after segment {seg.index} ({seg.kind})"
        found = int(onsets[i])
        assert 0 <= found - expected <= TOLERANCE, (
            f"segment {seg.index} ({seg.kind}, {seg.breath}) starts at frame {expected}, "
            f"nearest onset at {found}"
        )


def test_every_onset_found_is_a_placed_cue(rendered, timeline):
    # No stray sounds: each onset in the file is one the mixer meant (segment starts,
    # get-ready pips, halfway cues) -- and the file holds the mixer's samples exactly.
    mixer = Mixer(timeline, load_theme())
    planned = np.array(sorted(set(mixer.onsets())))
    for found in detect_onsets(rendered):
        i = np.searchsorted(planned, found, side="right") - 1
        assert i >= 0 and found - planned[i] <= TOLERANCE
    expected = to_int16(mixer.render(0, mixer.total_frames)).astype(np.float64) / 32767.0
    assert np.array_equal(expected, rendered)


def test_countdowns_pip_on_their_last_three_seconds(rendered, timeline):
    onsets = detect_onsets(rendered)
    for seg in timeline.segments:
        if seg.kind not in (Kind.LEAD_IN, Kind.TRANSITION, Kind.WAIT):
            continue
        for s in (3, 2, 1):
            expected = frame_of(seg.end_ms - 1000 * s)
            assert any(0 <= o - expected <= TOLERANCE for o in onsets), (seg.kind, s)


def _isolated_cues(timeline, breath: Breath, length_s: float):
    """Breath cues with no other cue sounding during them (so the pitch is theirs)."""
    mixer = Mixer(timeline, load_theme())
    onsets = sorted(mixer.onsets())
    length = round(length_s * SAMPLE_RATE)
    for seg in timeline.segments:
        if seg.kind is not Kind.PHASE or seg.breath is not breath or seg.effort:
            continue
        start = frame_of(seg.start_ms)
        others = [o for o in onsets if start - 3 * SAMPLE_RATE // 2 < o < start + length]
        if others == [start]:
            yield start


def _pitch_track(x: np.ndarray, start: int, length_s: float) -> tuple[float, float]:
    """Dominant pitch over the first and the last part of a cue."""
    n = round(length_s * SAMPLE_RATE)
    part = n * 3 // 10
    early = x[start + n // 20 : start + n // 20 + part]
    late = x[start + n - part - n // 10 : start + n - n // 10]
    return dominant_hz(early), dominant_hz(late)


def test_inhale_cues_rise_and_exhale_cues_fall(rendered, timeline):
    theme = load_theme()
    inhale_s = theme.cue.inhale[0].duration
    exhale_s = theme.cue.exhale[0].duration
    inhales = list(_isolated_cues(timeline, Breath.INHALE, inhale_s))
    exhales = list(_isolated_cues(timeline, Breath.EXHALE, exhale_s))
    assert len(inhales) >= 4 and len(exhales) >= 2
    for start in inhales:
        first, last = _pitch_track(rendered, start, inhale_s)
        assert last > first * 1.1, (start, first, last)
    for start in exhales:
        first, last = _pitch_track(rendered, start, exhale_s)
        assert last < first / 1.1, (start, first, last)


def test_hold_cues_are_steady(rendered, timeline):
    hold_s = load_theme().cue.hold[0].duration
    holds = list(_isolated_cues(timeline, Breath.HOLD, hold_s))
    assert holds
    for start in holds:
        first, last = _pitch_track(rendered, start, hold_s)
        assert abs(last - first) < first * 0.02, (start, first, last)


def test_render_in_the_clear_theme_with_every_option(routine_file, tmp_path):
    out = tmp_path / "clear.wav"
    args = ["render", str(routine_file), "-o", str(out), "--theme", "clear"]
    result = CliRunner().invoke(main, [*args, "--tick", "--breath-tone", "--pace", "3-0-3-0"])
    assert result.exit_code == 0, result.output
    x = read_back(out)
    assert np.max(np.abs(x)) <= 1.0
    assert "theme clear" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "sofft"], 'no theme of that name (did you mean "soft"?)'),
        (["--pace", "4-x"], "--pace: breath pattern"),
        (["--tempo", "9"], "--tempo: must be between"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(routine_file, tmp_path, args, message):
    out = tmp_path / "x.wav"
    result = CliRunner().invoke(main, ["render", str(routine_file), "-o", str(out), *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_broken_theme_file_is_reported_with_its_path(routine_file, tmp_path):
    theme = tmp_path / "mine.toml"
    theme.write_text("[[cue.inhale]]\nfreq = 5\nduration = 0.5\nlevel = 0.2\n")
    result = CliRunner().invoke(
        main, ["render", str(routine_file), "-o", str(tmp_path / "x.wav"), "--theme", str(theme)]
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"breathpace: --theme: {theme}: cue.inhale[1].freq: must be at least 20 (found 5)"
    )


def test_an_unknown_routine_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["render", "no-such-routine", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_a_built_in_routine_renders_by_name(tmp_path):
    out = tmp_path / "tilts.wav"
    result = CliRunner().invoke(main, ["render", "pelvic-tilts", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with wave.open(str(out), "rb") as wav:
        assert wav.getnframes() > 60 * SAMPLE_RATE


def test_an_unwritable_output_is_one_line(routine_file, tmp_path):
    out = tmp_path / "no-such-folder" / "x.wav"
    result = CliRunner().invoke(main, ["render", str(routine_file), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"breathpace: --output: {out.parent} is not an existing folder"
    )
    assert not out.parent.exists()
