"""The pure mixer: exact placement, window independence, no clipping, no clicks."""

from __future__ import annotations

import itertools
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breathpace.audio.mixer import KNEE, SAMPLE_RATE, Mixer, frame_of, render
from breathpace.audio.theme import load_theme, parse_theme
from breathpace.routine.load import parse_routine
from breathpace.timeline import Kind, compile

SHORT = """
format = 1
title = "Short"
pace = "1.5-0.5-2-0"
lead_in = 3

[[exercise]]
name = "Sway"
sets = 2
reps = 2
sides = "both"
halfway = true
rest = { seconds = 2 }
switch_rest = { seconds = 1.5 }
rest_after = { seconds = 3 }
phases = [
  { move = "lift", breath = "exhale", breaths = 1, effort = true },
  { move = "stay", breath = "hold", seconds = 4.003 },
  { move = "lower", breath = "inhale", breaths = 1 },
]

[[exercise]]
name = "Breathe"
pattern = "1-1-1-1"
cycles = 2
"""

#: Phases of a tenth of a second: every cue overlaps many others.
DENSE = """
format = 1
title = "Dense"
pace = "0.1-0.1-0.1-0.1"
lead_in = 1

[[exercise]]
name = "Flutter"
sets = 3
reps = 20
sides = "both"
rest = { seconds = 0.1 }
switch_rest = { seconds = 0.1 }
rest_after = { seconds = 0.2 }
phases = [
  { move = "a", breath = "exhale", seconds = 0.1, effort = true },
  { move = "b", breath = "hold", seconds = 0.1 },
  { move = "c", breath = "inhale", seconds = 0.1 },
]

[[exercise]]
name = "Flutter again"
reps = 10
sets = 2
rest = { seconds = 0.1 }
phases = [
  { move = "a", breath = "inhale", seconds = 0.05, effort = true },
  { move = "b", breath = "exhale", seconds = 0.05, effort = true },
]
"""


def timeline_of(text: str, tempo: Fraction | int = 1):
    return compile(parse_routine(text, "<test>"), None, tempo)


def fake_voice(timeline) -> dict[str, np.ndarray]:
    """Voice clips are plain data to the mixer: a short chirp per distinct text."""
    from breathpace.audio.voice import voice_lines

    clips = {}
    for i, text in enumerate(sorted(set(voice_lines(timeline).values()))):
        t = np.arange(4000) / SAMPLE_RATE
        clips[text] = (0.4 * np.sin(2 * np.pi * (200 + 10 * i) * t) * np.hanning(4000)).astype(
            np.float32
        )
    return clips


@pytest.fixture(scope="module")
def short_timeline():
    return timeline_of(SHORT, Fraction("1.013"))


OPTION_SETS = [
    {},
    {"tick": True},
    {"breath_tone": True},
    {"tick": True, "breath_tone": True, "voice": "fake"},
]


def make_mixer(timeline, theme_name="soft", **opts):
    if opts.get("voice") == "fake":
        opts["voice"] = fake_voice(timeline)
    return Mixer(timeline, load_theme(theme_name), **opts)


@pytest.fixture(scope="module", params=range(len(OPTION_SETS)))
def mixer_and_whole(request, short_timeline):
    mixer = make_mixer(short_timeline, **OPTION_SETS[request.param])
    return mixer, mixer.render(0, mixer.total_frames)


def test_frame_of_is_exact_integer_rounding():
    assert frame_of(0) == 0
    assert frame_of(1000) == 44100
    assert frame_of(1) == 44  # 44.1
    assert frame_of(5) == 220  # 220.5 rounds to even
    assert frame_of(15) == 662  # 661.5 rounds to even
    assert frame_of(4 * 3600 * 1000) == 4 * 3600 * 44100
    for ms in range(0, 5000, 7):
        assert frame_of(ms) == round(Fraction(ms * SAMPLE_RATE, 1000))
    assert frame_of(10, 48000) == 480


def test_output_shape_type_and_total(mixer_and_whole, short_timeline):
    mixer, whole = mixer_and_whole
    assert mixer.total_frames == frame_of(short_timeline.duration_ms)
    assert whole.dtype == np.float32
    assert whole.shape == (mixer.total_frames,)
    assert np.max(np.abs(whole)) <= 1.0
    assert np.max(np.abs(whole)) > 0.1


def test_frames_past_the_end_are_silence(mixer_and_whole):
    mixer, whole = mixer_and_whole
    tail = mixer.render(mixer.total_frames - 100, 1000)
    assert tail.shape == (1000,)
    assert np.array_equal(tail[:100], whole[-100:])
    assert not tail[100:].any()
    assert not mixer.render(mixer.total_frames + 5, 64).any()
    assert mixer.render(0, 0).shape == (0,)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_partition_gives_identical_samples(mixer_and_whole, data):
    mixer, whole = mixer_and_whole
    total = mixer.total_frames
    cuts = data.draw(st.lists(st.integers(1, total - 1), max_size=25, unique=True))
    edges = [0, *sorted(cuts), total]
    pieces = [mixer.render(a, b - a) for a, b in itertools.pairwise(edges)]
    assert np.array_equal(np.concatenate(pieces), whole)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.integers(0, 10_000_000), n=st.integers(1, 50_000))
def test_any_window_equals_the_same_slice_of_the_whole(mixer_and_whole, start, n):
    mixer, whole = mixer_and_whole
    start = start % (mixer.total_frames + 1000)
    window = mixer.render(start, n)
    expected = np.zeros(n, dtype=np.float32)
    part = whole[start : start + n]
    expected[: len(part)] = part
    assert np.array_equal(window, expected)


def test_the_module_function_matches_the_mixer(short_timeline):
    theme = load_theme()
    m = Mixer(short_timeline, theme, tick=True)
    assert np.array_equal(
        render(short_timeline, theme, 12345, 54321, tick=True), m.render(12345, 54321)
    )


def test_every_segment_start_has_a_cue_in_the_default_theme(short_timeline):
    mixer = make_mixer(short_timeline)
    onsets = set(mixer.onsets())
    for seg in short_timeline.segments:
        assert frame_of(seg.start_ms) in onsets, seg


def test_a_cue_starts_on_its_exact_frame(short_timeline):
    # The sample just before a segment's cue is silent; its first frames are sound.
    mixer = make_mixer(short_timeline)
    for seg in short_timeline.segments:
        if seg.kind is not Kind.PHASE:
            continue
        f = frame_of(seg.start_ms)
        before = mixer.render(f - 200, 200)
        if np.any(before):
            continue  # an earlier cue is still ringing
        after = mixer.render(f, 44)
        assert np.max(np.abs(after)) > 0.002, seg


def test_minimal_theme_is_silent_outside_the_breath(short_timeline):
    mixer = make_mixer(short_timeline, "minimal")
    onsets = set(mixer.onsets())
    for seg in short_timeline.segments:
        at_start = frame_of(seg.start_ms) in onsets
        assert at_start == (seg.kind is Kind.PHASE and seg.breath.value != "free"), seg


@pytest.mark.parametrize("theme_name", ["soft", "clear", "minimal"])
def test_dense_overlapping_cues_never_clip(theme_name):
    timeline = timeline_of(DENSE)
    mixer = make_mixer(timeline, theme_name, tick=True, breath_tone=True, voice="fake")
    whole = mixer.render(0, mixer.total_frames)
    assert np.all(np.isfinite(whole))
    assert np.max(np.abs(whole)) <= 1.0
    # The pile-up is real: it reaches the soft clip, which holds it under full scale.
    assert np.max(np.abs(whole)) > KNEE
    pieces = [mixer.render(a, 997) for a in range(0, mixer.total_frames, 997)]
    assert np.array_equal(np.concatenate(pieces)[: mixer.total_frames], whole)


def test_the_headroom_gain_comes_from_the_loudest_cue():
    loud = parse_theme(
        "[[cue.inhale]]\nfreq = 300\nduration = 0.3\nlevel = 1.0\n"
        "[[cue.inhale]]\nfreq = 450\nduration = 0.3\nlevel = 1.0\n"
    )
    timeline = timeline_of(SHORT)
    mixer = Mixer(timeline, loud)
    assert mixer.gain < 0.5
    assert np.max(np.abs(mixer.render(0, mixer.total_frames))) <= 1.0
    assert Mixer(timeline, load_theme("soft")).gain == 1.0  # a soft theme is left alone


def test_the_breath_tone_is_continuous_and_follows_the_breath(short_timeline):
    theme = parse_theme(
        '[breath_tone]\nlow = 200\nhigh = 400\nlevel = 0.2\nhold = "steady"\nfade = 0.1\n'
        "partials = [1.0]\n"
    )
    mixer = Mixer(short_timeline, theme, breath_tone=True)
    x = mixer.render(0, mixer.total_frames).astype(np.float64)
    # No clicks: the biggest step between samples is what a 400 Hz sine of this level
    # can do, at any segment boundary included.
    max_step = 2 * np.pi * 400 * 0.2 / SAMPLE_RATE
    assert np.max(np.abs(np.diff(x))) <= max_step * 1.01
    # Pitch: count zero crossings in the last 0.3 s of inhales and of exhales.
    rates = {"inhale": [], "exhale": []}
    for seg in short_timeline.segments:
        if seg.kind is Kind.PHASE and seg.breath.value in rates and seg.duration_ms > 1000:
            end = frame_of(seg.end_ms)
            part = x[end - SAMPLE_RATE * 3 // 10 : end]
            crossings = np.count_nonzero(np.diff(np.signbit(part)))
            rates[seg.breath.value].append(crossings / 0.3 / 2)
    assert rates["inhale"] and rates["exhale"]
    assert min(rates["inhale"]) > 330 and max(rates["exhale"]) < 270


def test_the_breath_tone_is_silent_in_holds_when_asked(short_timeline):
    theme = parse_theme('[breath_tone]\nhold = "silent"\nfade = 0.05\n')
    mixer = Mixer(short_timeline, theme, breath_tone=True)
    for seg in short_timeline.segments:
        if seg.kind is Kind.PHASE and seg.breath.value == "hold" and seg.duration_ms > 1000:
            a = frame_of(seg.start_ms) + frame_of(100)
            assert not mixer.render(a, frame_of(seg.end_ms) - a).any()


def test_ticks_each_second(short_timeline):
    with_ticks = make_mixer(short_timeline, tick=True)
    without = make_mixer(short_timeline)
    extra = sorted(set(with_ticks.onsets()) - set(without.onsets()))
    seconds = {frame_of(1000 * s) for s in range(short_timeline.duration_ms // 1000 + 1)}
    assert set(extra) <= seconds
    assert len(with_ticks.onsets()) - len(without.onsets()) == (
        (short_timeline.duration_ms + 999) // 1000
    )


def test_voice_clips_sound_at_their_segment_starts(short_timeline):
    from breathpace.audio.voice import voice_lines

    clips = fake_voice(short_timeline)
    plain = make_mixer(short_timeline)
    voiced = Mixer(short_timeline, load_theme(), voice=clips)
    lines = voice_lines(short_timeline)
    assert len(voiced.onsets()) == len(plain.onsets()) + len(lines)
    seg = short_timeline.segments[1]
    f = frame_of(seg.start_ms)
    diff = voiced.render(f, 4000).astype(np.float64) - plain.render(f, 4000)
    assert np.max(np.abs(diff)) > 0.1


def test_cost_follows_the_window_not_the_session():
    # A long session places its cues once; a window only visits the cues near it.
    text = SHORT.replace("cycles = 2", "cycles = 3000")
    timeline = timeline_of(text)
    mixer = make_mixer(timeline)
    assert mixer.cue_count > 10_000
    mid = mixer.total_frames // 2
    calls = []

    class Counting(list):
        def __getitem__(self, i):
            calls.append(i)
            return super().__getitem__(i)

    mixer._which = Counting(mixer._which)  # which sound each cue plays
    mixer.render(mid, 4410)
    assert 0 < len(calls) < 20


@pytest.mark.slow
def test_importing_the_mixer_loads_no_device_or_ui():
    code = (
        "import sys, breathpace.audio.mixer, breathpace.audio.synth, breathpace.audio.theme\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'miniaudio', 'simpleaudio')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
