"""Write docs/figures.svg: every built-in figure in each of its poses.

Each pose is drawn by the same renderer the terminal uses (a braille raster of 32×12
cells, 64×48 dots), and each dot becomes a small square in the SVG, so the sheet shows
exactly what a person sees on screen, without depending on a braille font. Run from the
repository root:

    python docs/make_contact_sheet.py            # writes docs/figures.svg
    python docs/make_contact_sheet.py --text     # prints every pose as braille
    python docs/make_contact_sheet.py --text clamshell
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

from breathpace.figures.load import load_figure
from breathpace.figures.render import render_raster
from breathpace.figures.skeleton import flatten
from breathpace.library import builtin_figure_files

OUT = Path(__file__).resolve().parent / "figures.svg"
COLS, ROWS = 32, 12
DOT = 2  # SVG units per dot
PAD = 12
LABEL_W = 170
CELL_W = COLS * 2 * DOT + PAD
CELL_H = ROWS * 4 * DOT + 26


def _columns(figure) -> list[tuple[str, str, float]]:
    """(label, pose, breath) per picture: a breathing figure shows out and in."""
    if figure.breathing:
        return [(f"{p}, out", p, 0.0) for p in figure.poses] + [
            (f"{p}, in", p, 1.0) for p in figure.poses
        ]
    return [(p, p, 0.0) for p in figure.poses]


def _raster(figure, pose: str, breath: float = 0.0):
    return render_raster(figure, flatten(figure, pose), COLS * 2, ROWS * 4, breath=breath)


def _path(raster, x0: int, y0: int) -> str:
    """Horizontal runs of dots as one path: small and exact."""
    parts = []
    for y, row in enumerate(raster.tolist()):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                run = (x - start) * DOT
                parts.append(f"M{x0 + start * DOT} {y0 + y * DOT}h{run}v{DOT}h{-run}z")
            else:
                x += 1
    return "".join(parts)


def sheet() -> str:
    files = builtin_figure_files()
    figures = [(f.stem, load_figure(f)) for f in files]
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
        out.append(
            f'<text x="{PAD}" y="{y + 36}" fill="#7f849c" font-size="9">'
            f"{escape(figure.title[:30])}</text>"
        )
        for col, (label, pose, breath) in enumerate(_columns(figure)):
            x = LABEL_W + col * CELL_W
            out.append(
                f'<text x="{x}" y="{y + 10}" fill="#a6adc8" font-size="10">{escape(label)}</text>'
            )
            dots = _path(_raster(figure, pose, breath), x, y + 16)
            out.append(f'<path fill="#89b4fa" d="{dots}"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def text(only: str | None) -> None:
    from breathpace.figures.render import to_braille

    for f in builtin_figure_files():
        if only and f.stem != only:
            continue
        figure = load_figure(f)
        for label, pose, breath in _columns(figure):
            print(f"== {f.stem}: {label}")
            print("\n".join(to_braille(_raster(figure, pose, breath))))


if __name__ == "__main__":
    if "--text" in sys.argv:
        args = [a for a in sys.argv[1:] if a != "--text"]
        text(args[0] if args else None)
    else:
        OUT.write_text(sheet(), encoding="utf-8")
        print(f"wrote {OUT}")
