"""Write the documentation's pictures, both from the real thing, with one command:

- `docs/figures.svg`: every built-in figure in each of its poses, drawn by the renderer
  the terminal uses (a braille raster of 32×12 cells, 64×48 dots); each dot becomes a
  small square, the body and its near limbs in one colour, the far limbs in a second,
  the floor and props in a third, so the sheet shows what a person sees on screen
  without depending on a braille font;
- `docs/player.svg`: the real app's player screen in the middle of the built-in glute
  bridge routine (a fake clock and the silent backend, as in the snapshot tests), part
  way through a lift, saved with Textual's own screenshot.

Run from the repository root:

    python docs/make_images.py            # writes both
    python docs/make_images.py --check    # exit 1 if either file is out of date
    python docs/make_images.py --text clamshell   # a figure's poses as braille

`tests/test_docs_images.py` makes both in memory and fails when the files differ.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
FIGURES_SVG = HERE / "figures.svg"
PLAYER_SVG = HERE / "player.svg"

COLS, ROWS = 32, 12
DOT = 2  # SVG units per dot
PAD = 12
LABEL_W = 190
CELL_W = COLS * 2 * DOT + PAD
CELL_H = ROWS * 4 * DOT + 30
#: Colours of the shades (body and near limbs, far limbs, floor and props).
SHADES = {1: "#89b4fa", 2: "#4f6a9a", 3: "#6c7086"}
PLAYER_SIZE = (100, 30)


def _columns(figure) -> list[tuple[str, str, float]]:
    """(label, pose, breath) per picture: a breathing figure shows out and in."""
    if figure.breathing:
        return [(f"{p}, out", p, 0.0) for p in figure.poses] + [
            (f"{p}, in", p, 1.0) for p in figure.poses
        ]
    return [(p, p, 0.0) for p in figure.poses]


def _labels(figure, pose: str, breath: float = 0.0):
    from breathpace.figures.render import pose_support, render_labels
    from breathpace.figures.skeleton import flatten

    return render_labels(
        figure,
        flatten(figure, pose),
        COLS * 2,
        ROWS * 4,
        breath=breath,
        support=pose_support(figure, pose),
    )


def _path(labels, shade: int, x0: int, y0: int) -> str:
    """Horizontal runs of one shade's dots as one path: small and exact."""
    parts = []
    for y, row in enumerate(labels.tolist()):
        x = 0
        while x < len(row):
            if row[x] == shade:
                start = x
                while x < len(row) and row[x] == shade:
                    x += 1
                run = (x - start) * DOT
                parts.append(f"M{x0 + start * DOT} {y0 + y * DOT}h{run}v{DOT}h{-run}z")
            else:
                x += 1
    return "".join(parts)


def figures_svg() -> str:
    from breathpace.figures.load import load_figure
    from breathpace.library import builtin_figure_files

    figures = [(f.stem, load_figure(f)) for f in builtin_figure_files()]
    most = max(len(_columns(fig)) for _, fig in figures)
    width = LABEL_W + most * CELL_W + PAD
    height = len(figures) * CELL_H + PAD * 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="monospace" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#1e1e2e"/>',
    ]
    for row, (name, figure) in enumerate(figures):
        y = PAD + row * CELL_H
        out.append(f'<text x="{PAD}" y="{y + 20}" fill="#cdd6f4">{escape(name)}</text>')
        view = figure.view.name or "seen from the side"
        out.append(
            f'<text x="{PAD}" y="{y + 36}" fill="#7f849c" font-size="9">{escape(view)}</text>'
        )
        for col, (label, pose, breath) in enumerate(_columns(figure)):
            x = LABEL_W + col * CELL_W
            out.append(
                f'<text x="{x}" y="{y + 10}" fill="#a6adc8" font-size="10">{escape(label)}</text>'
            )
            labels = _labels(figure, pose, breath)
            for shade in (3, 2, 1):
                dots = _path(labels, shade, x, y + 16)
                if dots:
                    out.append(f'<path fill="{SHADES[shade]}" d="{dots}"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


async def _player_svg() -> str:
    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.clock import FakeClock
    from breathpace.session.options import Overrides, session_options
    from breathpace.session.prepare import prepare
    from breathpace.session.runner import SessionRunner
    from breathpace.timeline import Breath
    from breathpace.tui.app import BreathpaceApp
    from breathpace.tui.screens.player import PlayerScreen
    from breathpace.tui.widgets.figure import FigureView

    clock = FakeClock(0.0)
    backend = SilentBackend(clock=clock)
    # The routine as written (no personal pace, no journal dose): the picture is the
    # same on every machine.
    prepared = prepare(
        "glute-bridge",
        session_options(Overrides()),
        personal_pace=False,
        journal_dose=False,
        source="docs",
    )
    runner = SessionRunner(prepared, mode="tui", backend=backend, clock=clock).open()
    player = runner.player
    target = next(
        s
        for s in player.timeline.segments
        if s.exercise_name == "Glute bridge" and s.rep == 3 and s.breath is Breath.EXHALE
    )
    goal_ms = target.start_ms + target.duration_ms * 11 // 20
    screen = PlayerScreen(runner, standalone=True)
    app = BreathpaceApp(backend=backend, clock=clock, first=lambda: screen)
    try:
        async with app.run_test(size=PLAYER_SIZE) as pilot:
            await pilot.pause()
            while player.position_ms < goal_ms:
                clock.advance(min(0.25, (goal_ms - player.position_ms) / 1000))
                screen.tick()
            await pilot.pause()
            shown = screen.query_one(FigureView).shown
            if shown is None or shown.target != "top":
                raise SystemExit(f"the figure is not lifting to the top pose: {shown}")
            svg = app.export_screenshot(title="breathpace play glute-bridge")
        runner.end("quit")
    finally:
        runner.close()
    return svg


def player_svg() -> str:
    """The player screenshot, made in a throw-away home (journal, settings with the
    safety notice seen), never the person's own."""
    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
        os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "data")
        try:
            from breathpace.settings import Settings, save_settings

            save_settings(Settings(seen_safety=True))
            return asyncio.run(_player_svg())
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def images() -> dict[Path, str]:
    return {FIGURES_SVG: figures_svg(), PLAYER_SVG: player_svg()}


def text(only: str | None) -> None:
    from breathpace.figures.load import load_figure
    from breathpace.figures.render import to_braille
    from breathpace.library import builtin_figure_files

    for f in builtin_figure_files():
        if only and f.stem != only:
            continue
        figure = load_figure(f)
        for label, pose, breath in _columns(figure):
            print(f"== {f.stem}: {label}")
            print("\n".join(to_braille(_labels(figure, pose, breath))))


def main(argv: list[str]) -> int:
    if "--text" in argv:
        args = [a for a in argv if a != "--text"]
        text(args[0] if args else None)
        return 0
    made = images()
    if "--check" in argv:
        stale = [p.name for p, body in made.items() if p.read_text("utf-8") != body]
        if stale:
            print(f"out of date: {', '.join(stale)} (run python docs/make_images.py)")
            return 1
        print("docs images are up to date")
        return 0
    for path, body in made.items():
        path.write_text(body, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
