"""`breathpace preview ROUTINE`: the timeline as a table per item, or as JSON."""

from __future__ import annotations

import json
from fractions import Fraction

import click

from breathpace import fmt
from breathpace.commands.errors import InputError
from breathpace.commands.options import dosed, pace_option, resolve_or_exit, tempo_option
from breathpace.routine.model import Breathing
from breathpace.safe_text import printable
from breathpace.timeline import Kind, Timeline, compile


@click.command("preview")
@click.argument("routine")
@pace_option
@tempo_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole timeline as JSON.")
def preview_cmd(routine: str, pace, tempo: Fraction, as_json: bool) -> None:
    """Show ROUTINE's timeline (a built-in name, your routine's name, or a path)."""
    resolved = resolve_or_exit(routine)
    routine_to_play, changes = dosed(resolved)
    try:
        timeline = compile(routine_to_play, pace, tempo)
    except ValueError as exc:
        raise InputError(f"{resolved.path}: {exc}") from None
    if as_json:
        click.echo(json.dumps(timeline_json(timeline), indent=None))
        return
    _print_table(resolved, routine_to_play, timeline, pace)
    for change in changes:
        click.echo(f"your dose: {printable(change)}")


def timeline_json(timeline: Timeline) -> dict:
    return {
        "duration_s": timeline.duration_ms / 1000,
        "segments": [
            {
                "start_s": seg.start_ms / 1000,
                "duration_s": seg.duration_ms / 1000,
                "kind": seg.kind.value,
                "breath": seg.breath.value,
                "move": seg.move,
                "effort": seg.effort,
                "exercise": seg.exercise_name if 0 < seg.exercise <= len(timeline.items) else None,
                "side": seg.side,
                "set": seg.set or None,
                "rep": seg.rep or None,
            }
            for seg in timeline.segments
        ],
    }


def _print_table(resolved, routine, timeline: Timeline, pace) -> None:
    pace_text = str(pace) if pace is not None else routine.pace
    # The routine's own text is checked as it loads; the name is the file's name, which
    # nobody checked. Both are shown printable all the same.
    click.echo(f"{printable(routine.title)}  ({printable(resolved.name)}, pace {pace_text})")
    if routine.summary:
        click.echo(printable(routine.summary))
    click.echo()
    rows = [("#", "item", "sets", "reps", "sides", "length")]
    for number, item in enumerate(routine.exercise, start=1):
        segs = [s for s in timeline.segments if s.exercise == number and s.kind is not Kind.WAIT]
        segs = [s for s in segs if s.kind is not Kind.TRANSITION]
        ms = sum(s.duration_ms for s in segs)
        if isinstance(item, Breathing):
            cycles = max((s.reps for s in segs), default=0)
            rows.append(
                (str(number), printable(item.name), "-", f"{cycles} breaths", "-", fmt.length(ms))
            )
        else:
            rows.append(
                (
                    str(number),
                    printable(item.name),
                    str(item.sets),
                    str(item.reps),
                    item.sides or "-",
                    fmt.length(ms),
                )
            )
    other = sum(
        s.duration_ms
        for s in timeline.segments
        if s.kind in (Kind.LEAD_IN, Kind.TRANSITION, Kind.WAIT, Kind.END)
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo(
            "  ".join(
                c.ljust(w) if i == 1 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
        )
    click.echo()
    click.echo(f"get-ready and transitions: {fmt.length(other)}")
    click.echo(f"total: {fmt.length(timeline.duration_ms)} ({timeline.duration_ms / 1000:g} s)")
