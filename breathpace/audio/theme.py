"""Sound themes: TOML files in `sounds/` that say what every cue sounds like.

A theme describes each cue as one or more tone layers (frequency, glide, envelope,
level, partials) or as a short WAV sample kept next to the theme file. Themes are
validated the way routines are: frozen models that reject unknown keys, and one-line
errors that name the file and the field. A sample path must stay inside the theme's own
folder: a theme is a data file a person may download, and it must not be able to make
breathpace read anything else on the machine.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from breathpace.safe_text import printable
from breathpace.tomlfile import loads, plain_message, read_text, show_key, show_value

MAX_THEME_BYTES = 200_000
MAX_SAMPLE_BYTES = 5_000_000
DEFAULT_THEME = "soft"


class ThemeError(ValueError):
    """A theme that cannot be used. `str()` is one line, ready to print."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.detail = message
        text = f"{source}: {message}"
        # A key or file name from the file may hold control characters; the message
        # stays one printable line whatever the file says.
        super().__init__(printable(text))


class _Frozen(BaseModel):
    # No `use_attribute_docstrings`: pydantic would read this module's source when it
    # is imported (20 ms of a session's first screen) for descriptions nothing shows.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Tone(_Frozen):
    """One layer of a cue: a synthesised tone, or a WAV sample from the theme's folder."""

    freq: float | None = Field(default=None, ge=20, le=16000)
    """Frequency in Hz at the start of the layer (a synthesised tone needs it)."""
    glide_to: float | None = Field(default=None, ge=20, le=16000)
    """Frequency in Hz at the end: higher than `freq` rises, lower falls, unset is steady."""
    delay: float = Field(default=0.0, ge=0, le=5)
    """Seconds after the cue's onset at which this layer starts (for arpeggiated chimes)."""
    duration: float | None = Field(default=None, gt=0, le=10)
    """Length in seconds, envelope included (a sample plays whole when unset)."""
    attack: float = Field(default=0.003, ge=0.0005, le=1)
    """Raised-cosine fade-in, seconds. Keep it a few ms so the onset is on its sample."""
    release: float = Field(default=0.08, ge=0.001, le=10)
    """Raised-cosine fade-out at the end, seconds."""
    decay: float | None = Field(default=None, gt=0, le=30)
    """Exponential decay time constant in seconds (bell-like), or unset for a flat tone."""
    level: float = Field(ge=0, le=1)
    """Peak level of this layer, 0 to 1."""
    partials: tuple[float, ...] = Field(default=(1.0,), min_length=1, max_length=16)
    """Relative amplitudes of the partials; the first is the fundamental."""
    ratios: tuple[float, ...] | None = Field(default=None, min_length=1, max_length=16)
    """Frequency ratio of each partial (default 1, 2, 3 ...; bells use inharmonic ones)."""
    sample: str | None = Field(default=None, min_length=1, max_length=200)
    """A WAV file inside the theme's folder, played instead of a synthesised tone."""

    @model_validator(mode="after")
    def _check(self) -> Tone:
        if self.sample is None:
            if self.freq is None:
                raise ValueError("a tone needs a freq (or a sample)")
            if self.duration is None:
                raise ValueError("a tone needs a duration in seconds")
        elif self.freq is not None or self.glide_to is not None:
            raise ValueError("a sample layer takes no freq or glide_to")
        if self.ratios is not None and len(self.ratios) != len(self.partials):
            raise ValueError("ratios must have one entry per partial")
        if any(a < 0 or a > 1 for a in self.partials):
            raise ValueError("partials must be amplitudes between 0 and 1")
        if self.ratios is not None and any(r <= 0 or r > 32 for r in self.ratios):
            raise ValueError("ratios must be between 0 and 32")
        if self.duration is not None and self.attack + self.release > self.duration + 1e-9:
            raise ValueError("attack plus release must fit in the duration")
        return self


Layers = tuple[Tone, ...]


class Cues(_Frozen):
    """Every cue of the player. An empty list (or a missing key) is silence."""

    inhale: Layers = ()
    """Start of an inhale phase: should rise in pitch."""
    exhale: Layers = ()
    """Start of an exhale phase: should fall in pitch."""
    hold: Layers = ()
    """Start of a hold: a steady tone."""
    breathe: Layers = ()
    """Start of a free-breathing phase."""
    effort: Layers = ()
    """Added to the breath cue of an effort phase."""
    rep_end: Layers = ()
    """End of a rep."""
    set_end: Layers = ()
    """End of a set (replaces the rep chime)."""
    exercise_end: Layers = ()
    """End of an exercise (replaces the set chime)."""
    session_end: Layers = ()
    """The session is done (start of the end segment)."""
    switch: Layers = ()
    """Switch sides."""
    rest: Layers = ()
    """Start of a rest between sets."""
    transition: Layers = ()
    """Start of the pause before the next exercise."""
    get_ready: Layers = ()
    """Start of the lead-in, or of a wait before an exercise."""
    count: Layers = ()
    """Get-ready count: one pip on each of the last 3 seconds of a countdown."""
    halfway: Layers = ()
    """Halfway through a long hold."""
    tick: Layers = ()
    """Optional tick each second (`--tick`)."""


class BreathTone(_Frozen):
    """The optional quiet continuous tone that follows the breath (`--breath-tone`)."""

    low: float = Field(default=174.6, ge=40, le=4000)
    """Pitch in Hz at the bottom of the exhale."""
    high: float = Field(default=261.6, ge=40, le=4000)
    """Pitch in Hz at the top of the inhale."""
    level: float = Field(default=0.05, ge=0, le=0.5)
    """Peak level of the tone."""
    hold: Literal["steady", "silent"] = "steady"
    """In holds, keep sounding at a steady pitch, or fade out."""
    fade: float = Field(default=0.25, ge=0.01, le=2)
    """Seconds to fade in and out (at segment starts, never with a click)."""
    partials: tuple[float, ...] = Field(default=(1.0, 0.2), min_length=1, max_length=8)
    """Relative amplitudes of its harmonics."""

    @model_validator(mode="after")
    def _check(self) -> BreathTone:
        if self.high <= self.low:
            raise ValueError("high must be above low")
        if any(a < 0 or a > 1 for a in self.partials):
            raise ValueError("partials must be amplitudes between 0 and 1")
        return self


class Theme(_Frozen):
    """A sound theme, as read from `sounds/NAME.toml`."""

    format: Literal[1] = 1
    """Theme file format version."""
    description: str = Field(default="", max_length=300)
    """One line saying what the theme is for."""
    cue: Cues = Cues()
    """The cues, one table of tone layers each."""
    breath_tone: BreathTone = BreathTone()
    """The continuous breath tone."""

    _name: str = PrivateAttr(default="")
    _folder: Path | None = PrivateAttr(default=None)
    _samples: dict[str, tuple[Any, int]] | None = PrivateAttr(default=None)
    _sample_files: dict[str, tuple[Path, str, str]] = PrivateAttr(default_factory=dict)
    """Sample name -> (its checked file, the field that names it, the theme file)."""

    def __eq__(self, other: object) -> bool:
        # Fields and name only: the decoded samples are numpy arrays, which pydantic's
        # own comparison would try (and fail) to compare.
        if not isinstance(other, Theme):
            return NotImplemented
        return (self._name, self.format, self.description, self.cue, self.breath_tone) == (
            other._name,
            other.format,
            other.description,
            other.cue,
            other.breath_tone,
        )

    def __hash__(self) -> int:
        return hash((self._name, self.format, self.description, self.cue, self.breath_tone))

    @property
    def name(self) -> str:
        return self._name

    @property
    def samples(self) -> Mapping[str, tuple[Any, int]]:
        """Decoded samples by the name used in the file: (float array, sample rate).
        Decoded on first use (it needs numpy): a silent session never asks.
        ThemeError (one line) for a sample that cannot be read."""
        if self._samples is None:
            self._samples = _decode_samples(self._sample_files)
        return self._samples

    def layers(self) -> dict[str, Layers]:
        """Cue name -> layers, for every cue the theme defines."""
        return {name: getattr(self.cue, name) for name in Cues.model_fields}


# --- finding and loading -------------------------------------------------------------


def sounds_dir() -> Path:
    """The folder of built-in themes."""
    # Imported here: the library loads the routine models, which a theme never needs.
    from breathpace.library import data_dir

    return data_dir("sounds")


def list_themes() -> list[str]:
    folder = sounds_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def theme_path(name_or_path: str | None) -> Path:
    name = name_or_path or DEFAULT_THEME
    looks_like_path = name.endswith(".toml") or "/" in name or "\\" in name
    if looks_like_path:
        return Path(name)
    path = sounds_dir() / f"{name}.toml"
    if not path.is_file():
        close = difflib.get_close_matches(name, list_themes(), n=1, cutoff=0.5)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        known = ", ".join(list_themes())
        shown = name if len(name) <= 60 else name[:57] + "..."  # quoted short, like any value
        raise ThemeError(f"theme {shown!r}", f"no theme of that name{hint}; themes: {known}")
    return path


def load_theme(name_or_path: str | None = None, *, decode: bool = True) -> Theme:
    """A built-in theme by name (None is the default, "soft"), or a theme file by path.

    Its sample files are always found and checked (inside the theme's folder, regular,
    not too large). `decode=False` leaves decoding them to the first use of `samples`,
    so a session that plays nothing never loads numpy for them."""
    path = theme_path(name_or_path)
    source = str(path)
    text = read_text(path, ThemeError, "a theme file", MAX_THEME_BYTES)
    theme = parse_theme(text, source)
    theme._name = path.stem
    theme._folder = path.parent
    theme._sample_files = _find_samples(theme, path.parent, source)
    if decode:
        theme.samples  # noqa: B018 - decoded now, so a bad sample is an error now
    return theme


def parse_theme(text: str, source: str = "<theme>") -> Theme:
    """Validate theme TOML text (samples are not loaded: that needs the folder)."""
    data = loads(text, ThemeError, source)
    try:
        return Theme.model_validate(data)
    except ValidationError as exc:
        raise ThemeError(source, _describe(exc)) from None
    except RecursionError:
        raise ThemeError(source, "nested too deeply") from None


_NESTED: dict[str, type[BaseModel]] = {"cue": Cues, "breath_tone": BreathTone}


_BOUNDS = {
    "greater_than_equal": "must be at least",
    "greater_than": "must be greater than",
    "less_than_equal": "must be at most",
    "less_than": "must be less than",
}


def _describe(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    errors = sorted(errors, key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    err = errors[0]
    path = ""
    for part in err["loc"]:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += ("." if path else "") + str(part)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    kind = err["type"]
    if kind == "extra_forbidden":
        key = path.rsplit(".", 1)[-1]
        owner = _owner(err["loc"])
        close = difflib.get_close_matches(key, list(owner.model_fields), n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f"unknown key {show_key(path)}{hint}{more}"
    if kind == "missing":
        return f"{path}: is required but missing{more}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    msg = plain_message(kind, msg, err)
    bound = next(iter((err.get("ctx") or {}).values()), None)
    if kind in _BOUNDS and isinstance(bound, float) and bound.is_integer():
        msg = f"{_BOUNDS[kind]} {int(bound)}"  # "at least 20", not "at least 20.0"
    found = err.get("input")
    head = f"{path}: " if path else ""
    if isinstance(found, Mapping):
        return f"{head}{msg}{more}"
    return f"{head}{msg} (found {show_value(found)}){more}"


def _owner(loc: tuple) -> type[BaseModel]:
    """The model whose fields an unknown key at `loc` should be compared with."""
    names = [p for p in loc[:-1] if isinstance(p, str)]
    if not names:
        return Theme
    if names[0] == "cue":
        return Cues if len(names) == 1 else Tone
    return _NESTED.get(names[0], Theme)


def _find_samples(theme: Theme, folder: Path, source: str) -> dict[str, tuple[Path, str, str]]:
    found: dict[str, tuple[Path, str, str]] = {}
    for cue_name, layers in theme.layers().items():
        for i, layer in enumerate(layers, start=1):
            if layer.sample is None or layer.sample in found:
                continue
            field = f"cue.{cue_name}[{i}].sample"
            path = resolve_sample(folder, layer.sample, source, field)
            try:
                info = path.stat()
            except FileNotFoundError:
                raise ThemeError(
                    source, f'{field}: no file "{layer.sample}" in the theme\'s folder'
                ) from None
            except OSError as exc:
                raise ThemeError(source, f"{field}: {layer.sample}: {exc}") from None
            if not stat.S_ISREG(info.st_mode):  # a FIFO or device would hang or never end
                raise ThemeError(source, f"{field}: {layer.sample} is not a regular file")
            if info.st_size > MAX_SAMPLE_BYTES:
                raise ThemeError(
                    source, f"{field}: {layer.sample} is larger than {MAX_SAMPLE_BYTES:,} bytes"
                )
            found[layer.sample] = (path, field, source)
    return found


def _decode_samples(files: Mapping[str, tuple[Path, str, str]]) -> dict[str, tuple[Any, int]]:
    if not files:
        return {}
    # Imported here: decoding needs numpy, which only a session that plays sound loads.
    from breathpace.audio.wavfile import WavError, read_wav

    loaded: dict[str, tuple[Any, int]] = {}
    for name, (path, field, source) in files.items():
        try:
            loaded[name] = read_wav(path)
        except FileNotFoundError:
            raise ThemeError(source, f'{field}: no file "{name}" in the theme\'s folder') from None
        except (WavError, OSError) as exc:
            raise ThemeError(source, f"{field}: {name}: {exc}") from None
    return loaded


def resolve_sample(folder: Path, name: str, source: str, field: str) -> Path:
    """The sample's path, refused unless it is a file inside the theme's own folder."""
    if os.path.isabs(name) or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise ThemeError(
            source,
            f'{field}: "{name}" is an absolute path; a sample must be in the theme\'s folder',
        )
    base = folder.resolve()
    lexical = Path(os.path.normpath(base / name))
    if not lexical.is_relative_to(base):
        raise ThemeError(
            source, f'{field}: "{name}" points outside the theme\'s folder, which is not allowed'
        )
    real = (base / name).resolve()
    if not real.is_relative_to(base):
        raise ThemeError(
            source,
            f'{field}: "{name}" is a link to a file outside the theme\'s folder, '
            "which is not allowed",
        )
    return real
