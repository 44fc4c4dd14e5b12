"""Spoken cues: which words go where (pure), and espeak-ng synthesis when installed."""

from __future__ import annotations

import shutil
import sys
import wave

import numpy as np
import pytest
from click.testing import CliRunner

from breathpace.audio import voice
from breathpace.audio.mixer import SAMPLE_RATE, Mixer, frame_of
from breathpace.audio.theme import load_theme
from breathpace.cli import main
from breathpace.routine.load import parse_routine
from breathpace.timeline import Kind, compile

ROUTINE = """
format = 1
title = "Voice"
pace = "2-0-2-0"
lead_in = 3

[[exercise]]
name = "Bridge"
sides = "both"
sets = 2
reps = 1
rest = { seconds = 3 }
switch_rest = { seconds = 3 }
phases = [
  { move = "lift", breath = "exhale", breaths = 1, effort = true },
  { move = "lower", breath = "inhale", breaths = 1 },
]

[[exercise]]
name = "Box breathing"
pattern = "2-2-2-2"
cycles = 1
"""

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


@pytest.fixture(scope="module")
def timeline():
    return compile(parse_routine(ROUTINE, "<voice>"))


def test_voice_lines_say_the_breath_the_move_and_the_way(timeline):
    lines = voice.voice_lines(timeline)
    assert set(lines) == {seg.index for seg in timeline.segments}
    by_kind = {}
    for seg in timeline.segments:
        by_kind.setdefault(seg.kind, []).append(lines[seg.index])
    assert by_kind[Kind.LEAD_IN] == ["get ready. Bridge"]
    assert by_kind[Kind.SWITCH] == ["switch sides", "switch sides"]
    assert by_kind[Kind.REST] == ["rest"]
    assert by_kind[Kind.TRANSITION] == ["next: Box breathing"]
    assert by_kind[Kind.END] == ["done"]
    phases = by_kind[Kind.PHASE]
    assert phases[:2] == ["exhale, lift", "inhale, lower"]
    assert phases[-4:] == ["inhale", "hold", "exhale", "hold"]


@pytest.mark.slow
@needs_espeak
def test_synthesize_gives_clips_at_the_stream_rate(timeline):
    texts = ["inhale, lift", "switch sides", "inhale, lift"]
    clips = voice.synthesize(texts, SAMPLE_RATE)
    assert set(clips) == {"inhale, lift", "switch sides"}
    for clip in clips.values():
        assert clip.dtype == np.float32
        assert 0.2 * SAMPLE_RATE < len(clip) < 3 * SAMPLE_RATE
        assert np.max(np.abs(clip)) == pytest.approx(voice.VOICE_PEAK, rel=0.01)
        # Trimmed: speech starts at once, and the clip fades in from silence.
        assert clip[0] == 0.0
        assert np.abs(clip[: SAMPLE_RATE // 20]).max() > 0.001
    # Cached: the same objects come back without running espeak-ng again.
    again = voice.synthesize(["switch sides"], SAMPLE_RATE)
    assert again["switch sides"] is clips["switch sides"]


@pytest.mark.slow
@needs_espeak
def test_a_name_starting_with_a_dash_is_spoken_not_parsed():
    clips = voice.synthesize(["--version"], 22050)
    assert len(clips["--version"]) > 1000


@pytest.mark.slow
@needs_espeak
def test_spoken_clips_sound_at_segment_starts(timeline):
    clips = voice.synthesize(voice.voice_lines(timeline).values(), SAMPLE_RATE)
    plain = Mixer(timeline, load_theme("minimal"))
    spoken = Mixer(timeline, load_theme("minimal"), voice=clips)
    for seg in timeline.segments:
        start = frame_of(seg.start_ms)
        diff = spoken.render(start - 100, 2000).astype(np.float64) - plain.render(start - 100, 2000)
        if seg.index == 0:
            assert not diff[:100].any()  # nothing is spoken before the session starts
        assert np.abs(diff[100:]).max() > 0.01, seg


@pytest.mark.slow
@needs_espeak
def test_render_with_voice(tmp_path):
    path = tmp_path / "voice.toml"
    path.write_text(ROUTINE)
    out = tmp_path / "voice.wav"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out), "--voice"])
    assert result.exit_code == 0, result.output
    assert "espeak-ng" not in result.output
    with wave.open(str(out), "rb") as wav:
        assert wav.getnframes() > 10 * SAMPLE_RATE


def test_render_voice_without_espeak_says_so_and_carries_on(tmp_path, monkeypatch):
    path = tmp_path / "voice.toml"
    path.write_text(ROUTINE)
    out = tmp_path / "voice.wav"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not voice.voice_available()
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out), "--voice"])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "espeak-ng" in line]
    assert lines == ["breathpace: --voice: espeak-ng is not installed; tones only"]
    assert out.stat().st_size > 44


@pytest.mark.slow
def test_synthesize_without_espeak_raises_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(voice, "_cache", {})
    with pytest.raises(voice.VoiceError, match=r"^espeak-ng is not installed$"):
        voice.synthesize(["hello"], SAMPLE_RATE)


@pytest.mark.slow
def test_voice_is_not_imported_by_the_pure_mixer():
    import subprocess

    code = "import sys, breathpace.audio.mixer; print('breathpace.audio.voice' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
