"""Tab, Shift-Tab and Enter for the small forms (check-in, next-day follow-up), taken in
the order they were typed.

Textual hands a key to the widget focused when the key is read, but moves the focus
later, from a message. So keys typed in one burst ("3", Enter, "2") could land in the
field that was being left, and a save could read a field before its last key was
inserted, and the arrows of a set of choices acted after the keys typed behind them.
Here those keys are priority bindings of the form screen, handled in the order they
came: Tab, Shift-Tab and Enter first wait until the field has handled the characters
already sent to it, then move the focus (or save) before the next key is read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import RadioSet, Static

SETTLE_TIMEOUT_S = 1.0
"""Never wait longer than this for a field (a field that is gone never answers)."""


async def settle(nodes: Iterable[DOMNode], rounds: int = 2) -> None:
    """Wait until each node has handled every message already queued for it.

    Two rounds, because handling a key can send a message on (a radio button tells its
    set), which the second round waits for too."""
    nodes = list(nodes)
    for _ in range(rounds):
        events = []
        for node in nodes:
            done = asyncio.Event()
            if node.call_later(done.set):
                events.append(done)
        if events:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(e.wait() for e in events)), SETTLE_TIMEOUT_S
                )


class FormKeys(Screen):
    """A mixin for form screens: `FIELDS` are the ids in the order Tab visits them.

    Subclasses implement `enter_on(field_id)`: what Enter does in that field."""

    BINDINGS: ClassVar = [
        Binding("tab", "form_move(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "form_move(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "form_enter", "Next / save", show=False, priority=True),
        Binding("up,left", "form_choice('previous')", "Previous choice", show=False, priority=True),
        Binding("down,right", "form_choice('next')", "Next choice", show=False, priority=True),
        Binding("space", "form_choice('toggle')", "Choose", show=False, priority=True),
    ]

    async def settle_fields(self) -> None:
        """Let every field and the screen finish what was typed before now."""
        await settle([*self.query("Input, RadioSet, RadioButton, Button"), self], rounds=3)

    def action_form_choice(self, what: str) -> None:
        # A set of choices moves here, in the order the keys came, not after the keys
        # that followed; anywhere else the key goes on to the field (a space in a note).
        choices = self.focused
        if not isinstance(choices, RadioSet):
            raise SkipAction()
        if what == "previous":
            choices.action_previous_button()
        elif what == "next":
            choices.action_next_button()
        else:
            choices.action_toggle_button()

    async def action_form_move(self, direction: int) -> None:
        if self.focused is not None:
            await settle([self.focused])
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    async def action_form_enter(self) -> None:
        focused = self.focused
        if focused is not None:
            await settle([focused])
        await self.enter_on(focused.id if focused is not None else None)

    async def enter_on(self, field_id: str | None) -> None:
        raise NotImplementedError


class FormBody(VerticalScroll, can_focus=False):
    """The body of a form: scrolls on a short terminal but is not itself a stop for Tab.

    A field's question is the text just above it (a label, or the form's title above
    its choices): the focused field is scrolled into view together with it, and only
    as far as needed, so what is above them (a session's summary) stays in view when
    they fit. A form focuses its first field with `focus(scroll_visible=False)` and
    turns Textual's auto-focus off: Textual's own scroll on focus centres the field,
    which scrolls the text above it away whenever the form is a little taller than the
    screen."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        field = event.widget
        if field.parent is not self:  # a button in a row: Textual's own scroll does
            return
        siblings = list(self.children)
        at = siblings.index(field)
        region = field.virtual_region
        if at > 0 and isinstance(question := siblings[at - 1], Static):  # Label is one
            region = question.virtual_region.union(region)
        self.call_after_refresh(self.scroll_to_region, region, animate=False)
