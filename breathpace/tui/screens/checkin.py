"""The short, skippable check-in after a session: effort, pain now, and a note.

These three numbers are what the micro-calibration rules read, so the screen asks for
them plainly and quickly (type a number, Enter to the next), and never insists:
Escape or Skip leaves the session recorded without a check-in.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from breathpace import fmt
from breathpace.journal import history
from breathpace.journal.db import JournalError, open_journal, save_checkin
from breathpace.tui.text import shown
from breathpace.tui.widgets.form_keys import FormBody, FormKeys


def parse_scale(text: str, what: str) -> int | None:
    """A 0–10 answer; blank means not given. Raises ValueError with a short message."""
    text = text.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what}: a whole number from 0 to 10") from None
    if not 0 <= value <= 10:
        raise ValueError(f"{what}: a whole number from 0 to 10")
    return value


class CheckInScreen(FormKeys, ModalScreen[bool]):
    """Dismissed with True when a check-in was saved, False when skipped."""

    DEFAULT_CSS = """
    CheckInScreen { align: center middle; }
    /* Fits a small terminal: never wider or taller than it, and scrolls (the focused
       field is scrolled into view) when the terminal is short. */
    CheckInScreen > FormBody {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        padding: 1 2; border: round $primary; background: $surface;
        scrollbar-size-vertical: 1;
    }
    CheckInScreen > FormBody { border-title-style: bold; border-title-color: $text; }
    CheckInScreen #checkin-session { color: $text-muted; margin-bottom: 1; }
    CheckInScreen Input { width: 100%; margin-bottom: 1; }
    /* A question wraps on a narrow terminal rather than losing its end. */
    CheckInScreen FormBody > Label { width: 100%; }
    CheckInScreen #checkin-error { color: $error; height: auto; }
    CheckInScreen Horizontal { height: auto; margin-top: 1; }
    CheckInScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar = [Binding("escape", "skip", "Skip")]
    # No auto-focus (an empty selector; None would mean the app's): Effort is focused
    # in `on_mount`, without Textual's scroll on focus (see FormBody).
    AUTO_FOCUS = ""

    def __init__(self, session_id: int | None, *, summary: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.session_id = session_id
        self.summary = summary
        """The session's end summary (`breathpace.session.summary`), shown above the form."""
        self._shown_error = ""

    def compose(self) -> ComposeResult:
        body = FormBody()
        # The question rides on the frame, so a short terminal that scrolls the form
        # never scrolls it out of sight.
        body.border_title = "How did that feel?"
        with body:
            # The summary is there from the first frame (never drawn a moment later).
            yield Static(self.summary or "", id="checkin-session", markup=False)
            yield Label("Effort: 0 = none, 10 = the most you could do")
            yield Input(placeholder="0–10", id="effort", max_length=2, restrict=r"[0-9]*")
            yield Label("Pain now: 0 = none, 10 = the worst imaginable")
            yield Input(placeholder="0–10", id="pain", max_length=2, restrict=r"[0-9]*")
            yield Label("A note (optional)")
            yield Input(placeholder="e.g. left hip tight on the bridge", id="note", max_length=500)
            yield Static("", id="checkin-error", markup=False)
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Skip", id="skip")

    def on_mount(self) -> None:
        if not self.session_id:
            # Nothing was recorded (no journal), so there is nothing to check in to.
            self.dismiss(False)
            return
        # Not Textual's own scroll on focus (see FormBody): it would scroll the
        # summary's first lines away whenever the form is a little taller than the screen.
        self.query_one("#effort", Input).focus(scroll_visible=False)
        if not self.summary:
            self._describe_session()

    def _describe_session(self) -> None:
        assert self.session_id is not None  # on_mount leaves when there is none
        try:
            with open_journal() as journal:
                row = history.session(journal, self.session_id)
        except JournalError:
            return
        if row is not None:
            done = f"{row.reps_done} of {row.reps_planned} reps" if row.reps_planned else ""
            parts = [row.routine, fmt.length(row.played_ms), done, row.outcome_text]
            text = " · ".join(p for p in parts if p)
            self.query_one("#checkin-session", Static).update(shown(text))

    async def enter_on(self, field_id: str | None) -> None:
        """Enter in a number goes on to the next field; in the note, or on Save, it
        saves what is on screen; on Skip it skips."""
        if field_id == "effort":
            self.set_focus(self.query_one("#pain", Input))
        elif field_id == "pain":
            self.set_focus(self.query_one("#note", Input))
        elif field_id == "skip":
            self.action_skip()
        else:
            await self.settle_fields()
            self.action_save()

    @on(Input.Changed)
    def _recheck(self) -> None:
        # An error goes away as soon as the value it was about is fixed.
        error = self.query_one("#checkin-error", Static)
        if self._shown_error:
            self._shown_error = self._problem() or ""
            error.update(self._shown_error)

    def _problem(self) -> str | None:
        try:
            parse_scale(self.query_one("#effort", Input).value, "Effort")
            parse_scale(self.query_one("#pain", Input).value, "Pain")
        except ValueError as exc:
            return str(exc)
        return None

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    def action_skip(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        error = self.query_one("#checkin-error", Static)
        try:
            effort = parse_scale(self.query_one("#effort", Input).value, "Effort")
            pain = parse_scale(self.query_one("#pain", Input).value, "Pain")
        except ValueError as exc:
            self._shown_error = str(exc)
            error.update(self._shown_error)
            return
        note = self.query_one("#note", Input).value
        if effort is None and pain is None and not note.strip():
            self.dismiss(False)  # nothing given: the same as skipping
            return
        assert self.session_id is not None
        try:
            with open_journal() as journal:
                save_checkin(journal, self.session_id, effort=effort, pain=pain, note=note)
        except JournalError as exc:
            self.app.notify(f"The check-in could not be saved ({exc}).", severity="error")
            self.dismiss(False)
            return
        self.dismiss(True)
