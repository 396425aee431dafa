"""Right-to-left layout: every horizontal BoxLayout and every grid lays out from the right while the language
is RTL.

`install()` puts `MirrorBoxLayout` and `MirrorGridLayout` in the Factory under the names BoxLayout and
GridLayout, so every `BoxLayout:` and `GridLayout:` in the kv files mirrors without knowing it; with the
shaping provider's start/end alignment (kiosk/i18n/shaping.py) the screens need no second, right-to-left
version. Keyboards and keypads are not mirrored: their letters and digits keep their usual order.
`follow(direction)` names what they follow: any EventDispatcher with a BooleanProperty `rtl` (the app).
"""
from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.factory import Factory
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout


_direction: EventDispatcher | None = None  # what the layouts follow (follow())


class MirrorBoxLayout(BoxLayout):
    """A BoxLayout whose horizontal order follows the app's writing direction."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if _direction is not None:
            _direction.bind(rtl=self._trigger_layout)

    def do_layout(self, *args):
        super().do_layout(*args)
        if self.orientation == "horizontal" and _direction is not None and _direction.rtl:
            for child in self.children:
                child.x = self.x + (self.right - child.right)


class MirrorGridLayout(GridLayout):
    """A grid filled from the top right while the app's writing direction is right to left (the first
    topic at the right, as the first word of a line)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if _direction is not None:
            _direction.bind(rtl=self._follow)
            self._follow(_direction, _direction.rtl)

    def _follow(self, _app, rtl: bool) -> None:
        self.orientation = "rl-tb" if rtl else "lr-tb"


def follow(direction: EventDispatcher) -> None:
    """Lay out every mirroring box and grid made from now on by `direction.rtl`."""
    global _direction
    _direction = direction


def install() -> None:
    for name, cls in (("BoxLayout", MirrorBoxLayout), ("GridLayout", MirrorGridLayout)):
        Factory.unregister(name)
        Factory.register(name, cls=cls)
