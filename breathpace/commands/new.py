"""`breathpace new NAME`: start a routine that passes `check`, from a commented template
or (`--from`) from a copy of a built-in or any other routine.

A bare NAME that is a built-in's name is refused: the person's file would silently
replace the built-in everywhere (`play`, `list`, the journal's counts by name).
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import click

from breathpace import paths
from breathpace.commands.errors import InputError
from breathpace.library import builtin_routine_files, schema_file
from breathpace.outfile import OutputPathError, atomic_output
from breathpace.routine.model import MAX_TITLE
from breathpace.safe_text import cut, is_control, printable, quote

TEMPLATE = """\
#:schema {schema}
# A breathpace routine. Check it with `breathpace check {path}`,
# see its timeline with `breathpace preview {path}`,
# and play it while you edit with `breathpace play {path} --watch`.

format = 1
title = {title}
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
@click.option(
    "--from",
    "source",
    default=None,
    metavar="ROUTINE",
    help="Start from a copy of this routine (a built-in or your own name, or a file).",
)
def new_cmd(name: str, force: bool, source: str | None) -> None:
    """Write a commented routine template called NAME (or a copy of --from ROUTINE).

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
                f"NAME: use letters, digits, - and _ only, like my-bridges (found {quote(name)})"
            )
        path = paths.user_routines_dir() / f"{name}.toml"
    _refuse_shadowing(path)
    if (path.exists() or path.is_symlink()) and not force:
        raise InputError(f"{path}: already exists (use --force to overwrite)")
    schema = schema_file().resolve().as_uri()
    if source is not None:
        text, title = _copy_of(source, schema, path)
    else:
        title = title_from_stem(path.stem)
        text = TEMPLATE.format(
            schema=schema, title=toml_string(title), path=printable(_shell_word(path))
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path, binary=False, suffix=".toml") as fh:
            fh.write(text)
    except OutputPathError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    if source is not None:
        click.echo(
            f'wrote {printable(path)} ("{printable(title)}", a copy of {printable(source)} to edit)'
        )
    else:
        click.echo(f"wrote {printable(path)}")


def title_from_stem(stem: str) -> str:
    """A title made from a file name: words from - and _, control and invisible
    characters left out, at most the format's 100 characters."""
    words = "".join(" " if c in "-_" or is_control(c) else c for c in stem)
    title = " ".join(words.split()).capitalize()
    return cut(title, MAX_TITLE) or "My routine"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (JSON's escapes are TOML's, and DEL, which JSON
    leaves as it is, must be escaped in TOML)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _shell_word(path: Path) -> str:
    """The path as a word to paste into a shell, in the template's comments."""
    return shlex.quote(str(path))


def _refuse_shadowing(path: Path) -> None:
    """A file in the person's routines folder named like a built-in would replace it."""
    try:
        in_routines = path.resolve().parent == paths.user_routines_dir().resolve()
    except OSError:
        in_routines = False
    builtins = {p.stem for p in builtin_routine_files()}
    if in_routines and path.stem in builtins:
        raise InputError(
            f'NAME: "{path.stem}" is a built-in routine and yours would replace it; '
            f"choose another name, e.g. `breathpace new my-{path.stem} --from {path.stem}`"
        )


#: The title line of a routine file: a top-level `title = "..."` on one line.
_TITLE_LINE = re.compile(
    r"""^title[ \t]*=[ \t]*(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*(?:#.*)?$""", re.M
)
_SCHEMA_LINE = re.compile(r"^#:schema .*$", re.M)


def _copy_of(source: str, schema: str, target: Path) -> tuple[str, str]:
    """The text of routine `source` with a title that says it is the person's own, the
    schema comment pointing at the installed schema, and a note of where it came from.
    Everything else (comments included) is kept as written."""
    from breathpace.commands.options import resolve_or_exit

    resolved = resolve_or_exit(source)
    text = resolved.path.read_text(encoding="utf-8").removeprefix("\ufeff")
    title = f"{cut(resolved.routine.title, MAX_TITLE - 13)} (my version)"
    header = (
        f"#:schema {schema}\n"
        f"# Your copy of {printable(resolved.name)} ({resolved.routine.title}). Check it"
        f" with\n# `breathpace check {printable(_shell_word(target))}`; play it while you"
        f" edit with\n# `breathpace play {printable(_shell_word(target))} --watch`.\n"
    )
    body = _SCHEMA_LINE.sub("", text, count=1).lstrip("\n")
    renamed, count = _TITLE_LINE.subn(
        lambda m: f"title = {json.dumps(title, ensure_ascii=False)}", body, count=1
    )
    if count == 1 and _title_of(renamed) == title:
        return header + renamed, title
    # A title written in a form this cannot rewrite safely (a multi-line string, a
    # quoted key): copy the file as it is, and say so in the file.
    note = "# Change the title below so you can tell this copy from the original.\n"
    return header + note + body, resolved.routine.title


def _title_of(text: str) -> str | None:
    try:
        return tomllib.loads(text).get("title")
    except tomllib.TOMLDecodeError:
        return None
