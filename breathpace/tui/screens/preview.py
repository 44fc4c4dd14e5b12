"""A routine's outline before it is started: one row per exercise, with its length; the
highlighted exercise's poses drawn small, so the movement can be seen before it is done;
the routine's safety note and what the highlighted exercise involves (dose, safety,
position, cues, each phase with its own cue)."""

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
from breathpace.safe_text import printable
from breathpace.session import words
from breathpace.session.dose import Dose, effective_dose
from breathpace.timeline import Timeline, TimelineTooLong, compile
from breathpace.tui.text import cell, plain

#: One small pose: braille cells wide and high, and the gap between poses.
POSE_COLS, POSE_ROWS, POSE_GAP = 18, 5, 2


def item_rows(routine: Routine, timeline: Timeline) -> list[tuple[str, ...]]:
    """One row per item; the routine's strings are escaped (never read as markup)."""
    rows = []
    for number, item in enumerate(routine.exercise, start=1):
        if isinstance(item, Breathing):
            dose = words.block_pattern(item)
            sides = ""
        else:
            dose = f"{item.sets}×{item.reps}"
            sides = item.sides or ""
        # The same length as `breathpace preview` shows: without the get-ready before it.
        ms = words.item_ms(timeline, number)
        rows.append(tuple(map(cell, (str(number), item.name, dose, sides, length(ms)))))
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
        # Imported here (and below): figures load only for an item that has one.
        from breathpace.figures.load import FigureError
        from breathpace.library import load_figure_named

        items = self.routine.exercise
        if not 1 <= number <= len(items) or items[number - 1].figure is None:
            return Text("")
        item = items[number - 1]
        assert item.figure is not None  # checked above
        try:
            figure = load_figure_named(item.figure, relative_to=self.relative_to)
        except (FigureError, OSError):
            return Text("")
        from breathpace.figures.render import figure_frame, pose_support, render_cells
        from breathpace.figures.skeleton import flatten

        frame = figure_frame(figure)
        width = max(20, (self.app.size.width * 8 // 10) - 4)
        fits = max(1, (width + POSE_GAP) // (POSE_COLS + POSE_GAP))
        names = [n for n in pose_names(item) if n in figure.poses][:fits]
        pictures = [
            render_cells(
                figure,
                flatten(figure, n),
                POSE_COLS,
                POSE_ROWS,
                frame=frame,
                support=pose_support(figure, n),
            )
            for n in names
        ]
        gap = " " * POSE_GAP
        lines = [gap.join(p[row] for p in pictures) for row in range(POSE_ROWS)]
        lines.append(gap.join(n[:POSE_COLS].center(POSE_COLS) for n in names))
        if figure.view.name:
            lines.append(figure.view.name)
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
        self._timeline = timeline
        with Vertical(id="preview", classes="dialog"):
            yield Static(plain(routine.title, "bold"), id="preview-title", markup=False)
            if routine.summary:
                yield Static(plain(routine.summary), id="preview-summary", markup=False)
            table: DataTable[str] = DataTable(
                id="preview-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("#", "exercise", "dose", "sides", "length")
            if timeline is not None:
                table.add_rows(item_rows(routine, timeline))
                note = f"{length(timeline.duration_ms)} at {self._pace_words()}"
            yield table
            yield ExercisePoses(routine, id="preview-poses")
            yield Static(plain(note), id="preview-total", markup=False)
            # Under the table, so a short terminal still shows the table first.
            if routine.safety:
                yield Static(
                    Text.assemble(("⚠ ", "bold"), (printable(routine.safety), "bold")),
                    id="preview-safety",
                    markup=False,
                )
            # What the highlighted exercise involves; filled in as the cursor moves.
            yield Static("", id="preview-detail", markup=False)
            yield Static("Enter start · Esc close", classes="hint")

    def _pace_words(self) -> str:
        dose, routine = self.dose, self.routine
        if words.breathing_only(routine):
            # Breathing blocks play their own patterns, whatever the pace.
            text = f"the {words.pace_label(routine, dose.pace_text)}"
            return text + (f", tempo x{float(dose.tempo):g}" if dose.tempo != 1 else "")
        return "the " + dose.describe() if dose.pace_from == "routine" else dose.describe()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(ExercisePoses).show_item(event.cursor_row + 1)
        self.show_detail(event.cursor_row + 1)

    def show_detail(self, number: int) -> None:
        """Show what item `number` (1-based) involves under the table."""
        detail = self.query_one("#preview-detail", Static)
        items = self.routine.exercise
        if self._timeline is None or not 1 <= number <= len(items):
            detail.update("")
            return
        item = items[number - 1]
        ms = words.item_ms(self._timeline, number)
        lines = words.item_details(item, self._timeline, number, ms)
        shown = [printable(line) for line in (f"{number}. {item.name}", *lines)]
        detail.update(Text("\n".join(shown)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table (which has the focus) starts, as the hint says.
        event.stop()
        self.dismiss(True)

    def action_start(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
