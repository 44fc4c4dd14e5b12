"""Drawing a figure: joint angles → points → a raster of thick limbs → braille cells.

Pure and deterministic (numpy, no terminal, no files, no clock), so golden frames can
pin it down. Braille was chosen over half-blocks and sextants: at 24×12 to 40×16 cells it
gives 2×4 dots per cell, square dots at the usual 1:2 cell shape, and a limb reads as a
limb rather than a staircase; every terminal font in use has the braille block.

The body is drawn in parts (trunk with head, each arm, each leg), the part farthest from
the camera first. Before a part is drawn, a one-dot ring around it is cleared, so a near
leg crossing the far one, or an arm across the chest, keeps its outline. Sides mirror
exactly: the horizontal coordinate is computed about the picture's centre, and a mirror
only negates it, so the right side's raster is the left side's flipped dot for dot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from breathpace.figures.model import Figure
from breathpace.figures.skeleton import (
    RADIUS,
    Rest,
    Support,
    Vec,
    flatten,
    mirror_angles,
    positions,
)

BRAILLE_BASE = 0x2800
#: Dot bits of a braille cell by (row, column) of its 4×2 dots.
_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.int32)
#: A ring this wide (dots) is cleared around each part so overlapping parts stay apart.
HALO = 1.0
#: The thinnest a limb is drawn, in dots of radius, however small the picture.
MIN_RADIUS = 0.8

_PARTS: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    (
        "trunk",
        (
            ("pelvis", "waist"),
            ("waist", "chest"),
            ("hip_l", "hip_r"),
            ("shoulder_l", "shoulder_r"),
        ),
        ("belly", "ribs"),
    ),
    # The head is its own part, drawn just after the trunk with its cleared ring: it
    # always stands clear of the shoulders, even with the chin tucked.
    ("head", (("chest", "head"),), ("head",)),
    ("arm_l", (("shoulder_l", "elbow_l"), ("elbow_l", "hand_l")), ()),
    ("arm_r", (("shoulder_r", "elbow_r"), ("elbow_r", "hand_r")), ()),
    (
        "leg_l",
        (("hip_l", "knee_l"), ("knee_l", "ankle_l"), ("ankle_l", "toe_l"), ("heel_l", "toe_l")),
        (),
    ),
    (
        "leg_r",
        (("hip_r", "knee_r"), ("knee_r", "ankle_r"), ("ankle_r", "toe_r"), ("heel_r", "toe_r")),
        (),
    ),
)
#: What each dot of a labelled raster is: nothing, the body and its near limbs, a limb
#: on the far side of the body (drawn in a second shade), or the floor and the props.
EMPTY, NEAR, FAR, PROP = 0, 1, 2, 3
#: A limb counts as far when it is this much (metres) farther from the camera than the
#: trunk; a limb level with it (a front view) is near.
FAR_DEPTH = 0.04
#: The neck is thinner than the points it joins.
_NECK_RADIUS = 0.045


@dataclass(frozen=True)
class Camera:
    """An orthographic camera: screen right, screen up and toward-the-viewer axes."""

    right: Vec
    up: Vec
    toward: Vec

    @classmethod
    def of(cls, figure: Figure) -> Camera:
        az = np.radians(figure.view.azimuth)
        el = np.radians(figure.view.elevation)
        toward = (np.sin(az) * np.cos(el), np.sin(el), np.cos(az) * np.cos(el))
        right = (np.cos(az), 0.0, -np.sin(az))
        up = np.cross(toward, right)
        return cls(
            tuple(map(float, right)),  # type: ignore[arg-type]
            tuple(map(float, up)),  # type: ignore[arg-type]
            tuple(map(float, toward)),  # type: ignore[arg-type]
        )

    def project(self, p: Vec) -> tuple[float, float, float]:
        """(across, up, depth): depth grows toward the viewer."""
        return (_dot(p, self.right), _dot(p, self.up), _dot(p, self.toward))


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass(frozen=True)
class Frame:
    """The part of the projected plane a figure's picture shows, in metres: every pose
    on either side fits, so the figure never changes size or jumps while it moves."""

    left: float
    right: float
    bottom: float
    top: float


def pose_support(figure: Figure, pose: str) -> Support:
    """What carries the body in a named pose (its contacts)."""
    return ((Rest.of(figure, pose), 1.0),)


def moving_support(figure: Figure, start: str, target: str, eased: float) -> Support:
    """During a movement the body is carried by the start pose's contacts and hands
    over, with the easing, to the target's: exact at both ends, no jump between."""
    return ((Rest.of(figure, start), 1.0 - eased), (Rest.of(figure, target), eased))


def _mirror_support(support: Support) -> Support:
    return tuple((rest.mirrored() if rest is not None else None, w) for rest, w in support)


def scene_points(
    figure: Figure,
    angles: Mapping[str, float],
    breath: float = 0.0,
    support: Support = (),
    *,
    mirror: bool = False,
) -> dict[str, Vec]:
    """The points drawn for these angles: placed on their support, and for the other
    side, the pose done with the other limbs (the body keeps its place)."""
    if mirror:
        angles = mirror_angles(angles)
        support = _mirror_support(support)
    return positions(angles, breath if figure.breathing else 0.0, support)


def figure_frame(figure: Figure) -> Frame:
    """The frame that holds all of the figure's poses on both sides, breathing in and
    out, and its props."""
    cam = Camera.of(figure)
    xs: list[float] = []
    ys: list[float] = []
    for pose in figure.poses:
        support = pose_support(figure, pose)
        for mirror in (False, True):
            for breath in (0.0, 1.0) if figure.breathing else (0.0,):
                pts = scene_points(figure, flatten(figure, pose), breath, support, mirror=mirror)
                for name, p in pts.items():
                    u, v, _ = cam.project(p)
                    r = RADIUS[name]
                    xs += [u - r, u + r]
                    ys += [v - r, v + r]
    for a, b in _prop_segments(figure):
        for p in (a, b):
            u, v, _ = cam.project(p)
            xs.append(u)
            ys.append(v)
    return Frame(min(xs), max(xs), min(ys), max(ys))


def render_labels(
    figure: Figure,
    angles: Mapping[str, float],
    width: int,
    height: int,
    *,
    mirror: bool = False,
    breath: float = 0.0,
    frame: Frame | None = None,
    support: Support = (),
) -> np.ndarray:
    """A `height` × `width` raster of dots labelled EMPTY, NEAR, FAR or PROP.

    `mirror` does the pose on the other side (left and right limbs swap; the body keeps
    its place); `breath` (0..1) fills the belly and ribs of a breathing figure; `support`
    says what carries the body (default: whatever is lowest rests on the floor);
    `frame` defaults to the figure's."""
    if width < 4 or height < 4:
        raise ValueError("the raster must be at least 4×4 dots")
    frame = frame or figure_frame(figure)
    to_px, scale = _projector(figure, frame, width, height)
    xs = (np.arange(width, dtype=np.float64) + 0.5) - width / 2
    ys = np.arange(height, dtype=np.float64) + 0.5
    gx, gy = np.meshgrid(xs, ys)

    raster = np.zeros((height, width), dtype=np.uint8)
    thin = max(MIN_RADIUS, 0.02 * scale)
    for a, b in _prop_segments(figure):
        pa, pb = to_px(a), to_px(b)
        raster[_capsule(gx, gy, pa, pb, thin) <= 0] = PROP

    pts = scene_points(figure, angles, breath, support, mirror=mirror)
    px = {name: to_px(p) for name, p in pts.items()}
    parts = []
    trunk_depth = 0.0
    for order, (name, segments, discs) in enumerate(_PARTS):
        names = {n for seg in segments for n in seg} | set(discs)
        depth = sum(px[n][2] for n in names) / len(names)
        if name == "trunk":
            trunk_depth = depth
        parts.append([depth, order, name, segments, discs])
    for part in parts:
        if part[2] == "head":
            part[0] = trunk_depth  # right after the trunk (the order breaks the tie)
    # Farthest first; the fixed part order breaks ties so the picture is deterministic.
    for depth, _, name, segments, discs in sorted(parts, key=lambda t: (t[0], t[1])):
        field = np.full((height, width), np.inf)
        for a, b in segments:
            r = _NECK_RADIUS if b == "head" else min(RADIUS[a], RADIUS[b])
            r = max(MIN_RADIUS, r * scale)
            field = np.minimum(field, _capsule(gx, gy, px[a], px[b], r))
        for n in discs:
            r = max(MIN_RADIUS, RADIUS[n] * scale)
            field = np.minimum(field, np.hypot(gx - px[n][0], gy - px[n][1]) - r)
        far = name not in ("trunk", "head") and depth < trunk_depth - FAR_DEPTH
        raster[field <= HALO] = EMPTY
        raster[field <= 0] = FAR if far else NEAR
    if figure.band is not None:
        one, two = figure.band
        raster[_capsule(gx, gy, px[one], px[two], MIN_RADIUS) <= 0] = PROP
    if figure.floor:
        raster[height - 1, :] = PROP  # last: a part's cleared ring may have cut it
    return raster


def _projector(figure: Figure, frame: Frame, width: int, height: int):
    """(point -> (x, y, depth) in dots, metres-to-dots scale) for a raster this size: x
    about the picture's middle, y down from the top, the frame's bottom on the floor
    row."""
    cam = Camera.of(figure)
    floor_rows = 1 if figure.floor else 0
    span_x = max(frame.right - frame.left, 1e-6)
    span_y = max(frame.top - frame.bottom, 1e-6)
    scale = min((width - 2) / span_x, (height - 1 - floor_rows) / span_y)
    centre_u = (frame.left + frame.right) / 2
    base = height - floor_rows

    def to_px(p: Vec) -> tuple[float, float, float]:
        u, v, d = cam.project(p)
        return ((u - centre_u) * scale, base - (v - frame.bottom) * scale, d)

    return to_px, scale


def dot_points(
    figure: Figure,
    angles: Mapping[str, float],
    width: int,
    height: int,
    *,
    mirror: bool = False,
    frame: Frame | None = None,
    support: Support = (),
) -> tuple[dict[str, tuple[float, float]], float]:
    """Where each point lands in a `render_labels` raster of this size (dot column
    from the left, dot row from the top), and the metres-to-dots scale."""
    to_px, scale = _projector(figure, frame or figure_frame(figure), width, height)
    pts = scene_points(figure, angles, 0.0, support, mirror=mirror)
    out = {}
    for name, p in pts.items():
        x, y, _ = to_px(p)
        out[name] = (x + width / 2, y)
    return out, scale


def render_raster(
    figure: Figure,
    angles: Mapping[str, float],
    width: int,
    height: int,
    *,
    mirror: bool = False,
    breath: float = 0.0,
    frame: Frame | None = None,
    support: Support = (),
) -> np.ndarray:
    """A boolean raster `height` × `width` dots of the figure (see `render_labels`)."""
    labels = render_labels(
        figure,
        angles,
        width,
        height,
        mirror=mirror,
        breath=breath,
        frame=frame,
        support=support,
    )
    return labels != EMPTY


def _prop_segments(figure: Figure) -> list[tuple[Vec, Vec]]:
    """The props as thin lines: a wall, a chair (seat, legs and back), a counter. Each
    has a width across the body, so it also reads from the front and from above."""
    segs: list[tuple[Vec, Vec]] = []
    if figure.wall is not None:
        w = figure.wall
        segs += [((w, 0.0, 0.0), (w, 2.2, 0.0)), ((w, 0.0, -0.5), (w, 0.0, 0.5))]
    if figure.chair is not None:
        c = figure.chair
        segs += _table(c.x, c.depth, c.height, _CHAIR_HALF_WIDTH)
        back = c.x - c.depth / 2
        for z in (-_CHAIR_HALF_WIDTH, _CHAIR_HALF_WIDTH):
            segs.append(((back, c.height, z), (back - 0.03, c.height + 0.42, z)))
        segs.append(
            (
                (back - 0.03, c.height + 0.42, -_CHAIR_HALF_WIDTH),
                (back - 0.03, c.height + 0.42, _CHAIR_HALF_WIDTH),
            )
        )
    if figure.counter is not None:
        t = figure.counter
        segs += _table(t.x, t.depth, t.height, _COUNTER_HALF_WIDTH)
    return segs


_CHAIR_HALF_WIDTH = 0.22
_COUNTER_HALF_WIDTH = 0.4


def _table(x: float, depth: float, top: float, half: float) -> list[tuple[Vec, Vec]]:
    """A top `depth` deep and 2·`half` wide at height `top`, on four legs."""
    front, back = x + depth / 2, x - depth / 2
    segs: list[tuple[Vec, Vec]] = []
    for z in (-half, half):
        segs.append(((back, top, z), (front, top, z)))
    for edge in (front, back):
        segs.append(((edge, top, -half), (edge, top, half)))
        for z in (-half, half):
            segs.append(((edge, top, z), (edge, 0.0, z)))
    return segs


def _capsule(
    gx: np.ndarray, gy: np.ndarray, a: tuple[float, ...], b: tuple[float, ...], r: float
) -> np.ndarray:
    """Signed distance from each dot to a thick segment (negative inside)."""
    ax, ay, bx, by = a[0], a[1], b[0], b[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return np.hypot(gx - ax, gy - ay) - r
    t = np.clip(((gx - ax) * dx + (gy - ay) * dy) / length2, 0.0, 1.0)
    return np.hypot(gx - (ax + t * dx), gy - (ay + t * dy)) - r


def to_braille(raster: np.ndarray) -> list[str]:
    """Rows of braille cells, 2×4 dots each; an empty cell is a plain space."""
    height, width = raster.shape
    rows, cols = -(-height // 4), -(-width // 2)
    padded = np.zeros((rows * 4, cols * 2), dtype=np.int32)
    padded[:height, :width] = raster != 0
    cells = (padded.reshape(rows, 4, cols, 2) * _BITS[None, :, None, :]).sum(axis=(1, 3))
    return [
        "".join(chr(BRAILLE_BASE + int(c)) if c else " " for c in row) for row in cells.tolist()
    ]


def cell_shades(labels: np.ndarray) -> list[str]:
    """Per cell, the shade to draw it in: "1" the body or a near limb (any such dot
    wins), "2" a far limb, "3" the floor or a prop, " " empty."""
    height, width = labels.shape
    rows, cols = -(-height // 4), -(-width // 2)
    padded = np.zeros((rows * 4, cols * 2), dtype=np.uint8)
    padded[:height, :width] = labels
    blocks = padded.reshape(rows, 4, cols, 2).transpose(0, 2, 1, 3).reshape(rows, cols, 8)
    near = (blocks == NEAR).any(axis=2)
    far = (blocks == FAR).any(axis=2)
    prop = (blocks == PROP).any(axis=2)
    shade = np.where(near, 1, np.where(far, 2, np.where(prop, 3, 0)))
    return ["".join(" " if c == 0 else str(int(c)) for c in row) for row in shade.tolist()]


def render_cells(
    figure: Figure,
    angles: Mapping[str, float],
    cols: int,
    rows: int,
    *,
    mirror: bool = False,
    breath: float = 0.0,
    frame: Frame | None = None,
    support: Support = (),
) -> list[str]:
    """The figure as `rows` strings of `cols` braille cells."""
    return render_shaded(
        figure, angles, cols, rows, mirror=mirror, breath=breath, frame=frame, support=support
    )[0]


def render_shaded(
    figure: Figure,
    angles: Mapping[str, float],
    cols: int,
    rows: int,
    *,
    mirror: bool = False,
    breath: float = 0.0,
    frame: Frame | None = None,
    support: Support = (),
) -> tuple[list[str], list[str]]:
    """The figure as braille rows and, for each, its cells' shades (see `cell_shades`)."""
    labels = render_labels(
        figure,
        angles,
        cols * 2,
        rows * 4,
        mirror=mirror,
        breath=breath,
        frame=frame,
        support=support,
    )
    return to_braille(labels), cell_shades(labels)


def render_pose(
    figure: Figure, pose: str, cols: int, rows: int, *, mirror: bool = False, breath: float = 0.0
) -> list[str]:
    """A named pose as braille rows (the still picture of `--calm` and the preview)."""
    return render_cells(
        figure,
        flatten(figure, pose),
        cols,
        rows,
        mirror=mirror,
        breath=breath,
        support=pose_support(figure, pose),
    )
