"""A label with a hidden gesture: held for a few seconds it fires `on_long_press` (the way to the admin screen)."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.uix.label import Label

LONG_PRESS_SECONDS = 3


class LongPressLabel(Label):
    """A label that fires `on_long_press` when held for LONG_PRESS_SECONDS (the hidden gesture)."""

    __events__ = ("on_long_press",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._held = Clock.create_trigger(lambda _dt: self.dispatch("on_long_press"), LONG_PRESS_SECONDS)

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            self._held()
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        self._held.cancel()
        return super().on_touch_up(touch)

    def on_long_press(self):
        pass
