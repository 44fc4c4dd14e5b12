"""Optional spoken cues through espeak-ng: the words, and their synthesis to buffers.

`voice_lines` (pure) says which words belong to which segment. `synthesize` runs
espeak-ng once per distinct text, before playing starts, and returns float clips at
the stream's sample rate; the mixer then places them at their segments' exact samples
like any other cue. Nothing here runs while audio plays.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from breathpace.audio.synth import resample
from breathpace.audio.wavfile import WavError, read_wav
from breathpace.timeline.segment import Breath, Kind, Segment
from breathpace.timeline.timeline import Timeline

ESPEAK = "espeak-ng"
#: Words per minute: a little slower than espeak-ng's default, calmer to follow.
SPEED = 150
#: Peak level of a spoken clip (the cue tones of the soft theme peak near 0.3).
VOICE_PEAK = 0.45
TIMEOUT_S = 20

_cache: dict[tuple[str, int], np.ndarray] = {}


class VoiceError(RuntimeError):
    """espeak-ng is missing or failed; one line, ready to print."""


def voice_available() -> bool:
    import shutil

    return shutil.which(ESPEAK) is not None


#: Seconds a spoken word takes at SPEED, with a margin for the pause at a comma: what
#: decides whether a phase's cue fits inside its phase (a clip that ran on would be
#: spoken over the next phase's words).
WORD_S = 60 / SPEED
SPOKEN_MARGIN_S = 0.5


def spoken_seconds(text: str) -> float:
    """About how long espeak-ng takes to say `text` at SPEED (trimmed of its silence)."""
    return len(text.split()) * WORD_S + SPOKEN_MARGIN_S


def segment_text(seg: Segment) -> str | None:
    """What to say at the start of a segment, or None: in a phase its breath and move
    ("exhale, lift"); see `voice_lines` for the phase's cue."""
    if seg.kind is Kind.PHASE:
        word = {
            Breath.INHALE: "inhale",
            Breath.EXHALE: "exhale",
            Breath.HOLD: "hold",
            Breath.FREE: "breathe",
        }[seg.breath]
        move = seg.move.strip()
        if not move or move.lower() == word:
            return word
        return f"{word}, {move}"
    if seg.kind in (Kind.LEAD_IN, Kind.WAIT):
        name = seg.move.removeprefix("get ready:").strip() or seg.exercise_name
        return f"get ready. {name}"
    if seg.kind is Kind.TRANSITION:
        return f"next: {seg.exercise_name}"
    if seg.kind is Kind.REST:
        return "rest"
    if seg.kind is Kind.SWITCH:
        return "switch sides"
    if seg.kind is Kind.END:
        return "done"
    return None


def with_cue(text: str, cue: str) -> str:
    """The breath and move, then the phase's own cue as a second sentence."""
    cue = cue.strip()
    return f"{text}. {cue}" if cue else text


def voice_lines(timeline: Timeline) -> dict[int, str]:
    """Segment index -> the words spoken at its start.

    A phase says its breath and move and then its own cue (`Segment.cue`, never another
    phase's, never the exercise's general cues), once per phase: a hold of several
    breath cycles says it on its first cycle the words fit in. Where the cue would not
    be finished before the phase ends it is left out (the screen still shows it), so
    two phases' words never overlap."""
    lines = {}
    said: tuple | None = None  # the phase whose cue was last spoken
    for seg in timeline.segments:
        text = segment_text(seg)
        if not text:
            continue
        if seg.kind is Kind.PHASE and seg.cue:
            phase = (seg.exercise, seg.set, seg.side, seg.rep, seg.move, seg.cue)
            full = with_cue(text, seg.cue)
            if phase != said and spoken_seconds(full) <= seg.duration_ms / 1000:
                text, said = full, phase
        lines[seg.index] = text
    return lines


def synthesize(texts: Iterable[str], sample_rate: int) -> dict[str, np.ndarray]:
    """Each distinct text spoken by espeak-ng, as a float32 clip at `sample_rate` with a
    peak of VOICE_PEAK. Cached per process. Raises VoiceError."""
    out: dict[str, np.ndarray] = {}
    for text in dict.fromkeys(texts):
        key = (text, sample_rate)
        if key not in _cache:
            _cache[key] = _speak(text, sample_rate)
        out[text] = _cache[key]
    return out


def _speak(text: str, sample_rate: int) -> np.ndarray:
    import subprocess

    try:
        # The text goes through stdin, so a name starting with "-" is never an option.
        proc = subprocess.run(
            [ESPEAK, "--stdout", "-s", str(SPEED)],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise VoiceError("espeak-ng is not installed") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VoiceError(f"espeak-ng failed ({exc})") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VoiceError(f"espeak-ng failed ({detail[0] if detail else proc.returncode})")
    try:
        data, rate = read_wav(proc.stdout)
    except WavError as exc:
        raise VoiceError(f"espeak-ng gave no usable audio ({exc})") from None
    clip = resample(data, rate, sample_rate)
    clip = _trim(clip)
    peak = float(np.max(np.abs(clip))) if len(clip) else 0.0
    if peak > 0:
        clip = clip * (VOICE_PEAK / peak)
    # A short fade at both ends, so trimming never leaves a click.
    n = len(clip)
    fade = min(n // 2, round(0.005 * sample_rate))
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        clip[:fade] *= ramp
        clip[n - fade :] *= ramp[::-1]
    return clip.astype(np.float32)


def _trim(clip: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    """Drop espeak-ng's leading and trailing silence, so the word starts on its cue."""
    loud = np.flatnonzero(np.abs(clip) > threshold)
    if len(loud) == 0:
        return clip[:0].copy()
    return clip[loud[0] : loud[-1] + 1].copy()
