"""Reading figure files, and saying in one line per problem where one is wrong.

No numpy here: `breathpace check` loads figures to validate them and must stay light.
"""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from breathpace.figures.model import Body, Chair, Figure, Joint, Pose, View
from breathpace.routine.load import _plain, _show, _toml_message

MAX_FILE_BYTES = 200_000


class FigureError(ValueError):
    """A figure that cannot be used: one or more problems, each one line."""

    def __init__(self, source: str, problems: list[str]):
        # A key or a value from the file may hold control characters; each problem stays
        # one printable line whatever the file says.
        self.source = _printable(source)
        self.problems = [_printable(p) for p in problems]
        super().__init__("\n".join(f"{self.source}: {p}" for p in self.problems))


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def read_figure_text(path: Path) -> str:
    """The file's text, refusing what is not a small regular UTF-8 file. (One function,
    so a shared size-capped reader can replace it.)"""
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FigureError(source, ["no such file"]) from None
    except OSError as exc:
        raise FigureError(source, [f"cannot be read ({exc.strerror or exc})"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise FigureError(source, ["is a folder, not a figure file"])
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block or never end; refuse before opening it.
        raise FigureError(source, ["is not a regular file"])
    if info.st_size > MAX_FILE_BYTES:
        raise FigureError(source, [f"file is larger than {MAX_FILE_BYTES:,} bytes"])
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FigureError(source, [f"cannot be read ({exc.strerror or exc})"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise FigureError(source, [f"file is larger than {MAX_FILE_BYTES:,} bytes"])
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise FigureError(source, [f"is not UTF-8 text (byte {exc.start})"]) from None


def load_figure(path: str | Path) -> Figure:
    """Read and validate a figure file."""
    return parse_figure(read_figure_text(Path(path)), str(path))


def parse_figure(text: str, source: str = "<figure>") -> Figure:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FigureError(source, [_toml_message(exc, text)]) from None
    except RecursionError:
        raise FigureError(source, ["TOML syntax error: nested too deeply"]) from None
    try:
        return Figure.model_validate(data)
    except ValidationError as exc:
        raise FigureError(source, describe_errors(exc)) from None
    except RecursionError:
        raise FigureError(source, ["nested too deeply"]) from None


def looks_like_figure(data: Any) -> bool:
    """A TOML table with poses and no exercises is meant as a figure."""
    return isinstance(data, dict) and "poses" in data and "exercise" not in data


_NESTED: dict[str, type[BaseModel]] = {"view": View, "chair": Chair, "body": Body}


def describe_errors(exc: ValidationError) -> list[str]:
    """Every problem as `field: what is wrong (found …)`, in file order."""
    out: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        path = ".".join(loc)
        model = _owner(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = loc[-1] if loc else ""
            close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            if model is Pose:
                out.append(f'{path}: unknown joint "{key}"{hint}')
            else:
                out.append(f'unknown key "{path}"{hint}')
            continue
        if kind == "missing":
            out.append(f"{path}: is required but missing")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        msg = _plain(kind, msg, err)
        found = err.get("input")
        head = f"{path}: " if path else ""
        if isinstance(found, dict):
            out.append(f"{head}{msg}")
        else:
            out.append(f"{head}{msg} (found {_show(found)})")
    return out or ["is not a valid figure"]


def _owner(loc: list[str]) -> type[BaseModel]:
    """The model whose field the last part of the location names."""
    model: type[BaseModel] = Figure
    i = 0
    while i < len(loc) - 1:
        name = loc[i]
        if model is Figure and name == "poses":
            model, i = Pose, i + 2  # poses.<name>.<joint>
            continue
        model = (Body if name == "body" else Joint) if model is Pose else _NESTED.get(name, model)
        i += 1
    return model
