"""`check` warns, and still passes, when a valid routine goes against the breath rules.

The method says: exhale through the effort, and never hold the breath for longer than
one breath. A routine that breaks either is still playable (the author may know
better), so these are warnings with exit status 0, each naming the item and field.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from breathpace.cli import main

HEAD = 'format = 1\ntitle = "Warned"\npace = "4-0-6-0"\n'


def check(path: Path):
    return CliRunner().invoke(main, ["check", str(path)])


def write(tmp_path: Path, body: str, name: str = "warned.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, "utf-8")
    return path


def warnings_of(result) -> list[str]:
    return result.stderr.splitlines()


def test_effort_tied_to_an_inhale_or_a_hold(tmp_path: Path):
    path = write(
        tmp_path,
        """
[[exercise]]
name = "Push"
phases = [
  { move = "push", breath = "inhale", breaths = 1, effort = true },
  { move = "brace", breath = "hold", seconds = 2, effort = true },
  { move = "back", breath = "exhale", breaths = 1 },
]
""",
    )
    result = check(path)
    assert result.exit_code == 0
    assert warnings_of(result) == [
        f'warning: {path}: exercise 1 "Push": phases[1]: the effort phase is tied to an inhale;'
        " exhale through the effort",
        f'warning: {path}: exercise 1 "Push": phases[2]: the effort phase is tied to a hold;'
        " exhale through the effort",
    ]
    assert result.stdout == f"ok: {path}: Warned (2 warnings)\n"


def test_tempo_effort_on_an_inhale(tmp_path: Path):
    path = write(
        tmp_path,
        '\n[[exercise]]\nname = "Bridge"\ntempo = "3-0-2-0"\neffort_breath = "inhale"\n',
    )
    result = check(path)
    assert result.exit_code == 0
    assert warnings_of(result) == [
        f'warning: {path}: exercise 1 "Bridge": effort_breath: the effort (concentric) is tied'
        " to an inhale; exhale through the effort"
    ]


def test_effort_with_the_default_breath_is_not_warned(tmp_path: Path):
    path = write(
        tmp_path,
        """
[[exercise]]
name = "Tilt"
phases = [{ move = "tilt", breaths = 1, effort = true }, { move = "release", breaths = 1 }]

[[exercise]]
name = "Bridge"
tempo = "3-0-2-0"
effort = "eccentric"
""",
    )
    result = check(path)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"ok: {path}: Warned\n"


def test_a_hold_in_seconds_longer_than_one_breath(tmp_path: Path):
    long_hold = (
        "longer than one breath at the pace (10 s); give it as breaths = N so it becomes "
        "whole breath cycles"
    )
    path = write(
        tmp_path,
        """
[[exercise]]
name = "Plank"
phases = [
  { move = "lift", breaths = 1, effort = true },
  { move = "hold", breath = "hold", seconds = 12 },
  { move = "stay", breath = "hold", seconds = 10 },
]

[[exercise]]
name = "Bridge"
tempo = "3-11-2-0"
hold_top = { seconds = 10.5 }
""",
    )
    result = check(path)
    assert result.exit_code == 0
    assert warnings_of(result) == [
        f'warning: {path}: exercise 1 "Plank": phases[2]: a hold of 12 s is {long_hold}',
        f'warning: {path}: exercise 2 "Bridge": hold_top: a hold of 10.5 s is {long_hold}',
        f'warning: {path}: exercise 2 "Bridge": tempo: a hold of 11 s is {long_hold}',
    ]


def test_a_hold_of_exactly_one_breath_or_in_breaths_is_fine(tmp_path: Path):
    path = write(
        tmp_path,
        """
[[exercise]]
name = "Plank"
phases = [
  { move = "lift", breaths = 1, effort = true },
  { move = "hold", breath = "hold", seconds = 10 },
  { move = "stay", breath = "hold", breaths = 5 },
]
""",
    )
    result = check(path)
    assert (result.exit_code, result.stderr) == (0, "")


def test_next_level_naming_no_routine(tmp_path: Path):
    path = write(
        tmp_path,
        'next_level = "no-such-routine"\n\n[[exercise]]\nname = "Bridge"\ntempo = "3-0-2-0"\n'
        'next_level = "bridge-level-9"\n',
    )
    result = check(path)
    assert result.exit_code == 0
    assert warnings_of(result) == [
        f'warning: {path}: next_level: no routine named "no-such-routine"',
        f'warning: {path}: exercise 1 "Bridge": next_level: no routine named "bridge-level-9"',
    ]
    assert result.stdout == f"ok: {path}: Warned (2 warnings)\n"


def test_next_level_found_built_in_user_or_next_to_the_file(
    tmp_path: Path, user_routines_dir: Path
):
    (user_routines_dir / "my-bridge-2.toml").write_text(HEAD, "utf-8")
    (tmp_path / "sibling-level.toml").write_text(HEAD, "utf-8")
    path = write(
        tmp_path,
        """next_level = "single-leg-bridge"

[[exercise]]
name = "A"
tempo = "3-0-2-0"
next_level = "my-bridge-2"

[[exercise]]
name = "B"
tempo = "3-0-2-0"
next_level = "sibling-level"
""",
    )
    result = check(path)
    assert (result.exit_code, result.stderr) == (0, "")


def test_quiet_prints_only_warnings(tmp_path: Path):
    path = write(
        tmp_path,
        '\n[[exercise]]\nname = "Bridge"\ntempo = "3-0-2-0"\neffort_breath = "hold"\n',
    )
    result = CliRunner().invoke(main, ["check", "--quiet", str(path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(warnings_of(result)) == 1
    assert "tied to a hold" in result.stderr
