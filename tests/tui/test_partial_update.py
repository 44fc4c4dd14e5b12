"""The cropping partial update leaves a terminal showing exactly what Textual's own does,
while writing only the changed cells."""

from __future__ import annotations

import itertools
import random

import pytest
from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from breathpace.tui import partial_update
from breathpace.tui.partial_update import (
    char_start,
    cropped,
    move_to,
    render_segments,
    textual_render,
)
from tests.tui.helpers import Terminal

WIDTH, HEIGHT = 40, 6
STYLES = [Style(color="red"), Style(color="blue", bgcolor="black"), Style(bold=True), None]
CHARS = "ab █▌▐日本"  # single-width and double-width characters


def screen_of(lines: list[list[Strip]], console: Console) -> Terminal:
    """A terminal showing these lines, drawn in full."""
    term = Terminal([[(" ", "")] * WIDTH for _ in range(HEIGHT)])
    for y, strips in enumerate(lines):
        term.feed(f"\x1b[{y + 1};1H")
        for strip in strips:
            term.feed(strip.render(console))
    return term


def random_strip(rng: random.Random, width: int) -> Strip:
    segments, used = [], 0
    while used < width:
        text = ""
        while used < width and len(text) < rng.randint(1, 6):
            char = rng.choice(CHARS)
            size = get_character_cell_size(char)
            if used + size > width:
                char, size = " ", 1
            text += char
            used += size
        segments.append(Segment(text, rng.choice(STYLES)))
    return Strip(segments, width)


def random_case(rng: random.Random, console: Console):
    """A new screen cut into chops like the compositor's, the spans that changed, and
    the old screen: the new one with other cells inside the spans."""
    cuts = [
        sorted({0, WIDTH, *rng.sample(range(1, WIDTH), rng.randint(0, 4))}) for _ in range(HEIGHT)
    ]
    after = [[random_strip(rng, b - a) for a, b in itertools.pairwise(c)] for c in cuts]
    spans = []
    for y in sorted(rng.sample(range(HEIGHT), rng.randint(1, HEIGHT))):
        x1 = rng.randrange(WIDTH)
        spans.append((y, x1, rng.randint(x1 + 1, WIDTH)))
    before = screen_of(after, console)
    for y, x1, x2 in spans:
        row = before.cells[y]
        for x in range(x1, x2):
            if get_character_cell_size(row[x][0] or "日") == 1:  # not a wide char's half
                row[x] = (rng.choice("xyz█"), rng.choice(["", ";31", ";1"]))
    chops = [dict(zip(c, line, strict=False)) for c, line in zip(cuts, after, strict=True)]
    ends = [c[1:] for c in cuts]
    return before, after, ChopsUpdate(chops, spans, ends)


@pytest.mark.parametrize("seed", range(300))
def test_the_terminal_ends_the_same_as_with_textuals_own_update(seed):
    rng = random.Random(seed)
    console = Console(width=WIDTH, color_system="256", force_terminal=True)
    before, after, update = random_case(rng, console)
    ours, theirs = Terminal(before.cells), Terminal(before.cells)
    ours.feed(render_segments(update, console))
    theirs.feed(textual_render(update, console))
    assert ours.cells == theirs.cells
    # And that is the new screen, wherever no span ends inside a double-width
    # character (Textual blanks one cut on the right; so do we, the same way).
    wanted = screen_of(after, console).cells
    for y, x1, x2 in update.spans:
        if x2 == WIDTH or wanted[y][x2][0] != "":
            assert ours.cells[y][x1:x2] == wanted[y][x1:x2]


def test_only_the_changed_cells_are_sent():
    console = Console(width=WIDTH, color_system="256", force_terminal=True)
    row = Strip([Segment(" " * 10 + "█" * 20 + " " * 10, Style(color="red"))], WIDTH)
    update = ChopsUpdate([{0: row}], [(0, 29, 31)], [[WIDTH]])
    ours = render_segments(update, console)
    theirs = textual_render(update, console)
    assert ours.startswith("\x1b[1;30H")  # the cursor goes to the changed cell itself
    assert "█ " in ours and "█" * 3 not in ours
    assert len(ours.encode()) < len(theirs.encode()) / 3


def test_colours_are_set_once_for_spans_that_share_them_and_reset_at_the_end():
    console = Console(width=WIDTH, color_system="256", force_terminal=True)
    red = Style(color="red")
    rows = [{0: Strip([Segment(" " * 5 + "█" * 30 + " " * 5, red)], WIDTH)} for _ in range(3)]
    spans = [(y, x, x + 1) for y in range(3) for x in (5, 34)]
    ours = render_segments(ChopsUpdate(rows, spans, [[WIDTH]] * 3), console)
    assert ours.count("\x1b[31m") == 1  # six spans, one colour, set once
    assert ours.endswith("\x1b[0m") and ours.count("\x1b[0m") == 1
    assert "\n" not in ours  # each span starts with its own cursor move
    theirs = textual_render(ChopsUpdate(rows, spans, [[WIDTH]] * 3), console)
    assert len(ours.encode()) < len(theirs.encode()) / 3


def test_a_new_colour_resets_the_old_one_first():
    """Bold then plain red: the red cells must not stay bold."""
    console = Console(width=WIDTH, color_system="256", force_terminal=True)
    strip = Strip([Segment("ab", Style(bold=True, color="red")), Segment("cd", Style(color="red"))])
    ours = render_segments(ChopsUpdate([{0: strip}], [(0, 0, 4)], [[4]]), console)
    assert ours == "\x1b[1;1H\x1b[1;31mab\x1b[0;31mcd\x1b[0m"


def test_a_span_never_starts_inside_a_double_width_character():
    strip = Strip([Segment("ab"), Segment("日本x")], 7)
    assert [char_start(strip, x) for x in range(7)] == [0, 1, 2, 2, 4, 4, 6]


@pytest.mark.parametrize("seed", range(20))
def test_a_piece_of_a_strip_is_cut_exactly_as_textual_cuts_it(seed):
    rng = random.Random(seed)
    for _ in range(50):
        strip = random_strip(rng, WIDTH)
        start, end = rng.randint(-2, WIDTH + 2), rng.randint(-2, WIDTH + 2)
        assert cropped(strip, start, end) == list(strip.crop(start, end))


def test_the_cursor_moves_as_riches_control_moves_it():
    for x, y in [(0, 0), (7, 0), (0, 12), (99, 29), (250, 80)]:
        assert move_to(x, y) == Control.move_to(x, y).segment.text


def test_the_app_installs_it():
    partial_update.install()
    assert ChopsUpdate.render_segments is render_segments
    assert partial_update.fits()


# -- A Textual that changed: the app runs on Textual's own writer ----------------------


@pytest.fixture
def textual_writer():
    """Textual's own writer back in place after the test, whatever it did."""
    yield
    partial_update.uninstall()
    partial_update.install()


def _app_starts_on_textuals_writer() -> None:
    from breathpace.tui.app import BreathpaceApp

    BreathpaceApp()  # installs the writer when it fits: here it must not, nor raise
    assert ChopsUpdate.render_segments is partial_update._TEXTUAL_RENDER


def test_an_update_built_another_way_keeps_textuals_writer(monkeypatch, textual_writer):
    """A release whose update takes other arguments: the probe fails inside `fits()`,
    which answers False instead of raising inside the app's constructor."""
    partial_update.uninstall()

    def other_init(self, regions):  # one argument where there were three
        self.regions = regions

    monkeypatch.setattr(ChopsUpdate, "__init__", other_init)
    assert partial_update.fits() is False
    assert partial_update.install() is False
    _app_starts_on_textuals_writer()


def test_an_update_without_the_fields_it_reads_keeps_textuals_writer(monkeypatch, textual_writer):
    partial_update.uninstall()

    def init_without_chop_ends(self, chops, spans, chop_ends):
        self.chops, self.spans = chops, spans

    monkeypatch.setattr(ChopsUpdate, "__init__", init_without_chop_ends)
    assert partial_update.fits() is False
    _app_starts_on_textuals_writer()


def test_a_writer_called_another_way_keeps_textuals_writer(monkeypatch, textual_writer):
    partial_update.uninstall()

    def render_segments(self, console, options):  # a new parameter
        return ""

    monkeypatch.setattr(partial_update, "_TEXTUAL_RENDER", render_segments)
    assert partial_update.fits() is False
    assert partial_update.install() is False


def test_a_moved_module_still_lets_the_app_import_and_start(monkeypatch, textual_writer):
    """`textual._compositor` gone (renamed in a release): importing the app must work,
    and the app starts on Textual's own writer."""
    import sys

    import breathpace.tui
    import breathpace.tui.app

    partial_update.uninstall()
    monkeypatch.setitem(sys.modules, "textual._compositor", None)  # import fails
    for name in ("partial_update", "app"):  # the fresh copies go when the test ends
        monkeypatch.delitem(sys.modules, f"breathpace.tui.{name}")
        monkeypatch.setattr(breathpace.tui, name, getattr(breathpace.tui, name))
    import breathpace.tui.app as fresh_app
    import breathpace.tui.partial_update as fresh

    assert fresh.ChopsUpdate is None
    assert fresh.fits() is False and fresh.install() is False
    fresh_app.BreathpaceApp()
    assert ChopsUpdate.render_segments is partial_update._TEXTUAL_RENDER


def test_an_update_it_cannot_read_is_written_by_textual_which_then_stays(textual_writer):
    """A failure inside the writer (an update of another shape than `fits()` saw) must
    not lose the frame: Textual writes it, and every later one."""
    partial_update.install()
    console = Console(width=WIDTH, color_system="256", force_terminal=True)
    strip = Strip([Segment("ab", Style(color="red"))])
    update = ChopsUpdate([{0: strip}], [(0, 0, 2)], [[2]])
    update.chop_ends = None  # type: ignore[assignment]  # not a list of lists
    with pytest.raises(TypeError):
        partial_update._render_cropped(update, console)
    update.chop_ends = [[2]]
    want = textual_render(update, console)
    update.chop_ends = None  # type: ignore[assignment]
    # Textual's method reads chop_ends too; give it the shape it knows back mid-call.
    calls = []

    def textual(self, console):
        calls.append(self)
        self.chop_ends = [[2]]
        return want

    original = partial_update._TEXTUAL_RENDER
    partial_update._TEXTUAL_RENDER = textual
    try:
        assert update.render_segments(console) == want
        assert calls == [update]
        assert ChopsUpdate.render_segments is textual
    finally:
        partial_update._TEXTUAL_RENDER = original
