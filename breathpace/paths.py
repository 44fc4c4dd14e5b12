"""Where breathpace keeps the person's own files: routines, settings and the journal.

platformdirs gives the platform's conventional folders (on Linux it honours
XDG_CONFIG_HOME and XDG_DATA_HOME, which is also how the tests isolate themselves).
"""

from __future__ import annotations

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
