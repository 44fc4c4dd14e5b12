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

from breathpace.audio.backends import KINDS as AUDIO_KINDS
from breathpace.commands.errors import InputError


def _positive(name: str, value: float | None, high: float) -> float | None:
    if value is None:
        return None
    if not 0 < value <= high:
        raise InputError(f"--{name}: must be more than 0 and at most {high:g} (found {value:g})")
    return value


def practice_routine(choice: str, *, minutes, cycles, ramp_to, sigh):
    """(name, Routine) for a PRESET name or a PATTERN; InputError (exit 2) if neither."""
    from breathpace.routine.practice import (
        PracticeError,
        adjust_practice,
        build_practice,
        looks_like_pattern,
    )

    try:
        if looks_like_pattern(choice):
            routine = build_practice(
                choice, minutes=minutes or 5, cycles=cycles, ramp_to=ramp_to, sigh=sigh
            )
            return f"breathe {choice}", routine
        from breathpace.library import resolve, routine_names
        from breathpace.routine.load import RoutineError

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
    from breathpace.library import resolve
    from breathpace.routine.load import RoutineError

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
@click.option("--audio", type=click.Choice(AUDIO_KINDS), default=None, help="Sound backend.")
@click.option("--device", default=None, help="Audio output device (see `breathpace devices`).")
@click.option("--volume", type=float, default=None, help="Volume from 0 to 1.")
@click.option("--theme", default=None, metavar="NAME|FILE", help="Sound theme.")
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
) -> None:
    """Practise a breathing pattern alone.

    PRESET is a breathing routine such as coherent, relaxing, box, 4-7-8,
    cyclic-sighing or resonance-ramp; PATTERN is inhale-hold-exhale-hold in seconds,
    like 4-0-6-0. Without either, the Breathe screen opens (and "find my pace").
    """
    from breathpace.tui.launch import load_settings_or_exit

    _positive("minutes", minutes, 240)
    if cycles is not None and not 1 <= cycles <= 10_000:
        raise InputError(f"--cycles: must be between 1 and 10000 (found {cycles})")
    _positive("volume", volume, 1)
    settings = load_settings_or_exit()
    overrides = {
        k: v
        for k, v in {"audio": audio, "device": device, "volume": volume, "theme": theme}.items()
        if v is not None
    }
    settings = settings.model_copy(update=overrides)
    calm = calm or settings.reduced_motion

    if choice is None and not plain:
        from breathpace.tui.launch import run_breathe

        raise SystemExit(run_breathe(settings=settings, calm=calm))
    if choice is None:
        choice = settings.pace or "4-0-6-0"
    name, routine = practice_routine(
        choice, minutes=minutes, cycles=cycles, ramp_to=ramp_to, sigh=sigh
    )

    from breathpace.library import Resolved
    from breathpace.tui.launch import build_player, open_backend_or_exit

    backend, notice = open_backend_or_exit(settings)
    try:
        player = build_player(routine, settings=settings, backend=backend, personal_pace=False)
        resolved = Resolved(name=name, path=Path(name), routine=routine, builtin=False)
        if plain:
            code = _run_plain(player, resolved, notice)
        else:
            from breathpace.tui.launch import run_play

            code = run_play(
                player,
                resolved,
                watch=False,
                calm=calm,
                settings=settings,
                notice=notice,
                source="breathe",
            )
    finally:
        backend.close()
    raise SystemExit(code)


def _run_plain(player, resolved, notice: str | None) -> int:
    import importlib.util

    if importlib.util.find_spec("breathpace.plain") is None:
        raise click.ClickException("the plain mode is not available in this installation")
    from breathpace.plain import run_plain

    return run_plain(player, resolved, notice=notice, mode="plain", source="breathe")
