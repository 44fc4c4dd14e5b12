"""A module breathpace defers (`breathpace.deferred_modules`) is the real module to
whoever uses it: a stand-in until then, replaced by the real one at the first name read
or the first call of a function imported from it. pydantic looks for no plugins unless
the person asks for them.

Each probe runs in a fresh interpreter: this test process imported everything long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from breathpace.deferred_modules import LoadedOnFirstUse, defer, load


def run(body: str, env: dict[str, str] | None = None) -> dict:
    # This process imported breathpace, which set PYDANTIC_DISABLE_PLUGINS: not inherited.
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    proc = subprocess.run(
        [sys.executable, "-c", body],
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.slow
def test_pydantic_loads_without_openssl_and_secret_strings_still_compare():
    found = run(
        """
import json, sys
import breathpace
import pydantic
before = sorted(m for m in ("hmac", "hashlib", "_hashlib") if m in sys.modules)
stand_in = type(sys.modules["secrets"]).__name__
same = pydantic.SecretStr("a") == pydantic.SecretStr("a")
differ = pydantic.SecretStr("a") == pydantic.SecretStr("b")
after = type(sys.modules["secrets"]).__name__
print(json.dumps({"before": before, "stand_in": stand_in, "same": same,
                  "differ": differ, "after": after, "hmac": "hmac" in sys.modules}))
"""
    )
    assert found["before"] == []
    assert found["stand_in"] == "LoadedOnFirstUse"
    assert found["same"] is True
    assert found["differ"] is False
    # Comparing read `secrets.compare_digest`: the real module took the stand-in's place.
    assert found["after"] == "module"
    assert found["hmac"] is True


@pytest.mark.slow
def test_pydantic_looks_for_no_plugins_unless_asked_and_then_finds_them():
    probe = """
import json, sys
import breathpace
import pydantic
class Item(pydantic.BaseModel):
    x: int
assert Item(x=1).x == 1
from importlib.metadata import entry_points
print(json.dumps({"metadata": type(sys.modules["importlib.metadata"]).__name__,
                  "email": "email" in sys.modules}))
"""
    assert run(probe) == {"metadata": "LoadedOnFirstUse", "email": False}
    # A person who wants pydantic's plugins sets the variable empty: they are looked for.
    found = run(probe, {"PYDANTIC_DISABLE_PLUGINS": ""})
    assert found == {"metadata": "module", "email": True}


@pytest.mark.slow
def test_a_deferred_module_works_through_each_way_of_importing_it():
    found = run(
        """
import json, sys
import breathpace
import importlib.metadata
version = importlib.metadata.version("click")
from importlib.metadata import entry_points
scripts = [e.name for e in entry_points(group="console_scripts")]
print(json.dumps({"version": version, "breathpace": "breathpace" in scripts,
                  "real": type(sys.modules["importlib.metadata"]).__name__}))
"""
    )
    from importlib.metadata import version

    assert found["version"] == version("click")
    assert found["breathpace"] is True
    assert found["real"] == "module"


@pytest.mark.slow
def test_importing_a_deferred_module_by_name_gives_its_real_names():
    found = run(
        """
import json, sys
import breathpace
from secrets import token_hex
import secrets
print(json.dumps({"token": len(token_hex(4)), "real": type(secrets).__name__,
                  "hashlib": "hashlib" in sys.modules}))
"""
    )
    assert found == {"token": 8, "real": "module", "hashlib": True}


def test_a_function_imported_by_name_from_a_stand_in_loads_it_when_called(monkeypatch):
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    defer({"colorsys": ("rgb_to_hsv",)})
    from colorsys import rgb_to_hsv

    assert isinstance(sys.modules["colorsys"], LoadedOnFirstUse)
    assert rgb_to_hsv(0.0, 1.0, 0.0) == (1 / 3, 1.0, 1.0)
    assert not isinstance(sys.modules["colorsys"], LoadedOnFirstUse)


def test_a_stand_in_answers_no_dunder_names_so_a_look_over_sys_modules_loads_nothing():
    stand_in = LoadedOnFirstUse("colorsys")
    assert not hasattr(stand_in, "__file__")
    assert not hasattr(stand_in, "__path__")


def test_defer_leaves_an_imported_module_alone_and_load_gives_the_real_one(monkeypatch):
    import colorsys

    monkeypatch.setitem(sys.modules, "colorsys", colorsys)
    defer({"colorsys": ()})
    assert sys.modules["colorsys"] is colorsys
    monkeypatch.setitem(sys.modules, "colorsys", LoadedOnFirstUse("colorsys"))
    real = load("colorsys")
    assert real.__name__ == "colorsys" and not isinstance(real, LoadedOnFirstUse)
    assert sys.modules["colorsys"] is real
    assert real.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
