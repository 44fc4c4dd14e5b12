"""Reading and writing WAV files with the standard library's `wave` module.

Writing is incremental (`WavWriter.write` takes one block at a time), so a long
session renders to disk with flat memory. Reading accepts the PCM WAVs a theme may ship
and the stream espeak-ng writes to stdout (whose header sizes are placeholders).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import wave
from pathlib import Path
from types import TracebackType

import numpy as np

from breathpace.outfile import check_output, new_file_mode


class WavError(ValueError):
    """A WAV file that cannot be read."""


#: What a sound file read by breathpace may be: a cue sample or a spoken cue is a few
#: seconds of speech-band sound, so anything outside these is a broken or hostile file
#: (a 1 Hz rate would make resampling to 44.1 kHz allocate terabytes).
MIN_RATE = 8_000
MAX_RATE = 192_000
MAX_CHANNELS = 8
MAX_SECONDS = 60.0


def to_int16(block: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to 16-bit PCM, rounded to nearest."""
    scaled = np.clip(np.asarray(block, dtype=np.float64), -1.0, 1.0) * 32767.0
    return np.rint(scaled).astype("<i2")


class WavWriter:
    """A mono 16-bit WAV file written block by block.

    The samples go to a hidden temporary file beside the target, which takes the
    target's name only when everything was written (`close`). A full disk, an error
    or Ctrl-C half-way (`__exit__` with an exception, or `discard`) leaves no
    truncated WAV behind, and an older file of that name is kept as it was."""

    def __init__(self, path: str | Path, sample_rate: int):
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.frames = 0
        self._done = False
        # Only an absent path or a plain file (never a device, FIFO, folder or link):
        # raises OutputPathError, a one-line reason, before anything is created.
        self._mode = new_file_mode(check_output(self.path))
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.stem[:40]}-", suffix=".wav.part"
        )
        self._tmp = Path(tmp)
        try:
            # Opened here, not by `wave`: when wave.open fails on a path, its half-built
            # writer complains on stderr as it is garbage-collected.
            # mkstemp makes the file private (0600); a rendered track keeps the mode of
            # the file it replaces, or gets the mode any new file of the person's would.
            os.fchmod(fd, self._mode)
            self._file = os.fdopen(fd, "wb")
            self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed in close()
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(sample_rate)
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def write(self, block: np.ndarray) -> None:
        self._wav.writeframesraw(to_int16(block).tobytes())
        self.frames += len(block)

    def close(self) -> None:
        """Finish the header and give the file its name (raises OSError on failure,
        after removing the temporary file)."""
        if self._done:
            return
        self._done = True
        try:
            try:
                self._wav.close()  # rewrites the header with the real sizes
                self._file.flush()
                os.fsync(self._file.fileno())  # a full disk may only say so here
            finally:
                self._file.close()
            check_output(self.path)  # it may have become a link or a device meanwhile
            os.replace(self._tmp, self.path)
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def discard(self) -> None:
        """Give up: remove the temporary file; the target is left untouched."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(Exception):
            self._wav.close()
        with contextlib.suppress(OSError):
            self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int) -> None:
    with WavWriter(path, sample_rate) as out:
        out.write(samples)


def read_wav(
    source: str | Path | bytes, max_seconds: float = MAX_SECONDS
) -> tuple[np.ndarray, int]:
    """Decode a PCM WAV (8, 16, 24 or 32 bit, 1 to 8 channels, 8 to 192 kHz, at most
    `max_seconds` long) to mono float64 in [-1, 1], with its sample rate. Raises
    WavError with a short reason naming the header field."""
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    except OSError:
        raise
    with handle:
        try:
            with wave.open(handle, "rb") as wav:
                channels = wav.getnchannels()
                width = wav.getsampwidth()
                rate = wav.getframerate()
                _check_header(channels, rate)
                # Streamed WAVs (espeak-ng --stdout) carry placeholder sizes: read to EOF,
                # but never more than the longest sound allowed (and one frame to tell).
                raw = wav.readframes(int(max_seconds * rate) + 1)
        except (wave.Error, EOFError) as exc:
            raise WavError(f"not a PCM WAV file ({exc or 'truncated'})") from None
    if width not in (1, 2, 3, 4):
        raise WavError(f"sample width: {width} bytes (1 to 4 bytes are read)")
    frame_bytes = channels * width
    raw = raw[: len(raw) - len(raw) % frame_bytes]
    frames = len(raw) // frame_bytes
    if frames == 0:
        raise WavError("length: the file holds no sound")
    if frames > max_seconds * rate:
        raise WavError(f"length: longer than {max_seconds:g} s (the most a cue sound may be)")
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float64) / float(1 << 23)
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float64) / float(1 << 31)
    else:  # pragma: no cover - refused above
        raise WavError(f"sample width: {width} bytes")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data, rate


def _check_header(channels: int, rate: int) -> None:
    if not 1 <= channels <= MAX_CHANNELS:
        raise WavError(f"channels: {channels} (1 to {MAX_CHANNELS} are read)")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise WavError(f"sample rate: {rate:,} Hz (must be {MIN_RATE:,} to {MAX_RATE:,} Hz)")
