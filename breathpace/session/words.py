"""What a session says at each moment: the words for a segment, chosen in one place.

The player screen, plain mode, the spoken voice and the previews all ask here, so they
can never disagree, and one rule holds everywhere: during a phase the words are that
phase's breath, move and own cue (`Segment.cue`) and nothing else; the exercise's
general coaching (`cues`), its `position` and its `safety` are said before it starts
(the get-ready, the transition into it, a wait for Enter) and, without the safety,
during its rests, never as if they described the current phase.

Pure: a routine and a segment in, strings out. No Textual, no clock, no terminal.
"""

from __future__ import annotations

from typing import NamedTuple

from breathpace import fmt
from breathpace.routine.model import Breathing, Exercise, Routine
from breathpace.timeline.segment import Kind, Segment
from breathpace.timeline.timeline import Timeline

#: Segments before an item starts: the general text of the item they lead into.
GET_READY = frozenset({Kind.LEAD_IN, Kind.TRANSITION, Kind.WAIT})
#: Pauses inside an item: its position and general cues (the person is between sets).
PAUSES = frozenset({Kind.REST, Kind.SWITCH})


class Note(NamedTuple):
    """One piece of general text: `kind` is "safety", "position" or "cue"."""

    kind: str
    text: str

    @property
    def label(self) -> str:
        return {"safety": "Safety", "position": "Position", "cue": "Cue"}[self.kind]

    def line(self) -> str:
        """`Position: On your back` — how plain mode and the preview print it."""
        return f"{self.label}: {self.text}"


def item_of(routine: Routine, seg: Segment):
    """The item a segment belongs to or leads into (the first item for the lead-in),
    None for the end."""
    items = routine.exercise
    number = 1 if seg.kind is Kind.LEAD_IN else seg.exercise
    return items[number - 1] if 1 <= number <= len(items) else None


def briefing(item, *, safety: bool = True) -> list[Note]:
    """What to know before `item` starts: its safety, position and general cues."""
    notes = []
    if safety and item.safety:
        notes.append(Note("safety", item.safety))
    if item.position:
        notes.append(Note("position", item.position))
    notes.extend(Note("cue", cue) for cue in item.cues)
    return notes


def general_notes(routine: Routine, seg: Segment) -> list[Note]:
    """The general text that belongs to this segment: before an item (get-ready,
    transition, wait) its safety, position and cues — and before the first item the
    routine's safety too; during a rest or a switch of sides the position and cues;
    nothing during a phase or at the end."""
    item = item_of(routine, seg)
    if item is None:
        return []
    if seg.kind in GET_READY:
        notes = briefing(item)
        first = seg.kind is Kind.LEAD_IN or seg.exercise == 1
        if first and routine.safety:
            notes.insert(0, Note("safety", routine.safety))
        return notes
    if seg.kind in PAUSES:
        return briefing(item, safety=False)
    return []


def opening_notes(routine: Routine, timeline: Timeline, start_ms: int = 0) -> list[Note]:
    """The text to show before a session whose first segment is already a phase (no
    lead-in, no wait; or one that begins part-way, `--from` or `--resume`): the
    routine's safety and the briefing (position, cues) of the item it begins in, which
    no get-ready segment will show."""
    if not len(timeline.segments):
        return []
    first = timeline.at(start_ms)
    if first.kind in GET_READY:
        return []
    item = item_of(routine, first) if first.exercise else None
    notes = briefing(item if item is not None else routine.exercise[0])
    if routine.safety:
        notes.insert(0, Note("safety", routine.safety))
    return notes


def is_breathing(routine: Routine, seg: Segment) -> bool:
    return isinstance(item_of(routine, seg), Breathing)


def counters(seg: Segment, breathing: bool = False) -> list[str]:
    """The counters of a segment: ["set 1/2", "rep 3/8"]; a breathing block counts
    breaths ("breath 3/11"); a rest says which set comes next ("rest", "next: set 2/2")."""
    if seg.kind is Kind.REST:
        return ["rest", f"next: set {seg.set}/{seg.sets}"] if seg.sets else ["rest"]
    if breathing:
        return [f"breath {seg.rep}/{seg.reps}"] if seg.rep and seg.reps else []
    parts = []
    if seg.sets and seg.set and seg.kind in (Kind.PHASE, Kind.SWITCH):
        parts.append(f"set {seg.set}/{seg.sets}")
    if seg.rep:
        parts.append(f"rep {seg.rep}/{seg.reps}")
    return parts


def heading(routine: Routine, seg: Segment) -> str:
    """The screen's top line: what is happening, in which set and rep."""
    if seg.kind is Kind.END:
        return routine.title
    if seg.kind in GET_READY:
        item = item_of(routine, seg)
        return f"Coming up: {item.name}" if item is not None else "Get ready"
    parts = [seg.exercise_name]
    if seg.side:
        parts.append(seg.side)
    parts.extend(counters(seg, is_breathing(routine, seg)))
    return " · ".join(parts)


def move_of(seg: Segment) -> str:
    """The move shown with the breath word: only in a phase (outside, the heading and
    the word say it), and not when it only repeats the word ("hold" on HOLD)."""
    if seg.kind is not Kind.PHASE:
        return ""
    move = seg.move.strip()
    return "" if move.upper() == seg.phase_word else move


def cue_of(seg: Segment) -> str:
    """This phase's own cue, or "" — never another phase's, never the general cues."""
    return (seg.cue or "") if seg.kind is Kind.PHASE else ""


def plain_line(seg: Segment, breathing: bool = False) -> str:
    """One line of plain mode for a segment:
    `00:05  Pelvic tilt  set 1/2  rep 1/8  EXHALE  tilt  Flatten the back  6.0s`.

    It always ends with the length, so a script can add the lengths up."""
    parts = [clock_text(seg.start_ms), seg.exercise_name]
    if seg.side:
        parts.append(seg.side)
    if seg.kind is Kind.REST:
        parts.append(seg.phase_word)
        parts.extend(counters(seg)[1:])  # "next: set 2/2" (the word already says REST)
    else:
        parts.extend(counters(seg, breathing))
        parts.append(seg.phase_word)
        move = move_of(seg)
        if move:
            parts.append(move)
        if seg.cue and seg.kind is Kind.PHASE:
            parts.append(seg.cue)
    parts.append(f"{seg.duration_ms / 1000:.1f}s")
    return "  ".join(parts)


def clock_text(ms: int) -> str:
    s = ms // 1000
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


# -- the pace a routine is shown with -------------------------------------------------


def block_pattern(item: Breathing) -> str:
    """A breathing block's own pattern as the person reads it: "4-7-8-0", or with a
    ramp "5.5-0-5.5-0 → 6/min"."""
    text = item.pattern
    if item.ramp_to is not None:
        text += f" → {item.ramp_to:g}/min"
    return text


def breathing_only(routine: Routine) -> bool:
    return all(isinstance(item, Breathing) for item in routine.exercise)


def pace_label(routine: Routine, pace_text: str) -> str:
    """What a routine's pace line says: "pace 4-0-6-0", or for a routine of breathing
    blocks only (whose own patterns are what plays) "pattern 4-7-8-0"."""
    if breathing_only(routine):
        patterns = dict.fromkeys(
            block_pattern(item) for item in routine.exercise if isinstance(item, Breathing)
        )
        return "pattern " + ", ".join(patterns)
    return f"pace {pace_text}"


# -- what an item involves (the previews) ---------------------------------------------


class PhaseInfo(NamedTuple):
    """One phase of a rep as a preview lists it."""

    word: str  # INHALE / EXHALE / HOLD / BREATHE
    move: str
    cue: str
    ms: int
    breaths: int  # > 1 for a hold laid down as several breath cycles


def rep_phases(timeline: Timeline, number: int) -> list[PhaseInfo]:
    """The phases of the first rep of item `number` as it will play (at the dose),
    a hold of several breath cycles as one line."""
    phases: list[PhaseInfo] = []
    first = None
    for seg in timeline.segments:
        if seg.exercise > number:
            break
        if seg.exercise != number or seg.kind is not Kind.PHASE:
            continue
        key = (seg.set, seg.side, seg.rep)
        first = first or key
        if key != first:
            break
        last = phases[-1] if phases else None
        if last is not None and last.move == seg.move and last.cue == (seg.cue or ""):
            # The breath cycles of a hold in breaths: one phase, the body keeps still.
            merged = last.ms + seg.duration_ms
            phases[-1] = PhaseInfo("HOLD", last.move, last.cue, merged, last.breaths + 1)
            continue
        phases.append(PhaseInfo(seg.phase_word, seg.move, seg.cue or "", seg.duration_ms, 1))
    # A merged hold counted its in- and out-breaths: two segments make one breath.
    return [p._replace(breaths=(p.breaths + 1) // 2) if p.breaths > 1 else p for p in phases]


def item_ms(timeline: Timeline, number: int) -> int:
    """How long item `number` plays: its sets, reps and rests, without the get-ready or
    transition before it (as the preview table counts it)."""
    return sum(
        f["duration_ms"]
        for f, _start, _set, _rep in timeline.segments.rows()
        if f["exercise"] == number and f["kind"] not in (Kind.WAIT, Kind.TRANSITION)
    )


def item_dose(item, item_ms: int, timeline: Timeline | None = None, number: int = 0) -> str:
    """An item's dose in words: "2 sets × 8 reps, each side · 3 min 10 s"."""
    if isinstance(item, Breathing):
        cycles = 0
        if timeline is not None:
            cycles = max((s.reps for s in timeline.segments if s.exercise == number), default=0)
        what = f"pattern {block_pattern(item)}"
        if cycles:
            what += f", {cycles} breaths"
    else:
        sets = f"{item.sets} set{'s' if item.sets != 1 else ''}"
        what = f"{sets} × {item.reps} rep{'s' if item.reps != 1 else ''}"
        sides = {"both": "each side", "alternate": "alternating sides"}.get(item.sides or "")
        if item.sides in ("left", "right"):
            sides = f"{item.sides} side"
        if sides:
            what += f", {sides}"
    return f"{what} · {fmt.length(item_ms)}"


def item_details(item, timeline: Timeline, number: int, item_ms: int) -> list[str]:
    """What item `number` involves, one line each: dose, safety, position, general
    cues, and each phase with its own cue."""
    lines = [f"Dose: {item_dose(item, item_ms, timeline, number)}"]
    lines.extend(note.line() for note in briefing(item))
    if isinstance(item, Exercise):
        for phase in rep_phases(timeline, number):
            text = f"Phase: {phase.word} {phase.move}".rstrip()
            length = f"{phase.ms / 1000:g} s"
            if phase.breaths > 1:
                length += f", {phase.breaths} breaths"
            text += f" ({length})"
            if phase.cue:
                text += f" — {phase.cue}"
            lines.append(text)
    return lines
