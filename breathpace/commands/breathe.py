"""`breathpace breathe`: breathing practice alone, full screen or one line per cue.

With no PRESET or PATTERN it opens the Breathe screen to choose one (and to find a
personal pace). With one, the practice starts at once: a preset is a built-in or own
routine tagged "breathing" (coherent, box, 4-7-8, …); a pattern is `in-hold-out-hold`
in seconds. The practice is an ordinary routine with one breathing block, so it is
timed, heard and journaled exactly like a guided set.
"""

from __future__ import annotations

from pathlib import Path

import click

from breathpace.commands.errors import InputError
from breathpace.commands.options import input_errors, tempo_option
from breathpace.commands.playing import audio_option, play_prepared
from breathpace.library import Resolved, resolve, routine_names
from breathpace.routine.load import RoutineError
from breathpace.routine.practice import (
    PracticeError,
    adjust_practice,
    build_practice,
    looks_like_pattern,
)
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare


def _positive(name: str, value: float | None, high: float) -> float | None:
    if value is None:
        return None
    if not 0 < value <= high:
        raise InputError(f"--{name}: must be more than 0 and at most {high:g} (found {value:g})")
    return value


def practice_routine(choice: str, *, minutes, cycles, ramp_to, sigh):
    """(name, Routine) for a PRESET name or a PATTERN; InputError (exit 2) if neither."""
    try:
        if looks_like_pattern(choice):
            routine = build_practice(
                choice, minutes=minutes or 5, cycles=cycles, ramp_to=ramp_to, sigh=sigh
            )
            return f"breathe {choice}", routine
        try:
            resolved = resolve(choice)
        except RoutineError:
            presets = sorted(_preset_names(routine_names()))
            raise InputError(
                f"{choice!r} is neither a breathing preset ({', '.join(presets)}) "
                "nor a pattern like 4-0-6-0"
            ) from None
        if "breathing" not in resolved.routine.tags:
            raise InputError(
                f"{choice!r} is not a breathing preset (try `breathpace play {choice}`)"
            )
        if sigh:
            raise InputError("--sigh: only with a PATTERN (a preset says whether it sighs)")
        routine = adjust_practice(resolved.routine, minutes=minutes, cycles=cycles, ramp_to=ramp_to)
        return resolved.name, routine
    except PracticeError as exc:
        raise InputError(str(exc)) from None


def _preset_names(names: set[str]) -> list[str]:
    presets = []
    for name in names:
        try:
            if "breathing" in resolve(name).routine.tags:
                presets.append(name)
        except RoutineError:
            continue
    return presets


@click.command("breathe")
@click.argument("choice", required=False, metavar="[PRESET|PATTERN]")
@click.option("--minutes", type=float, default=None, help="Length in minutes (default 5).")
@click.option("--cycles", type=int, default=None, help="Length in breaths instead of minutes.")
@click.option(
    "--ramp-to",
    type=float,
    default=None,
    metavar="RATE",
    help="Ease gradually toward this many breaths a minute (e.g. 6).",
)
@click.option("--sigh", is_flag=True, help="With a PATTERN: cyclic sighing (in, top-up, out).")
@click.option("--plain", is_flag=True, help="No full screen: one line per cue on stdout.")
@click.option("--calm", is_flag=True, help="No animation: a steady bar and words.")
@audio_option
@click.option("--device", default=None, help="Audio output device (see `breathpace devices`).")
@click.option("--volume", type=float, default=None, help="Volume from 0 to 1.")
@click.option("--theme", default=None, metavar="NAME|FILE", help="Sound theme.")
@tempo_option
def breathe_cmd(
    choice: str | None,
    minutes: float | None,
    cycles: int | None,
    ramp_to: float | None,
    sigh: bool,
    plain: bool,
    calm: bool,
    audio: str | None,
    device: str | None,
    volume: float | None,
    theme: str | None,
    tempo,
) -> None:
    """Practise a breathing pattern alone.

    PRESET is a breathing routine such as coherent, relaxing, box, 4-7-8,
    cyclic-sighing or resonance-ramp; PATTERN is inhale-hold-exhale-hold in seconds,
    like 4-0-6-0. Without either, the Breathe screen opens (and "find my pace").
    """
    _positive("minutes", minutes, 240)
    if cycles is not None and not 1 <= cycles <= 10_000:
        raise InputError(f"--cycles: must be between 1 and 10000 (found {cycles})")
    _positive("volume", volume, 1)
    overrides = Overrides(
        audio=audio, device=device, volume=volume, theme=theme, calm=calm, tempo=tempo
    )
    with input_errors():
        options = session_options(overrides)

    # Imported here, not at the top: `breathpace.tui` is the interface package, which
    # the light commands (their --help) never load; `fallback` itself imports nothing.
    from breathpace.tui.fallback import full_screen_unsupported

    if choice is None and not plain and not full_screen_unsupported():
        # Imported here: Textual loads only when the screen really opens. (A terminal
        # without a full screen plays the default pattern in plain mode, with a notice.)
        from breathpace.tui.launch import run_breathe

        with input_errors():
            raise SystemExit(run_breathe(options))
    if choice is None:
        choice = options.settings.pace or "4-0-6-0"
    name, routine = practice_routine(
        choice, minutes=minutes, cycles=cycles, ramp_to=ramp_to, sigh=sigh
    )
    with input_errors():
        # A breathing practice keeps its own pattern: no personal pace, no dose changes.
        prepared = prepare(
            Resolved(name=name, path=Path(name), routine=routine, builtin=False),
            options,
            personal_pace=False,
            journal_dose=False,
            source="breathe",
        )
    raise SystemExit(play_prepared(prepared, plain=plain))
