"""Standard modules that a library imports at its top but uses only inside functions,
loaded when first used instead.

pydantic imports `secrets` for one call (comparing secret strings, which breathpace
never does), and `secrets` imports `hmac` and `hashlib`, which load OpenSSL's libcrypto:
about 3.5 MB of a session's memory and a few ms of every start. A stand-in takes the
module's place in `sys.modules` until something reads one of its names; then the real
module is imported, replaces the stand-in, and answers. Nothing else changes: whoever
uses the module gets the real one, with OpenSSL behind `hashlib` as usual.
"""

from __future__ import annotations

import importlib
import sys
import types

#: Imported by a library breathpace loads, used by none of its code paths.
DEFERRED = ("secrets",)


class LoadedOnFirstUse(types.ModuleType):
    """Stands in for a module until one of its names is read. Dunder names (`__file__`,
    `__path__`…) are not forwarded: tools that look over `sys.modules` (inspect,
    pickle, coverage) then pass it by instead of importing it mid-loop."""

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(load(self.__name__), name)


def load(name: str) -> types.ModuleType:
    """The real module `name`, imported now if only its stand-in is there."""
    if isinstance(sys.modules.get(name), LoadedOnFirstUse):
        del sys.modules[name]
    return importlib.import_module(name)


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Put stand-ins in place for those of `names` not imported yet (before the library
    that imports them is). A module already imported is left as it is."""
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = LoadedOnFirstUse(name)
