"""Figure files: every built-in one is valid, and every broken one fails in exact words.

Each file in `broken/figures/` has one (or a few) mistakes an author could make; its
lines are in `broken_messages.toml`, asserted exactly, through the real command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main
from breathpace.figures.load import MAX_FILE_BYTES, FigureError, load_figure
from breathpace.figures.model import JOINTS
from breathpace.library import builtin_figure_files, data_dir, find_figure, load_figure_named

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken" / "figures"
MESSAGES: dict[str, list[str]] = tomllib.loads((HERE / "broken_messages.toml").read_text("utf-8"))
FILES = sorted(BROKEN.glob("*.toml"))
ROOT = HERE.parents[1]


def test_the_corpus_and_its_messages_match():
    assert len(FILES) >= 20
    assert {p.name for p in FILES} == set(MESSAGES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_broken_figure_gives_its_exact_lines(path: Path):
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == "".join(f"error: {path}: {line}\n" for line in MESSAGES[path.name])
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_load_figure_raises_the_same_lines(path: Path):
    with pytest.raises(FigureError) as info:
        load_figure(path)
    assert info.value.problems == MESSAGES[path.name]


@pytest.mark.slow
def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path):
    big = tmp_path / "figures" / "huge.toml"
    big.parent.mkdir()
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    proc = subprocess.run(
        [sys.executable, "-m", "breathpace", "check", str(big)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == f"error: {big}: file is larger than {MAX_FILE_BYTES:,} bytes\n"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "figures" / "pipe.toml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "breathpace", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == f"error: {fifo}: is not a regular file\n"


def test_a_figure_outside_a_figures_folder_is_known_by_its_poses(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text('format = 1\ntitle = "Mine"\n[poses.start]\nhip_l = { flex = 30 }\n')
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {path}: Mine (poses: start)\n"


def test_every_builtin_figure_is_valid_and_has_a_start_pose():
    files = builtin_figure_files()
    assert len(files) >= 30
    result = CliRunner().invoke(main, ["check", *map(str, files)])
    assert result.exit_code == 0, result.output
    for path in files:
        figure = load_figure(path)
        assert "start" in figure.poses
        for pose in figure.poses:
            assert set(figure.angles(pose)) == {"body", *JOINTS}


def test_figures_are_found_from_the_checkout(tmp_path: Path):
    assert data_dir("figures") == ROOT / "figures"
    assert find_figure("clamshell") == ROOT / "figures" / "clamshell.toml"
    # A path is taken relative to the routine's folder.
    assert find_figure("mine/x.toml", relative_to=tmp_path) == tmp_path / "mine" / "x.toml"
    with pytest.raises(FigureError) as info:
        load_figure_named("clamshel")
    assert info.value.problems == ['no figure of that name (did you mean "clamshell"?)']


def test_the_wheel_packs_the_figures():
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    config = tomllib.loads(text)
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["figures"] == "breathpace/_data/figures"


def test_the_readme_figure_example_passes_check(tmp_path: Path):
    """The example in the README's Figures section is a figure `check` accepts: its
    contacts rest and its limit holds."""
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index('title = "Glute bridge, seen from the side"')
    begin = readme.rindex("```toml", 0, start) + len("```toml")
    text = readme[begin : readme.index("```", start)]
    path = tmp_path / "figures" / "example.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    figure = load_figure(path)
    assert figure.poses["top"].contacts is not None and figure.poses["top"].limits


def _many_poses(count: int, padding: int = 0) -> str:
    poses = "".join(f"[poses.p{i}]\nhip_l = {{ flex = 10 }}\n" for i in range(count))
    return (
        'format = 1\ntitle = "Many"\n[poses.start]\nbody = { pitch = 90 }\n'
        + poses
        + "#" * padding
        + "\n"
    )


@pytest.mark.parametrize(
    ("count", "padding", "line"),
    [
        (10_000, 0, "poses: at most 24 poses in a figure (found 10,001)"),
        (30, 0, "poses: at most 24 poses in a figure (found 31)"),
        (10, 1_000_000, f"file is larger than {MAX_FILE_BYTES:,} bytes"),
    ],
    ids=["10000-poses-358-kb", "31-poses", "over-1-mb"],
)
def test_check_and_figure_give_the_same_one_line_whatever_the_size(
    tmp_path: Path, count: int, padding: int, line: str
):
    # One limit for every TOML file: a figure between the old figure limit and the
    # routine limit is judged as a figure, not as a routine missing its exercises.
    path = tmp_path / "many.toml"
    path.write_text(_many_poses(count, padding), "utf-8")
    check = CliRunner().invoke(main, ["check", str(path)])
    figure = CliRunner().invoke(main, ["figure", str(path)])
    assert check.exit_code == figure.exit_code == 2
    assert check.stderr == f"error: {path}: {line}\n"
    assert figure.stderr == f"breathpace: {path}: {line}\n"
