"""The figure file format, version 1, as frozen pydantic models.

A figure is one small 3D skeleton seen by a fixed camera, with named poses. A pose gives
angles in degrees for the joints it moves; every joint it leaves out keeps its angle
from the `start` pose (and `start` leaves out what is neutral: standing tall, arms
hanging, feet forward). Angles are anatomical, so a figure reads the same to a person
who knows the movement: `hip_l = { flex = 90 }` lifts the left knee to hip height.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Every joint a pose may name, in the order the skeleton builds them.
JOINTS = (
    "waist",
    "spine",
    "neck",
    "shoulder_l",
    "shoulder_r",
    "elbow_l",
    "elbow_r",
    "hip_l",
    "hip_r",
    "knee_l",
    "knee_r",
    "ankle_l",
    "ankle_r",
)
#: Every point of the skeleton a contact or a limit may name (the breathing-only belly
#: and ribs are not places the body rests on).
POINTS = (
    "head",
    "chest",
    "waist",
    "pelvis",
    "shoulder_l",
    "shoulder_r",
    "elbow_l",
    "elbow_r",
    "hand_l",
    "hand_r",
    "hip_l",
    "hip_r",
    "knee_l",
    "knee_r",
    "ankle_l",
    "ankle_r",
    "heel_l",
    "heel_r",
    "toe_l",
    "toe_r",
)
#: The surfaces a pose may rest a point on.
SURFACES = ("floor", "chair", "wall", "counter")
MAX_ANGLE = 360.0
MAX_POSES = 24


class _Frozen(BaseModel):
    # No `use_attribute_docstrings`: pydantic would read this module's source when it
    # is imported (start-up of every session) for descriptions nothing shows.
    model_config = ConfigDict(frozen=True, extra="forbid")


def _angle(value: float) -> float:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > MAX_ANGLE:
        raise ValueError(f"must be between -{MAX_ANGLE:g} and {MAX_ANGLE:g} degrees")
    return float(value)


class Joint(_Frozen):
    """A joint's angles in degrees; each one left out is 0."""

    flex: float = Field(default=0.0, strict=True)
    """Bend in the body's front-back plane. Hip, shoulder: the limb swings forward; knee:
    the heel goes back; elbow: the hand comes up; ankle: the toes come up; waist, spine,
    neck: bend forward."""
    abduct: float = Field(default=0.0, strict=True)
    """Swing out to the side, away from the midline (waist, spine, neck: bend left)."""
    twist: float = Field(default=0.0, strict=True)
    """Turn about the limb's own length, outward positive (waist, spine, neck: turn left)."""

    @field_validator("flex", "abduct", "twist")
    @classmethod
    def _finite(cls, value: float) -> float:
        return _angle(value)


class Body(_Frozen):
    """Where the whole body is and how it is turned; the figure stands on the floor."""

    pitch: float = Field(default=0.0, strict=True)
    """Tip the whole body forward in degrees: 90 lies face down, -90 face up."""
    roll: float = Field(default=0.0, strict=True)
    """Turn the whole body about its own length first, degrees, positive to the left:
    roll = 90 with pitch = 90 lies on the left side."""
    yaw: float = Field(default=0.0, strict=True)
    """Turn the whole body about the vertical last, degrees, positive to the left."""
    x: float = Field(default=0.0, strict=True)
    """Move the body forward (metres, in the camera's frame of the start pose)."""
    z: float = Field(default=0.0, strict=True)
    """Move the body sideways, to its left (metres)."""

    @field_validator("pitch", "roll", "yaw")
    @classmethod
    def _finite(cls, value: float) -> float:
        return _angle(value)

    @field_validator("x", "z")
    @classmethod
    def _offset(cls, value: float) -> float:
        if isinstance(value, bool) or not math.isfinite(value):
            raise ValueError("must be a finite number")
        if abs(value) > 3:
            raise ValueError("must be between -3 and 3 metres")
        return float(value)


def _point(value: str) -> str:
    if value not in POINTS:
        import difflib

        close = difflib.get_close_matches(value, POINTS, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise ValueError(f'"{value[:40]}" is not a point of the body{hint}')
    return value


def _points(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_point(v) for v in value)


class Contacts(_Frozen):
    """What rests on what in a pose: the points of the body each surface carries. The
    body is placed so they rest there, and `check` refuses a pose whose joints cannot
    bring them all to their surface."""

    floor: tuple[str, ...] = ()
    """Points resting on the floor, e.g. ["pelvis", "knee_l", "toe_l"]."""
    chair: tuple[str, ...] = ()
    """Points resting on the chair seat (the figure needs a `chair`)."""
    wall: tuple[str, ...] = ()
    """Points touching the wall (the figure needs a `wall`)."""
    counter: tuple[str, ...] = ()
    """Points resting on the counter top (the figure needs a `counter`)."""

    @field_validator("floor", "chair", "wall", "counter")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _points(value)

    def mirrored(self) -> Contacts:
        """The same contacts on the other side of the body (left and right swapped)."""
        return Contacts(
            floor=_swap_sides(self.floor),
            chair=_swap_sides(self.chair),
            wall=_swap_sides(self.wall),
            counter=_swap_sides(self.counter),
        )


def _swap_sides(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(other_side(n) for n in names)


def other_side(name: str) -> str:
    """`knee_l` -> `knee_r` and back; a midline name stays."""
    if name.endswith("_l"):
        return name[:-2] + "_r"
    if name.endswith("_r"):
        return name[:-2] + "_l"
    return name


class Limit(_Frozen):
    """A promise the exercise makes about one point of the body in a pose, in metres,
    checked like the contacts: "a few centimetres" becomes a number a test holds."""

    max_height: float | None = Field(default=None, strict=True, ge=0, le=2.5)
    """The highest the point's underside may be above the floor."""
    min_height: float | None = Field(default=None, strict=True, ge=0, le=2.5)
    """The lowest the point's underside may be above the floor."""
    over: str | None = None
    """Another point this one stays straight above (e.g. a knee over its ankle)."""
    within: float = Field(default=0.06, strict=True, gt=0, le=1)
    """How far from straight above `over` the point may be, measured along the floor."""

    @field_validator("over")
    @classmethod
    def _over(cls, value: str | None) -> str | None:
        return None if value is None else _point(value)


class Pose(_Frozen):
    """A named position of the body: the joints it sets (the rest keep the start pose)."""

    contacts: Contacts | None = None
    """What rests on what, e.g. { floor = ["pelvis", "heel_l", "toe_l"] }; left out, the
    start pose's contacts (and with none anywhere, whatever is lowest rests on the
    floor)."""
    limits: dict[str, Limit] | None = None
    """Promises about points in this pose, e.g. { heel_l = { max_height = 0.06 } }."""

    body: Body | None = None
    """The whole body's place and turn, e.g. { pitch = -90 } to lie on the back."""
    waist: Joint | None = None
    """The lower back on the pelvis: flex bends forward (rounds), abduct bends left,
    twist turns left."""
    spine: Joint | None = None
    """The upper back and chest on the lower back, like waist."""
    neck: Joint | None = None
    """The head on the trunk."""
    shoulder_l: Joint | None = None
    """The left upper arm on the trunk (flex 90 points the arm forward)."""
    shoulder_r: Joint | None = None
    """The right upper arm on the trunk."""
    elbow_l: Joint | None = None
    """The left forearm on the upper arm."""
    elbow_r: Joint | None = None
    """The right forearm on the upper arm."""
    hip_l: Joint | None = None
    """The left thigh on the pelvis (flex 90 brings the knee up to hip height)."""
    hip_r: Joint | None = None
    """The right thigh on the pelvis."""
    knee_l: Joint | None = None
    """The left shin on the thigh (flex 90 bends the knee to a right angle)."""
    knee_r: Joint | None = None
    """The right shin on the thigh."""
    ankle_l: Joint | None = None
    """The left foot on the shin (flex lifts the toes, negative points them)."""
    ankle_r: Joint | None = None
    """The right foot on the shin."""

    @field_validator("limits")
    @classmethod
    def _limit_points(cls, value: dict[str, Limit] | None) -> dict[str, Limit] | None:
        if value is not None:
            for name in value:
                _point(name)
        return value


class View(_Frozen):
    """Where the camera looks from (an orthographic view of the body)."""

    azimuth: float = Field(default=0.0, strict=True)
    """Degrees around the vertical: 0 sees the standing body's left side (the front to
    the right of the picture), 90 sees it from the front."""
    elevation: float = Field(default=0.0, strict=True)
    """Degrees above the floor: 0 is level, 90 looks straight down."""
    name: str | None = Field(default=None, min_length=1, max_length=40)
    """What the view is called under the figure, e.g. "seen from the feet"; required
    for any view that is not from the side (the picture would not say it otherwise)."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.isprintable():
            raise ValueError("must be one line of printable text")
        return value

    @property
    def from_the_side(self) -> bool:
        """Within 30 degrees of a level side view (the way a figure is read by default)."""
        side = min(abs(self.azimuth % 180), 180 - abs(self.azimuth % 180))
        return side <= 30 and abs(self.elevation) <= 30

    @model_validator(mode="after")
    def _named(self) -> View:
        if self.name is None and not self.from_the_side:
            raise ValueError(
                'a view not from the side needs a name, e.g. name = "seen from the feet"'
            )
        return self

    @field_validator("azimuth")
    @classmethod
    def _azimuth(cls, value: float) -> float:
        return _angle(value)

    @field_validator("elevation")
    @classmethod
    def _elevation(cls, value: float) -> float:
        value = _angle(value)
        if not -90 <= value <= 90:
            raise ValueError("must be between -90 and 90 degrees")
        return value


class _Block(_Frozen):
    """A prop drawn as a block standing on the floor (a seat, a counter top)."""

    x: float = Field(default=0.0, strict=True)
    """Where its middle is, metres forward of the start pose's pelvis."""

    @field_validator("x")
    @classmethod
    def _x(cls, value: float) -> float:
        if isinstance(value, bool) or not math.isfinite(value) or abs(value) > 3:
            raise ValueError("must be a finite number between -3 and 3 metres")
        return float(value)


class Chair(_Block):
    """A chair seat drawn as a block under the hips."""

    height: float = Field(default=0.45, strict=True, gt=0, le=1.5)
    """The seat's height above the floor, metres."""
    depth: float = Field(default=0.4, strict=True, gt=0, le=1.5)
    """The seat's depth front to back, metres."""


class Counter(_Block):
    """A counter or table top beside or in front of the body."""

    height: float = Field(default=0.9, strict=True, gt=0, le=1.5)
    """The top's height above the floor, metres."""
    depth: float = Field(default=0.5, strict=True, gt=0, le=1.5)
    """The top's depth front to back, metres."""


class Figure(_Frozen):
    """A breathpace figure: a human skeleton, a camera, and named poses."""

    format: Literal[1]
    """The figure format version; always 1 for now."""
    title: str = Field(min_length=1, max_length=80)
    """What the figure shows, e.g. "Clamshell, lying on the left side"."""
    view: View = View()
    """The camera, e.g. { azimuth = 0, elevation = 20 }."""
    floor: bool = Field(default=True, strict=True)
    """Draw the floor line the body rests on."""
    wall: float | None = Field(default=None, strict=True)
    """Draw a wall: a vertical line this many metres forward (negative: behind) of the
    start pose's pelvis."""
    chair: Chair | None = None
    """Draw a chair seat under the hips."""
    counter: Counter | None = None
    """Draw a counter top (hands may rest on it)."""
    band: tuple[str, str] | None = None
    """Draw an exercise band between these two points, e.g. ["knee_l", "knee_r"]."""
    breathing: bool = Field(default=False, strict=True)
    """A resting figure for breathing blocks: its belly and ribs rise with the inhale."""
    poses: dict[str, Pose] = Field(min_length=1, max_length=MAX_POSES)
    """The named poses, [poses.start] first; every figure has a start pose."""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("must be one line of printable text")
        return value

    @field_validator("wall")
    @classmethod
    def _wall(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or abs(value) > 3):
            raise ValueError("must be a finite number between -3 and 3 metres")
        return value

    @field_validator("poses")
    @classmethod
    def _pose_names(cls, value: dict[str, Pose]) -> dict[str, Pose]:
        for name in value:
            if not name or len(name) > 40 or not all(c.isalnum() or c in "-_" for c in name):
                raise ValueError(f'pose name "{name[:40]}" must be 1 to 40 letters, digits, - or _')
        return value

    @field_validator("band")
    @classmethod
    def _band(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None:
            _points(value)
        return value

    @model_validator(mode="after")
    def _has_start(self) -> Figure:
        if "start" not in self.poses:
            raise ValueError("needs a [poses.start] pose (the position to get into)")
        return self

    @model_validator(mode="after")
    def _props_named_exist(self) -> Figure:
        for name, pose in self.poses.items():
            if pose.contacts is None:
                continue
            for surface in ("chair", "wall", "counter"):
                if getattr(pose.contacts, surface) and getattr(self, surface) is None:
                    raise ValueError(
                        f"poses.{name}.contacts.{surface}: the figure has no {surface}"
                    )
        return self

    def contacts(self, pose: str) -> Contacts | None:
        """The pose's contacts, or the start pose's when it names none."""
        own = self.poses[pose].contacts
        return own if own is not None else self.poses["start"].contacts

    def angles(self, pose: str) -> dict[str, Joint | Body]:
        """The pose's full set of angles: its own joints, the start pose's for the rest,
        and neutral for what neither names. A pose the figure lacks is the start pose:
        loading refuses such a routine, but a figure file edited under a running session
        must not stop the screen."""
        own = self.poses.get(pose) or self.poses["start"]
        start = self.poses["start"]
        out: dict[str, Joint | Body] = {"body": own.body or start.body or Body()}
        for joint in JOINTS:
            out[joint] = getattr(own, joint) or getattr(start, joint) or Joint()
        return out
