"""Where breathpace keeps the person's own files: routines, settings and the journal.

platformdirs gives the platform's conventional folders (on Linux it honours
XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and XDG_RUNTIME_DIR, which is also how
the tests isolate themselves).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "breathpace"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_routines_dir() -> Path:
    return config_dir() / "routines"


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def journal_file() -> Path:
    return data_dir() / "journal.sqlite3"


def pending_dir() -> Path:
    """Sessions the journal could not take wait here (the person's state folder: kept
    across a restart, and nobody else's to write in, unlike the shared /tmp)."""
    return Path(platformdirs.user_state_dir(APP, appauthor=False)) / "pending"


def runtime_pending_dir() -> Path | None:
    """The second place for them, in the person's runtime folder (a memory file system
    on Linux, so it still takes a session when the disk is full), when there is one."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if not base or not os.path.isabs(base):
        return None
    return Path(base) / APP / "pending"
