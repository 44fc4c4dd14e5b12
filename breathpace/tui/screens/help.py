"""Help: the keys, a short guide to breath-paced practice, and the safety notice."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from breathpace.safety import SAFETY_NOTICE

KEYS = """\
## Keys while playing

| key | does |
|---|---|
| `space` | pause / resume |
| `n` / `p` | next / previous rep |
| `N` / `P` | next / previous exercise |
| `+` / `-` | slower / faster pace (from the next rep) |
| `m` | mute / unmute |
| `v` | volume: 100, 80, 60, 40, 20 % |
| `Enter` | ready, when the session waits for you |
| `?` | this help |
| `q` | quit (asks once; what you did is kept) |
"""

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


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            # Imported here: the Markdown widget brings markdown-it, which every screen
            # that offers help would otherwise load before its first frame.
            from textual.widgets import Markdown

            yield Markdown("\n".join(part for part in (KEYS, GUIDE, safety_text()) if part))

    def action_close(self) -> None:
        self.dismiss(None)
