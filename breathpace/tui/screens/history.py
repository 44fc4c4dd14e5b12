"""The History screen: what `breathpace history` prints, with charts.

Pain and effort after each recent session are drawn as sparklines (one bar per
session, so days off do not flatten the line), beside the same adherence figures,
7-day averages and per-routine suggestions the CLI shows. It reads the journal once
when opened; nothing here writes.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from breathpace import fmt

CHART_SESSIONS = 30


class HistoryScreen(Screen):
    DEFAULT_CSS = """
    HistoryScreen VerticalScroll { padding: 1 2; }
    HistoryScreen .title { text-style: bold; margin-bottom: 1; }
    HistoryScreen .section { text-style: bold; margin-top: 1; }
    HistoryScreen Sparkline { height: 3; margin-bottom: 1; }
    HistoryScreen #pain-chart > .sparkline--max-color { color: $error; }
    HistoryScreen #pain-chart > .sparkline--min-color { color: $success; }
    HistoryScreen DataTable { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Your practice", classes="title")
            yield Static("", id="adherence", markup=False)
            yield Label("Pain after each session (0–10)", classes="section")
            yield Static("", id="pain-trend")
            yield Sparkline([], id="pain-chart", min_color="green", max_color="red")
            yield Label("Effort of each session (0–10)", classes="section")
            yield Static("", id="effort-trend")
            yield Sparkline([], id="effort-chart")
            yield Label("Sessions", classes="section")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Label("One change at a time", classes="section")
            yield Static("", id="suggestions", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        from breathpace.journal.db import JournalError, open_journal

        try:
            with open_journal() as journal:
                if journal.notice:
                    self.app.notify(journal.notice, severity="warning", timeout=20)
                self._fill(journal)
        except (JournalError, sqlite3.Error) as exc:
            self.query_one("#adherence", Static).update(f"The journal could not be read: {exc}")

    def _fill(self, journal) -> None:
        from breathpace.journal import history as h

        rows = h.sessions(journal)
        table = self.query_one("#sessions", DataTable)
        table.add_columns("date", "routine", "played", "outcome", "effort", "pain", "next day")
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
        )
        recent = list(reversed(rows[:CHART_SESSIONS]))
        for name in ("pain", "effort"):
            t = h.trend(rows, name, today)
            now_avg = "-" if t.recent is None else f"{t.recent:g}"
            before = "-" if t.before is None else f"{t.before:g}"
            direction = f", {t.direction}" if t.direction else ""
            self.query_one(f"#{name}-trend", Static).update(
                f"Last 7 days {now_avg}, the 7 before {before}{direction}"
            )
            values = [getattr(r, name) for r in recent]
            self.query_one(f"#{name}-chart", Sparkline).data = [
                float(v) for v in values if v is not None
            ]
        for r in rows[:100]:
            nextday = r.followup or ("skipped" if r.followup_at else "-")
            table.add_row(
                r.started_at.astimezone().strftime("%a %d %b %H:%M"),
                r.routine,
                f"{fmt.length(r.played_ms)} / {fmt.length(r.planned_ms)}",
                r.outcome_text,
                "-" if r.effort is None else str(r.effort),
                "-" if r.pain is None else str(r.pain),
                nextday,
            )
        lines = []
        for name in h.routines_practised(journal):
            s = h.suggestion_for(journal, name)
            if s is None:
                continue
            lines.append(f"{name}: {s.summary}\n  {s.why}")
            if s.kind != "hold steady":
                lines.append(f"  (accept with: breathpace history --accept {name})")
        self.query_one("#suggestions", Static).update("\n".join(lines) or "-")

    def action_back(self) -> None:
        self.app.pop_screen()
