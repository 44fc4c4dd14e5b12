"""`breathpace --help` and every subcommand's `--help`, each in a fresh interpreter.

A fresh process per call, so no module another test imported can hide a missing import
(the way `importlib.util` once hid a crash of `breathpace --help`). Both ways in are
run: `python -m breathpace` and the installed `breathpace` script.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace.cli import COMMANDS

pytestmark = pytest.mark.slow  # a fresh process per call


def _script() -> str | None:
    beside = Path(sys.executable).with_name("breathpace")
    return str(beside) if beside.exists() else shutil.which("breathpace")


ENTRIES = {
    "python -m": [sys.executable, "-m", "breathpace"],
    "script": [_script()] if _script() else None,
}


@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_runs_in_a_fresh_process(entry: str, command: str | None):
    prefix = ENTRIES[entry]
    if prefix is None:
        pytest.skip("the breathpace script is not installed")
    args = [*prefix, *([command] if command else []), "--help"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("Usage: ")
    if command is None:
        for name in COMMANDS:
            assert f"\n  {name} " in proc.stdout
    else:
        assert f" {command} " in proc.stdout.splitlines()[0] + " "
