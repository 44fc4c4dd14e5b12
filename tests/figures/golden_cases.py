"""The golden frames: (figure, pose, cols, rows, mirror, breath), shared by the test and
the script that rewrites them after a deliberate change to the drawing."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [
    ("glute-bridge", "top", 32, 12, False, 0.0),
    ("clamshell", "open", 24, 12, False, 0.0),
    ("clamshell", "open", 24, 12, True, 0.0),
    ("knee-rolls", "left", 40, 16, False, 0.0),
    ("open-book", "open", 32, 12, False, 0.0),
    ("resting-breath", "start", 40, 16, False, 1.0),
    ("cat-cow", "cat", 32, 12, False, 0.0),
]


def golden_path(figure: str, pose: str, cols: int, rows: int, mirror: bool, breath: float):
    side = "-mirror" if mirror else ""
    inhale = f"-breath{breath:g}" if breath else ""
    return GOLDEN / f"{figure}-{pose}-{cols}x{rows}{side}{inhale}.txt"


if __name__ == "__main__":  # python tests/figures/golden_cases.py: rewrite the frames
    from breathpace.figures.render import render_pose
    from breathpace.library import load_figure_named

    for case in CASES:
        figure, pose, cols, rows, mirror, breath = case
        fig = load_figure_named(figure)
        text = "\n".join(render_pose(fig, pose, cols, rows, mirror=mirror, breath=breath))
        golden_path(*case).write_text(text + "\n", encoding="utf-8")
        print("wrote", golden_path(*case))
