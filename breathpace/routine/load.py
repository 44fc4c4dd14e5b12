"""Reading routine files and turning every way they can be wrong into one readable line.

The models in `model.py` say what is valid; this module says, for a person holding the
file, *where* it is not: the file, the item by number and name, the field path, what is
wrong and what was found. TOML syntax errors keep their line and column. Unknown keys
get a "did you mean" suggestion. Nothing here ever lets a traceback reach the terminal.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from breathpace.routine.model import (
    Breathing,
    Exercise,
    Length,
    Moves,
    PartCues,
    Phase,
    Routine,
    TempoPoses,
)
from breathpace.safe_text import printable, quote
from breathpace.tomlfile import MAX_BYTES, loads, plain_message, read_text, show_key, show_value

MAX_FILE_BYTES = MAX_BYTES


class RoutineError(ValueError):
    """A routine that cannot be used. `str()` is one line, ready to print.

    `problems` holds every problem found, one line each (without the source), for
    `check`, which lists them all; `detail` is the first with a count of the rest, for
    commands that can only say one line before they stop."""

    def __init__(self, source: str, message: str, problems: Sequence[str] = ()):
        self.source = source
        # The file name and anything quoted from the file may hold control characters:
        # the message stays one printable line whatever they are.
        self.detail = printable(message)
        self.problems: tuple[str, ...] = tuple(printable(p) for p in problems) or (self.detail,)
        super().__init__(f"{printable(source)}: {self.detail}")


def read_routine_file(path: str | Path) -> Routine:
    """Read and validate a routine file. Its total length is checked where it can be
    compiled (`breathpace.library.load_routine`), above this package."""
    return validate_routine(read_routine_data(path), str(path))


def read_routine_data(path: str | Path) -> dict[str, Any]:
    """A routine file's TOML as data, read as `read_routine_file` reads it but not yet
    validated (to look at one key of many files cheaply)."""
    text = read_text(Path(path), RoutineError, "a routine file", MAX_FILE_BYTES)
    return loads(text, RoutineError, str(path))


def read_toml_text(path: Path, error: type, max_bytes: int, what: str) -> str:
    """Kept for callers that read other TOML files the routine way; see `tomlfile`."""
    return read_text(path, error, what, max_bytes)


def parse_routine(text: str, source: str = "<routine>") -> Routine:
    """Validate routine TOML text; `source` names it in messages."""
    return validate_routine(loads(text, RoutineError, source), source)


def validate_routine(data: Mapping[str, Any], source: str = "<routine>") -> Routine:
    try:
        return Routine.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_errors(exc, data)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RoutineError(source, problems[0] + more, problems) from None
    except RecursionError:
        raise RoutineError(source, "nested too deeply") from None


# --- pydantic errors, in a person's words -------------------------------------------

_ITEM_MODELS: dict[str, type[BaseModel]] = {"exercise": Exercise, "breathing": Breathing}


def describe_validation_error(exc: ValidationError, data: Any) -> str:
    """The first (most useful) error of a ValidationError as one line, with a count of
    the others."""
    problems = describe_validation_errors(exc, data)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def describe_validation_errors(exc: ValidationError, data: Any) -> list[str]:
    """Every error of a ValidationError, one line each, the most useful first."""
    errors = [e for e in exc.errors(include_url=False) if not _echo_of_item_error(e)]
    errors = errors or exc.errors(include_url=False)
    # An unknown key is the likeliest typo and the most helpful to name first.
    errors.sort(key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    lines: list[str] = []
    for err in errors:
        where, field_path, model = _locate(list(err["loc"]), data)
        line = where + _describe(err, field_path, model, bool(where))
        if line not in lines:  # a union can report one slip twice in the same words
            lines.append(line)
    return lines


def _echo_of_item_error(err: ErrorDetails) -> bool:
    """pydantic adds a "too short" error for a list whose items failed; it is noise."""
    if err["type"] != "too_short":
        return False
    value = err.get("input")
    actual = (err.get("ctx") or {}).get("actual_length")
    return isinstance(value, list) and actual is not None and actual < len(value)


def _locate(loc: list, data: Any) -> tuple[str, str, type[BaseModel] | None]:
    """Split a pydantic location into 'exercise 2 "Name": ' and the field path."""
    model: type[BaseModel] | None = Routine
    prefix = ""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "exercise" and isinstance(parts[1], int):
        index = parts[1]
        name = None
        items = data.get("exercise") if isinstance(data, Mapping) else None
        item = None
        if isinstance(items, list) and index < len(items):
            item = items[index]
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                name = item["name"]
        kind = "breathing" if isinstance(item, Mapping) and "pattern" in item else "exercise"
        label = "breathing block" if kind == "breathing" else "exercise"
        prefix = f"{label} {index + 1}" + (f" {quote(name)}" if name else "") + ": "
        parts = parts[2:]
        # The discriminated union adds the tag ("exercise"/"breathing") to the location.
        if parts and parts[0] in _ITEM_MODELS:
            model = _ITEM_MODELS[parts[0]]
            parts = parts[1:]
        else:
            model = _ITEM_MODELS[kind]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        elif (isinstance(part, str) and part.startswith("function-")) or part in (
            "tagged-union[Exercise,Breathing]",
        ):
            continue
        else:
            path += ("." if path else "") + str(part)
    model = _descend(model, [p for p in parts if isinstance(p, str)])
    return prefix, path, model


def _descend(model: type[BaseModel] | None, names: Sequence[str]) -> type[BaseModel] | None:
    """The model that owns the last name in the path (to suggest its field names)."""
    nested: dict[str, type[BaseModel]] = {
        "rest": Length,
        "switch_rest": Length,
        "rest_after": Length,
        "hold_top": Length,
        "hold_bottom": Length,
        "moves": Moves,
        "part_cues": PartCues,
        "phases": Phase,
        "poses": TempoPoses,
    }
    for name in names[:-1]:
        if model is None:
            return None
        model = nested.get(name) if name in model.model_fields else None
    return model


def _describe(err: ErrorDetails, path: str, model: type[BaseModel] | None, in_item: bool) -> str:
    kind = err["type"]
    found = err.get("input")
    field = path or ("" if in_item else "routine")
    if kind == "extra_forbidden":
        key = path.rsplit(".", 1)[-1]
        suggestion = ""
        if model is not None:
            close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
            if close:
                suggestion = f' (did you mean "{close[0]}"?)'
        return f"unknown key {show_key(path)}{suggestion}"
    if kind == "missing":
        return f"{field}: is required but missing"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    elif msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    msg = plain_message(kind, msg, err)
    last = path.rsplit(".", 1)[-1].split("[")[0]
    for echo in (last + ": ", last + " "):
        if last and msg.startswith(echo):
            msg = msg[len(echo) :]  # "seconds: seconds must be" reads badly
            break
    head = f"{field}: " if field else ""
    if field == "routine" and re.match(r"[a-z_]+: ", msg):
        head = ""  # a cross-field rule of the routine already names its field
    if kind in ("list_type", "tuple_type") and path == "exercise" and isinstance(found, Mapping):
        return "exercise: write each item as its own [[exercise]] table (double brackets)"
    if isinstance(found, Mapping):
        # The whole table is the input (a cross-field rule); echoing it helps nobody.
        return f"{head}{msg}"
    if kind == "too_long" and isinstance(found, list | tuple):
        return f"{head}{msg} (found {len(found)})"
    return f"{head}{msg} (found {show_value(found)})"
