"""breathpace: a breath-paced guided exercise player for the terminal."""

from breathpace.deferred_modules import defer

__version__ = "0.1.0"

# Before pydantic is imported by any module of the package: the standard modules it
# imports but breathpace never uses load only if something does use them.
defer()
