"""Finding routines, sound themes and figures: built-in ones, the person's own, or a path.

The built-in `routines/`, `sounds/` and `figures/` folders live at the top of the source tree and
are packaged into the wheel as `breathpace/_data/`; `data_dir` finds whichever exists,
so the same code works from a checkout, an editable install and an installed wheel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from breathpace import paths
from breathpace.routine.lint import figure_problems
from breathpace.routine.load import RoutineError, read_routine_file
from breathpace.routine.model import Routine
from breathpace.safe_text import name_text

_PACKAGE = Path(__file__).resolve().parent


def data_dir(kind: str) -> Path:
    """The folder of built-in `routines`, `sounds` or `figures`."""
    if kind not in ("routines", "sounds", "figures"):
        raise ValueError(f"unknown data folder {kind!r}")
    installed = _PACKAGE / "_data" / kind
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / kind


def schema_file() -> Path:
    installed = _PACKAGE / "_data" / "routine.schema.json"
    return installed if installed.is_file() else _PACKAGE.parent / "routine.schema.json"


@dataclass(frozen=True)
class Resolved:
    """A routine found by name or path, validated."""

    name: str
    """The routine's name: its file name without `.toml`."""
    path: Path
    routine: Routine
    builtin: bool


def builtin_routine_files() -> list[Path]:
    folder = data_dir("routines")
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def user_routine_files() -> list[Path]:
    folder = paths.user_routines_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def looks_like_path(name_or_path: str) -> bool:
    """Whether a ROUTINE argument names a file (`x.toml`, `dir/x`) rather than a name."""
    return Path(name_or_path).suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path


def find(name_or_path: str) -> tuple[Path, bool]:
    """The file a ROUTINE argument means: a user routine name (it wins, so a person can
    keep their own edited copy of a built-in), a built-in name, or a path."""
    candidate = Path(name_or_path)
    if not looks_like_path(name_or_path):
        for folder, builtin in ((paths.user_routines_dir(), False), (data_dir("routines"), True)):
            path = folder / f"{name_or_path}.toml"
            if path.is_file():
                return path, builtin
        names = sorted(p.stem for p in builtin_routine_files() + user_routine_files())
        import difflib

        close = difflib.get_close_matches(name_or_path, names, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else " (see `breathpace list`)"
        raise RoutineError(name_or_path, f"no routine of that name{hint}")
    return candidate, False


def load_measured_routine(path: str | Path) -> tuple[Routine, int]:
    """A routine file, validated, and its length in ms at its own pace. The length
    limits (4 hours, and a cap on cues) are the compiler's, so they are checked here,
    above both the routine and the timeline packages; a listing reuses the length."""
    # Imported here: compiling is needed only once a file is read, not to find one.
    from breathpace.timeline.compile import MAX_SEGMENTS, TimelineTooLong, compile

    source = str(path)
    routine = read_routine_file(path)
    try:
        return routine, compile(routine).duration_ms
    except TimelineTooLong as exc:
        if exc.at_ms is not None:
            raise RoutineError(
                source, "the routine is longer than the 4 hour limit at its own pace"
            ) from None
        raise RoutineError(
            source, f"the routine has more than {MAX_SEGMENTS:,} cues; split it up"
        ) from None


def resolve(name_or_path: str) -> Resolved:
    """Find and load a routine; raises RoutineError with a one-line message."""
    path, builtin = find(name_or_path)
    routine = load_routine(path)
    # A file name need not be UTF-8 (café.toml in Latin-1): its undecodable bytes are
    # kept as escapes, so the name can be stored in the journal and printed.
    return Resolved(name=name_text(path.stem), path=path, routine=routine, builtin=builtin)


def load_measured(path: str | Path) -> tuple[Routine, int]:
    """A routine file as `check` judges it, and its length in ms at its own pace: the
    file's own rules, then every pose its items name looked up in their figures. Every
    way in (`play`, `list`, the home screen, a reload under `--watch`) loads through
    here, so a routine `check` calls invalid never starts. Raises RoutineError, one
    line per problem in `problems`."""
    routine, length_ms = load_measured_routine(path)
    problems = figure_problems(routine, figure_poses(Path(path).parent))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RoutineError(str(path), problems[0] + more, problems)
    return routine, length_ms


def load_routine(path: str | Path) -> Routine:
    """Read and validate a routine file as `check` does (its length and the poses its
    figures must have included): `load_measured` without the length."""
    return load_measured(path)[0]


def routine_names() -> set[str]:
    """Every routine name that `resolve` knows, built-in or the person's own."""
    return {p.stem for p in builtin_routine_files() + user_routine_files()}


# --- figures ---------------------------------------------------------------------


def builtin_figure_files() -> list[Path]:
    folder = data_dir("figures")
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def find_figure(name_or_path: str, relative_to: Path | None = None) -> Path:
    """The file a routine's `figure` key means: a built-in figure name, or a path (taken
    relative to the routine's folder when `relative_to` is given)."""
    # Imported here (twice below too): figures load only when a routine shows one.
    from breathpace.figures.load import FigureError

    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        path = Path(name_or_path).expanduser()
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        return path
    path = data_dir("figures") / f"{name_or_path}.toml"
    if path.is_file():
        return path
    import difflib

    names = [p.stem for p in builtin_figure_files()]
    close = difflib.get_close_matches(name_or_path, names, n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    raise FigureError(name_or_path, [f"no figure of that name{hint}"])


def load_figure_named(name_or_path: str, relative_to: Path | None = None):
    """Find and load a figure; raises FigureError with one line per problem."""
    # Imported here: see `find_figure`.
    from breathpace.figures.load import load_figure

    return load_figure(find_figure(name_or_path, relative_to))


def figure_poses(folder: Path) -> Callable[[str], list[str]]:
    """`poses_of(figure)` for `figure_problems`: the pose names of a figure named in a
    routine in `folder`, each figure read once; LookupError with a one-line reason for
    a figure that cannot be found or read."""
    cache: dict[str, list[str]] = {}

    def poses_of(figure: str) -> list[str]:
        # Imported here: see `find_figure` (a routine without figures never asks).
        from breathpace.figures.load import FigureError

        if figure not in cache:
            try:
                cache[figure] = list(load_figure_named(figure, relative_to=folder).poses)
            except FigureError as exc:
                first = exc.problems[0] if exc.problems else "cannot be used"
                if exc.source == figure:
                    raise LookupError(first) from None
                raise LookupError(f"{exc.source}: {first}") from None
        return cache[figure]

    return poses_of
