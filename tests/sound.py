"""Whether a PulseAudio server answers, for the tests that play through one.

A folder is not a server: `/tmp/breathpace-pulse-runtime` stays behind after its
server has gone (or exists on a machine where none was ever started), so the tests ask
the server itself (`pactl info`) and skip, with the reason, when nothing answers. In CI
(`CI=true`) such a skip is a failure (tests/conftest.py), so CI cannot pass without its
sound tests.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

#: The runtime folder `.ci/start-pulse.sh` starts the test server in.
PULSE_RUNTIME = os.environ.get("BREATHPACE_PULSE_RUNTIME", "/tmp/breathpace-pulse-runtime")
#: Said when no server answers.
NO_SERVER = (
    f"no PulseAudio server answers `pactl info` in {PULSE_RUNTIME} "
    "(start one with `bash .ci/start-pulse.sh`)"
)
#: simpleaudio 1.0.4, the last release (the project is archived), crashes the
#: interpreter after a sound ends on Python 3.12 and later
#: (github.com/hamiltron/py-simple-audio/issues/72), so its tests run on 3.11 only.
SIMPLEAUDIO_PY312 = "simpleaudio 1.0.4 crashes the interpreter on Python 3.12+"
SIMPLEAUDIO_BROKEN = sys.version_info >= (3, 12)


def answers(runtime: str) -> bool:
    """True when a PulseAudio server in `runtime` answers `pactl info`."""
    if shutil.which("pactl") is None or not os.path.isdir(runtime):
        return False
    env = dict(os.environ, XDG_RUNTIME_DIR=runtime)
    env.pop("PULSE_SERVER", None)
    try:
        done = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@functools.cache
def pulse_runtime() -> str | None:
    """The runtime folder of the test server when it answers, else None."""
    return PULSE_RUNTIME if answers(PULSE_RUNTIME) else None
