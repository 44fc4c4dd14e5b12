"""The pictures of a track: legible words under the figure, whatever fonts there are."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from breathpace.library import load_figure_named
from breathpace.track import images


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def test_a_chapter_picture_has_the_figure_above_and_the_words_below():
    figure = load_figure_named("glute-bridge")
    with_words = pixels(images.chapter_image("Glute bridge", "On your back", figure))
    other_words = pixels(images.chapter_image("Bird dog", "On hands and knees", figure))
    no_figure = pixels(images.chapter_image("Glute bridge", "On your back", None))
    assert with_words.shape == (images.CHAPTER_PX, images.CHAPTER_PX)
    differs = np.abs(with_words - other_words) > 40
    rows = np.flatnonzero(differs.any(axis=1))
    # Only the words differ, and they are in the lower part of the picture.
    assert rows.min() > images.CHAPTER_PX // 2
    # The figure is in the upper part: there the picture without it is background.
    top = slice(0, images.CHAPTER_PX // 2)
    assert (np.abs(with_words[top] - no_figure[top]) > 40).sum() > 5000


def test_long_words_wrap_inside_the_picture_and_end_in_an_ellipsis():
    face = images.font(30)
    lines = images.wrap("word " * 200, face, 600, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    from PIL import ImageDraw

    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    assert all(measure.textlength(line, font=face) <= 600 for line in lines)


def test_without_dejavu_pillows_own_font_draws_the_words(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(images, "FONT_FILES", {False: "no-such.ttf", True: "no-such.ttf"})
    images.font.cache_clear()
    try:
        picture = pixels(images.chapter_image("Glute bridge", "On your back", None))
        blank = pixels(images.chapter_image("", "", None))
    finally:
        images.font.cache_clear()
    assert (np.abs(picture - blank) > 40).sum() > 500


def test_control_characters_are_drawn_as_visible_stand_ins():
    assert images.wrap("a\x1b[31mb", images.font(20), 500, 2) == ["a\\x1b[31mb"]
