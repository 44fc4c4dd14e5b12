"""The first-run safety notice: shown once, before anything else, and remembered.

The words come from `breathpace.safety.SAFETY_NOTICE`, the one place they are kept.
"Seen" is written to the settings only when the person closes the notice, so an app
that crashes before they read it shows it again next time.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from breathpace.safety import SAFETY_NOTICE
from breathpace.settings import SettingsError, load_settings, save_settings


def maybe_safety(app: App) -> bool:
    """Push the safety notice unless the person has seen it; True if pushed."""
    try:
        if load_settings().seen_safety:
            return False
    except SettingsError:
        pass  # show it; `_remember` will not overwrite a settings file it cannot read
    app.push_screen(SafetyScreen(), lambda _: _remember(app))
    return True


def _remember(app: App) -> None:
    try:
        settings = load_settings()
    except SettingsError as exc:
        app.notify(f"{exc}; the safety notice will be shown again.", severity="warning")
        return
    if not settings.seen_safety:
        save_settings(settings.model_copy(update={"seen_safety": True}))


class SafetyScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SafetyScreen { align: center middle; }
    SafetyScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 2; border: round $warning; background: $surface;
    }
    SafetyScreen VerticalScroll {
        height: auto; max-height: 24; scrollbar-size-vertical: 1;
    }
    SafetyScreen Button { margin-top: 1; }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "I understand", show=False),
        # The button has the focus; the arrows and page keys still move the text.
        Binding("down", "scroll('down')", show=False),
        Binding("up", "scroll('up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(SAFETY_NOTICE.rstrip(), id="safety-text", markup=False)
            # Compact (one row), so the whole notice and the button fit 80x24.
            yield Button("I understand", id="ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()
        self._fit(self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        # The text scrolls in what is left once the border and the button (with its
        # margin) have their rows, so the button is always in view.
        self.query_one(VerticalScroll).styles.max_height = max(3, min(24, height - 5))

    def action_scroll(self, how: str) -> None:
        getattr(self.query_one(VerticalScroll), f"scroll_{how}")()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
