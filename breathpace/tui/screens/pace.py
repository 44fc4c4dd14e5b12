"""Find my pace: tap space at each in-breath for about six breaths; see the natural rate
and a personal pace a little slower, what it does to the routines' lengths, and save it
to the settings after a yes (a personal pace changes every routine).

Tap times come from the app's clock, so the tests drive this screen with a fake clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Static

from breathpace.pace_finder import TARGET_TAPS, NotEnoughTaps, PaceEstimate, estimate
from breathpace.routine.model import Routine
from breathpace.settings import SettingsError, load_settings, save_settings
from breathpace.tui.screens.confirm import ConfirmScreen
from breathpace.tui.screens.help import HelpScreen
from breathpace.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from breathpace.tui.app import BreathpaceApp

INTRO = (
    "Sit or lie comfortably and breathe the way you do right now, without changing it.\n"
    "Press [b]space[/b] each time an in-breath begins, for about six breaths."
)


class PaceScreen(ModalScreen[str | None]):
    """Dismisses with the suggested pattern (text) when the person uses or saves it."""

    app: BreathpaceApp  # for the type checker: the app this screen runs in

    BINDINGS: ClassVar = [
        Binding("space", "tap", "Tap", key_display="space"),
        Binding("s", "save", "Save"),
        Binding("u", "use", "Use"),
        Binding("r", "restart", "Again"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape,q", "close", "Back", key_display="q"),
    ]

    taps: reactive[int] = reactive(0, init=False, repaint=False)
    result: reactive[str] = reactive("", init=False, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []
        self.estimate: PaceEstimate | None = None
        self._examples: list[tuple[str, Routine]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="pace", classes="dialog"):
            yield Static("[b]Find my pace[/b]", id="pace-title")
            yield Static(INTRO, id="pace-intro")
            yield Static("", id="pace-taps")
            yield Static("", id="pace-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_taps()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("save", "use"):
            return self.estimate is not None
        return True

    def action_tap(self) -> None:
        self.times.append(self.app.clock.now())
        self.taps = len(self.times)
        try:
            self.estimate = estimate(self.times)
        except NotEnoughTaps:
            self.estimate = None
        self.result = self._describe()
        self.refresh_bindings()

    def action_restart(self) -> None:
        self.times.clear()
        self.estimate = None
        self.taps = 0
        self.result = ""
        self.refresh_bindings()

    def action_save(self) -> None:
        """Ask first: the pace replaces every routine's own, so say what it does."""
        if self.estimate is None:
            return
        from rich.text import Text

        pattern = self.estimate.suggested
        # Text, not markup: routine names in the lines come from file names.
        question = Text()
        question.append(f"Save {pattern} as your personal pace?\n\n", style="bold")
        question.append("\n".join(self.effect_lines()))
        question.append("\n\nEvery routine will play at it instead of its own pace.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(str(pattern))

        self.app.push_screen(SavePaceScreen(question, yes="Save (y)", no="Not now (n)"), answered)

    def effect_lines(self) -> list[str]:
        """What the suggested pace does to a breath and to a couple of routines."""
        # Imported here: it loads the routines, only once a pace has been found.
        from breathpace.pace_effect import describe, examples

        if self.estimate is None:
            return []
        if self._examples is None:
            self._examples = examples()
        return describe(self.estimate.suggested, self._examples)

    def _save(self, pattern: str) -> None:
        try:
            # Read the file again: another screen may have saved since the app started.
            current = load_settings()
        except SettingsError:
            current = self.app.settings
        settings = current.model_copy(update={"pace": pattern})
        save_settings(settings)
        self.app.settings = settings
        self.notify(f"Saved your personal pace {pattern}.")
        self.dismiss(pattern)

    def action_use(self) -> None:
        if self.estimate is not None:
            self.dismiss(str(self.estimate.suggested))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_close(self) -> None:
        self.dismiss(None)

    def watch_taps(self) -> None:
        self._show_taps()

    def watch_result(self, value: str) -> None:
        self.query_one("#pace-result", Static).update(value)

    def _show_taps(self) -> None:
        done = min(self.taps, TARGET_TAPS)
        dots = "●" * done + "○" * (TARGET_TAPS - done)
        self.query_one("#pace-taps", Static).update(f"{dots}  {self.taps} taps")

    def _describe(self) -> str:
        est = self.estimate
        if est is None:
            return "Keep tapping at each in-breath…" if self.taps else ""
        from textual.markup import escape

        lines = [
            f"Your breathing: {est.rate_per_min:.1f} breaths a minute "
            f"({est.cycle_s:.1f} s a breath, from {est.breaths} breaths).",
            f"Suggested personal pace: [b]{est.suggested}[/b] "
            f"({est.suggested.rate_per_min:.1f} a minute, a little slower, longer out-breath).",
            # Routine names come from file names: data, never markup.
            *(escape(line) for line in self.effect_lines()),
        ]
        if self.taps < TARGET_TAPS:
            lines.append("A few more taps make it surer.")
        else:
            lines.append("[b]s[/b] save it as your pace · [b]u[/b] use it now · [b]r[/b] again")
        return "\n".join(lines)


class SavePaceScreen(ConfirmScreen):
    """The yes/no before saving a pace. `q` means yes when quitting a session; here it
    only closes, so a stray `q` never changes every routine's pace."""

    BINDINGS: ClassVar = [Binding("q", "answer(False)", "No", show=False)]
