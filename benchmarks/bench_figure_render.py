"""Time to draw one figure frame: interpolate the angles, place the joints, rasterise
and turn the raster into braille cells (what the player will do per redraw).

Prints the median per frame in microseconds for a few sizes, over every pose of every
built-in figure. Run from the repository root:

    python benchmarks/bench_figure_render.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from breathpace.figures.load import load_figure
from breathpace.figures.motion import phase_angles
from breathpace.figures.render import figure_frame, render_cells
from breathpace.figures.skeleton import flatten
from breathpace.library import builtin_figure_files

SIZES = [(24, 12), (32, 12), (40, 16)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    figures = [load_figure(p) for p in builtin_figure_files()]
    frames = [(f, figure_frame(f)) for f in figures]
    for cols, rows in SIZES:
        times = []
        for _ in range(args.repeats):
            for fig, frame in frames:
                start = flatten(fig, "start")
                for pose in fig.poses:
                    t0 = time.perf_counter()
                    angles = phase_angles(start, flatten(fig, pose), 1500, 4000)
                    render_cells(fig, angles, cols, rows, frame=frame)
                    times.append(time.perf_counter() - t0)
        print(
            f"{cols}x{rows} cells: median {statistics.median(times) * 1e6:.0f} µs per frame "
            f"({len(times)} frames)"
        )
    t0 = time.perf_counter()
    for fig in figures:
        figure_frame(fig)
    print(
        f"figure_frame (once per figure): {(time.perf_counter() - t0) / len(figures) * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
