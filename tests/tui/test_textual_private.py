"""The terminal driver runs on Textual's own when Textual changed under it, and its
re-entry after a stop sets the modes Textual's own start sets.

`SteadyLinuxDriver` reads private parts of Textual's `LinuxDriver`; each test here
takes one of them away (as a Textual release could) and checks that the app is given
Textual's driver, or that the driver behaves as Textual's, instead of failing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import termios
from typing import ClassVar

import pytest
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

import breathpace.tui
from breathpace.tui import driver as steady
from breathpace.tui.app import BreathpaceApp
from breathpace.tui.driver import SteadyLinuxDriver, choose_driver
from tests.tui.helpers import until


@pytest.fixture
def no_signal_handlers(monkeypatch):
    """Building a Linux driver installs SIGTSTP and SIGCONT handlers: not in a test."""
    monkeypatch.setattr(signal, "signal", lambda *args: None)


def build_driver() -> SteadyLinuxDriver:
    """A driver as the app builds one (Textual's asks for the running loop)."""

    async def build() -> SteadyLinuxDriver:
        return SteadyLinuxDriver(App())

    return asyncio.run(build())


def test_the_app_runs_on_the_steady_driver_when_textual_fits():
    assert steady.fits()
    assert BreathpaceApp().get_driver_class() is SteadyLinuxDriver


@pytest.mark.parametrize("name", steady.TEXTUAL_METHODS)
def test_a_method_textual_no_longer_has_leaves_textuals_driver(monkeypatch, name):
    monkeypatch.setattr(LinuxDriver, name, None, raising=False)  # gone, or not a method
    assert steady.fits() is False
    assert choose_driver(LinuxDriver) is LinuxDriver
    assert BreathpaceApp().get_driver_class() is LinuxDriver


def test_a_driver_built_another_way_leaves_textuals_driver(monkeypatch):
    def init(self, app, console):  # a changed constructor
        pass

    monkeypatch.setattr(LinuxDriver, "__init__", init)
    assert steady.fits() is False
    assert BreathpaceApp().get_driver_class() is LinuxDriver


def test_a_moved_driver_module_leaves_textuals_driver(monkeypatch):
    monkeypatch.setitem(sys.modules, "textual.drivers.linux_driver", None)
    monkeypatch.delitem(sys.modules, "breathpace.tui.driver")
    monkeypatch.setattr(breathpace.tui, "driver", steady)
    import breathpace.tui.driver as fresh

    assert fresh.fits() is False
    assert fresh.choose_driver(LinuxDriver) is LinuxDriver


def test_a_driver_without_the_attributes_it_reads_behaves_as_textuals(
    monkeypatch, no_signal_handlers
):
    """Textual renamed `_auto_restart` (say): the driver must not wrap the terminal file
    nor keep its own application-mode state; every override hands over to Textual."""
    real_init = LinuxDriver.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        del self._auto_restart

    monkeypatch.setattr(LinuxDriver, "__init__", init)
    driver = build_driver()
    assert driver._steady is False
    assert not isinstance(driver._file, steady.TerminalFile)
    called = []
    monkeypatch.setattr(LinuxDriver, "start_application_mode", lambda self: called.append("start"))
    monkeypatch.setattr(LinuxDriver, "stop_application_mode", lambda self: called.append("stop"))
    driver.start_application_mode()
    driver.start_application_mode()  # Textual's own would enter twice: so does this
    driver.stop_application_mode()
    assert called == ["start", "start", "stop"]


def test_reentering_after_a_stop_sets_the_modes_textuals_start_sets(no_signal_handlers):
    """Continued after SIGSTOP, the driver sets the terminal up again without a second
    set of threads. It must ask for what Textual's start asks for, including the
    synchronized-output query and in-band resize (added to Textual in 8.x)."""
    leader, follower = os.openpty()
    try:
        driver = build_driver()
        driver.fileno = follower
        driver.input_tty = True
        driver.attrs_before = termios.tcgetattr(follower)
        written: list[str] = []
        driver.write = written.append  # type: ignore[method-assign]
        driver.flush = lambda: None  # type: ignore[method-assign]
        driver._reenter()
        out = "".join(written)
        raw = termios.tcgetattr(follower)
    finally:
        os.close(leader)
        os.close(follower)
    for mode in (
        "\x1b[?1049h",  # alternate screen
        "\x1b[?1000h",  # mouse
        "\x1b[?25l",  # cursor hidden
        "\x1b[?1004h",  # focus events
        "\x1b[?2026$p",  # does the terminal synchronise output?
        "\x1b[?2048$p",  # does it report its size in band?
        "\x1b[?2004h",  # bracketed paste
        "\x1b[?7l",  # no line wrap
    ):
        assert mode in out, repr(mode)
    assert out.count("\x1b[<u") == 1 and out.index("\x1b[<u") < out.index("\x1b[>")
    assert not raw[3] & (termios.ECHO | termios.ICANON)  # raw again


def test_the_fast_lanes_idle_steps_leave_a_changed_textual_alone():
    """tests/conftest.py makes Textual's pilot judge idleness in finer steps through
    private numbers; a Textual without them (or with other types) is left as it is."""
    import types

    import textual._wait as wait  # the installed Textual still has both numbers

    from tests.conftest import _IDLE_STEP_S, finer_idle_steps

    assert all(isinstance(getattr(wait, n), float) for n in ("SLEEP_GRANULARITY", "SLEEP_IDLE"))
    moved = types.SimpleNamespace(SLEEP_GRANULARITY=1 / 50)  # SLEEP_IDLE gone
    assert finer_idle_steps(moved) is False
    assert vars(moved) == {"SLEEP_GRANULARITY": 1 / 50}
    known = types.SimpleNamespace(SLEEP_GRANULARITY=1 / 50, SLEEP_IDLE=1 / 1000)
    assert finer_idle_steps(known) is True
    assert known.SLEEP_GRANULARITY == _IDLE_STEP_S
    assert abs(known.SLEEP_IDLE - _IDLE_STEP_S / 20) < 1e-12


# -- The footer: Textual's own when `FooterKey` moved or changed -----------------------


class _FooterApp(App[None]):
    BINDINGS: ClassVar = [("q", "quit", "Quit"), ("question_mark", "help", "Help")]

    def compose(self):
        from breathpace.tui.widgets.key_footer import KeyFooter

        yield KeyFooter()


@pytest.mark.parametrize(
    "change",
    ["moved", "built another way"],
)
def test_a_changed_footer_key_is_noticed(monkeypatch, change):
    from breathpace.tui.widgets import key_footer

    if change == "moved":
        monkeypatch.setattr(key_footer, "FooterKey", None)
    else:
        monkeypatch.setattr(key_footer, "FooterKey", lambda key, description: None)
    assert key_footer.fits() is False


def test_textuals_own_footer_shows_the_keys_when_the_footer_key_changed(monkeypatch):
    from breathpace.tui.widgets import key_footer

    monkeypatch.setattr(key_footer, "_FITS", False)

    async def keys_shown() -> list[str]:
        app = _FooterApp()
        async with app.run_test(size=(60, 5)) as pilot:
            await until(pilot, lambda: len(app.query(key_footer.FooterKey)) == 2)
            return [str(key.description) for key in app.query(key_footer.FooterKey)]

    assert key_footer.fits()  # the real one still fits; the flag above says it did not
    assert sorted(asyncio.run(keys_shown())) == ["Help", "Quit"]
