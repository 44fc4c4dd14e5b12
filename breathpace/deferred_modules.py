"""Standard modules that a library imports at its top but breathpace never uses, loaded
only if something does use them.

pydantic imports `secrets` for one call (comparing secret strings, which breathpace
never does), and `secrets` imports `hmac` and `hashlib`, which load OpenSSL's libcrypto:
about 3.5 MB of a session's memory. pydantic also imports `importlib.metadata` (and with
it `email`, `zipfile`, `csv`, `socket`: about 1.7 MB) to look for plugins, which
breathpace turns off (see `breathpace/__init__.py`). A stand-in takes each module's place
in `sys.modules` until something reads one of its names; then the real module is
imported, replaces the stand-in, and answers. Whoever uses the module gets the real one,
with OpenSSL behind `hashlib` as usual. The miniaudio backend defers `urllib.request`
(its radio client's, with `http.client` and `ssl` behind it) the same way.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping

#: Module -> the functions a library imports from it by name at its top (`from m import
#: f`): the stand-in holds each as a function that imports the module when called.
DEFERRED: Mapping[str, tuple[str, ...]] = {
    "secrets": (),
    "importlib.metadata": ("entry_points",),
}


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


def _forwarding(module: str, name: str) -> Callable:
    def call(*args, **kwargs):
        return getattr(load(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"`{module}.{name}`, imported when first called."
    return call


def defer(modules: Mapping[str, tuple[str, ...]] = DEFERRED) -> None:
    """Put stand-ins in place for those of `modules` not imported yet (before the library
    that imports them is). A module already imported is left as it is."""
    for name, functions in modules.items():
        if name in sys.modules:
            continue
        stand_in = LoadedOnFirstUse(name)
        for function in functions:
            setattr(stand_in, function, _forwarding(name, function))
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:
            # As an import would: `import importlib.metadata` then reads it from there.
            setattr(importlib.import_module(parent), child, stand_in)
