"""The next-day question: how did the back respond to the last session?

Micro-calibration watches the 24–48 hours after a change, so when the app is opened
12 to 72 hours after a session that has no answer yet, it asks one question (calmer,
the same, or more sensitive) and pain now. Skipping is recorded too, so the question is
asked once per session, not every time the app opens.

`maybe_followup(app)` is also where the journal is first opened when the app starts,
so a notice about a damaged journal kept aside is shown here as a notification.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from breathpace.journal.db import JournalError, open_journal, save_followup
from breathpace.journal.history import pending_followup
from breathpace.tui.screens.checkin import parse_scale
from breathpace.tui.text import shown
from breathpace.tui.widgets.form_keys import FormBody, FormKeys

NO_CHOICE = "Choose calmer, the same, or more sensitive (or Skip)."
CHOICES = (("calmer", "Calmer"), ("same", "The same"), ("more sensitive", "More sensitive"))


def maybe_followup(app: App, *, now: datetime | None = None) -> bool:
    """Push the follow-up question when a session is waiting for one; True if pushed."""
    try:
        with open_journal() as journal:
            if journal.notice:
                app.notify(journal.notice, severity="warning", timeout=20)
            row = pending_followup(journal, now)
    except JournalError as exc:
        app.notify(f"The journal could not be opened: {exc}", severity="warning", timeout=20)
        return False
    if row is None:
        return False
    app.push_screen(FollowUpScreen(row.id, routine=row.routine, started=row.started_at))
    return True


def _when(started: datetime, now: datetime | None = None) -> str:
    """ " yesterday at 08:10", " on Monday at 08:10": how a person recalls a session."""
    local = started.astimezone()
    today = (now or datetime.now()).astimezone().date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f" earlier today at {clock}"
    if (today - local.date()).days == 1:
        return f" yesterday at {clock}"
    return f" on {local.strftime('%A')} at {clock}"


class FollowUpScreen(FormKeys, ModalScreen[bool]):
    """Dismissed with True when answered, False when skipped (the skip is recorded)."""

    DEFAULT_CSS = """
    FollowUpScreen { align: center middle; }
    /* Fits a small terminal: never wider or taller than it, and scrolls (the focused
       field is scrolled into view) when the terminal is short. */
    FollowUpScreen > FormBody {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        padding: 1 2; border: round $primary; background: $surface;
        scrollbar-size-vertical: 1;
    }
    /* A short terminal (under 14 rows) drops the padding above and below, so the
       question and its three choices are in view together. */
    FollowUpScreen.-short > FormBody { padding: 0 2; }
    /* A question wraps on a narrow terminal rather than losing its end. */
    FollowUpScreen FormBody > Label { width: 100%; }
    FollowUpScreen .title { text-style: bold; margin-bottom: 1; }
    FollowUpScreen RadioSet { width: 100%; margin-bottom: 1; }
    FollowUpScreen Input { width: 100%; }
    FollowUpScreen #followup-error { color: $error; height: auto; }
    FollowUpScreen Horizontal { height: auto; margin-top: 1; }
    FollowUpScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar = [Binding("escape", "skip", "Skip")]
    # A list, as Textual declares it (an instance variable there, so no ClassVar here).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (14, "-tall")]  # noqa: RUF012
    # No auto-focus (an empty selector; None would mean the app's): the choices are
    # focused in `on_mount`, without Textual's scroll on focus (see FormBody).
    AUTO_FOCUS = ""

    def __init__(
        self, session_id: int, *, routine: str = "", started: datetime | None = None, **kwargs
    ):
        super().__init__(**kwargs)
        self.session_id = session_id
        self._shown_error = ""
        self.routine = routine
        self.started = started

    def compose(self) -> ComposeResult:
        when = _when(self.started) if self.started is not None else ""
        what = f"your {self.routine} session" if self.routine else "your last session"
        with FormBody():
            # The routine name comes from the journal: text, never markup.
            yield Static(
                shown(f"Since {what}{when}, has your back felt…"), classes="title", markup=False
            )
            with RadioSet(id="response"):
                for key, text in CHOICES:
                    yield RadioButton(text, name=key, id="response-" + key.replace(" ", "-"))
            yield Label("Pain now: 0 = none, 10 = the worst imaginable")
            yield Input(placeholder="0–10", id="pain", max_length=2, restrict=r"[0-9]*")
            yield Static("", id="followup-error", markup=False)
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Skip", id="skip")

    def on_mount(self) -> None:
        # Not Textual's own scroll on focus (see FormBody): at 40x12 it scrolled the
        # question away from its choices.
        self.query_one(RadioSet).focus(scroll_visible=False)

    def response(self) -> str | None:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    async def enter_on(self, field_id: str | None) -> None:
        """Enter on the choices picks the highlighted one and goes on to pain (as Enter
        in a field goes on); in pain, or on Save, it saves what is on screen."""
        if field_id == "response":
            choices = self.query_one(RadioSet)
            # The row the arrows are on: private in Textual, so read softly (without
            # it Enter goes on to pain and the highlighted row is not picked).
            highlighted = getattr(choices, "_selected", None)
            if isinstance(highlighted, int):
                buttons = list(choices.query(RadioButton))
                buttons[highlighted].value = True
            self.set_focus(self.query_one("#pain", Input))
        elif field_id == "skip":
            self.action_skip()
        else:
            await self.settle_fields()
            self.action_save()

    @on(RadioSet.Changed)
    @on(Input.Changed)
    def _recheck(self) -> None:
        # Choosing an option leaves the focus where it is (the arrows can still change
        # it); an error goes away as soon as what it was about is fixed.
        if self._shown_error:
            self._shown_error = self._problem() or ""
            self.query_one("#followup-error", Static).update(self._shown_error)

    def _problem(self) -> str | None:
        if self.response() is None:
            return NO_CHOICE
        try:
            parse_scale(self.query_one("#pain", Input).value, "Pain")
        except ValueError as exc:
            return str(exc)
        return None

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#skip")
    def _skip(self) -> None:
        self.action_skip()

    def action_save(self) -> None:
        problem = self._problem()
        if problem:
            self._shown_error = problem
            self.query_one("#followup-error", Static).update(problem)
            return
        response = self.response()
        assert response is not None
        pain = parse_scale(self.query_one("#pain", Input).value, "Pain")
        self._write(response, pain)
        self.dismiss(True)

    def action_skip(self) -> None:
        self._write(None, None)
        self.dismiss(False)

    def _write(self, response: str | None, pain: int | None) -> None:
        try:
            with open_journal() as journal:
                save_followup(journal, self.session_id, response=response, pain=pain)
        except JournalError as exc:
            self.app.notify(f"The answer could not be saved ({exc}).", severity="error")
