"""Reading figure files, and saying in one line per problem where one is wrong.

No numpy here: `breathpace check` loads figures to validate them and must stay light.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from breathpace.figures.model import (
    MAX_POSES,
    Body,
    Chair,
    Contacts,
    Counter,
    Figure,
    Joint,
    Limit,
    Pose,
    View,
)
from breathpace.safe_text import printable
from breathpace.tomlfile import MAX_BYTES, loads, plain_message, read_text, show_key, show_value

#: The same limit as every other TOML file: `check` tells a figure from a routine by
#: reading it, so one limit means one message for a file too large to be either (the
#: pose count has its own, far smaller limit, named by the model).
MAX_FILE_BYTES = MAX_BYTES


class FigureError(ValueError):
    """A figure that cannot be used: one or more problems, each one line."""

    def __init__(self, source: str, problems: list[str]):
        # A key or a value from the file may hold control characters; each problem stays
        # one printable line whatever the file says.
        self.source = printable(source)
        self.problems = [printable(p) for p in problems]
        super().__init__("\n".join(f"{self.source}: {p}" for p in self.problems))


def read_figure_text(path: Path) -> str:
    """The file's text, refusing what is not a small regular UTF-8 file (the shared
    size-capped reader, so figures fail in the same words as routines and themes)."""
    return read_text(path, _one_problem, "a figure file", MAX_FILE_BYTES)


def _one_problem(source: str, message: str) -> FigureError:
    return FigureError(source, [message])


def load_figure(path: str | Path) -> Figure:
    """Read and validate a figure file."""
    return parse_figure(read_figure_text(Path(path)), str(path))


def parse_figure(text: str, source: str = "<figure>") -> Figure:
    data = loads(text, _one_problem, source)
    poses = data.get("poses") if isinstance(data, dict) else None
    if isinstance(poses, dict) and len(poses) > MAX_POSES:
        # Said once, before thousands of poses are each checked and each reported.
        raise FigureError(
            source, [f"poses: at most {MAX_POSES} poses in a figure (found {len(poses):,})"]
        )
    try:
        figure = Figure.model_validate(data)
    except ValidationError as exc:
        raise FigureError(source, describe_errors(exc)) from None
    except RecursionError:
        raise FigureError(source, ["nested too deeply"]) from None
    # The pose's own promises (contacts that rest, nothing under the floor, its limits):
    # a figure that breaks them teaches the wrong movement.
    from breathpace.figures.checks import figure_problems

    problems = figure_problems(figure)
    if problems:
        raise FigureError(source, problems)
    return figure


def looks_like_figure(data: Any) -> bool:
    """A TOML table with poses and no exercises is meant as a figure."""
    return isinstance(data, dict) and "poses" in data and "exercise" not in data


_NESTED: dict[str, type[BaseModel]] = {
    "view": View,
    "chair": Chair,
    "counter": Counter,
    "body": Body,
    "contacts": Contacts,
}


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
                out.append(f"{path}: unknown joint {show_key(key)}{hint}")
            else:
                out.append(f"unknown key {show_key(path)}{hint}")
            continue
        if kind == "missing":
            out.append(f"{path}: is required but missing")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        msg = plain_message(kind, msg, err)
        found = err.get("input")
        head = f"{path}: " if path else ""
        if isinstance(found, dict | list | tuple):
            out.append(f"{head}{msg}")
        else:
            out.append(f"{head}{msg} (found {show_value(found)})")
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
        if model is Pose and name == "limits":
            model, i = Limit, i + 2  # limits.<point>.<key>
            continue
        model = _NESTED.get(name, Joint if model is Pose else model)
        i += 1
    return model
