"""Reading routine files and turning every way they can be wrong into one readable line.

The models in `model.py` say what is valid; this module says, for a person holding the
file, *where* it is not: the file, the item by number and name, the field path, what is
wrong and what was found. TOML syntax errors keep their line and column. Unknown keys
get a "did you mean" suggestion. Nothing here ever lets a traceback reach the terminal.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

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

MAX_FILE_BYTES = 1_000_000


class RoutineError(ValueError):
    """A routine that cannot be used. `str()` is one line, ready to print."""

    def __init__(self, source: str, message: str):
        self.source = source
        self.detail = message
        super().__init__(f"{source}: {message}")


def load_routine(path: str | Path) -> Routine:
    """Read and validate a routine file (also its total length)."""
    text = read_toml_text(Path(path), RoutineError, MAX_FILE_BYTES, "a routine file")
    return parse_routine(text, str(path))


def read_toml_text(path: Path, error: type, max_bytes: int, what: str) -> str:
    """A small UTF-8 text file, or `error(source, one-line reason)`. Shared by routine
    and theme files so both fail in the same words."""
    source = str(path)
    try:
        if path.stat().st_size > max_bytes:
            raise error(source, f"file is larger than {max_bytes:,} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(source, "no such file") from None
    except IsADirectoryError:
        raise error(source, f"is a folder, not {what}") from None
    except OSError as exc:
        raise error(source, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(source, f"is not UTF-8 text (byte {exc.start})") from None
    # Some editors start UTF-8 files with a byte-order mark; TOML parsers refuse it.
    return text.removeprefix("\ufeff")


def parse_routine(text: str, source: str = "<routine>") -> Routine:
    """Validate routine TOML text; `source` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError(source, _toml_message(exc, text)) from None
    except RecursionError:
        raise RoutineError(source, "TOML syntax error: nested too deeply") from None
    return validate_routine(data, source)


def validate_routine(data: Mapping[str, Any], source: str = "<routine>") -> Routine:
    try:
        routine = Routine.model_validate(data)
    except ValidationError as exc:
        raise RoutineError(source, describe_validation_error(exc, data)) from None
    except RecursionError:
        raise RoutineError(source, "nested too deeply") from None
    _check_total_length(routine, source)
    return routine


def _check_total_length(routine: Routine, source: str) -> None:
    # Imported here: the engine imports the model, and loading stays usable on its own.
    from breathpace.timeline.compile import MAX_SEGMENTS, TimelineTooLong, compile

    try:
        compile(routine)
    except TimelineTooLong as exc:
        if exc.at_ms is not None:
            raise RoutineError(
                source, "the routine is longer than the 4 hour limit at its own pace"
            ) from None
        raise RoutineError(
            source, f"the routine has more than {MAX_SEGMENTS:,} cues; split it up"
        ) from None


#: tomllib's wording for two common slips, said the way an author would see them.
_TOML_HINTS = {
    "Illegal character '\\n'": "a quoted text is not closed before the end of the line",
    "Cannot overwrite a value": "a key is given twice",
}


def _hinted(msg: str) -> str:
    hint = _TOML_HINTS.get(msg)
    return f"{msg} ({hint})" if hint else msg


def _toml_message(exc: tomllib.TOMLDecodeError, text: str) -> str:
    # Python 3.14 gives lineno/colno attributes; older versions only the message.
    message = str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    msg = getattr(exc, "msg", None)
    if lineno is not None and colno is not None and msg:
        return f"line {lineno}, column {colno}: TOML syntax error: {_hinted(msg)}"
    if message.endswith(")") and "(at line " in message:
        head, _, where = message.rpartition(" (at ")
        where = where.rstrip(")")
        return f"{where}: TOML syntax error: {_hinted(head)}"
    if "(at end of document)" in message:
        return f"at end of document: TOML syntax error: {message.split(' (at ')[0]}"
    return f"TOML syntax error: {message}"


# --- pydantic errors, in a person's words -------------------------------------------

_ITEM_MODELS: dict[str, type[BaseModel]] = {"exercise": Exercise, "breathing": Breathing}


def describe_validation_error(exc: ValidationError, data: Any) -> str:
    """The first (most useful) error of a ValidationError as one line."""
    errors = [e for e in exc.errors(include_url=False) if not _echo_of_item_error(e)]
    errors = errors or exc.errors(include_url=False)
    # An unknown key is the likeliest typo and the most helpful to name first.
    errors.sort(key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    err = errors[0]
    loc = list(err["loc"])
    where, field_path, model = _locate(loc, data)
    what = _describe(err, field_path, model, bool(where))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}{what}{more}"


def _echo_of_item_error(err: dict) -> bool:
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
        prefix = f"{label} {index + 1}" + (f' "{name}"' if name else "") + ": "
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


def _describe(err: dict, path: str, model: type[BaseModel] | None, in_item: bool) -> str:
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
        return f'unknown key "{path}"{suggestion}'
    if kind == "missing":
        return f"{field}: is required but missing"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    elif msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    msg = _plain(kind, msg, err)
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
    return f"{head}{msg} (found {_show(found)})"


def _plain(kind: str, msg: str, err: dict) -> str:
    ctx = err.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        found = err.get("input")
        if isinstance(found, float) and not math.isfinite(found):
            return "must be a finite number"  # not "must be at most 120.0 (found nan)"
        bound = next(iter(ctx.values()), None)
        if isinstance(bound, float):
            bound = f"{bound:g}"
        words = {
            "greater_than_equal": "must be at least",
            "greater_than": "must be greater than",
            "less_than_equal": "must be at most",
            "less_than": "must be less than",
        }[kind]
        return f"{words} {bound}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        found = err.get("input")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        if len(options) == 1:
            return f"must be {expected}"
        close = difflib.get_close_matches(str(found), options, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if isinstance(found, str) and close else ""
        return f"must be one of {expected}{hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_type", "float_parsing", "finite_number"):
        # Text or true/false is not a number at all; only nan and inf are "not finite".
        if isinstance(err.get("input"), str | bool):
            return "must be a number"
        return "must be a finite number"
    if kind in ("string_type",):
        return "must be text in quotes"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("list_type", "tuple_type"):
        return "must be a list like [ ... ]"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a table like { ... }"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return "needs at least one entry" if n == 1 else f"needs at least {n} entries"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} entries"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "union_tag_invalid":
        return "is not an exercise or a breathing block"
    return msg


def _show(value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Escaped like TOML would write it, so the message stays on one line.
        text = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        text = text if len(text) <= 40 else text[:37] + "..."
        return f'"{text}"'
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, Mapping):
        return "a table"
    return str(value)
