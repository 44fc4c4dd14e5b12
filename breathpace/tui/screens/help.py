"""Help: the keys, a short guide to breath-paced practice, and the safety notice."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from breathpace.safety import SAFETY_NOTICE

KEYS: tuple[tuple[str, str], ...] = (
    ("space", "pause / resume"),
    ("n / p", "next / previous rep"),
    ("N / P", "next / previous exercise"),
    ("+ / -", "slower / faster pace (from the next rep)"),
    ("m", "mute / unmute"),
    ("v", "volume: 100, 80, 60, 40, 20 %"),
    ("Enter", "ready, when the session waits for you"),
    ("?", "this help"),
    ("q", "quit (asks once; what you did is kept)"),
)
"""The keys while playing, one line each, so the whole table fits an 80x24 terminal."""

OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Home", "Enter start · p preview · b Breathe"),
    ("", "h history · n next capsule of today"),
    ("Breathe", "Ctrl-S start · f find my pace"),
    ("History", "a accept a suggestion"),
    ("Pace", "space tap · s save · u use · r again"),
    ("Others", "? help · q or Esc back (on home, q quits)"),
)
"""The keys on the other screens: a narrow footer shows only some of them."""

SCROLL_HINT = "↑↓ PgDn: more · Esc: close"

GUIDE = """\
## Breath-paced practice

- **Breathe out through the effort.** Lift, push or reach on the out-breath; return
  on the in-breath. Never hold your breath under strain: a long hold is counted in
  easy breaths.
- **Slow and small is the point.** Movement the body reads as safe calms a sensitive
  back. Stop before pain; a smaller range is better than a braced one.
- **Follow with your eyes closed.** The in-breath tone rises, the out-breath tone
  falls, and chimes mark the end of each rep, set and exercise.
- **Change one thing at a time**, then notice how your back feels over the next day
  or two.
- **Too fast or too slow?** Press `+` or `-`; the change starts with the next rep.
"""


def safety_text() -> str:
    title, _, body = SAFETY_NOTICE.partition("\n")
    return f"## {title.strip()}\n\n{body.strip()}\n"


def keys_table(rows: tuple[tuple[str, str], ...] = KEYS) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, does in rows:
        table.add_row(key, does)
    return table


class HelpScreen(ModalScreen[None]):
    """The keys first (whole, at 80x24), then the guide and the safety notice below them;
    the hint line under the scrolling part says there is more and how to reach it."""

    DEFAULT_CSS = """
    HelpScreen #help { layout: vertical; }
    HelpScreen #help-body { height: 1fr; scrollbar-size-vertical: 1; }
    HelpScreen #help-keys-title { text-style: bold; margin: 1 0 0 2; }
    HelpScreen #help-keys, HelpScreen #help-other { margin: 1 0 0 2; }
    HelpScreen #help-other-title { text-style: bold; margin: 1 0 0 2; }
    HelpScreen #help-hint { height: 1; color: $text-muted; text-align: right; }
    """

    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        # Imported here: the Markdown widget brings markdown-it, which every screen
        # that offers help would otherwise load before its first frame.
        from textual.widgets import Markdown

        with Vertical(id="help", classes="dialog"):
            with VerticalScroll(id="help-body"):
                yield Static("The keys while playing", id="help-keys-title")
                yield Static(keys_table(), id="help-keys")
                yield Static("The keys elsewhere", id="help-other-title")
                yield Static(keys_table(OTHER_KEYS), id="help-other")
                yield Markdown(GUIDE + "\n" + safety_text())
            yield Static(SCROLL_HINT, id="help-hint")

    def on_mount(self) -> None:
        # Focused, the scrolling part takes the arrow and page keys at once.
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
