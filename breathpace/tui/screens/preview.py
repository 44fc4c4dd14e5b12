"""A routine's outline before it is started: one row per exercise, with its length."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from breathpace.fmt import length
from breathpace.routine.model import Breathing, Routine
from breathpace.session.dose import Dose, effective_dose
from breathpace.timeline import Timeline, TimelineTooLong, compile
from breathpace.tui.text import cell, plain


def item_rows(routine: Routine, timeline: Timeline) -> list[tuple[str, ...]]:
    """One row per item; the routine's strings are escaped (never read as markup)."""
    rows = []
    for number, item in enumerate(routine.exercise, start=1):
        start, end = timeline.item_span(number)
        if isinstance(item, Breathing):
            dose = f"{item.pattern}" + (f" → {item.ramp_to:g}/min" if item.ramp_to else "")
            sides = ""
        else:
            dose = f"{item.sets}×{item.reps}"
            sides = item.sides or ""
        rows.append(tuple(map(cell, (str(number), item.name, dose, sides, length(end - start)))))
    return rows


class PreviewScreen(ModalScreen[bool]):
    """Returns True when the person chooses to start the routine from here."""

    BINDINGS: ClassVar = [
        Binding("enter", "start", "Start"),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, routine: Routine, dose: Dose | None = None) -> None:
        super().__init__()
        self.dose = dose or effective_dose("", routine, journal=False)
        """The effective dose (as `play` will use it); the routine's own without one."""
        self.routine = self.dose.routine

    def compose(self) -> ComposeResult:
        routine, dose = self.routine, self.dose
        try:
            timeline = compile(routine, dose.pace, dose.tempo)
        except TimelineTooLong as exc:
            timeline = None
            note = str(exc)
        with Vertical(id="preview", classes="dialog"):
            yield Static(plain(routine.title, "bold"), id="preview-title", markup=False)
            if routine.summary:
                yield Static(plain(routine.summary), id="preview-summary", markup=False)
            table = DataTable(id="preview-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("#", "exercise", "dose", "sides", "length")
            if timeline is not None:
                table.add_rows(item_rows(routine, timeline))
                pace = "the " + dose.describe() if dose.pace_from == "routine" else dose.describe()
                note = f"{length(timeline.duration_ms)} at {pace}"
            yield table
            yield Static(plain(note), id="preview-total", markup=False)
            yield Static("Enter start · Esc close", classes="hint")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table (which has the focus) starts, as the hint says.
        event.stop()
        self.dismiss(True)

    def action_start(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
