"""The fake-clock rig: a `FakeClock` and the silent backend on it, and players on both.

Players built on a rig move only when the test advances `rig.clock`, so every test of
timing is exact. The `fake_rig` fixture in `conftest.py` gives one per test; helpers
that build players outside a test function (the TUI and plain-mode helpers) import
`FakeRig` from here, so there is one way to build the fake-clock player.
"""

from __future__ import annotations

from breathpace.audio.backends.silent import SilentBackend
from breathpace.clock import FakeClock
from breathpace.player import Player


class FakeRig:
    def __init__(self, start: float = 0.0):
        self.clock = FakeClock(start)
        self.backend = SilentBackend(clock=self.clock)

    def player(self, routine, **options) -> Player:
        """A Player of `routine` on this rig's backend (options as for `Player`)."""
        return Player(routine, backend=self.backend, **options)

    def runner(
        self,
        routine,
        *,
        name: str = "short",
        path=None,
        source: str | None = "user",
        mode: str = "tui",
        watch: bool = False,
        **overrides,
    ):
        """A `SessionRunner` of `routine` on this rig, opened, built as every session is
        (`prepare`, then the runner) with the routine's own pace and no dose changes.
        `path` is the routine's file (`source=None` records it as the source, and
        `watch` reloads it); `overrides` are session options (volume, tick…)."""
        from pathlib import Path

        from breathpace.library import Resolved
        from breathpace.session.options import Overrides, session_options
        from breathpace.session.prepare import prepare
        from breathpace.session.runner import SessionRunner

        resolved = Resolved(
            name=name, path=Path(path or f"{name}.toml"), routine=routine, builtin=False
        )
        prepared = prepare(
            resolved,
            session_options(Overrides(watch=watch, **overrides)),
            personal_pace=False,
            journal_dose=False,
            source=source,
        )
        runner = SessionRunner(prepared, mode=mode, backend=self.backend, clock=self.clock)
        return runner.open()

    def run(self, player: Player, seconds: float, step: float = 0.05) -> list:
        """Advance the clock in small steps, polling as a front end does; the events."""
        events: list = []
        for _ in range(round(seconds / step)):
            self.clock.advance(step)
            events.extend(player.poll())
        return events
