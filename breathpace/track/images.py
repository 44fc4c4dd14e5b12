"""The pictures of a track: a cover, and each chapter's exercise figure, as PNG.

The figure is drawn by the player's own renderer (`figures.render.render_raster`) at a
phone's resolution instead of braille dots, in its start pose (mirrored for the right
side, as on screen), with the exercise's name and starting position written under it.
Pillow draws and encodes; fonts are DejaVu where installed (Debian's fonts-dejavu-core),
else Pillow's own scalable default, so a missing font never stops a render.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from functools import cache
from typing import TYPE_CHECKING

from breathpace.safe_text import printable

if TYPE_CHECKING:
    from PIL import ImageFont

    from breathpace.figures.model import Figure

#: A square a phone's player shows sharply full screen; podcast apps ask for at least
#: 1400 px covers, and chapter pictures are shown smaller.
COVER_PX = 1400
CHAPTER_PX = 720
#: The figure is drawn this many times larger, then scaled down: smooth edges.
SUPERSAMPLE = 2
BACKGROUND = (28, 36, 48)
INK = (236, 228, 210)
MUTED = (168, 178, 190)
ACCENT = (122, 186, 160)

#: DejaVu Sans (Debian's fonts-dejavu-core), by weight: bold or not.
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/dejavu/", "")


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans at `size` px, or Pillow's default font when it is not installed."""
    from PIL import ImageFont

    name = FONT_FILES[bold]
    for folder in _FONT_DIRS:
        try:
            return ImageFont.truetype(folder + name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def face_size(face) -> float:
    """A font's size in px (Pillow's bitmap fallback, without FreeType, has none: its
    glyphs are about 11 px)."""
    return float(getattr(face, "size", 11))


def wrap(text: str, face, width: int, max_lines: int) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` px; the last line ends
    in an ellipsis when it did not all fit."""
    from PIL import Image, ImageDraw

    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    current = ""
    for word in printable(text).split():
        trial = f"{current} {word}".strip()
        if measure.textlength(trial, font=face) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and measure.textlength(last + "…", font=face) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def figure_picture(
    figure: Figure,
    pose: str,
    width: int,
    height: int,
    *,
    mirror: bool = False,
    supersample: int = SUPERSAMPLE,
):
    """The figure in `pose` as an RGBA Pillow image of `width` × `height` px (ink on
    transparent), drawn by the player's renderer. Without supersampling the edges are
    softened by a slight blur instead (the cover: the renderer's cost grows with the
    number of dots, and a 1400 px picture drawn twice as large takes seconds)."""
    import numpy as np
    from PIL import Image, ImageFilter

    from breathpace.figures.render import pose_support, render_raster
    from breathpace.figures.skeleton import flatten

    # Carried by the pose's own contacts, as the player places it (else it floats).
    raster = render_raster(
        figure,
        flatten(figure, pose),
        width * supersample,
        height * supersample,
        mirror=mirror,
        support=pose_support(figure, pose),
    )
    alpha = Image.fromarray((raster * np.uint8(255)).astype(np.uint8), mode="L")
    if supersample > 1:
        alpha = alpha.resize((width, height), Image.Resampling.LANCZOS)
    else:
        alpha = alpha.filter(ImageFilter.GaussianBlur(0.7))
    picture = Image.new("RGBA", (width, height), (*INK, 0))
    picture.putalpha(alpha)
    return picture


def _place(
    image,
    figure: Figure,
    pose: str,
    box: tuple[int, int, int, int],
    mirror: bool,
    supersample: int = SUPERSAMPLE,
) -> None:
    """Draw the figure into `box` (left, top, width, height): as wide as the box, only
    as tall as the figure needs, centred vertically, so a lying figure is not a thin
    strip at the bottom of a tall empty box."""
    from breathpace.figures.render import figure_frame

    left, top, width, height = box
    frame = figure_frame(figure)
    aspect = (frame.top - frame.bottom) / max(frame.right - frame.left, 1e-6)
    # A little taller than the figure itself: the floor line and the limbs' thickness.
    needed = min(height, max(height // 3, round(width * aspect * 1.1) + width // 12))
    picture = figure_picture(figure, pose, width, needed, mirror=mirror, supersample=supersample)
    image.paste(picture, (left, top + (height - needed) // 2), picture)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _text_block(draw, lines: list[str], face, x: int, y: int, fill, spacing: float) -> int:
    """Draw lines from `y` down; returns the y under the last line."""
    step = round(face_size(face) * spacing)
    for line in lines:
        draw.text((x, y), line, font=face, fill=fill)
        y += step
    return y


#: Chapter pictures already drawn in this process, newest last: a feed of several
#: routines draws the same resting figure with the same words again and again.
_DRAWN: OrderedDict[tuple, bytes] = OrderedDict()
DRAWN_KEEP = 64


def chapter_image(
    title: str,
    position: str,
    figure: Figure | None,
    *,
    mirror: bool = False,
    size: int = CHAPTER_PX,
    pose: str = "start",
) -> bytes:
    """A chapter's picture: the figure in its start pose above the exercise's name and
    its starting position, as PNG bytes."""
    # Figures are frozen models holding dicts (not hashable): their JSON is the key.
    shape = figure.model_dump_json() if figure is not None else None
    key = (title, position, shape, mirror, size, pose, FONT_FILES[False])
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    png = _draw_chapter(title, position, figure, mirror=mirror, size=size, pose=pose)
    _DRAWN[key] = png
    while len(_DRAWN) > DRAWN_KEEP:
        _DRAWN.popitem(last=False)
    return png


def _draw_chapter(
    title: str, position: str, figure: Figure | None, *, mirror: bool, size: int, pose: str
) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = size // 16
    inner = size - 2 * margin
    title_face = font(round(size * 0.062), bold=True)
    body_face = font(round(size * 0.042))
    title_lines = wrap(title, title_face, inner, 2)
    # As under the player's figure: a view not from the side says where it is seen from.
    view = figure.view.name if figure is not None and figure.view.name else ""
    words = " · ".join(w for w in (position, view) if w)
    position_lines = wrap(words, body_face, inner, 3) if words else []
    text_height = round(face_size(title_face) * 1.25) * len(title_lines) + round(
        face_size(body_face) * 1.3
    ) * len(position_lines)
    picture_height = size - text_height - 3 * margin
    if figure is not None and picture_height > size // 4:
        _place(image, figure, pose, (margin, margin, inner, picture_height), mirror)
    y = size - margin - text_height
    y = _text_block(draw, title_lines, title_face, margin, y, INK, 1.25)
    _text_block(draw, position_lines, body_face, margin, y, MUTED, 1.3)
    return _png(image)


def cover_image(
    title: str,
    lines: list[str],
    figure: Figure | None,
    *,
    size: int = COVER_PX,
    pose: str = "start",
) -> bytes:
    """The track's cover: the routine's title, its dose and a figure, as PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = size // 14
    inner = size - 2 * margin
    brand_face = font(round(size * 0.032), bold=True)
    title_face = font(round(size * 0.075), bold=True)
    body_face = font(round(size * 0.036))
    draw.text((margin, margin), "breathpace", font=brand_face, fill=ACCENT)
    y = margin + round(face_size(brand_face) * 1.8)
    y = _text_block(draw, wrap(title, title_face, inner, 2), title_face, margin, y, INK, 1.2)
    for line in lines:
        y = _text_block(draw, wrap(line, body_face, inner, 2), body_face, margin, y, MUTED, 1.35)
    top = y + margin // 2
    if figure is not None and size - margin - top > size // 5:
        _place(image, figure, pose, (margin, top, inner, size - margin - top), False, 1)
    return _png(image)
