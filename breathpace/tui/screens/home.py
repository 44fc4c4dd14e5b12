"""Home: the routines and breathing presets, with length, level and tags.

Keyboard first (arrows, Enter, a letter per action) and every action also a click.
A person's own routine that does not load is still listed, with its one-line error,
so a typo never makes a routine silently disappear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from breathpace.fmt import length
from breathpace.session.routines import Entry, playable_entries
from breathpace.tui.screens.breathe import BreatheScreen
from breathpace.tui.screens.help import HelpScreen
from breathpace.tui.screens.history import HistoryScreen
from breathpace.tui.screens.preview import PreviewScreen
from breathpace.tui.text import cell, shown
from breathpace.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from breathpace.day.glance import Glance
    from breathpace.tui.app import BreathpaceApp


def load_entries(settings_pace: str | None = None) -> list[Entry]:
    """Every routine a name plays, measured at the person's effective dose (as
    `breathpace list` measures it)."""
    return playable_entries(settings_pace)


class HomeScreen(Screen):
    app: BreathpaceApp  # for the type checker: the app this screen runs in

    BINDINGS: ClassVar = [
        Binding("enter", "start", "Start", show=True, priority=False),
        Binding("p", "preview", "Preview"),
        Binding("b", "breathe", "Breathe"),
        Binding("h", "history", "History"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("n", "next_capsule", "Next capsule"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = load_entries(_settings_pace(self))
        self.today: Glance | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(
                "[b]breathpace[/b] · breath-paced practice · [b]Enter[/b] starts", id="home-title"
            )
            pace = _settings_pace(self)
            if pace:
                # Say so when the lengths (and the sessions) use the person's own pace.
                yield Static(
                    f"Lengths at your pace {pace}, from settings", id="home-pace", markup=False
                )
            yield Static("", id="home-today", markup=False)
            yield Static("Routines", classes="section")
            yield DataTable(id="routines", cursor_type="row", zebra_stripes=True)
            yield Static("Breathing", classes="section")
            yield DataTable(id="breathing", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        for table_id, breathing in (("#routines", False), ("#breathing", True)):
            table = self.query_one(table_id, DataTable)
            table.add_column("routine", key="title")
            table.add_column("length", key="length")
            table.add_column("level", key="level")
            table.add_column("tags", key="tags")
            # Capsules last: today's line above starts the one due, with `n`.
            order = sorted(enumerate(self.entries), key=lambda pair: _is_capsule(pair[1]))
            for index, entry in order:
                if entry.breathing != breathing:
                    continue
                table.add_row(*_row(entry), key=str(index))
        self.query_one("#routines", DataTable).focus()
        self.refresh_today()
        # "Next" moves on as the day does.
        self.set_interval(60, self.refresh_today)

    def on_screen_resume(self) -> None:
        # Back from a session (or history): a capsule may just have been done.
        self.refresh_today()

    def refresh_today(self) -> None:
        """Today's plan from the settings, the calendar and the journal."""
        from breathpace.day import glance

        now = glance.wall_now()
        today = glance.glance(getattr(_settings(self), "day", None), now)
        self.today = today
        lines = today.lines(now)
        self.query_one("#home-today", Static).update(shown("\n".join(lines), newlines=True))

    def action_next_capsule(self) -> None:
        """Start the next capsule of today's plan, as Enter starts a routine."""
        item = self.today.next if self.today is not None else None
        if item is None:
            self.notify("Nothing more planned for today.")
            return
        entry = next((e for e in self.entries if e.name == item.routine), None)
        if entry is None:
            self.notify(f"No routine named {item.routine!r} (see `breathpace list`).")
            return
        self.start(entry)

    def selected(self) -> Entry | None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None:
            table = self.query_one("#routines", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries[int(key)] if key is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is not None:
            self.start(self.entries[int(key)])

    def action_start(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.start(entry)

    def start(self, entry: Entry) -> None:
        if entry.routine is None:
            self.notify(entry.error or "This routine cannot be loaded.", severity="error")
            return
        self.app.start_routine(entry.resolved)

    def action_preview(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.routine is None:
            self.notify(entry.error or "This routine cannot be loaded.", severity="error")
            return

        def chosen(start: bool | None) -> None:
            if start:
                self.start(entry)

        self.app.push_screen(PreviewScreen(entry.routine, entry.dose), chosen)

    def action_breathe(self) -> None:
        self.app.push_screen(BreatheScreen())

    def action_history(self) -> None:
        self.app.push_screen(HistoryScreen())

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())


def _row(entry: Entry) -> tuple[str, ...]:
    # Through `cell`: the table reads a str as markup, and these are the routine file's
    # own strings (or its file name and error).
    if entry.routine is None:
        return tuple(map(cell, (entry.name, "—", "", f"cannot load: {entry.error}")))
    routine = entry.routine
    title = routine.title if entry.builtin else f"{routine.title} (yours)"
    level = str(routine.level) if routine.level else ""
    tags = ", ".join(t for t in routine.tags if t not in ("breathing", "preset"))
    return tuple(map(cell, (title, length(entry.length_ms or 0), level, tags)))


def _is_capsule(entry: Entry) -> bool:
    return entry.routine is not None and entry.routine.capsule is not None


def _settings(screen: Screen):
    try:
        app = screen.app
    except Exception:  # no running app (a screen built on its own)
        return None
    return getattr(app, "settings", None)


def _settings_pace(screen: Screen) -> str | None:
    """The personal pace from the running app's settings (None outside an app)."""
    try:
        settings = getattr(screen.app, "settings", None)
    except Exception:  # no running app (a screen built on its own)
        return None
    return getattr(settings, "pace", None)
