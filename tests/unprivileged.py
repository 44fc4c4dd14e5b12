"""Run breathpace as a user to whom file permissions apply.

Root reads any file, so a test of "this file cannot be read" would pass vacuously as root
(CI always is). Switching to `nobody` fails another way: the checkout and the virtual
environment may sit in folders only root can enter. So root keeps its identity and gives
up only the two capabilities that override file permissions: its files are then guarded
by their mode bits, exactly as an ordinary user's are.
"""

from __future__ import annotations

import os
import shutil

import pytest

_OVERRIDES = "-dac_override,-dac_read_search"


def bound_by_permissions() -> list[str]:
    """The command prefix under which a process obeys file mode bits (empty when it
    already does)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv to give up root's file-permission override")
    return [setpriv, f"--bounding-set={_OVERRIDES}", f"--inh-caps={_OVERRIDES}"]
