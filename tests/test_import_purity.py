"""The pure core and the authoring commands load no Textual, no audio library, no numpy.

`routine/` and `timeline/` must stay pure, and `check`/`preview` must start fast and work
where no sound library can load. Each probe runs in a fresh interpreter, because this
test process has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLUTE_BRIDGE = ROOT / "routines" / "glute-bridge.toml"
#: The track encoders, tagging and imaging: only for writing a track.
ENCODERS = ("lameenc", "mutagen", "PIL", "soundfile", "feedparser")
HEAVY = ("textual", "miniaudio", "simpleaudio", "numpy", "sounddevice", "pyaudio", *ENCODERS)
#: What loads OpenSSL's libcrypto (a few MB): hashing, TLS, the web client. (`secrets`
#: itself is in `sys.modules` as its stand-in, see `breathpace.deferred_modules`.)
OPENSSL = ("hmac", "hashlib", "_hashlib", "ssl", "_ssl", "http")
NO_UI_OR_AUDIO = ("textual", "miniaudio", "simpleaudio", "sounddevice", "pyaudio")
PROBE = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""


def loaded_after(body: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def heavy_in(modules: set[str], names=HEAVY) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


@pytest.mark.slow
def test_probe_can_see_a_heavy_import():
    """The probe itself works: importing numpy shows up."""
    assert "numpy" in heavy_in(loaded_after("import numpy"))


@pytest.mark.parametrize(
    "module",
    [
        "breathpace.routine.model",
        "breathpace.routine.pattern",
        "breathpace.routine.load",
        "breathpace.routine.lint",
        "breathpace.routine.schema",
        "breathpace.timeline",
        "breathpace.library",
        "breathpace.commands.check",
        "breathpace.commands.preview",
    ],
)
@pytest.mark.slow
def test_importing_the_core_loads_nothing_heavy(module: str):
    modules = loaded_after(f"import {module}")
    assert module in modules
    assert heavy_in(modules) == []
    assert not [m for m in modules if m.startswith(("breathpace.tui", "breathpace.audio"))]


def _run_command(args: list[str]) -> str:
    return f"""
import runpy
sys.argv = ["breathpace", *{args!r}]
try:
    runpy.run_module("breathpace", run_name="__main__")
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
"""


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(GLUTE_BRIDGE)],
        ["preview", "glute-bridge"],
        ["preview", "glute-bridge", "--json"],
    ],
    ids=["check", "preview", "preview-json"],
)
@pytest.mark.slow
def test_check_and_preview_load_no_ui_audio_or_numpy(args: list[str]):
    modules = loaded_after(_run_command(args))
    assert "breathpace.commands." + ("check" if args[0] == "check" else "preview") in modules
    assert heavy_in(modules) == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [["list"], ["schema"], ["--help"]])
def test_other_authoring_commands_load_no_ui_or_audio(args: list[str]):
    modules = loaded_after(_run_command(args))
    assert heavy_in(modules, NO_UI_OR_AUDIO) == []


@pytest.mark.slow
def test_importtime_of_the_real_command_shows_no_heavy_module():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "breathpace", "check", str(GLUTE_BRIDGE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    # The lazy group imports the command module with importlib, which -X importtime does
    # not time; the modules that command imports with `import` are listed.
    assert {"breathpace.library", "breathpace.routine.lint"} <= imported
    assert heavy_in(imported) == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [["render", "--help"], ["feed", "--help"]])
def test_render_and_feed_load_the_encoders_only_when_writing(args: list[str]):
    modules = loaded_after(_run_command(args))
    assert "breathpace.commands." + args[0] in modules
    assert heavy_in(modules, ENCODERS) == []


def _run_script(args: list[str]) -> str:
    """As the installed `breathpace` script runs: no runpy, which itself imports
    importlib.util and so once hid a missing import of it in cli.py."""
    return f"""
from breathpace.cli import main
sys.argv = ["breathpace", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
"""


#: What `list` and `check` never need: the player, the screen, sound, the journal.
NOT_FOR_AUTHORING = (
    "breathpace.tui",
    "breathpace.audio",
    "breathpace.session",
    "breathpace.player",
    "breathpace.journal",
    "breathpace.plain",
)


#: What `list` loads for the effective dose (and no more of those packages).
LIST_DOSE = (
    "breathpace.audio",
    "breathpace.audio.backends",
    "breathpace.journal",
    "breathpace.journal.db",
    "breathpace.journal.dose",
    "breathpace.journal.suggest",
    "breathpace.session",
    "breathpace.session.dose",
    "breathpace.session.errors",
    "breathpace.session.options",
    "breathpace.session.routines",
    "breathpace.session.values",
)


@pytest.mark.slow
def test_help_loads_neither_pydantic_nor_any_routine_code():
    modules = loaded_after(_run_script(["--help"]))
    assert "click" in modules
    assert heavy_in(modules, (*HEAVY, "pydantic", "pydantic_core", "tomllib")) == []
    assert not [
        m
        for m in modules
        if m.startswith("breathpace.")
        and m not in ("breathpace.cli", "breathpace.commands", "breathpace.deferred_modules")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("args", [["list"], ["check", str(GLUTE_BRIDGE)]], ids=["list", "check"])
def test_list_and_check_load_only_what_they_use(args: list[str]):
    modules = loaded_after(_run_script(args))
    assert "breathpace.routine.model" in modules  # the probe ran the command
    assert heavy_in(modules) == []
    # `list` shows lengths at the effective dose (the accepted dose from the
    # journal and the personal pace from the settings, as `play` uses them), so it
    # reads the journal and the settings (whose backend names come from the light
    # registry in audio.backends); nothing else of the session, sound or screen.
    dose = LIST_DOSE if args[0] == "list" else ()
    assert not [m for m in modules if m.startswith(NOT_FOR_AUTHORING) and m not in dose]
    # pydantic's optional parts: validating routines needs none of them.
    extras = ("pydantic.type_adapter", "pydantic.networks", "email_validator")
    extras += () if args[0] == "list" else ("sqlite3",)
    assert not [m for m in modules if m.startswith(extras)]
    # The JSON schema's descriptions are read only by `schema`.
    assert "breathpace.routine.schema" not in modules


SILENT_ROUTINE = """\
format = 1
title = "Two seconds"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Pelvic tilt"
reps = 1
phases = [
  { move = "tilt", breath = "exhale", seconds = 1, effort = true },
  { move = "release", breath = "inhale", seconds = 1 },
]
"""


@pytest.mark.slow
@pytest.mark.parametrize("command", ["play", "breathe"])
def test_a_silent_plain_session_loads_no_numpy_sound_library_or_textual(tmp_path, command):
    """`--plain --audio none` plays nothing and draws no screen: the theme's samples
    are not decoded and the player renders no sound, so numpy is never imported."""
    routine = tmp_path / "two-seconds.toml"
    routine.write_text(SILENT_ROUTINE, "utf-8")
    chosen = [str(routine)] if command == "play" else ["1-0-1-0", "--cycles", "1"]
    modules = loaded_after(_run_script([command, *chosen, "--plain", "--audio", "none"]))
    assert "breathpace.plain" in modules  # the probe played the session
    assert heavy_in(modules) == []
    # Nor OpenSSL (pydantic imports `secrets` for secret strings, which no session
    # compares; hashing, the web and TLS have no part in a session).
    assert heavy_in(modules, OPENSSL) == []
    assert "urllib.request" not in modules
    # Nor pydantic's plugin look-up (every package's metadata, with `email` and `zipfile`):
    # breathpace turns pydantic's plugins off.
    assert heavy_in(modules, ("email", "zipfile", "csv")) == []


@pytest.mark.slow
def test_opening_miniaudio_loads_no_web_client_until_it_is_used():
    body = """
from breathpace.audio.backends.miniaudio_backend import _miniaudio
miniaudio = _miniaudio()
quiet = [m for m in ("ssl", "http.client", "email.parser") if m in sys.modules]
assert not quiet, quiet
assert miniaudio.urllib.request.Request.__name__ == "Request"  # still works when used
assert "http.client" in sys.modules
"""
    assert "miniaudio" in loaded_after(body)
