"""The History screen: what `breathpace history` prints, with charts.

Pain and effort after each recent session are drawn as sparklines (one bar per
session, so days off do not flatten the line), beside the same adherence figures,
7-day averages and per-routine suggestions the CLI shows. It reads the journal once
when opened; nothing here writes.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, ListItem, ListView, Sparkline, Static

from breathpace.journal import history as h
from breathpace.journal.db import JournalError, open_journal
from breathpace.journal.dose import accept
from breathpace.journal.history import suggestion_for
from breathpace.journal.suggest import Kind
from breathpace.tui.screens.help import HelpScreen
from breathpace.tui.text import cell, shown
from breathpace.tui.widgets.key_footer import KeyFooter

CHART_SESSIONS = 30


def _span(values: list[int]) -> str:
    """The range the sparkline is scaled to: it stretches its lowest to its highest value,
    so a line from 1 to 2 must not pass for a swing from 0 to 10."""
    if not values:
        return ""
    if len(values) == 1:
        return f" · one session: {values[0]}"
    if min(values) == max(values):
        return f" · last {len(values)} sessions, all {values[0]}"
    return f" · last {len(values)} sessions, from {min(values)} to {max(values)}"


class HistoryScreen(Screen):
    DEFAULT_CSS = """
    HistoryScreen VerticalScroll { padding: 1 2; }
    HistoryScreen .title { text-style: bold; margin-bottom: 1; }
    HistoryScreen .section { text-style: bold; margin-top: 1; }
    HistoryScreen Sparkline { height: 3; margin-bottom: 1; }
    HistoryScreen #pain-chart > .sparkline--max-color { color: $error; }
    HistoryScreen #pain-chart > .sparkline--min-color { color: $success; }
    HistoryScreen DataTable { height: auto; max-height: 16; }
    HistoryScreen ListView { height: auto; max-height: 20; }
    HistoryScreen ListItem { padding: 0 1; }
    """
    BINDINGS: ClassVar = [
        Binding("escape,q", "back", "Back", key_display="q"),
        Binding("a", "accept", "Accept suggestion"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.suggestions: list = []
        """The current Suggestion per routine, in the order listed."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Your practice", classes="title")
            yield Static("", id="adherence", markup=False)
            yield Label("Pain after each session", classes="section")
            yield Static("", id="pain-trend", markup=False)
            yield Sparkline([], id="pain-chart", min_color="green", max_color="red")
            yield Label("Effort of each session", classes="section")
            yield Static("", id="effort-trend", markup=False)
            yield Sparkline([], id="effort-chart")
            yield Label("Sessions", classes="section")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Label("One change at a time (a: accept the highlighted one)", classes="section")
            yield ListView(id="suggestions")
        yield KeyFooter()

    def on_mount(self) -> None:
        try:
            with open_journal() as journal:
                if journal.notice:
                    self.app.notify(journal.notice, severity="warning", timeout=20)
                self._fill(journal)
        except JournalError as exc:
            self.query_one("#adherence", Static).update(f"The journal could not be read: {exc}")

    def _fill(self, journal) -> None:
        rows = h.sessions(journal)
        table = self.query_one("#sessions", DataTable)
        table.add_columns("date", "routine", "played", *h.SESSION_COLUMNS[3:])
        if not rows:
            self.query_one("#adherence", Static).update(
                "No sessions yet. Play a routine and it will appear here."
            )
            return
        today = datetime.now().astimezone().date()
        adh = h.adherence(rows, today)
        self.query_one("#adherence", Static).update(
            f"Practised on {adh.days_7} of the last 7 days and {adh.days_30} of the last 30. "
            f"Capsule streak: {adh.capsule_streak} day{'' if adh.capsule_streak == 1 else 's'}."
            f"\nCapsules over two weeks: {_slots(self, rows)}."
        )
        recent = list(reversed(rows[:CHART_SESSIONS]))
        for name in ("pain", "effort"):
            t = h.trend(rows, name, today)
            now_avg = "-" if t.recent is None else f"{t.recent:g}"
            before = "-" if t.before is None else f"{t.before:g}"
            direction = f", {t.direction}" if t.direction else ""
            values = [v for r in recent if (v := getattr(r, name)) is not None]
            self.query_one(f"#{name}-trend", Static).update(
                f"Average: last 7 days {now_avg}, the 7 before {before}{direction}{_span(values)}"
            )
            chart = self.query_one(f"#{name}-chart", Sparkline)
            chart.data = [float(v) for v in values]
            chart.display = len(values) >= 2  # one bar is not a line
        for r in rows[:100]:
            # An old journal row may hold markup or control characters.
            table.add_row(*map(cell, h.session_cells(r)))
        self._fill_suggestions(journal)

    def _fill_suggestions(self, journal) -> None:
        self.suggestions = [s for _, s in h.all_suggestions(journal) if s is not None]
        view = self.query_one("#suggestions", ListView)
        view.clear()
        advice: list[str] = []
        for s in self.suggestions:
            text = f"{s.routine}: {s.summary}\n  {s.why}"
            if s.rule_text:
                text += f"\n  Rule ({s.rule}): {s.rule_text}"
            text += "".join(f"\n  Read: {fact}" for fact in s.facts)
            if s.advice and s.advice not in advice:
                advice.append(s.advice)  # said once, however many routines it concerns
                text += f"\n  About pain: {s.advice}"
            view.append(ListItem(Static(shown(text, newlines=True), markup=False)))
        if self.suggestions:
            view.index = 0

    def action_accept(self) -> None:
        index = self.query_one("#suggestions", ListView).index
        if index is None or not 0 <= index < len(self.suggestions):
            return
        name = self.suggestions[index].routine
        try:
            with open_journal() as journal:
                # Asked afresh, so what is accepted is what the journal says right now.
                suggestion = suggestion_for(journal, name)
                if suggestion is None:
                    return
                if suggestion.kind is Kind.HOLD:
                    self.app.notify(f"{name}: nothing to change. {suggestion.why}")
                    return
                accept(journal, suggestion)
                self._fill_suggestions(journal)
        except JournalError as exc:
            self.app.notify(f"Could not save the change ({exc}).", severity="error")
            return
        then = (
            f" Next time play {suggestion.routine_to}."
            if suggestion.routine_to
            else " Playing it now uses the new dose."
        )
        self.app.notify(
            f"Accepted for {name}: {suggestion.summary}{then} "
            "Watch how the back responds over the next day or two.",
            timeout=12,
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


def _slots(screen, rows) -> str:
    """Per slot of the day plan: on how many of the last 14 days it was done."""
    from breathpace.day import glance

    plan = getattr(getattr(screen.app, "settings", None), "day", None)
    return glance.two_weeks(plan, rows, glance.wall_now())
