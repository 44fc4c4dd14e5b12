"""Text from elsewhere made safe to show: control characters become visible stand-ins.

A routine file is checked as it is loaded, but much of what a command prints comes from
places nobody checked: file names, journal rows written by an older breathpace, settings,
a quoted bad value in an error. Any of them may hold an escape sequence that retitles
the terminal, clears the screen or forges a line. Every command-line output that shows
such text passes it through `printable` first, and `for_stream` makes sure the line can
be written to a terminal whose encoding is not UTF-8 (escaped, never dropped).

The stand-ins are Python-style escapes (`\\x1b`, `\\n`, `\\u202e`): they are plain ASCII,
so they survive any terminal encoding, and an author recognises them from their editor.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

#: Characters that reorder the text around them on screen (bidirectional embeddings,
#: overrides and isolates): shown escaped so a name cannot display as something else.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Characters that show as nothing: the directional marks (left-to-right, right-to-left,
#: Arabic letter mark), the zero-width space, the word joiner and invisible operators,
#: the byte-order mark. Two names that look the same on screen could differ by one of
#: them, or one could flip how a line reads, so they are shown escaped too. The zero-
#: width joiner and non-joiner stay: they shape emoji (👩‍💻) and Persian or Indic words.
INVISIBLE = frozenset(
    "\u061c\u180e\u200b\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
)

#: Every character shown as an escape besides the Unicode controls: one set for the
#: routine format's check, the error messages and everything printed.
SHOWN_ESCAPED = BIDI_CONTROLS | INVISIBLE


#: Any character `is_control` refuses, as one pattern: text is searched at C speed,
#: and only text that holds one is walked character by character to name it.
CONTROL_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    "\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\u206a-\u206f\ufeff]"
)


def is_control(char: str) -> bool:
    """True for a character that acts on the terminal or the layout instead of showing:
    C0 and C1 controls and DEL (Unicode category Cc), line and paragraph separators,
    bidirectional controls, invisible marks and joiners, and lone surrogates (an
    undecodable byte in a file name)."""
    category = unicodedata.category(char)
    return category in ("Cc", "Zl", "Zp", "Cs") or char in SHOWN_ESCAPED


def stand_in(char: str) -> str:
    """The visible, ASCII stand-in for one control character."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )


def printable(text: object) -> str:
    """`text` as a string with every control character replaced by its stand-in."""
    text = text if isinstance(text, str) else str(text)
    if CONTROL_RE.search(text) is None:
        return text  # the common case, at C speed
    return "".join(stand_in(c) if is_control(c) else c for c in text)


def cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, ending in "…" when it was longer."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def quote(value: str, limit: int = 60) -> str:
    """A value from a file for an error message: printable, at most about `limit`
    characters, in double quotes (a 900 KB key is not quoted whole)."""
    shown = printable(value)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f'"{shown}"'


def name_text(name: str) -> str:
    """A file name (which may hold undecodable bytes kept as surrogates) as text that
    any encoder accepts: those bytes become `\\xNN`, everything else is unchanged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return name


def for_stream(text: str, stream: TextIO | None) -> str:
    """`text` made printable and encodable by `stream`: with an ASCII terminal, accents
    are dropped (é -> e) and what is left is escaped, so the line is still written."""
    text = printable(text)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        text = folded.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass  # an encoding Python does not know: the stream will say so itself
    return text
