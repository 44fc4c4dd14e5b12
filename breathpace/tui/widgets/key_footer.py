"""The footer every screen uses: `?` (help) and `q` always show, whatever the width.

Textual's own footer lays the keys out in binding order and cuts off whatever does not
fit, so at 40 or 80 columns the two keys a person most needs (help and the way out) were
the ones lost. This footer measures the keys against its width: `?` and `q` are kept
first, then the others in the screen's order while they fit; the keys left out are all
listed in help, so nothing becomes unreachable.

It builds Textual's `FooterKey` (from the private `textual.widgets._footer`) and reads
the footer's private `_bindings_ready`. When a Textual release moves or changes either,
the footer is Textual's own, which still lists every key that fits.
"""

from __future__ import annotations

import inspect

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

try:
    from textual.widgets._footer import FooterKey
except ImportError:  # moved: Textual's own footer (see `fits`)
    FooterKey = None  # type: ignore[assignment,misc]

#: Keys kept whatever the width: help and the way out.
ALWAYS = ("question_mark", "q")


def key_width(key_display: str, description: str) -> int:
    """Columns one key takes in the (non-compact) footer: " key description "."""
    return len(key_display) + 2 + len(description) + 1


def fit(keys: list[tuple[Binding, str]], width: int) -> list[tuple[Binding, str]]:
    """The keys (binding, key as shown) that fit in `width` columns, in their order;
    the `ALWAYS` keys are chosen first so a narrow terminal drops the others."""

    def always(binding: Binding) -> bool:
        # A binding for "escape,q" arrives as one binding per key; either counts.
        return binding.key in ALWAYS or binding.key_display in ("?", "q")

    ranked = sorted(range(len(keys)), key=lambda i: (not always(keys[i][0]), i))
    chosen: set[int] = set()
    used = 0
    for i in ranked:
        binding, shown = keys[i]
        need = key_width(shown, binding.description)
        if used + need <= width or always(binding):
            chosen.add(i)
            used += need
    return [keys[i] for i in sorted(chosen)]


def fits() -> bool:
    """Whether Textual's footer still has what this one builds on: `FooterKey` built as
    `(key, key_display, description, action, *, disabled, tooltip)`, and the footer's
    `_bindings_ready`. Never raises."""
    if FooterKey is None or not hasattr(Footer, "_bindings_ready"):
        return False
    try:
        inspect.signature(FooterKey).bind("q", "q", "Quit", "quit", disabled=False, tooltip="")
    except (TypeError, ValueError):
        return False
    return True


class KeyFooter(Footer):
    """A Footer that keeps `?` and `q` visible and drops what does not fit."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("show_command_palette", False)
        super().__init__(**kwargs)
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        if not _FITS:
            yield from super().compose()
            return
        if not self._bindings_ready:
            return
        keys: list[tuple[Binding, str, bool, str]] = []
        actions: set[str] = set()
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            # One entry per action (a key with two names, like n and right, shows once).
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append((binding, self.app.get_key_display(binding), enabled, tooltip))
        width = self._width()
        self._laid_out_for = width
        kept = {id(b) for b, _ in fit([(b, shown) for b, shown, _, _ in keys], width)}
        for binding, shown, enabled, tooltip in keys:
            if id(binding) in kept:
                yield FooterKey(
                    binding.key,
                    shown,
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self, event: events.Resize) -> None:
        if _FITS and self._bindings_ready and event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)


_FITS = fits()
