"""Run breathpace as a user who cannot read other people's files.

Root can read any file, so a test of "this file cannot be read" runs its process as
`nobody` when the tests run as root (CI always does). `nobody` must then be able to
import breathpace: the checkout the editable install points at may sit in a folder only
root can enter (`/root/...`), so the package and its data are copied to a folder anyone
can read and put first on `PYTHONPATH`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import breathpace

_CHECKOUT = Path(breathpace.__file__).resolve().parent.parent
_COPIED = ("breathpace", "routines", "sounds", "figures", "routine.schema.json")


def as_nobody(base: Path) -> tuple[list[str], dict[str, str]]:
    """The command prefix and extra environment that run `python -m breathpace` as a user
    who cannot read others' files. BASE is a folder anyone can enter; a copy of the
    package goes under it when one is needed."""
    if os.geteuid() != 0:
        return [], {}  # already such a user
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv to run as another user")
    source = base / "importable"
    source.mkdir()
    package = Path(breathpace.__file__).resolve().parent
    if (package / "_data").is_dir():
        shutil.copytree(package, source / "breathpace")  # an installed wheel: data inside
    else:
        for name in _COPIED:
            found = _CHECKOUT / name
            if found.is_dir():
                shutil.copytree(found, source / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif found.is_file():
                shutil.copy2(found, source / name)
    for folder, _dirs, files in os.walk(source):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return prefix, {"PYTHONPATH": str(source), "PYTHONDONTWRITEBYTECODE": "1"}
