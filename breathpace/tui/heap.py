"""Keep what start-up built out of the garbage collector's passes during a session.

By the time a session starts, the process holds some ninety thousand objects that live
as long as it does: Textual's and numpy's modules, the stylesheet, the screen's widgets,
the routine, its timeline and figures. Python's collector walks every one of them at
each full collection: in a silent session one such pass came within the first minute
and took 60 ms, as long as ten frames of drawing. `settle()` collects once and then
freezes what is left (`gc.freeze`), so later passes look only at what the session
itself allocates; `release()` hands the frozen objects back to the collector when the
session's screen goes (a screen closed in an app that goes on, or a test's app, is then
reclaimed as before). Nothing visible changes; memory is still freed by reference
counting meanwhile.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what start-up left behind, then keep every living object out of the
    collector's later passes. Called before a session starts (not during one: the
    collection takes tens of milliseconds)."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """Let the collector look at the frozen objects again (they join its oldest
    generation)."""
    gc.unfreeze()
