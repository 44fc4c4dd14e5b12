"""Reading the TOML files a person hands breathpace, and wording what is wrong with them.

Routines, sound themes, settings and figures are all small TOML files that may come
from anywhere: a download, a typo, a FIFO, `/dev/zero`. This module reads them the one
safe way (a regular file, opened without blocking, read up to a size cap) and words
every failure as one line: TOML syntax errors with line and column, pydantic errors in a
person's words, and bad values quoted short and printable. The per-format modules
(`routine/load.py`, `audio/theme.py`, `settings.py`) say *where* in their own format;
this one says *what*, in the same words for all of them.
"""

from __future__ import annotations

import difflib
import errno
import math
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from breathpace.safe_text import printable, quote

#: What builds the error raised for a file: `error(source, one-line reason)` (an
#: exception class taking the two, or a function returning one).
ErrorFactory = Callable[[str, str], Exception]

#: Larger than any routine, theme or settings file a person would write; small enough
#: that a wrong file (a video, `/dev/zero` behind a link) is refused at once.
MAX_BYTES = 1_000_000


def read_text(path: str | Path, error: ErrorFactory, what: str, max_bytes: int = MAX_BYTES) -> str:
    """A small UTF-8 text file, or `error(source, one-line reason)`.

    Anything that is not a regular file is refused before it is read: a FIFO would
    block forever and a device may never end. The file is opened non-blocking and
    checked again after opening, so a file swapped for a FIFO in between cannot hang
    it either. At most `max_bytes + 1` bytes are ever read."""
    path = Path(path)
    source = str(path)
    try:
        info = os.stat(path)
        _refuse_special(info, error, source, what)
        if info.st_size > max_bytes:
            raise error(source, f"file is larger than {max_bytes:,} bytes")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            _refuse_special(os.fstat(fd), error, source, what)
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                # In pieces the size of the file: each read allocates a buffer of the
                # size asked for, and a megabyte per small file raised a session's peak.
                chunk = os.read(fd, min(max_bytes + 1 - size, max(info.st_size + 1, 4096)))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise error(source, "no such file") from None
    except IsADirectoryError:
        raise error(source, f"is a folder, not {what}") from None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise error(source, "no such file (a part of the path is not a folder)") from None
        raise error(source, f"cannot be read ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise error(source, f"file is larger than {max_bytes:,} bytes")
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(source, f"is not UTF-8 text (byte {exc.start})") from None
    # Some editors start UTF-8 files with a byte-order mark; TOML parsers refuse it.
    return text.removeprefix("\ufeff")


def _refuse_special(info: os.stat_result, error: ErrorFactory, source: str, what: str) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise error(source, f"is a folder, not {what}")
    # A FIFO, a device or a socket: the same words for all, whatever reads them.
    raise error(source, "is not a regular file")


def loads(text: str, error: ErrorFactory, source: str) -> dict[str, Any]:
    """Parse TOML text, or `error(source, "line L, column C: TOML syntax error: ...")`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(source, toml_message(exc)) from None
    except RecursionError:
        raise error(source, "TOML syntax error: nested too deeply") from None


def read_toml(path: str | Path, error: ErrorFactory, what: str, max_bytes: int = MAX_BYTES) -> dict:
    """`read_text` then `loads`: the whole safe path from a file name to a table."""
    return loads(read_text(path, error, what, max_bytes), error, str(path))


#: tomllib's wording for two common slips, said the way an author would see them.
_TOML_HINTS = {
    "Illegal character '\\n'": "a quoted text is not closed before the end of the line",
    "Cannot overwrite a value": "a key is given twice",
}


def _hinted(msg: str) -> str:
    hint = _TOML_HINTS.get(msg)
    return f"{msg} ({hint})" if hint else msg


def toml_message(exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error as "line L, column C: TOML syntax error: what"."""
    # Python 3.14 gives lineno/colno attributes; older versions only the message.
    message = printable(str(exc))
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    msg = getattr(exc, "msg", None)
    if lineno is not None and colno is not None and msg:
        return f"line {lineno}, column {colno}: TOML syntax error: {_hinted(printable(msg))}"
    if message.endswith(")") and "(at line " in message:
        head, _, where = message.rpartition(" (at ")
        where = where.rstrip(")")
        return f"{where}: TOML syntax error: {_hinted(head)}"
    if "(at end of document)" in message:
        return f"at end of document: TOML syntax error: {message.split(' (at ')[0]}"
    return f"TOML syntax error: {message}"


def show_value(value: Any) -> str:
    """A bad value as an error quotes it: short, printable, in the file's own notation."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, Mapping):
        return "a table"
    text = printable(str(value))
    return text if len(text) <= 60 else text[:57] + "..."


def show_key(path: str) -> str:
    """A dotted key path from a file, quoted short and printable."""
    return quote(path)


def plain_message(kind: str, msg: str, err: Mapping) -> str:
    """pydantic's message for one error, in a person's words (without the value)."""
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
    if kind == "extra_forbidden":
        return "is not a known key"
    if kind == "missing":
        return "is required but missing"
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return printable(msg)
