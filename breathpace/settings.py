"""The person's settings: a small TOML file in the platform config folder.

Command-line options override these; the TUI writes them back (e.g. a personal pace
found with "find my pace"). The file is written atomically so a crash never leaves
half a file behind.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from breathpace import paths
from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.dayplan import RETIRED_KEYS, DayPlan
from breathpace.routine.pattern import BreathPattern, check_chosen_pace
from breathpace.safe_text import printable
from breathpace.tomlfile import plain_message, read_toml, show_key, show_value

#: The backend names come from the one registry (light: it imports no audio library).
AudioKind = Literal[AUDIO_KINDS]  # type: ignore[valid-type]


class SettingsError(ValueError):
    """A settings file that cannot be used; `str()` is one line naming file and field."""

    detail: str = ""


class Settings(BaseModel):
    # No `use_attribute_docstrings`: pydantic would read this module's source at import
    # (about 10 ms of every command's start-up) for descriptions nothing shows.
    model_config = ConfigDict(frozen=True, extra="forbid")

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
    day: DayPlan | None = None
    """The day plan (`breathpace day`): wake, bedtime, sitting hours, capsules; the
    `[day]` table of the file. None until the person sets one up."""

    @field_validator("pace")
    @classmethod
    def _pace(cls, value: str | None) -> str | None:
        if value is not None:
            check_chosen_pace(BreathPattern.parse(value))
        return value


def load_settings() -> Settings:
    """The settings file, or the defaults when there is none.

    Raises SettingsError with one line naming the file and the key."""
    path = paths.settings_file()
    try:
        data = read_toml(path, _error, "a settings file")
    except SettingsError as exc:
        if exc.detail == "no such file":
            return Settings()
        raise
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise _error(str(path), describe(exc)) from None
    except RecursionError:
        raise _error(str(path), "nested too deeply") from None


def settings_without_pace() -> tuple[Settings, object]:
    """The settings file read with its `pace` left out, and the pace it held (None when
    none): how `pace --reset` gets a person out of a pace the file cannot hold (a
    number, a 0.1 s breath). Raises SettingsError when the rest of the file is wrong
    too, or it cannot be read at all."""
    path = paths.settings_file()
    try:
        data = read_toml(path, _error, "a settings file")
    except SettingsError as exc:
        if exc.detail == "no such file":
            return Settings(), None
        raise
    found = data.pop("pace", None)
    try:
        return Settings.model_validate(data), found
    except ValidationError as exc:
        raise _error(str(path), describe(exc)) from None
    except RecursionError:
        raise _error(str(path), "nested too deeply") from None


def _error(source: str, message: str) -> SettingsError:
    error = SettingsError(printable(f"{source}: {message}"))
    error.detail = message
    return error


def describe(exc: ValidationError) -> str:
    """The first error of a ValidationError as "key: what is wrong (found ...)"."""
    problems = describe_all(exc)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def describe_all(exc: ValidationError) -> list[str]:
    """Every error of a ValidationError, one line each, unknown keys first."""
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    return [_one(err) for err in errors]


def _one(err) -> str:
    key = ".".join(str(p) for p in err["loc"]) or "settings"
    if err["type"] == "extra_forbidden":
        known = list(Settings.model_fields)
        if key.startswith("day."):
            known = [f"day.{name}" for name in DayPlan.model_fields]
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f"unknown key {show_key(key)}{hint}"
    msg = plain_message(err["type"], err["msg"], err)
    if err["type"] == "missing" or isinstance(err.get("input"), dict):
        return f"{key}: {msg}"
    return f"{key}: {msg} (found {show_value(err.get('input'))})"


def settings_problems() -> list[str]:
    """Every problem of the settings file, one line each naming the file and the key
    (empty when it is fine or absent): what `breathpace day` lists."""
    path = paths.settings_file()
    try:
        data = read_toml(path, _error, "a settings file")
    except SettingsError as exc:
        return [] if exc.detail == "no such file" else [str(exc)]
    try:
        Settings.model_validate(data)
    except ValidationError as exc:
        return [printable(f"{path}: {line}") for line in describe_all(exc)]
    except RecursionError:
        return [printable(f"{path}: nested too deeply")]
    return []


def retired_lines() -> list[str]:
    """One line for each key the settings file has that is read and ignored now (the
    `[day]` table's retired keys), naming the file, the key and what replaced it."""
    path = paths.settings_file()
    try:
        data = read_toml(path, _error, "a settings file")
    except SettingsError:
        return []  # absent, or a problem `settings_problems` reports
    day = data.get("day")
    if not isinstance(day, dict):
        return []
    return [
        printable(f"{path}: day.{key} is no longer used: {why}")
        for key, why in RETIRED_KEYS.items()
        if key in day
    ]


def blame(option: str, given: object, key: str) -> str:
    """Whom a bad value is blamed on: the command-line option when it was given, else
    the settings file and key it came from (a bad theme in settings.toml is not the
    fault of a --theme nobody typed)."""
    if given is not None:
        return option
    return f"{printable(str(paths.settings_file()))}: {key}"


def save_settings(settings: Settings) -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# breathpace settings (written by breathpace; edit freely)"]
    data = settings.model_dump()
    day = data.pop("day", None)
    for key, value in data.items():
        if value is None:
            continue
        # JSON literals of str/float/bool are valid TOML once bools are lowercase.
        lines.append(f"{key} = {json.dumps(value)}")
    if day is not None:
        lines += ["", "# Your day plan (`breathpace day`); times are HH:MM, 24-hour.", "[day]"]
        for key, value in day.items():
            if value is not None:
                # Strings, whole numbers and lists of strings: JSON is valid TOML here.
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
