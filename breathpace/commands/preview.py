"""`breathpace preview ROUTINE`: the timeline as a table per item, or as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction

import click

from breathpace import fmt
from breathpace.commands.errors import InputError
from breathpace.commands.options import input_errors, pace_option, resolve_or_exit, tempo_option
from breathpace.routine.model import Breathing
from breathpace.safe_text import printable
from breathpace.session import words
from breathpace.session.dose import Dose, dose_for
from breathpace.timeline import Kind, Timeline, compile


@click.command("preview")
@click.argument("routine")
@pace_option
@tempo_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole timeline as JSON.")
@click.option(
    "--brief", is_flag=True, help="Only the table: leave out what each exercise involves."
)
def preview_cmd(routine: str, pace, tempo: Fraction, as_json: bool, brief: bool) -> None:
    """Show what ROUTINE involves and its timeline (a built-in name, your routine's name,
    or a path): the safety notes, each exercise's dose, position, cues and phases, then
    a table of lengths."""
    # Imported here: reading the settings loads the backend registry (the settings name
    # their backends from it), which importing this module must not.
    from breathpace.session.options import Overrides, session_options

    with input_errors():
        options = session_options(Overrides(pace=pace, tempo=tempo))
    resolved = resolve_or_exit(routine)
    # The dose `play` would use: accepted changes, personal pace, --pace, --tempo.
    dose = dose_for(resolved.name, resolved.routine, options)
    try:
        timeline = compile(dose.routine, dose.pace, dose.tempo)
    except ValueError as exc:
        raise InputError(f"{resolved.path}: {exc}") from None
    if as_json:
        for chunk in timeline_json_chunks(timeline):
            click.echo(chunk, nl=False)
        click.echo()
        return
    _print_table(resolved, dose, timeline, details=not brief)
    for change in dose.changes:
        click.echo(f"your dose: {printable(change)}")


def timeline_json_chunks(timeline: Timeline, rows_per_chunk: int = 4096) -> Iterator[str]:
    """The whole timeline as JSON text, in pieces, as `json.dumps` would write it.

    The largest routine has 400,000 segments: building a dict (and a Segment) for each
    and then one 70 MB string took seconds and half a gigabyte. Segments of one shape
    differ only in start, set and rep, so each shape's JSON is encoded once and each
    segment costs one string join, written out a chunk at a time.
    """
    encode = json.JSONEncoder().encode
    n_items = len(timeline.items)
    middles = []
    for fields, _halfway in timeline.segments.shapes:
        number = fields["exercise"]
        constant = {
            "duration_s": fields["duration_ms"] / 1000,
            "kind": fields["kind"].value,
            "breath": fields["breath"].value,
            "move": fields["move"],
            "effort": fields["effort"],
            "exercise": fields["exercise_name"] if 0 < number <= n_items else None,
            "side": fields["side"],
        }
        # '{"duration_s": 1.0, ..., "side": null}' -> ', "duration_s": 1.0, ..., "side": null, '
        middles.append(", " + encode(constant)[1:-1] + ', "set": ')
    yield '{"duration_s": ' + encode(timeline.duration_ms / 1000) + ', "segments": ['
    rows: list[str] = []
    first = True
    for sid, start, set_, rep in timeline.segments.shape_rows():
        rows.append(
            f'{{"start_s": {(start / 1000)!r}{middles[sid]}{set_ or "null"}, '
            f'"rep": {rep or "null"}}}'
        )
        if len(rows) >= rows_per_chunk:
            yield ("" if first else ", ") + ", ".join(rows)
            rows.clear()
            first = False
    if rows:
        yield ("" if first else ", ") + ", ".join(rows)
    yield "]}"


def _print_table(resolved, dose: Dose, timeline: Timeline, *, details: bool = True) -> None:
    routine = dose.routine
    # The routine's own text is checked as it loads; the name is the file's name, which
    # nobody checked. Both are shown printable all the same. A routine of breathing
    # blocks plays their own patterns: name those, not the routine's unused pace.
    pace = words.pace_label(routine, dose.pace_text)
    click.echo(f"{printable(routine.title)}  ({printable(resolved.name)}, {pace})")
    if words.breathing_only(routine):
        if dose.tempo != 1:
            click.echo(f"tempo x{float(dose.tempo):g}")
    elif dose.pace_from != "routine" or dose.tempo != 1:
        click.echo(dose.describe())
    if routine.summary:
        click.echo(printable(routine.summary))
    if routine.safety:
        click.echo(f"Safety: {printable(routine.safety)}")
    click.echo()
    if details:
        _print_details(routine, timeline)
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


def _print_details(routine, timeline: Timeline) -> None:
    """What each item involves, before the table: its dose, safety, position, general
    cues and each phase with its own cue — what a person reads before playing it."""
    for number, item in enumerate(routine.exercise, start=1):
        click.echo(f"{number}. {printable(item.name)}")
        for line in words.item_details(item, timeline, number, words.item_ms(timeline, number)):
            click.echo(f"   {printable(line)}")
        click.echo()
