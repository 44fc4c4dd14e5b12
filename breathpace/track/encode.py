"""Streaming a session's samples into the file format its name asks for.

The mixer hands over blocks of a few seconds; each is encoded and written at once, so
memory stays flat however long the session is (no whole PCM, no whole MP3 in memory).
Every format writes through `outfile.atomic_output`: a temporary file beside the
target, renamed over it only when complete, so a full disk or Ctrl-C leaves nothing
half-written.

- WAV: 16-bit mono, as the player plays it; no tags (WAV players read none of ours).
- MP3: LAME (through `lameenc`), mono, constant 96 kbit/s. Constant bit rate makes a
  seek to a chapter land exactly in every player; 96 kbit/s mono keeps pure tones
  free of audible artefacts and voice clear, at about 43 MB an hour. The ID3 tag goes
  first; then a LAME "Info" frame (the gapless header) naming the encoder delay and
  the padding, so gapless-aware players (ffmpeg, mpv, Apple's, Android's) start at the
  session's first sample and chapter marks fall on their sounds; then the audio.
- FLAC (lossless, for keeping) and Ogg Vorbis (Android's native format) through
  `soundfile` (libsndfile, bundled in its wheel), tagged with Vorbis comments. These
  two are encoded to a scratch file first, because the tags go in front of audio whose
  size libsndfile only knows at the end.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import wave
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np

from breathpace.audio.wavfile import to_int16
from breathpace.outfile import atomic_output
from breathpace.track.tags import TrackInfo

#: Suffix -> what the person reads.
FORMATS = {".wav": "WAV", ".mp3": "MP3", ".flac": "FLAC", ".ogg": "Ogg Vorbis"}
MP3_KBPS = 96
#: LAME's own delay before the first input sample, in samples (what its gapless header
#: records); a decoder adds its 529 samples of synthesis delay on top.
LAME_DELAY = 576
DECODER_DELAY = 529
MP3_FRAME_SAMPLES = 1152


class FormatError(ValueError):
    """An output name whose format breathpace cannot write; one line."""


def track_format(path: str | Path) -> str:
    """The suffix of `path` if breathpace writes that format; FormatError otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        named = f'"{suffix}"' if suffix else "no extension"
        raise FormatError(
            f"{path}: {named} is not a format breathpace writes; "
            "end the name in .wav, .mp3, .flac or .ogg"
        )
    return suffix


def write_track(
    path: str | Path,
    blocks: Iterable[np.ndarray],
    sample_rate: int,
    info: TrackInfo | None = None,
) -> None:
    """Encode `blocks` (float mono samples in order) into `path`, in the format its
    suffix names, with `info` as tags where the format has them. Raises FormatError,
    OutputPathError (a path that must not be written) or OSError (writing failed);
    in every case nothing is left at `path` that was not there before."""
    suffix = track_format(path)
    with atomic_output(path) as out:
        if suffix == ".wav":
            _write_wav(out, blocks, sample_rate)
        elif suffix == ".mp3":
            _write_mp3(out, blocks, sample_rate, info)
        else:
            _write_sndfile(out, blocks, sample_rate, suffix, info, Path(path).parent)


def _write_wav(out: IO[bytes], blocks: Iterable[np.ndarray], sample_rate: int) -> None:
    # wave leaves a file object it did not open open; close() rewrites the header sizes.
    wav = wave.open(out, "wb")  # noqa: SIM115 - closed below, the file stays open
    wav.setnchannels(1)
    wav.setsampwidth(2)
    wav.setframerate(sample_rate)
    try:
        for block in blocks:
            wav.writeframesraw(to_int16(block).tobytes())
    except BaseException:
        # Closed now, errors and all: left to the garbage collector, `wave` would try
        # to finish the header again and print a traceback.
        with contextlib.suppress(Exception):
            wav.close()
        raise
    wav.close()


# -- MP3 ---------------------------------------------------------------------------

#: MPEG-1 Layer III bit rates (kbit/s) by the header's 4-bit index.
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_RATES = (44100, 48000, 32000, 0)
#: Mono MPEG-1 side information: the Xing/Info tag starts after it.
_SIDE_INFO_MONO = 17


class FrameCounter:
    """Counts MPEG-1 Layer III frames as bytes stream past (the gapless header needs
    the count, and the encoder does not say)."""

    def __init__(self) -> None:
        self.frames = 0
        self.bytes = 0
        self._skip = 0  # bytes of the current frame still to come
        self._pending = b""

    def feed(self, data: bytes) -> None:
        self.bytes += len(data)
        view = self._pending + data
        pos = 0
        while True:
            pos += self._skip
            self._skip = 0
            if pos > len(view):
                self._skip = pos - len(view)
                self._pending = b""
                return
            if len(view) - pos < 4:
                self._pending = bytes(view[pos:])
                return
            size = frame_size(view[pos : pos + 4])
            self.frames += 1
            self._skip = size


def frame_size(header: bytes) -> int:
    """The length in bytes of the MPEG-1 Layer III frame starting with `header`."""
    if header[0] != 0xFF or header[1] & 0xFE != 0xFA:
        raise ValueError("the encoder wrote something that is not an MPEG-1 Layer III frame")
    bitrate = _BITRATES[header[2] >> 4] * 1000
    rate = _RATES[(header[2] >> 2) & 3]
    padding = (header[2] >> 1) & 1
    return 144 * bitrate // rate + padding


def crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, reflected, as LAME's tag checksum)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def info_frame(
    frames: int, stream_bytes: int, samples: int, sample_rate: int, kbps: int = MP3_KBPS
) -> bytes:
    """LAME's "Info" frame for a constant-bit-rate stream of `frames` audio frames and
    `stream_bytes` bytes (this frame included) holding `samples` input samples: the
    frame count, the byte count, a seek table and the LAME extension with the encoder
    delay and padding that let a decoder trim the stream to exactly `samples`."""
    bitrate_index = _BITRATES.index(kbps)
    rate_index = _RATES.index(sample_rate)
    size = 144 * kbps * 1000 // sample_rate
    frame = bytearray(size)
    # Sync, MPEG-1 Layer III without CRC; bit rate, sample rate; mono.
    frame[0:4] = bytes([0xFF, 0xFB, (bitrate_index << 4) | (rate_index << 2), 0xC0])
    tag = 4 + _SIDE_INFO_MONO
    frame[tag : tag + 4] = b"Info"
    frame[tag + 4 : tag + 8] = (0x0F).to_bytes(4, "big")  # frames, bytes, TOC, quality
    frame[tag + 8 : tag + 12] = frames.to_bytes(4, "big")
    frame[tag + 12 : tag + 16] = stream_bytes.to_bytes(4, "big")
    frame[tag + 16 : tag + 116] = bytes(i * 256 // 100 for i in range(100))  # linear: CBR
    frame[tag + 116 : tag + 120] = (0).to_bytes(4, "big")
    lame = tag + 120
    padding = frames * MP3_FRAME_SAMPLES - LAME_DELAY - samples
    if not 0 <= padding < 1 << 12:
        raise ValueError(f"unexpected MP3 padding of {padding} samples")
    frame[lame : lame + 9] = b"LAME3.100"
    frame[lame + 9] = 0x01  # tag revision 0, constant bit rate
    frame[lame + 20] = min(kbps, 255)
    frame[lame + 21 : lame + 24] = ((LAME_DELAY << 12) | padding).to_bytes(3, "big")
    frame[lame + 28 : lame + 32] = stream_bytes.to_bytes(4, "big")
    frame[lame + 34 : lame + 36] = crc16(bytes(frame[:190])).to_bytes(2, "big")
    return bytes(frame)


def _write_mp3(
    out: IO[bytes], blocks: Iterable[np.ndarray], sample_rate: int, info: TrackInfo | None
) -> None:
    import lameenc

    from breathpace.track.tags import id3_tag

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(1)
    # LAME's own default (5): its slower searches (2) buy nothing audible for sine cues
    # and speech at this rate, and take 2.5 times as long.
    encoder.set_quality(5)
    if info is not None:
        out.write(id3_tag(info))
    header_at = out.tell()
    info_size = 144 * MP3_KBPS * 1000 // sample_rate
    out.write(bytes(info_size))  # the Info frame, filled in once the counts are known
    counter = FrameCounter()
    samples = 0
    for block in blocks:
        samples += len(block)
        data = bytes(encoder.encode(to_int16(block).tobytes()))
        counter.feed(data)
        out.write(data)
    tail = bytes(encoder.flush())
    counter.feed(tail)
    out.write(tail)
    end = out.tell()
    out.seek(header_at)
    out.write(info_frame(counter.frames, counter.bytes + info_size, samples, sample_rate))
    out.seek(end)


# -- FLAC and Ogg Vorbis --------------------------------------------------------------

_SNDFILE = {".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS")}


def _write_sndfile(
    out: IO[bytes],
    blocks: Iterable[np.ndarray],
    sample_rate: int,
    suffix: str,
    info: TrackInfo | None,
    folder: Path,
) -> None:
    import soundfile

    container, subtype = _SNDFILE[suffix]
    # The scratch file sits beside the target (same disk) and vanishes when closed.
    with tempfile.TemporaryFile(dir=folder, prefix=".breathpace-") as scratch:
        with soundfile.SoundFile(
            scratch, "w", samplerate=sample_rate, channels=1, format=container, subtype=subtype
        ) as sound:
            for block in blocks:
                # FLAC gets the WAV's very samples (lossless); Vorbis encodes floats.
                sound.write(
                    to_int16(block) if subtype == "PCM_16" else np.asarray(block, np.float32)
                )
        if info is not None:
            scratch.seek(0)
            _tag_vorbis(scratch, suffix, info)
        scratch.seek(0)
        shutil.copyfileobj(scratch, out, 1 << 20)


def _tag_vorbis(scratch: IO[bytes], suffix: str, info: TrackInfo) -> None:
    from breathpace.track.tags import vorbis_comments

    audio: Any
    if suffix == ".flac":
        from mutagen.flac import FLAC

        audio = FLAC(scratch)
    else:
        from mutagen.oggvorbis import OggVorbis

        audio = OggVorbis(scratch)
    if audio.tags is None:
        audio.add_tags()
    for key, value in vorbis_comments(info).items():
        audio.tags[key] = value
    scratch.seek(0)
    audio.save(scratch)
