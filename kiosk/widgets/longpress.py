"""A label with a hidden gesture: held for a few seconds it fires `on_long_press` (the way to the admin screen)."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.uix.label import Label

LONG_PRESS_SECONDS = 3


class LongPressBehavior:
    """Fires `on_long_press` when the widget is held for LONG_PRESS_SECONDS (mixed in before a widget).

    A timer fires it while the finger is still down. A busy kiosk can take the finger's down and up in
    one late frame, too late for the timer; then the touch's own times (stamped by the input provider as
    the kernel's events are read) tell how long it was held."""

    __events__ = ("on_long_press",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._held = Clock.create_trigger(self._fire, LONG_PRESS_SECONDS)
        self._pressing = None  # the touch being held here, until the gesture fires or the finger lifts

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            self._pressing = touch.uid
            self._held()
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        self._held.cancel()
        if touch.uid == self._pressing:
            self._pressing = None
            if touch.time_end >= touch.time_start + LONG_PRESS_SECONDS:  # held long enough, seen late
                self.dispatch("on_long_press")
        return super().on_touch_up(touch)

    def _fire(self, _dt) -> None:
        if self._pressing is not None:
            self._pressing = None
            self.dispatch("on_long_press")

    def on_long_press(self):
        pass


class LongPressLabel(LongPressBehavior, Label):
    """A label with the hidden gesture: "Vandaag" on the home screen, held for 3 seconds."""
