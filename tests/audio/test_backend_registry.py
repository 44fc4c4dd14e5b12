"""One registry of backends: the names click, the settings file and `devices` use."""

from __future__ import annotations

import subprocess
import sys
import typing

import click
import pytest
from click.testing import CliRunner

from breathpace.audio.backends import (
    KINDS,
    REGISTRY,
    BackendError,
    Capabilities,
    listing_entries,
    open_backend,
)
from breathpace.settings import Settings


def _audio_choices(command: click.Command) -> tuple[str, ...]:
    option = next(p for p in command.params if p.name == "audio")
    return tuple(option.type.choices)


def test_every_place_names_the_same_backends():
    from breathpace.commands.breathe import breathe_cmd
    from breathpace.commands.capsule import capsule_cmd
    from breathpace.commands.play import play_cmd

    assert ("auto", *REGISTRY) == KINDS
    for command in (play_cmd, breathe_cmd, capsule_cmd):
        assert _audio_choices(command) == KINDS
    assert typing.get_args(Settings.model_fields["audio"].annotation) == KINDS


def test_each_backend_class_declares_the_registry_capabilities():
    from breathpace.audio.backends.silent import SilentBackend

    assert SilentBackend.capabilities is REGISTRY["none"].capabilities
    assert not SilentBackend.capabilities.renders
    for name in ("miniaudio", "simpleaudio"):
        module = pytest.importorskip(REGISTRY[name].module)
        cls = next(
            v
            for v in vars(module).values()
            if getattr(v, "name", None) == name and isinstance(v, type)
        )
        assert cls.capabilities is REGISTRY[name].capabilities
        assert isinstance(cls.capabilities, Capabilities) and cls.capabilities.renders
    assert REGISTRY["simpleaudio"].capabilities.discards_ahead
    assert not REGISTRY["miniaudio"].capabilities.discards_ahead
    assert [e.name for e in listing_entries()] == ["miniaudio"]


def test_an_unknown_backend_is_one_line_naming_the_choices():
    with pytest.raises(BackendError) as info:
        open_backend("jack")
    assert str(info.value) == (
        "unknown audio backend 'jack' (choose from auto, miniaudio, simpleaudio, none)"
    )


def test_none_is_the_silent_backend_with_a_notice():
    backend, notice = open_backend("none")
    assert backend.name == "silent" and notice.startswith("Sound is off")


@pytest.mark.slow
def test_the_registry_imports_no_sound_library_or_numpy():
    probe = (
        "import sys, breathpace.audio.backends as b, breathpace.settings; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'miniaudio', 'simpleaudio')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_devices_lists_through_the_registry(monkeypatch):
    from breathpace.commands.devices import devices_cmd

    entry = REGISTRY["miniaudio"]
    module = pytest.importorskip(entry.module)
    monkeypatch.setattr(
        module,
        entry.lister,
        lambda: [{"index": 0, "name": "Speakers", "backend": "Test"}],
    )
    result = CliRunner().invoke(devices_cmd, [])
    assert result.exit_code == 0
    assert result.output == "Playback devices (Test):\n  0  Speakers\n"
