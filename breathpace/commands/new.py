"""`breathpace new NAME`: start a routine from a commented template that passes `check`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from breathpace import paths
from breathpace.commands.errors import InputError
from breathpace.library import schema_file

TEMPLATE = """\
#:schema {schema}
# A breathpace routine. Check it with `breathpace check {path}`,
# see its timeline with `breathpace preview {path}`,
# and play it while you edit with `breathpace play {path} --watch`.

format = 1
title = "{title}"
summary = "What this routine is for, in a sentence."
tags = ["lying", "beginner"]
pace = "4-0-6-0"     # default breath: inhale-hold-exhale-hold, in seconds
lead_in = 5          # get-ready countdown in seconds

# An exercise described phase by phase. Each phase is tied to a breath and lasts
# either `seconds` (the breath follows the movement) or `breaths` (the movement
# follows the breath pace). Effort phases get the exhale.
[[exercise]]
name = "Pelvic tilt"
position = "On your back, knees bent, feet flat"
cues = ["Gently flatten your low back as you breathe out", "Stop before pain"]
sets = 2
reps = 8
rest = {{ breaths = 3 }}   # rest between sets: {{ breaths = N }} or {{ seconds = N }}
phases = [
  {{ move = "tilt",    breath = "exhale", breaths = 1, effort = true }},
  {{ move = "release", breath = "inhale", breaths = 1 }},
]

# An exercise in strength-tempo shorthand eccentric-pause-concentric-pause.
[[exercise]]
name = "Glute bridge"
position = "On your back, knees bent, feet hip-width apart"
cues = ["Breathe out as you lift", "Lift only as high as feels easy"]
sets = 1
reps = 6
tempo = "3-0-2-0"
start = "concentric"         # the rep begins with the lift
effort = "concentric"        # the lift is the effort: it gets the exhale
hold_top = {{ breaths = 2 }}   # a hold in breaths becomes whole breath cycles
halfway = true               # a soft cue halfway through long holds

# A breathing block: a pattern repeated for some minutes (or `cycles = N`).
[[exercise]]
name = "Settle"
pattern = "4-0-6-0"
minutes = 1
"""


@click.command("new")
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new_cmd(name: str, force: bool) -> None:
    """Write a commented routine template called NAME.

    A bare NAME goes to your routines folder (so `breathpace play NAME` finds it);
    a path (containing / or ending in .toml) is written where it says.
    """
    if "/" in name or name.endswith(".toml"):
        path = Path(name)
        if path.suffix != ".toml":
            path = path.with_suffix(".toml")
    else:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
            raise InputError(
                f"NAME: use letters, digits, - and _ only, like my-bridges (found {name!r})"
            )
        path = paths.user_routines_dir() / f"{name}.toml"
    if path.exists() and not force:
        raise InputError(f"{path}: already exists (use --force to overwrite)")
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "My routine"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            TEMPLATE.format(schema=schema_file().resolve().as_uri(), title=title, path=path),
            encoding="utf-8",
        )
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    click.echo(f"wrote {path}")
