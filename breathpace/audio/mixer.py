"""The pure mixer: the exact samples of any window of a session.

The mixer turns a timeline and a theme into sound. It places every cue once, up front,
in a sorted list of (onset frame, cached buffer); rendering a window bisects to the cues
that overlap it and adds their slices, so the cost follows the window, not the session.
Every sample is a function of its absolute frame index only (the breath tone too), and
the limiter works sample by sample, so any partition of the session into windows gives
bit-identical samples: the player may ask for blocks of any size, seek anywhere, and
the WAV renderer gets exactly what the speaker would have played.

Volume and mute are not the mixer's business: the player multiplies.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping

import numpy as np

from breathpace.audio import synth
from breathpace.audio.theme import Theme
from breathpace.frames import frame_of as _frame_of
from breathpace.timeline.segment import Breath, Kind, Mark, Segment
from breathpace.timeline.timeline import Timeline

SAMPLE_RATE = 44100

#: Loudest single cue after the headroom gain; overlapping cues can sum above it and
#: meet the soft clip, whose knee sits a little higher.
HEADROOM_PEAK = 0.7
KNEE = 0.8
#: The get-ready count: a pip on each of the last seconds of a countdown segment.
COUNT_SECONDS = 3
#: Frames rendered at a time inside one `render` call (about 1.5 s: fits the cache).
CHUNK_FRAMES = 1 << 16
#: A cue still ringing when the session ends fades out over this long (never a click).
END_FADE_MS = 30

_START_CUE: dict[Kind, str] = {
    Kind.LEAD_IN: "get_ready",
    Kind.WAIT: "get_ready",
    Kind.REST: "rest",
    Kind.SWITCH: "switch",
    Kind.TRANSITION: "transition",
    Kind.END: "session_end",
}
_BREATH_CUE: dict[Breath, str] = {
    Breath.INHALE: "inhale",
    Breath.EXHALE: "exhale",
    Breath.HOLD: "hold",
    Breath.FREE: "breathe",
}
_COUNTDOWNS = (Kind.LEAD_IN, Kind.WAIT, Kind.TRANSITION)


def frame_of(ms: int, sample_rate: int = SAMPLE_RATE) -> int:
    """The frame of an absolute time (see `breathpace.frames.frame_of`; the default rate
    is the mixer's)."""
    return _frame_of(ms, sample_rate)


def start_cues(seg: Segment) -> list[str]:
    """Names of the cues that sound at a segment's start (before end-of-segment chimes)."""
    if seg.kind is Kind.PHASE:
        names = [_BREATH_CUE[seg.breath]]
        if seg.effort:
            names.append("effort")
        return names
    return [_START_CUE[seg.kind]]


def end_chime(seg: Segment) -> str | None:
    """The one chime at a segment's end: the fullest of its end marks."""
    if Mark.EXERCISE_END in seg.marks:
        return "exercise_end"
    if Mark.SET_END in seg.marks:
        return "set_end"
    if Mark.REP_END in seg.marks:
        return "rep_end"
    return None


class CueCache:
    """Cue buffers synthesised once per theme and sample rate, shared by every mixer.

    A pace or tempo change builds a new Mixer for the new timeline; with the buffers
    cached here that costs no synthesis. The cache lives with the mixer rather than on
    the theme, which is a frozen model that should not carry rendered sound. Entries are
    keyed by the theme *object* (two theme files may compare equal yet point at
    different sample files) and it holds the theme, so its id cannot be reused; only the
    few most recent themes are kept.
    """

    def __init__(self, size: int = 8):
        self._size = size
        self._entries: dict[tuple[int, int], tuple[Theme, dict[str, np.ndarray]]] = {}

    def buffers(self, theme: Theme, sample_rate: int) -> dict[str, np.ndarray]:
        key = (id(theme), sample_rate)
        entry = self._entries.pop(key, None)
        if entry is None:
            entry = (theme, _synthesise(theme, sample_rate))
            while len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = entry  # most recently used last
        return entry[1]


def _synthesise(theme: Theme, sample_rate: int) -> dict[str, np.ndarray]:
    buffers: dict[str, np.ndarray] = {}
    for name, tones in theme.layers().items():
        if tones:
            buf = synth.cue(tones, sample_rate, theme.samples)
            if len(buf):
                buf.flags.writeable = False  # shared by every mixer of this theme
                buffers[name] = buf
    return buffers


#: The process-wide cache the mixers use unless given their own.
CUES = CueCache()


def cue_buffers(
    theme: Theme, sample_rate: int, cache: CueCache | None = None
) -> dict[str, np.ndarray]:
    """Every non-silent cue of a theme, synthesised once per theme and rate (read-only:
    mixers share them, so a pace change that builds a new Mixer costs no synthesis)."""
    return (cache or CUES).buffers(theme, sample_rate)


class Mixer:
    """Samples of one timeline in one theme. Build once per timeline; render any window."""

    def __init__(
        self,
        timeline: Timeline,
        theme: Theme,
        sample_rate: int = SAMPLE_RATE,
        *,
        tick: bool = False,
        breath_tone: bool = False,
        voice: Mapping[str, np.ndarray] | None = None,
        cues: CueCache | None = None,
    ):
        self.timeline = timeline
        self.theme = theme
        self.sample_rate = sample_rate
        self.total_frames = self.frame_of(timeline.duration_ms)
        self._buffers = cue_buffers(theme, sample_rate, cues)
        # Each cue is an onset and the number of its buffer, in two compact arrays: a
        # four-hour routine of quick reps places close to a million cues, which as
        # Python tuples would cost the player a hundred megabytes.
        self._sounds: list[np.ndarray] = []
        numbers: dict[int, int] = {}
        onsets, which = array("q"), array("i")

        def place(frame: int, buf: np.ndarray) -> None:
            number = numbers.get(id(buf))
            if number is None:
                number = numbers[id(buf)] = len(self._sounds)
                self._sounds.append(buf)
            onsets.append(frame)
            which.append(number)

        self._place_cues(timeline, tick, place)
        if voice:
            self._place_voice(timeline, voice, place)
        # Sorted by onset, then by the order placed (a stable sort): each frame always
        # sums its cues in the same order, whatever window it falls in.
        order = np.argsort(np.frombuffer(onsets, dtype=np.int64), kind="stable")
        self._onsets = array("q", np.frombuffer(onsets, dtype=np.int64)[order].tobytes())
        self._which = array("i", np.frombuffer(which, dtype=np.int32)[order].tobytes())
        self._longest = max((len(b) for b in self._sounds), default=0)
        loudest = max((float(np.max(np.abs(b))) for b in self._buffers.values()), default=0.0)
        if voice:
            loudest = max([loudest] + [float(np.max(np.abs(c))) for c in voice.values() if len(c)])
        self.gain = min(1.0, HEADROOM_PEAK / loudest) if loudest > 0 else 1.0
        self._tone = (
            _BreathTone(timeline, theme, sample_rate, self.frame_of) if breath_tone else None
        )
        self._fade_frames = min(self.total_frames, max(1, self.frame_of(END_FADE_MS)))

    def frame_of(self, ms: int) -> int:
        return frame_of(ms, self.sample_rate)

    @property
    def cue_count(self) -> int:
        return len(self._onsets)

    def onsets(self) -> list[int]:
        """Onset frames of every placed cue, in order (for tests and diagnostics)."""
        return list(self._onsets)

    def _place_cues(
        self, timeline: Timeline, tick: bool, place: Callable[[int, np.ndarray], None]
    ) -> None:
        buffers = self._buffers
        segs = timeline.segments

        def add(frame: int, name: str) -> None:
            buf = buffers.get(name)
            if buf is not None and 0 <= frame < self.total_frames:
                place(frame, buf)

        previous = None  # kept from the walk: asking the table again would build it again
        for seg in segs:
            start = self.frame_of(seg.start_ms)
            chime = end_chime(previous) if previous is not None else None
            previous = seg
            if chime is not None and not (seg.kind is Kind.END and chime == "exercise_end"):
                # At the very end the session-end chime says it all.
                add(start, chime)
            for name in start_cues(seg):
                add(start, name)
            if Mark.HALFWAY in seg.marks and seg.halfway_ms is not None:
                add(self.frame_of(seg.halfway_ms), "halfway")
            if seg.kind in _COUNTDOWNS:
                for s in range(COUNT_SECONDS, 0, -1):
                    at = seg.end_ms - 1000 * s
                    if at > seg.start_ms:
                        add(self.frame_of(at), "count")
        last = segs[-1]
        if end_chime(last) is not None and last.kind is not Kind.END:
            add(self.total_frames - 1, end_chime(last) or "")
        if tick:
            for s in range(0, (timeline.duration_ms + 999) // 1000):
                add(self.frame_of(1000 * s), "tick")

    def _place_voice(
        self,
        timeline: Timeline,
        voice: Mapping[str, np.ndarray],
        place: Callable[[int, np.ndarray], None],
    ) -> None:
        # Imported here: the voice module runs espeak-ng; the pure mixer imports it
        # only when there are spoken cues to place.
        from breathpace.audio.voice import voice_lines

        clips: dict[str, np.ndarray] = {}
        # After every cue, by segment: at the same frame a spoken line follows the tones.
        for index, text in sorted(voice_lines(timeline).items()):
            clip = voice.get(text)
            if clip is None or not len(clip):
                continue
            if text not in clips:
                clips[text] = np.asarray(clip, dtype=np.float64)
            place(self.frame_of(timeline.segments[index].start_ms), clips[text])

    def render(self, start_frame: int, n_frames: int) -> np.ndarray:
        """Samples [start_frame, start_frame + n_frames): float32, mono, |x| <= 1.
        Frames before 0 or past the end of the session are silence."""
        if n_frames <= 0:
            return np.zeros(0, dtype=np.float32)
        out = np.zeros(n_frames, dtype=np.float32)
        a = max(start_frame, 0)
        b = min(start_frame + n_frames, self.total_frames)
        # Long windows go in chunks that fit the CPU cache (several times faster); each
        # frame is computed the same way whichever chunk it falls in.
        for lo in range(a, b, CHUNK_FRAMES):
            hi = min(lo + CHUNK_FRAMES, b)
            out[lo - start_frame : hi - start_frame] = self._render_chunk(lo, hi)
        return out

    def _render_chunk(self, a: int, b: int) -> np.ndarray:
        view = np.zeros(b - a, dtype=np.float64)
        onsets = self._onsets
        lo = bisect_right(onsets, a - self._longest)
        hi = bisect_left(onsets, b)
        for i in range(lo, hi):
            onset = onsets[i]
            buf = self._sounds[self._which[i]]
            end = onset + len(buf)
            if end <= a:
                continue
            s = max(onset, a)
            e = min(end, b)
            view[s - a : e - a] += buf[s - onset : e - onset]
        if self._tone is not None:
            self._tone.add(view, a, b)
        if self.gain != 1.0:
            view *= self.gain
        fade_from = self.total_frames - self._fade_frames
        if b > fade_from:
            s = max(a, fade_from)
            k = np.arange(s, b, dtype=np.float64) - fade_from
            view[s - a :] *= 1.0 - synth.ramp(k + 1, self._fade_frames)
        return synth.soft_clip(view, KNEE)


def render(
    timeline: Timeline,
    theme: Theme,
    start_frame: int,
    n_frames: int,
    sample_rate: int = SAMPLE_RATE,
    **opts,
) -> np.ndarray:
    """The samples of one window (builds a Mixer: keep one for repeated windows)."""
    return Mixer(timeline, theme, sample_rate, **opts).render(start_frame, n_frames)


class _BreathTone:
    """The continuous breath tone, precomputed as one glide per segment.

    Each segment stores its start frame, length, start and end pitch, the amplitude it
    starts from and the one it moves to, and the oscillator phase at its first frame.
    A sample is then a closed-form function of its absolute frame, so windows agree.
    """

    def __init__(self, timeline: Timeline, theme: Theme, sample_rate: int, frame_of):
        spec = theme.breath_tone
        self.sample_rate = sample_rate
        self.partials = [a / (sum(spec.partials) or 1.0) for a in spec.partials]
        fade = max(1, round(spec.fade * sample_rate))
        starts, rows = [], []
        pitch = spec.low
        amp = 0.0
        phase = 0.0
        for seg in timeline.segments:
            s = frame_of(seg.start_ms)
            n = max(1, frame_of(seg.end_ms) - s)
            f0 = pitch
            target = 0.0
            if seg.kind is Kind.PHASE:
                if seg.breath is Breath.INHALE:
                    pitch, target = spec.high, spec.level
                elif seg.breath is Breath.EXHALE:
                    pitch, target = spec.low, spec.level
                elif seg.breath is Breath.HOLD:
                    target = spec.level if spec.hold == "steady" else 0.0
            f1 = pitch
            ramp_n = min(fade, n)
            starts.append(s)
            rows.append((s, n, f0, f1, amp, target, ramp_n, phase))
            amp = target
            phase = (phase + (f0 + f1) * 0.5 * n / sample_rate) % 1.0
        self.starts = starts
        self.rows = rows

    def add(self, view: np.ndarray, a: int, b: int) -> None:
        i = max(0, bisect_right(self.starts, a) - 1)
        while i < len(self.rows) and self.rows[i][0] < b:
            s, n, f0, f1, a0, a1, ramp_n, phase0 = self.rows[i]
            i += 1
            if a0 == 0.0 and a1 == 0.0:
                continue
            lo, hi = max(s, a), min(s + n, b)
            if lo >= hi:
                continue
            k = np.arange(lo - s, hi - s, dtype=np.int64)
            cycles = phase0 + synth.linear_glide_cycles(k, f0, f1, n, self.sample_rate)
            wave = np.zeros(len(k), dtype=np.float64)
            scratch = np.empty(len(k), dtype=np.float64)
            angle = np.empty(len(k), dtype=np.float32)
            for h, weight in enumerate(self.partials, start=1):
                if weight:
                    # Whole cycles dropped in float64, then a float32 sine: exact enough
                    # for a quiet tone and several times faster than a float64 one.
                    np.multiply(cycles, float(h), out=scratch)
                    scratch -= np.floor(scratch)
                    scratch *= 2.0 * np.pi
                    angle[:] = scratch
                    np.sin(angle, out=angle)
                    wave += weight * angle
            # The fade only touches the first ramp_n frames; after it the level is flat.
            ramping = int(np.searchsorted(k, ramp_n))
            if ramping:
                wave[:ramping] *= a0 + (a1 - a0) * synth.ramp(
                    k[:ramping].astype(np.float64), ramp_n
                )
            wave[ramping:] *= a1
            view[lo - a : hi - a] += wave
