"""The one error a session raises for bad input, so no caller needs click or Textual.

`str()` is one line that names where the bad value came from (the settings file and its
key, a command-line option, or a routine file). The commands turn it into their exit-2
error; the interface shows it as a notice.
"""

from __future__ import annotations


class SessionError(ValueError):
    """A session cannot be prepared or opened; `str()` is one line naming the source."""
