"""breathpace: a breath-paced guided exercise player for the terminal."""

import os

from breathpace.deferred_modules import defer

__version__ = "0.1.0"

# pydantic looks through every installed package's entry points for plugins when it
# builds its first model. breathpace's models validate its own files, where no plugin
# (an observability tool for a web service) has a part; the look costs a session 1.7 MB
# and `importlib.metadata`. Setting it to an empty value lets plugins load again.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# Before pydantic is imported by any module of the package: the standard modules it
# imports but breathpace never uses load only if something does use them.
defer()
