"""The README's pictures are made by `python docs/make_images.py` from the real renderer
and the real app; this fails when either file is out of date (a figure, the player
screen or its footer changed without the picture being made again)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _maker():
    spec = importlib.util.spec_from_file_location("make_images", DOCS / "make_images.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_contact_sheet_is_the_renderers_own_and_up_to_date():
    maker = _maker()
    made = maker.figures_svg()
    assert (DOCS / "figures.svg").read_text("utf-8") == made, (
        "docs/figures.svg is out of date: run python docs/make_images.py"
    )
    # Every built-in figure is on it, with its view named.
    from breathpace.library import builtin_figure_files

    for path in builtin_figure_files():
        assert f">{path.stem}<" in made


def test_the_player_screenshot_is_the_apps_own_and_up_to_date():
    maker = _maker()
    made = maker.player_svg()
    assert (DOCS / "player.svg").read_text("utf-8") == made, (
        "docs/player.svg is out of date: run python docs/make_images.py"
    )
    # It shows the phase's own cue and the footer the player has now.
    assert "Breathe&#160;out,&#160;tilt&#160;the&#160;pelvis" in made
    assert "Pause" in made
