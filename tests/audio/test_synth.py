"""Pure synthesis: envelopes without clicks, glides in the right direction, peaks bounded."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from breathpace.audio import synth
from breathpace.audio.theme import Tone

RATE = 44100


def test_envelope_starts_and_ends_silent_and_is_bounded():
    env = synth.envelope(4410, 132, 1000, sample_rate=RATE)
    assert env[0] == 0.0
    assert env[-1] == pytest.approx(0.0, abs=1e-12)
    assert env.max() == 1.0 and env.min() >= 0.0
    # Raised cosine: smooth, no step bigger than the attack's steepest slope.
    assert np.max(np.abs(np.diff(env))) <= np.pi / (2 * 132) + 1e-9


@given(
    n=st.integers(1, 5000),
    attack=st.integers(0, 6000),
    release=st.integers(0, 6000),
    decay=st.none() | st.floats(0.001, 5),
)
def test_envelope_any_lengths(n, attack, release, decay):
    env = synth.envelope(n, attack, release, decay, RATE)
    assert env.shape == (n,)
    assert np.all(env >= 0) and np.all(env <= 1)
    assert env[0] == 0.0


def test_glide_phase_frequency_moves_from_f0_to_f1():
    n = RATE // 2
    phase = synth.glide_phase(n, 300.0, 600.0, RATE)
    inst = np.diff(phase) * RATE
    assert inst[0] == pytest.approx(300.0, rel=1e-3)
    assert inst[-1] == pytest.approx(600.0, rel=1e-3)
    assert np.all(np.diff(inst) > 0)
    steady = synth.glide_phase(100, 440.0, 440.0, RATE)
    assert np.allclose(np.diff(steady) * RATE, 440.0)


def _zero_crossing_hz(x: np.ndarray) -> float:
    return np.count_nonzero(np.diff(np.signbit(x))) / 2 / (len(x) / RATE)


@pytest.mark.parametrize(("f0", "f1"), [(330.0, 495.0), (495.0, 330.0), (400.0, None)])
def test_a_tone_glides_the_way_it_is_told(f0, f1):
    spec = Tone(freq=f0, glide_to=f1, duration=0.6, attack=0.003, release=0.05, level=0.5)
    x = synth.tone(spec, RATE)
    assert len(x) == round(0.6 * RATE)
    quarter = len(x) // 4
    first = _zero_crossing_hz(x[quarter // 4 : quarter])
    last = _zero_crossing_hz(x[-quarter : -quarter // 4])
    if f1 is None:
        assert first == pytest.approx(last, rel=0.03)
    elif f1 > f0:
        assert last > first * 1.2
    else:
        assert last < first / 1.2


@given(
    level=st.floats(0, 1),
    partials=st.lists(st.floats(0, 1), min_size=1, max_size=6),
    freq=st.floats(40, 4000),
)
def test_a_tone_never_exceeds_its_level(level, partials, freq):
    spec = Tone(
        freq=freq, duration=0.05, attack=0.002, release=0.01, level=level, partials=tuple(partials)
    )
    x = synth.tone(spec, RATE)
    assert np.max(np.abs(x)) <= level + 1e-9
    assert x[0] == 0.0 and abs(x[-1]) < 1e-12


def test_partials_above_nyquist_are_dropped():
    spec = Tone(freq=8000, duration=0.05, release=0.01, level=0.5, partials=(1.0, 1.0, 1.0))
    x = synth.tone(spec, RATE)
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    assert spectrum[freqs > 17000].max() < spectrum.max() * 0.01


def test_a_cue_places_layers_at_their_delays():
    a = Tone(freq=500, duration=0.1, level=0.3)
    b = Tone(freq=700, delay=0.25, duration=0.1, level=0.3)
    x = synth.cue([a, b], RATE)
    assert len(x) == round(0.35 * RATE)
    gap = x[round(0.1 * RATE) : round(0.25 * RATE)]
    assert not gap.any()
    assert np.abs(x[round(0.25 * RATE) : round(0.26 * RATE)]).max() > 0.05
    assert synth.cue([], RATE).shape == (0,)


def test_a_sample_layer_is_resampled_and_scaled():
    data = np.sin(2 * np.pi * 440 * np.arange(2205) / 22050)
    spec = Tone(sample="bell.wav", level=0.25, attack=0.001, release=0.01)
    x = synth.tone(spec, RATE, (data, 22050))
    assert len(x) == 4410
    assert np.max(np.abs(x)) == pytest.approx(0.25, rel=0.01)
    assert _zero_crossing_hz(x) == pytest.approx(440, rel=0.02)
    with pytest.raises(ValueError, match="was not loaded"):
        synth.cue([spec], RATE, {})


def test_resample_lengths():
    x = np.ones(1000)
    assert len(synth.resample(x, 22050, 44100)) == 2000
    assert len(synth.resample(x, 48000, 44100)) == 919
    assert synth.resample(x, 44100, 44100) is not None


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=200))
def test_soft_clip_is_bounded_monotonic_and_transparent_below_the_knee(values):
    x = np.array(sorted(values))
    y = synth.soft_clip(x, 0.8)
    assert np.all(np.abs(y) <= 1.0)
    assert np.all(np.diff(y) >= 0)
    small = np.abs(x) <= 0.8
    assert np.array_equal(y[small], x[small])


def test_linear_glide_cycles_matches_a_running_sum():
    n = 10_000
    k = np.arange(n + 1)
    cycles = synth.linear_glide_cycles(k, 200.0, 300.0, n, RATE)
    freqs = 200.0 + 100.0 * (np.arange(n) + 0.5) / n
    assert cycles[-1] == pytest.approx(np.sum(freqs) / RATE, rel=1e-9)
    assert cycles[-1] == pytest.approx(250.0 * n / RATE, rel=1e-12)
