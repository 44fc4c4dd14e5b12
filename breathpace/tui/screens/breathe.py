"""Breathe: practise a preset or your own in-hold-out-hold pattern for some minutes,
optionally easing toward a slower rate; and the way into "find my pace".

The screen only builds a routine (with `routine.practice`) and hands it to the same
player screen as a guided set, so breathing practice is timed and journaled the same way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from breathpace.library import Resolved
from breathpace.routine.model import Breathing
from breathpace.routine.pattern import BreathPattern
from breathpace.routine.practice import PracticeError, adjust_practice, build_practice
from breathpace.session.routines import Entry, playable_entries
from breathpace.tui.screens.help import HelpScreen
from breathpace.tui.screens.pace import PaceScreen
from breathpace.tui.text import plain, shown
from breathpace.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from breathpace.tui.app import BreathpaceApp

DEFAULT_MINUTES = 5.0
PATTERN_CHARS = r"[0-9.\-]*"
"""What a pattern like 4-0-6-0 or 5.5-0-5.5-0 is made of."""
NUMBER_CHARS = r"[0-9.]*"


class FieldInput(Input):
    """A field for a pattern or a number. It claims only the characters it accepts, so
    the screen's letter keys (f, q, ?) keep working, and keep showing in the footer,
    while it has focus; Textual's Input would claim every printable key."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character is None or not character.isprintable():
            return False
        return self.restrict is None or re.fullmatch(self.restrict, character) is not None


class BreatheScreen(Screen):
    app: BreathpaceApp  # for the type checker: the app this screen runs in

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "start", "Start", key_display="^s"),
        # The form's fields take only digits, dots and dashes, so no letter ever needs
        # to be typed: as priority keys these do what the footer says even while a
        # field has focus, instead of typing into it.
        Binding("f", "find_pace", "Find my pace", priority=True),
        Binding("escape,q", "back", "Back", key_display="q", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", priority=True),
    ]

    preset: reactive[int | None] = reactive(None, init=False, repaint=False)
    """Index of the highlighted preset in `presets`, or None for a custom pattern."""
    message: reactive[str] = reactive("", init=False, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.presets: list[Entry] = [e for e in playable_entries() if e.breathing]

    def compose(self) -> ComposeResult:
        with Vertical(id="breathe"):
            yield Static("[b]Breathe[/b] · a preset or your own pattern", id="breathe-title")
            with Horizontal(id="breathe-body"):
                yield OptionList(
                    *[Option(_preset_label(e), id=str(i)) for i, e in enumerate(self.presets)],
                    Option("Your own pattern", id="custom"),
                    id="presets",
                )
                with VerticalScroll(id="breathe-form"):
                    yield Static("Pattern (in-hold-out-hold, seconds)", classes="field-label")
                    yield FieldInput(placeholder="4-0-6-0", id="pattern", restrict=PATTERN_CHARS)
                    yield Static("", id="pattern-rate", classes="hint", markup=False)
                    yield Static("Minutes", classes="field-label")
                    yield FieldInput(
                        str(DEFAULT_MINUTES).removesuffix(".0"), id="minutes", restrict=NUMBER_CHARS
                    )
                    yield Static("Ease toward (breaths/min, optional)", classes="field-label")
                    yield FieldInput(placeholder="none", id="ramp", restrict=NUMBER_CHARS)
                    with Horizontal(classes="buttons"):
                        yield Button("Start", id="start", variant="primary")
                        yield Button("Find my pace", id="find")
            yield Static("", id="breathe-message", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            # A steady cursor: calmer, and a still screen for snapshot tests.
            widget.cursor_blink = False
        options = self.query_one("#presets", OptionList)
        options.focus()
        if self.presets:
            options.highlighted = 0
        personal = getattr(self.app, "settings", None)
        if personal is not None and personal.pace:
            self.message = f"Your personal pace: {personal.pace}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id
        if option_id is None or option_id == "custom":
            self.preset = None
            return
        self.preset = int(option_id)
        entry = self.presets[self.preset]
        block = _block(entry)
        self.query_one("#pattern", Input).value = block.pattern if block else ""
        minutes = block.minutes if block is not None and block.minutes else DEFAULT_MINUTES
        self.query_one("#minutes", Input).value = f"{minutes:g}"
        ramp = block.ramp_to if block is not None and block.ramp_to else None
        self.query_one("#ramp", Input).value = f"{ramp:g}" if ramp else ""

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "custom":
            self.query_one("#pattern", Input).focus()
        else:
            self.action_start()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "pattern":
            self.query_one("#pattern-rate", Static).update(rate_text(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "find":
            self.action_find_pace()

    def watch_message(self, value: str) -> None:
        self.query_one("#breathe-message", Static).update(shown(value))

    def build(self):
        """The practice routine the form describes; raises PracticeError (one line)."""
        pattern = self.query_one("#pattern", Input).value.strip()
        minutes = _number(self.query_one("#minutes", Input).value, "minutes")
        ramp = _number(self.query_one("#ramp", Input).value, "ease toward")
        if self.preset is not None:
            entry = self.presets[self.preset]
            block = _block(entry)
            if entry.routine is not None and block is not None and pattern == block.pattern:
                return entry.name, adjust_practice(entry.routine, minutes=minutes, ramp_to=ramp)
        if not pattern:
            raise PracticeError("pattern: type one like 4-0-6-0, or choose a preset")
        return "breathe", build_practice(pattern, minutes=minutes or DEFAULT_MINUTES, ramp_to=ramp)

    def action_start(self) -> None:
        try:
            name, routine = self.build()
        except PracticeError as exc:
            self.message = f"⚠ {exc}"
            return
        self.message = ""
        # A breathing practice keeps its own pattern: no personal pace, no dose changes.
        self.app.start_routine(
            Resolved(name, Path(name), routine, builtin=False),
            source="breathe",
            personal_pace=False,
            journal_dose=False,
        )

    def action_find_pace(self) -> None:
        def found(pattern: str | None) -> None:
            if pattern:
                self.query_one("#presets", OptionList).highlighted = len(self.presets)
                self.preset = None
                self.query_one("#pattern", Input).value = pattern
                self.message = f"Pattern set to your pace {pattern}"

        self.app.push_screen(PaceScreen(), found)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1 and not getattr(self.app, "breathe_only", False):
            self.app.pop_screen()
        else:
            self.app.exit(return_code=0)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())


def _block(entry: Entry):
    if entry.routine is None:
        return None
    return next((i for i in entry.routine.exercise if isinstance(i, Breathing)), None)


def _preset_label(entry: Entry) -> Text:
    """The preset's title as text (a user's preset names itself), its pattern dimmed."""
    block = _block(entry)
    title = entry.routine.title if entry.routine else entry.name
    if block is None:
        return plain(title)
    # The rate is shown under the pattern field, not here: with it, a title like
    # "Coherent breathing" wrapped in the middle at 80 columns.
    return Text.assemble(plain(title), "  ", plain(what_plays(block), "dim"))


def what_plays(block: Breathing) -> str:
    """The block's breath as it plays: a sigh's in-breath in its two parts
    ("2.8+1.2-0-8-0", not the 4-0-8-0 of a plain long exhale), a ramp with where it
    goes ("2.5-0-3.5-0 → 6/min")."""
    from breathpace.session.words import block_pattern
    from breathpace.timeline.compile import SIGH_FIRST_SHARE

    text = block_pattern(block)
    if block.sigh:
        pat = block.pattern_parsed
        first = round(pat.inhale_ms * SIGH_FIRST_SHARE)
        head = f"{_seconds(first)}+{_seconds(pat.inhale_ms - first)}"
        text = head + text[text.index("-") :]
    return text


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}"


def rate_text(pattern: str) -> str:
    """ "5.5 breaths a minute" for a pattern that parses; nothing for one being typed."""
    try:
        rate = BreathPattern.parse(pattern).rate_per_min
    except ValueError:
        return ""
    return f"{rate:.1f} breaths a minute"


def _number(text: str, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise PracticeError(f"{field}: must be a number (found {text!r})") from None
