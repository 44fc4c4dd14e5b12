"""The style a line-drawn widget paints with, worked out once instead of per line.

Textual's `rich_style` walks every ancestor and blends their colours on each call, and
a widget drawn through the line API asks for it once per line per frame: for the breath
indicator, thirteen walks up the DOM at every step of the breath. The mixin keeps the
result until Textual says the widget's styles changed (a class, the theme, the CSS).
"""

from __future__ import annotations

from rich.style import Style


class BaseStyle:
    """Mixin for a Widget: `base_style` is its `rich_style`, kept until styles change."""

    _base_style: Style | None = None

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style  # type: ignore[attr-defined]
        return self._base_style

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()  # type: ignore[misc]
