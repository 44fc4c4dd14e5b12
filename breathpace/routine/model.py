"""The routine file format, version 1, as frozen pydantic models.

These models are the single source of truth for what a routine file may say: loading,
`breathpace check`, the JSON Schema for editors and the timing engine all read them.
Every field carries a docstring because it becomes the field's description in the
schema that editors show while someone writes a routine.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from breathpace.routine.pattern import BreathPattern, Tempo, seconds_to_ms
from breathpace.safe_text import CONTROL_RE, SHOWN_ESCAPED, is_control, stand_in

MAX_SETS = 100
MAX_REPS = 1000
MAX_BREATHS = 100.0
MAX_SECONDS = 3600.0
MAX_MINUTES = 240.0
MAX_CYCLES = 10_000
MAX_ITEMS = 200
MAX_TOTAL_S = 4 * 3600

MAX_TITLE = 100
MAX_TAGS = 12
MAX_TAG_LENGTH = 30

#: No control characters, line breaks, bidirectional controls or invisible marks (for
#: editors' schema checks; `_no_controls` is what breathpace applies, with a better message).
TEXT_PATTERN = (
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029"
    + "".join(f"\\u{ord(c):04x}" for c in sorted(SHOWN_ESCAPED))
    + "]*$"
)


def _no_controls(value: str) -> str:
    # Every string of a routine reaches a terminal or a screen. A control character
    # there could retitle the terminal, clear it, or forge a cue line, so none is
    # allowed anywhere in the format, not even a tab or a newline: the screens wrap
    # long text themselves.
    if CONTROL_RE.search(value) is None:
        return value
    for i, char in enumerate(value, start=1):
        if is_control(char):
            raise ValueError(
                f"must not contain control characters ({stand_in(char)} at character {i})"
            )
    return value


class _TextSchema:
    """Adds TEXT_PATTERN to the JSON schema of a text field."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        schema = handler(core_schema)
        schema["pattern"] = TEXT_PATTERN
        return schema


#: Text in a routine: any printable characters, no control characters or line breaks.
Text = Annotated[str, AfterValidator(_no_controls), _TextSchema]

#: A phase cue: `_check_phase_cue` refuses control characters after wording a line
#: break its own way ("a cue is one line"), so only the schema's pattern is added here.
CueText = Annotated[str, _TextSchema]

#: One tag: a short word or two.
TagText = Annotated[
    str, Field(min_length=1, max_length=MAX_TAG_LENGTH), AfterValidator(_no_controls), _TextSchema
]

Breath = Literal["inhale", "exhale", "hold", "free"]
Sides = Literal["both", "left", "right", "alternate"]
RepPart = Literal["eccentric", "concentric"]
Capsule = Literal["waking", "sitting", "bedtime"]
MAX_CUE = 120


class _Frozen(BaseModel):
    # Numbers and switches are strict (field by field: TOML arrays arrive as lists, which
    # a strict tuple would refuse), so `reps = true` or `halfway = "yes"` is an error,
    # not 1 rep or a silent yes. The field docstrings become the schema's descriptions
    # through routine/schema.py, which reads them only when the schema is asked for.
    model_config = ConfigDict(frozen=True, extra="forbid")


def _finite_positive(value: float, what: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number")
    if value <= 0:
        raise ValueError(f"{what} must be greater than 0")
    return value


class Length(_Frozen):
    """A length given either in seconds or in breaths at the routine's pace (exactly one)."""

    seconds: float | None = Field(default=None, strict=True)
    """Length in seconds (the breath is paced to the clock)."""
    breaths: float | None = Field(default=None, strict=True)
    """Length in breath cycles at the current pace (follows a slower or faster pace)."""

    @field_validator("seconds")
    @classmethod
    def _seconds(cls, value: float | None) -> float | None:
        if value is None:
            return None
        _finite_positive(value, "seconds")
        if value > MAX_SECONDS:
            raise ValueError(f"seconds must be at most {MAX_SECONDS:g}")
        if seconds_to_ms(value) == 0:
            raise ValueError("seconds must be at least 0.001")
        return value

    @field_validator("breaths")
    @classmethod
    def _breaths(cls, value: float | None) -> float | None:
        if value is None:
            return None
        _finite_positive(value, "breaths")
        if value > MAX_BREATHS:
            raise ValueError(f"breaths must be at most {MAX_BREATHS:g}")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Length:
        if (self.seconds is None) == (self.breaths is None):
            raise ValueError("give exactly one of seconds or breaths, like { breaths = 3 }")
        return self


class Phase(_Frozen):
    """One part of a rep: a movement tied to a breath."""

    move: Text = Field(min_length=1, max_length=60)
    """What the body does, shown and spoken with the breath word, e.g. "lift"."""
    breath: Breath | None = None
    """inhale, exhale, hold or free. Default: exhale for an effort phase, else inhale."""
    seconds: float | None = Field(default=None, strict=True)
    """Length in seconds: the breath is paced to the movement."""
    breaths: float | None = Field(default=None, strict=True)
    """Length in breaths at the pace: the movement follows the person's breath.

    A hold given in breaths is expanded into that many whole breath cycles while the
    body holds position, so nobody holds their breath under strain."""
    effort: bool = Field(default=False, strict=True)
    """True for the working part of the rep; it gets the exhale unless breath says otherwise."""
    cue: CueText | None = Field(default=None, min_length=1, max_length=MAX_CUE)
    """One short sentence shown (and spoken) during this phase only, e.g. "Press through
    the heels and lift"; it never appears during another phase."""
    pose: str | None = Field(default=None, min_length=1, max_length=40)
    """The pose of the exercise's figure this phase moves to, e.g. "top"; the figure
    arrives there as the phase ends. Left out, the figure keeps its pose (a hold)."""

    @field_validator("seconds")
    @classmethod
    def _seconds(cls, value: float | None) -> float | None:
        return Length._seconds(value)  # same limits as any other length

    @field_validator("cue")
    @classmethod
    def _cue(cls, value: str | None) -> str | None:
        return _check_phase_cue(value)

    @field_validator("breaths")
    @classmethod
    def _breaths(cls, value: float | None) -> float | None:
        return Length._breaths(value)

    @model_validator(mode="after")
    def _exactly_one(self) -> Phase:
        if (self.seconds is None) == (self.breaths is None):
            raise ValueError("give exactly one of seconds or breaths for each phase")
        return self

    @property
    def resolved_breath(self) -> Breath:
        if self.breath is not None:
            return self.breath
        return "exhale" if self.effort else "inhale"


class Moves(_Frozen):
    """Labels for the two halves of a tempo-notated rep."""

    concentric: Text = Field(default="lift", min_length=1, max_length=60)
    """Label of the concentric (shortening) part, e.g. "lift", "push", "rise"."""
    eccentric: Text = Field(default="lower", min_length=1, max_length=60)
    """Label of the eccentric (lengthening) part, e.g. "lower", "return"."""
    hold_top: Text = Field(default="hold", min_length=1, max_length=60)
    """Label of the pause after the concentric part."""
    hold_bottom: Text = Field(default="rest", min_length=1, max_length=60)
    """Label of the pause after the eccentric part."""


class PartCues(_Frozen):
    """Cues for the parts of a tempo-notated rep, each shown during that part only."""

    concentric: CueText | None = Field(default=None, min_length=1, max_length=MAX_CUE)
    """Cue for the concentric (shortening) part, e.g. "Press up through the front foot"."""
    eccentric: CueText | None = Field(default=None, min_length=1, max_length=MAX_CUE)
    """Cue for the eccentric (lengthening) part, e.g. "Lower slowly, as if into a lift"."""
    hold_top: CueText | None = Field(default=None, min_length=1, max_length=MAX_CUE)
    """Cue for the hold after the concentric part, e.g. "Stay up and keep breathing"."""
    hold_bottom: CueText | None = Field(default=None, min_length=1, max_length=MAX_CUE)
    """Cue for the hold after the eccentric part."""

    @field_validator("concentric", "eccentric", "hold_top", "hold_bottom")
    @classmethod
    def _cue(cls, value: str | None) -> str | None:
        return _check_phase_cue(value)


def _check_phase_cue(value: str | None) -> str | None:
    # A phase cue is read in one glance and spoken in one breath: one line of text.
    if value is None:
        return None
    if not value.strip():
        raise ValueError("a cue must not be blank")
    if "\n" in value or "\r" in value:
        raise ValueError("a cue is one line (one short sentence)")
    return _no_controls(value)


class TempoPoses(_Frozen):
    """The figure's poses for a tempo-notated rep."""

    concentric: str = Field(min_length=1, max_length=40)
    """The pose the concentric (shortening) part moves to, e.g. "top" for a bridge."""
    eccentric: str = Field(default="start", min_length=1, max_length=40)
    """The pose the eccentric (lengthening) part moves to (default the start pose)."""


class _Item(_Frozen):
    name: Text = Field(min_length=1, max_length=80)
    """Name shown on screen and in the journal."""
    position: Text = Field(default="", max_length=200)
    """The starting position, e.g. "On your back, knees bent, feet flat"."""
    cues: tuple[Text, ...] = ()
    """General coaching cues, shown with the position before the item starts and during
    rests; a cue for one phase belongs on that phase (`cue`, or `part_cues` with tempo)."""
    safety: Text | None = Field(default=None, max_length=400)
    """A safety note shown before the item starts."""
    wait_for_ready: bool = Field(default=False, strict=True)
    """Pause before this item until the person presses a key (to get into position)."""
    rest_after: Length | None = None
    """The transition after this item, before the next one (default 10 seconds)."""
    figure: str | None = Field(default=None, min_length=1, max_length=200)
    """The figure that shows the body: a built-in figure name (see `figures/`) or a path
    to a figure file, relative to the routine. Breathing blocks: a resting figure whose
    belly and ribs rise on the inhale."""


class Exercise(_Item):
    """A paced exercise: sets of reps, each rep a sequence of breath-tied phases."""

    sets: int = Field(default=1, ge=1, le=MAX_SETS, strict=True)
    """How many sets."""
    reps: int = Field(default=1, ge=1, le=MAX_REPS, strict=True)
    """Reps in each set (on each side when sides is both or alternate)."""
    rest: Length | None = None
    """Rest between sets, e.g. { breaths = 3 } or { seconds = 20 }."""
    sides: Sides | None = None
    """both (left then right in every set), left, right, or alternate (left, right, …)."""
    switch_rest: Length | None = None
    """The pause to switch sides (default 5 seconds)."""
    phases: tuple[Phase, ...] | None = Field(default=None, min_length=1, max_length=20)
    """The rep as explicit phases. Give either phases or tempo."""
    tempo: Text | None = None
    """Strength tempo shorthand eccentric-pause-concentric-pause in seconds, e.g. "3-0-2-0"."""
    start: RepPart = "eccentric"
    """With tempo: which part the rep begins with."""
    effort: RepPart = "concentric"
    """With tempo: which part is the effort (it gets the exhale)."""
    effort_breath: Breath = "exhale"
    """With tempo: the breath of the effort part (exhale unless you have a reason)."""
    moves: Moves = Moves()
    """With tempo: the labels of the parts, e.g. { concentric = "lift", eccentric = "lower" }."""
    poses: TempoPoses | None = None
    """With tempo and a figure: the pose each part moves to, e.g.
    { concentric = "top", eccentric = "start" }; the holds keep the pose."""
    hold_top: Length | None = None
    """With tempo: hold after the concentric part; in breaths it becomes breath cycles."""
    hold_bottom: Length | None = None
    """With tempo: hold after the eccentric part; in breaths it becomes breath cycles."""
    part_cues: PartCues | None = None
    """With tempo: a cue for each part, shown during that part only, e.g.
    { concentric = "Press up through the front foot", eccentric = "Lower slowly" }."""
    halfway: bool = Field(default=False, strict=True)
    """Sound a halfway cue in holds of four seconds or more."""
    level: int | None = Field(default=None, ge=1, le=20, strict=True)
    """This exercise's level in a progression by complexity."""
    next_level: Text | None = None
    """The routine (name) that is the next level of this exercise."""
    breath_repeats: bool = Field(default=False, strict=True)
    """True when two breaths of one direction in a row are meant (in, then in again, as in
    a top-up sniff); `check` warns about them otherwise, since a person following the
    tone expects the breath to turn with each phase."""

    @field_validator("tempo")
    @classmethod
    def _tempo(cls, value: str | None) -> str | None:
        if value is not None:
            Tempo.parse(value)
        return value

    @field_validator("cues")
    @classmethod
    def _cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_cues(value)

    @model_validator(mode="after")
    def _rep_shape(self) -> Exercise:
        if (self.phases is None) == (self.tempo is None):
            raise ValueError("describe the rep with either phases or tempo (exactly one)")
        if self.phases is not None:
            for key in ("hold_top", "hold_bottom"):
                if getattr(self, key) is not None:
                    raise ValueError(f"{key} applies to tempo; with phases add a hold phase")
            if self.part_cues is not None:
                raise ValueError("part_cues applies to tempo; with phases give each phase a cue")
            if self.poses is not None:
                raise ValueError("poses applies to tempo; with phases give each phase a pose")
        return self

    @property
    def tempo_parsed(self) -> Tempo | None:
        return Tempo.parse(self.tempo) if self.tempo is not None else None


def _check_cues(value: tuple[str, ...]) -> tuple[str, ...]:
    if len(value) > 20:
        raise ValueError("at most 20 cues")
    for cue in value:
        if not cue.strip() or len(cue) > 200:
            raise ValueError("each cue must be 1 to 200 characters")
    return value


class Breathing(_Item):
    """A breathing block: a breath pattern repeated for a time or a number of cycles."""

    pattern: Text
    """Inhale-hold-exhale-hold in seconds, decimals allowed, e.g. "4-7-8-0" or "5.5-0-5.5-0"."""
    minutes: float | None = Field(default=None, strict=True)
    """Length in minutes; the block always ends on a whole breath cycle."""
    cycles: int | None = Field(default=None, ge=1, le=MAX_CYCLES, strict=True)
    """Length in breath cycles."""
    ramp_to: float | None = Field(default=None, strict=True)
    """Slow (or quicken) the pattern gradually toward this rate, in breaths per minute."""
    ramp_step: float = Field(default=0.1, strict=True)
    """The largest change of rate from one cycle to the next, breaths/min (at most 0.1)."""
    sigh: bool = Field(default=False, strict=True)
    """Cyclic sighing: a long inhale, a short second top-up inhale, then a long exhale."""

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        BreathPattern.parse(value)
        return value

    @field_validator("cues")
    @classmethod
    def _cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_cues(value)

    @field_validator("minutes")
    @classmethod
    def _minutes(cls, value: float | None) -> float | None:
        if value is None:
            return None
        _finite_positive(value, "minutes")
        if value > MAX_MINUTES:
            raise ValueError(f"minutes must be at most {MAX_MINUTES:g}")
        return value

    @field_validator("ramp_to")
    @classmethod
    def _ramp_to(cls, value: float | None) -> float | None:
        if value is None:
            return None
        _finite_positive(value, "ramp_to")
        if not 1 <= value <= 30:
            raise ValueError("ramp_to must be between 1 and 30 breaths per minute")
        return value

    @field_validator("ramp_step")
    @classmethod
    def _ramp_step(cls, value: float) -> float:
        _finite_positive(value, "ramp_step")
        if value > 0.1:
            raise ValueError("ramp_step must be at most 0.1 breaths per minute per cycle")
        return value

    @model_validator(mode="after")
    def _length(self) -> Breathing:
        if (self.minutes is None) == (self.cycles is None):
            raise ValueError("give the length as either minutes or cycles (exactly one)")
        return self

    @property
    def pattern_parsed(self) -> BreathPattern:
        return BreathPattern.parse(self.pattern)


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "breathing" if "pattern" in value else "exercise"
    return "breathing" if isinstance(value, Breathing) else "exercise"


Item = Annotated[
    Annotated[Exercise, Tag("exercise")] | Annotated[Breathing, Tag("breathing")],
    Discriminator(_item_kind),
]


class Routine(_Frozen):
    """A breathpace routine: exercises and breathing blocks, played in order."""

    format: Literal[1]
    """The routine format version; always 1 for now."""
    title: Text = Field(min_length=1, max_length=MAX_TITLE)
    """The routine's title."""
    summary: Text = Field(default="", max_length=400)
    """One or two sentences on what the routine is for."""
    tags: tuple[TagText, ...] = Field(default=(), max_length=MAX_TAGS)
    """Words to find the routine by, e.g. "lying", "beginner", "hips" (at most 12, each
    at most 30 characters)."""
    pace: Text = "4-0-6-0"
    """Default breath pace inhale-hold-exhale-hold in seconds; lengths in breaths follow it."""
    lead_in: float = Field(default=5, ge=0, le=120, strict=True)
    """Get-ready countdown before the first item, seconds (0 for none)."""
    safety: Text | None = Field(default=None, max_length=600)
    """A safety note shown before the routine starts."""
    level: int | None = Field(default=None, ge=1, le=20, strict=True)
    """This routine's level in a progression by complexity."""
    next_level: Text | None = None
    """The name of the routine that is the next level of this one."""
    capsule: Capsule | None = None
    """Marks a short movement capsule for a time of day: waking, sitting or bedtime."""
    main_exercise: Text | None = Field(default=None, min_length=1, max_length=80)
    """The name of the exercise a suggestion changes (the routine's main one); by default
    the exercise with the most effort phases."""
    next_level_at: int | None = Field(default=None, ge=1, le=MAX_REPS, strict=True)
    """Reps per set of the main exercise at which the next level is suggested; by default
    two more than written."""
    grow: Literal["main", "all"] = "main"
    """What a suggestion to add a rep changes: the main exercise only ("main"), or every
    exercise at once ("all"), for a set of equal movements that grow together."""
    exercise: tuple[Item, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    """The items in order: each [[exercise]] is an exercise, or a breathing block when it
    has a pattern."""

    @field_validator("pace")
    @classmethod
    def _pace(cls, value: str) -> str:
        BreathPattern.parse(value)
        return value

    @field_validator("lead_in")
    @classmethod
    def _lead_in(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("lead_in must be a finite number")
        return value

    @model_validator(mode="after")
    def _main_exercise(self) -> Routine:
        if self.main_exercise is None:
            return self
        names = [item.name for item in self.exercise if isinstance(item, Exercise)]
        if self.main_exercise not in names:
            # Suggestions change reps and holds, which only an exercise has.
            raise ValueError(
                f'main_exercise: no exercise named "{self.main_exercise}" in this routine'
            )
        return self

    @property
    def pace_parsed(self) -> BreathPattern:
        return BreathPattern.parse(self.pace)
