"""Joint angles to points in space: the forward kinematics of the figure's skeleton.

Plain arithmetic on 3-vectors (no numpy), so the motion and its tests stay light. The
body frame is right-handed: x points to the front, y up, z to the body's right. Angles
arrive flat, as {"hip_l.flex": 90.0, "body.pitch": -90.0, ...} (see `flatten`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from breathpace.figures.model import JOINTS, Body, Contacts, Figure, Joint, other_side

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
Angles = dict[str, float]

# Sizes in metres, for a person of about 1.75 m.
SPINE = 0.50
NECK = 0.21
HEAD_R = 0.11
HIP_DROP = 0.06
HIP_HALF = 0.09
SHOULDER_DROP = 0.04
SHOULDER_HALF = 0.18
UPPER_ARM = 0.29
FOREARM = 0.27
THIGH = 0.44
SHIN = 0.42
FOOT = 0.16
ANKLE_H = 0.05
#: The heel sits this far behind the ankle, level with the toes: a flat foot rests on both.
HEEL_BACK = 0.03
#: How far the belly and the lower ribs move out on a full inhale (exaggerated, so the
#: rise shows at terminal resolution).
BELLY_RISE = 0.09
RIBS_RISE = 0.05

#: Point radii in metres: how thick the body is there (and how far it stands off the
#: floor when the point is the lowest one).
RADIUS = {
    "head": HEAD_R,
    "pelvis": 0.10,
    "waist": 0.10,
    "chest": 0.10,
    "belly": 0.10,
    "ribs": 0.11,
    "hip_l": 0.07,
    "hip_r": 0.07,
    "shoulder_l": 0.05,
    "shoulder_r": 0.05,
    "elbow_l": 0.045,
    "elbow_r": 0.045,
    "hand_l": 0.04,
    "hand_r": 0.04,
    "knee_l": 0.055,
    "knee_r": 0.055,
    "ankle_l": 0.045,
    "ankle_r": 0.045,
    "toe_l": 0.035,
    "toe_r": 0.035,
    "heel_l": 0.035,
    "heel_r": 0.035,
}

#: Per joint, the sign of (flex, abduct, twist) turned into rotations about z, x and y,
#: so that positive anatomical angles move the limb the way their names say.
_SIGNS = {
    "waist": (-1, -1, 1),
    "spine": (-1, -1, 1),
    "neck": (-1, -1, 1),
    "shoulder_l": (1, 1, 1),
    "shoulder_r": (1, -1, -1),
    "elbow_l": (1, 1, 1),
    "elbow_r": (1, -1, -1),
    "hip_l": (1, 1, 1),
    "hip_r": (1, -1, -1),
    "knee_l": (-1, 1, 1),
    "knee_r": (-1, -1, -1),
    "ankle_l": (1, 1, 1),
    "ankle_r": (1, -1, -1),
}
BODY_KEYS = ("pitch", "roll", "yaw", "x", "z")
JOINT_KEYS = ("flex", "abduct", "twist")


def flatten(figure: Figure, pose: str) -> Angles:
    """A pose's complete angles (start pose and neutral filling the gaps), flat."""
    full = figure.angles(pose)
    out: Angles = {}
    body = full["body"]
    assert isinstance(body, Body)
    for key in BODY_KEYS:
        out[f"body.{key}"] = float(getattr(body, key))
    for joint in JOINTS:
        value = full[joint]
        assert isinstance(value, Joint)
        for key in JOINT_KEYS:
            out[f"{joint}.{key}"] = float(getattr(value, key))
    return out


#: How far a part may dip under the floor before a pose is said to sink (metres).
SINK_TOLERANCE = 0.01

#: Angles that turn the other way when the pose is done on the other side.
_MIRROR_NEGATE = {
    "body.roll",
    "body.yaw",
    "body.z",
    *(f"{j}.{k}" for j in ("waist", "spine", "neck") for k in ("abduct", "twist")),
}


def mirror_angles(angles: Mapping[str, float]) -> Angles:
    """The same pose done on the other side: left and right limbs swap their angles and
    the trunk turns and bends the other way. Every point is reflected through the body's
    midline plane, so the pelvis stays where it was (the picture does not jump)."""
    out: Angles = {}
    for key, value in angles.items():
        joint, _, part = key.partition(".")
        if joint.endswith("_l"):
            key = f"{joint[:-2]}_r.{part}"
        elif joint.endswith("_r"):
            key = f"{joint[:-2]}_l.{part}"
        out[key] = -value if key in _MIRROR_NEGATE else value
    return out


@dataclass(frozen=True)
class Rest:
    """What carries the body in one pose: the points resting on the floor, the chair
    seat and the counter top (at their heights). The wall holds nothing up."""

    floor: tuple[str, ...] = ()
    chair: tuple[str, ...] = ()
    chair_height: float = 0.0
    counter: tuple[str, ...] = ()
    counter_height: float = 0.0

    @classmethod
    def of(cls, figure: Figure, pose: str, *, mirror: bool = False) -> Rest | None:
        """The pose's rest from its contacts; None when it names none."""
        contacts: Contacts | None = figure.contacts(pose)
        if contacts is None:
            return None
        if mirror:
            contacts = contacts.mirrored()
        return cls(
            floor=contacts.floor,
            chair=contacts.chair,
            chair_height=figure.chair.height if figure.chair is not None else 0.0,
            counter=contacts.counter,
            counter_height=figure.counter.height if figure.counter is not None else 0.0,
        )

    def mirrored(self) -> Rest:
        """The same rest with left and right points swapped."""

        def swap(names: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(other_side(n) for n in names)

        return Rest(
            swap(self.floor),
            swap(self.chair),
            self.chair_height,
            swap(self.counter),
            self.counter_height,
        )

    def lift(self, raw: Mapping[str, Vec]) -> float | None:
        """How far to raise the body so its lowest resting point sits on its surface:
        the floor first, then the chair, then the counter; None when nothing rests."""
        for names, height in (
            (self.floor, 0.0),
            (self.chair, self.chair_height),
            (self.counter, self.counter_height),
        ):
            if names:
                return height - min(raw[n][1] - RADIUS[n] for n in names)
        return None


#: A blend of rests with weights summing to 1: one rest for a pose, two during a
#: movement between poses that rest on different points.
Support = tuple[tuple["Rest | None", float], ...]


def _mul(a: Mat, b: Mat) -> Mat:
    rows = []
    for i in range(3):
        rows.append(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)))
    return tuple(rows)  # type: ignore[return-value]


def _apply(m: Mat, v: Vec) -> Vec:
    return tuple(m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2] for i in range(3))  # type: ignore[return-value]


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _joint(angles: Mapping[str, float], joint: str) -> Mat:
    sf, sa, st = _SIGNS[joint]
    flex = angles.get(f"{joint}.flex", 0.0)
    abduct = angles.get(f"{joint}.abduct", 0.0)
    twist = angles.get(f"{joint}.twist", 0.0)
    # Flexion about the parent's side axis, then abduction about the floating front axis,
    # then the turn about the limb's own length (the usual clinical order).
    return _mul(_mul(_rz(sf * flex), _rx(sa * abduct)), _ry(st * twist))


def positions(
    angles: Mapping[str, float],
    breath: float = 0.0,
    support: Support = (),
    *,
    clamp: bool = True,
) -> dict[str, Vec]:
    """Every point of the skeleton in metres, floor at y = 0.

    The body is raised so the points its `support` names rest on their surfaces (a blend
    of two rests moves smoothly from one to the other); with no support, whatever is
    lowest rests on the floor. `clamp` keeps every part above the floor (drawing);
    `check` turns it off to see a pose that would sink. `breath` (0 empty .. 1 full)
    moves the belly and the lower ribs out to the front."""
    raw = raw_positions(angles, breath)
    lowest = min(v[1] - RADIUS[name] for name, v in raw.items())
    lift = 0.0
    for rest, weight in support or ((None, 1.0),):
        found = rest.lift(raw) if rest is not None else None
        lift += weight * (-lowest if found is None else found)
    if clamp:
        # Drawn, nothing goes through the floor (a movement between two poses that rest
        # on different points may dip); a centimetre is within what `check` allows.
        lift = max(lift, -lowest - SINK_TOLERANCE)
    return {name: (v[0], v[1] + lift, v[2]) for name, v in raw.items()}


def raw_positions(angles: Mapping[str, float], breath: float = 0.0) -> dict[str, Vec]:
    """Every point with the pelvis at its own height 0 (before the body is placed)."""
    get = angles.get
    root = _mul(
        _mul(_ry(get("body.yaw", 0.0)), _rz(-get("body.pitch", 0.0))),
        _ry(get("body.roll", 0.0)),
    )
    pelvis: Vec = (get("body.x", 0.0), 0.0, get("body.z", 0.0))
    p: dict[str, Vec] = {"pelvis": pelvis}
    lower = _mul(root, _joint(angles, "waist"))
    p["waist"] = _add(pelvis, _apply(lower, (0.0, SPINE / 2, 0.0)))
    trunk = _mul(lower, _joint(angles, "spine"))
    p["chest"] = _add(p["waist"], _apply(trunk, (0.0, SPINE / 2, 0.0)))
    head = _mul(trunk, _joint(angles, "neck"))
    p["head"] = _add(p["chest"], _apply(head, (0.0, NECK, 0.0)))
    breath = min(1.0, max(0.0, breath))
    p["belly"] = _add(pelvis, _apply(lower, (BELLY_RISE * breath, 0.6 * SPINE / 2, 0.0)))
    p["ribs"] = _add(p["waist"], _apply(trunk, (RIBS_RISE * breath, 0.36 * SPINE / 2, 0.0)))
    for side, sz in (("l", -1.0), ("r", 1.0)):
        shoulder = _add(p["chest"], _apply(trunk, (0.0, -SHOULDER_DROP, sz * SHOULDER_HALF)))
        upper = _mul(trunk, _joint(angles, f"shoulder_{side}"))
        elbow = _add(shoulder, _apply(upper, (0.0, -UPPER_ARM, 0.0)))
        fore = _mul(upper, _joint(angles, f"elbow_{side}"))
        hand = _add(elbow, _apply(fore, (0.0, -FOREARM, 0.0)))
        hip = _add(pelvis, _apply(root, (0.0, -HIP_DROP, sz * HIP_HALF)))
        thigh = _mul(root, _joint(angles, f"hip_{side}"))
        knee = _add(hip, _apply(thigh, (0.0, -THIGH, 0.0)))
        shin = _mul(thigh, _joint(angles, f"knee_{side}"))
        ankle = _add(knee, _apply(shin, (0.0, -SHIN, 0.0)))
        foot = _mul(shin, _joint(angles, f"ankle_{side}"))
        toe = _add(ankle, _apply(foot, (FOOT, -ANKLE_H, 0.0)))
        heel = _add(ankle, _apply(foot, (-HEEL_BACK, -ANKLE_H, 0.0)))
        p.update(
            {
                f"shoulder_{side}": shoulder,
                f"elbow_{side}": elbow,
                f"hand_{side}": hand,
                f"hip_{side}": hip,
                f"knee_{side}": knee,
                f"ankle_{side}": ankle,
                f"toe_{side}": toe,
                f"heel_{side}": heel,
            }
        )
    return p
