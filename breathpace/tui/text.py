"""Text from files and the journal, shown by the interface as text and nothing else.

Routine strings, file names, old journal rows and the quoted bad value in an error may
hold what Textual would read as markup (`[/]` crashes a screen, `[@click=app.quit]`
makes a working link) or control characters that act on the terminal (`ESC ] 0 ;`
retitles it). Every widget that shows such a string gets it through here: `shown`
replaces control characters with visible stand-ins, and `plain` wraps the result in a
`Text`, which Textual never parses as markup (an `Option` prompt given a bare `str`
would be). A `DataTable` parses every `str` cell as Rich markup, so its cells go
through `cell`, which escapes it (the cells stay strings). Static widgets that show
such strings are built with `markup=False`; `BreathpaceApp.notify` never parses markup.
"""

from __future__ import annotations

import re

from rich.text import Text

from breathpace.safe_text import printable


def shown(value: object, *, newlines: bool = False) -> str:
    """`value` as a string whose control characters are visible stand-ins (`\\x1b`,
    from `breathpace.safe_text`, as the commands print them).

    With `newlines`, a line break stays a line break (a multi-line message)."""
    if not newlines:
        return printable(value)
    return "\n".join(printable(line) for line in str(value).split("\n"))


def plain(value: object, style: str = "") -> Text:
    """`value` as a `Text`: shown as written, never parsed as markup."""
    return Text(shown(value), style=style)


#: What Rich's markup parser reads as a tag, with the backslashes before it
#: (`rich.markup.RE_TAGS`). `rich.markup.escape` also doubles a trailing backslash,
#: which is right for text that markup will follow but shows twice in a cell.
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def cell(value: object) -> str:
    """`value` for a `DataTable` cell: shown as written (the table reads a `str` cell as
    Rich markup, so what would be a tag is escaped)."""
    return _TAG.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), shown(value))


__all__ = ["cell", "plain", "shown"]
