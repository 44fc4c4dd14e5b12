"""One rule for every pace a person chooses: a breath of 2 to 60 s, whether typed for
`pace`, given as `--pace` to `play`, `preview` or `render`, or kept in settings.toml.

The stories: `--pace 0.1-0-0.1-0` would ask for 300 breaths a minute (panting, not a
pace to move with) and is refused in the same words `pace` uses; a settings file that
holds a pace of the wrong type does not lock the person out of `pace --reset`, the way
out of it.
"""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from breathpace import paths
from breathpace.cli import main

RULE = "a pace is a breath of 2 to 60 s (this one is 0.2 s)"


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (["pace", "0.1-0-0.1-0"], "PACE"),
        (["play", "pelvic-tilts", "--plain", "--pace", "0.1-0-0.1-0"], "--pace"),
        (["preview", "pelvic-tilts", "--pace", "0.1-0-0.1-0"], "--pace"),
    ],
    ids=["pace", "play", "preview"],
)
def test_a_breath_of_a_fifth_of_a_second_is_refused_alike(args, prefix):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr == f'breathpace: {prefix}: {RULE} (found "0.1-0-0.1-0")\n'
    assert not paths.settings_file().exists()


def test_a_minute_long_breath_is_the_slowest_allowed():
    assert (
        CliRunner().invoke(main, ["preview", "pelvic-tilts", "--pace", "30-0-30-0"]).exit_code == 0
    )
    slower = CliRunner().invoke(main, ["preview", "pelvic-tilts", "--pace", "30-0-31-0"])
    assert slower.exit_code == 2 and "this one is 61 s" in slower.stderr


@pytest.mark.parametrize(
    ("held", "shown"),
    [("pace = 5", '"5"'), ('pace = "0.1-0-0.1-0"', '"0.1-0-0.1-0"'), ('pace = ["4"]', "\"['4']\"")],
    ids=["number", "too-fast", "list"],
)
def test_reset_clears_a_pace_the_file_cannot_hold_and_keeps_the_rest(held, shown):
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"{held}\nvolume = 0.4\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["pace"])
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    reset = CliRunner().invoke(main, ["pace", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert reset.stdout.startswith(f"Cleared your personal pace {shown} (in {settings}).")
    kept = tomllib.loads(settings.read_text("utf-8"))
    assert "pace" not in kept and kept["volume"] == 0.4
    assert CliRunner().invoke(main, ["pace"]).exit_code == 0


def test_reset_with_another_key_wrong_names_that_key():
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('pace = 5\nvolume = "loud"\n', encoding="utf-8")
    reset = CliRunner().invoke(main, ["pace", "--reset"])
    assert reset.exit_code == 2
    assert reset.stderr.startswith(f"breathpace: {settings}: volume: ")
    assert settings.read_text("utf-8") == 'pace = 5\nvolume = "loud"\n'
