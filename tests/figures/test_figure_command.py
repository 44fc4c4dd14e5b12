"""`breathpace figure`: the renderer reached from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from golden_cases import golden_path

from breathpace.cli import main
from breathpace.library import builtin_figure_files


def run(*args: str):
    return CliRunner().invoke(main, ["figure", *args])


def test_without_a_name_it_lists_every_builtin_figure_and_its_poses():
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(builtin_figure_files())
    assert "  clamshell             start, open" in lines


def test_it_draws_a_pose_exactly_as_the_golden_frame():
    result = run("clamshell", "--pose", "open", "--size", "24x12", "--side", "right")
    assert result.exit_code == 0, result.output
    golden = golden_path("clamshell", "open", 24, 12, True, 0.0).read_text("utf-8")
    expected = [line.rstrip() for line in golden.rstrip("\n").split("\n")]
    assert result.stdout.splitlines() == [
        "Clamshell, on the left side, seen from the front",
        "",
        "open:",
        *expected,
    ]


def test_bad_names_poses_and_sizes_are_one_line_and_exit_2():
    assert run("clamshel").exit_code == 2
    assert run("clamshel").stderr == (
        'breathpace: clamshel: no figure of that name (did you mean "clamshell"?)\n'
    )
    result = run("clamshell", "--pose", "opn")
    assert result.exit_code == 2
    assert result.stderr == 'breathpace: clamshell: no pose "opn" (poses: start, open)\n'
    result = run("clamshell", "--size", "1000x3")
    assert result.exit_code == 2
    assert "the size must be between 12x6 and 200x80" in result.stderr
