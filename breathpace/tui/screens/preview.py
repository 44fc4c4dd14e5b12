"""A routine's outline before it is started: one row per exercise, with its length, and
the highlighted exercise's poses drawn small, so the movement can be seen before it is
done."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from breathpace.figures.track import START, rep_targets
from breathpace.fmt import length
from breathpace.routine.model import Breathing, Exercise, Routine
from breathpace.session.dose import Dose, effective_dose
from breathpace.timeline import Timeline, TimelineTooLong, compile
from breathpace.tui.text import cell, plain

#: One small pose: braille cells wide and high, and the gap between poses.
POSE_COLS, POSE_ROWS, POSE_GAP = 18, 5, 2


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


def pose_names(item: Exercise | Breathing) -> list[str]:
    """The poses an item goes through, in the order a rep reaches them, each once."""
    names = [START]
    if isinstance(item, Exercise):
        for _, target in rep_targets(item):
            if target is not None and target not in names:
                names.append(target)
    return names


class ExercisePoses(Static):
    """The highlighted exercise's poses side by side, each with its name under it."""

    DEFAULT_CSS = """
    ExercisePoses {
        height: auto;
        color: $text-primary;
        margin-top: 1;
    }
    """

    def __init__(self, routine: Routine, relative_to=None, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.routine = routine
        self.relative_to = relative_to
        self._drawn: dict[int, Text] = {}

    def show_item(self, number: int) -> None:
        """Draw item `number`'s poses (1-based); drawn once, then kept."""
        if number not in self._drawn:
            self._drawn[number] = self._draw(number)
        text = self._drawn[number]
        self.display = bool(text.plain.strip())
        self.update(text)

    def _draw(self, number: int) -> Text:
        from breathpace.figures.load import FigureError
        from breathpace.library import load_figure_named

        items = self.routine.exercise
        if not 1 <= number <= len(items) or items[number - 1].figure is None:
            return Text("")
        item = items[number - 1]
        try:
            figure = load_figure_named(item.figure, relative_to=self.relative_to)
        except (FigureError, OSError):
            return Text("")
        from breathpace.figures.render import figure_frame, render_cells
        from breathpace.figures.skeleton import flatten

        frame = figure_frame(figure)
        width = max(20, (self.app.size.width * 8 // 10) - 4)
        fits = max(1, (width + POSE_GAP) // (POSE_COLS + POSE_GAP))
        names = [n for n in pose_names(item) if n in figure.poses][:fits]
        pictures = [
            render_cells(figure, flatten(figure, n), POSE_COLS, POSE_ROWS, frame=frame)
            for n in names
        ]
        gap = " " * POSE_GAP
        lines = [gap.join(p[row] for p in pictures) for row in range(POSE_ROWS)]
        lines.append(gap.join(n[:POSE_COLS].center(POSE_COLS) for n in names))
        # Plain text, never markup: pose names come from a file.
        return Text("\n".join(lines), no_wrap=True, overflow="crop")


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
            yield ExercisePoses(routine, id="preview-poses")
            yield Static(plain(note), id="preview-total", markup=False)
            yield Static("Enter start · Esc close", classes="hint")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(ExercisePoses).show_item(event.cursor_row + 1)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table (which has the focus) starts, as the hint says.
        event.stop()
        self.dismiss(True)

    def action_start(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
