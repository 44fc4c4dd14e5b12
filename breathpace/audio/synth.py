"""Pure numpy synthesis of the cue sounds: enveloped tones, glides, partials, samples.

Every function here is a deterministic function of its arguments (no files, clocks or
devices), so the mixer can cache a cue's samples once and trust that the same theme
always sounds the same. Envelopes are raised cosines, so nothing starts or stops with
a click, and an attack of a few milliseconds keeps a cue's onset on its exact sample.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np


class ToneSpec(Protocol):
    """What synthesis needs of one layer of a cue (the theme's `Tone` model). Read-only
    properties, so a frozen model (whose fields cannot be set) matches."""

    @property
    def freq(self) -> float | None: ...

    @property
    def glide_to(self) -> float | None: ...

    @property
    def delay(self) -> float: ...

    @property
    def duration(self) -> float | None: ...

    @property
    def attack(self) -> float: ...

    @property
    def release(self) -> float: ...

    @property
    def decay(self) -> float | None: ...

    @property
    def level(self) -> float: ...

    @property
    def partials(self) -> Sequence[float]: ...

    @property
    def ratios(self) -> Sequence[float] | None: ...

    @property
    def sample(self) -> str | None: ...


def seconds_to_frames(seconds: float, sample_rate: int) -> int:
    return max(0, round(seconds * sample_rate))


def envelope(
    n: int, attack: int, release: int, decay: float | None = None, sample_rate: int = 44100
) -> np.ndarray:
    """Raised-cosine attack over `attack` frames, optional exponential decay (time
    constant `decay` seconds), raised-cosine release over the last `release` frames.
    The first frame is 0 and the last is 0, so the tone neither clicks on nor off."""
    env = np.ones(n, dtype=np.float64)
    if n == 0:
        return env
    a = min(max(attack, 1), n)
    env[:a] = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / a)
    r = min(max(release, 1), n - 1) if n > 1 else 1
    # k = 1..r so the final frame lands exactly on zero.
    k = np.arange(1, r + 1)
    env[n - r :] *= 0.5 + 0.5 * np.cos(np.pi * k / r)
    if decay is not None and decay > 0:
        env *= np.exp(-np.arange(n) / (decay * sample_rate))
    return env


def glide_phase(n: int, f0: float, f1: float, sample_rate: int) -> np.ndarray:
    """Phase in cycles of a tone gliding exponentially (evenly in pitch) from f0 to f1
    over n frames; closed form, so there is no drift from summing."""
    t = np.arange(n, dtype=np.float64) / sample_rate
    if n == 0 or f0 == f1:
        return f0 * t
    duration = n / sample_rate
    ratio = f1 / f0
    log_r = math.log(ratio)
    return f0 * duration / log_r * (np.exp(log_r * t / duration) - 1.0)


def resample(x: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Linear-interpolation resampling (samples are short, soft cues: enough).

    Rates more than 48 times apart are refused (ValueError): no real sound needs it,
    and a broken file's 1 Hz rate would otherwise ask for terabytes."""
    if src_rate == dst_rate or len(x) == 0:
        return np.asarray(x, dtype=np.float64)
    if src_rate <= 0 or dst_rate <= 0 or max(src_rate, dst_rate) > 48 * min(src_rate, dst_rate):
        raise ValueError(f"cannot resample from {src_rate} Hz to {dst_rate} Hz")
    n_out = max(1, round(len(x) * dst_rate / src_rate))
    positions = np.arange(n_out, dtype=np.float64) * (src_rate / dst_rate)
    return np.interp(positions, np.arange(len(x), dtype=np.float64), x)


def tone(
    spec: ToneSpec, sample_rate: int, sample: tuple[np.ndarray, int] | None = None
) -> np.ndarray:
    """One layer of a cue, starting at its own frame 0 (its `delay` is applied by `cue`).

    A synthesised layer has a peak of at most `spec.level`. A sample layer (`sample` is
    the decoded WAV and its rate) is scaled so its peak is `spec.level`.
    """
    attack = seconds_to_frames(spec.attack, sample_rate)
    release = seconds_to_frames(spec.release, sample_rate)
    if sample is not None:
        data, rate = sample
        x = resample(np.asarray(data, dtype=np.float64), rate, sample_rate)
        if spec.duration is not None:
            x = x[: max(1, seconds_to_frames(spec.duration, sample_rate))]
        peak = float(np.max(np.abs(x))) if len(x) else 0.0
        if peak > 0:
            x = x * (spec.level / peak)
        return x * envelope(len(x), attack, release, spec.decay, sample_rate)
    assert spec.freq is not None and spec.duration is not None
    n = max(1, seconds_to_frames(spec.duration, sample_rate))
    f0 = spec.freq
    f1 = spec.glide_to if spec.glide_to is not None else f0
    phase = glide_phase(n, f0, f1, sample_rate)
    ratios = list(spec.ratios) if spec.ratios is not None else None
    ratios = ratios or [float(i + 1) for i in range(len(spec.partials))]
    nyquist = sample_rate / 2
    top = max(f0, f1)
    kept = [(a, r) for a, r in zip(spec.partials, ratios, strict=True) if top * r < nyquist * 0.9]
    if not kept:
        return np.zeros(n, dtype=np.float64)
    norm = sum(abs(a) for a in spec.partials) or 1.0
    wave = np.zeros(n, dtype=np.float64)
    for amp, ratio in kept:
        if amp:
            wave += (amp / norm) * np.sin(2.0 * np.pi * ratio * phase)
    return spec.level * wave * envelope(n, attack, release, spec.decay, sample_rate)


def cue(
    tones: Sequence[ToneSpec],
    sample_rate: int,
    samples: Mapping[str, tuple[np.ndarray, int]] | None = None,
) -> np.ndarray:
    """All layers of one cue mixed into one buffer (each at its delay)."""
    samples = samples or {}
    layers = []
    for spec in tones:
        data = samples.get(spec.sample) if spec.sample is not None else None
        if spec.sample is not None and data is None:
            raise ValueError(f"sample {spec.sample!r} was not loaded")
        layers.append((seconds_to_frames(spec.delay, sample_rate), tone(spec, sample_rate, data)))
    if not layers:
        return np.zeros(0, dtype=np.float64)
    n = max(offset + len(x) for offset, x in layers)
    out = np.zeros(n, dtype=np.float64)
    for offset, x in layers:
        out[offset : offset + len(x)] += x
    return out


def ramp(k: np.ndarray, length: int) -> np.ndarray:
    """Raised-cosine 0 -> 1 over `length` frames, evaluated at frame offsets k (>= 0)."""
    if length <= 0:
        return np.ones(len(k), dtype=np.float64)
    x = np.minimum(k, length) / length
    return 0.5 - 0.5 * np.cos(np.pi * x)


def linear_glide_cycles(
    k: np.ndarray, f0: float, f1: float, n: int, sample_rate: int
) -> np.ndarray:
    """Cycles elapsed after k frames of a tone whose frequency moves linearly from f0 to
    f1 over n frames (the breath tone: a closed form of the absolute frame index, so any
    window of the stream computes exactly the same samples)."""
    kf = k.astype(np.float64)
    return (f0 * kf + 0.5 * (f1 - f0) * kf * kf / n) / sample_rate


def soft_clip(x: np.ndarray, knee: float) -> np.ndarray:
    """Identity below `knee`, then a tanh curve that approaches 1 and never reaches past
    it. Sample-wise, so it gives the same result whatever window it is applied to."""
    mag = np.abs(x)
    over = mag > knee
    if not over.any():
        return x
    out = x.copy()
    span = 1.0 - knee
    out[over] = np.sign(x[over]) * (knee + span * np.tanh((mag[over] - knee) / span))
    return out
