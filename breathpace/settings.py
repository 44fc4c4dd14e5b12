"""The person's settings: a small TOML file in the platform config folder.

Command-line options override these; the TUI writes them back (e.g. a personal pace
found with "find my pace"). The file is written atomically so a crash never leaves
half a file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from breathpace import paths
from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.routine.pattern import BreathPattern

#: The backend names come from the one registry (light: it imports no audio library).
AudioKind = Literal[AUDIO_KINDS]  # type: ignore[valid-type]


class SettingsError(ValueError):
    """A settings file that cannot be used; `str()` is one line naming file and field."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    pace: str | None = None
    """Personal breath pace inhale-hold-exhale-hold, used instead of a routine's own."""
    theme: str = "soft"
    """Sound theme: soft, clear, minimal, or a path to a theme file."""
    volume: float = Field(default=0.8, ge=0, le=1)
    """Volume from 0 to 1."""
    audio: AudioKind = "auto"
    """Audio backend."""
    device: str | None = None
    """Audio output device, by name or index (see `breathpace devices`)."""
    reduced_motion: bool = False
    """No animation: the breath shown as a steady bar and words."""
    voice: bool = False
    """Speak phase words through espeak-ng when it is installed."""
    tick: bool = False
    """A soft tick every second."""
    breath_tone: bool = False
    """A quiet continuous tone that rises with the inhale and falls with the exhale."""
    seen_safety: bool = False
    """The first-run safety notice has been shown."""

    @field_validator("pace")
    @classmethod
    def _pace(cls, value: str | None) -> str | None:
        if value is not None:
            BreathPattern.parse(value)
        return value


def load_settings() -> Settings:
    path = paths.settings_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: TOML syntax error: {exc}") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        msg = err["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{path}: {field}: {msg}") from None


def save_settings(settings: Settings) -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# breathpace settings (written by breathpace; edit freely)"]
    for key, value in settings.model_dump().items():
        if value is None:
            continue
        # JSON literals of str/float/bool are valid TOML once bools are lowercase.
        lines.append(f"{key} = {json.dumps(value)}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
