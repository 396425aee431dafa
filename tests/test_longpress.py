"""The hidden gesture: held for 3 seconds, once, even when a busy kiosk sees the finger's down and up in
one late frame (the device rig's failure of 7cdaeb8)."""
import os

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kivy.clock import Clock  # noqa: E402
from kivy.input.motionevent import MotionEvent  # noqa: E402
from kivy.uix.widget import Widget  # noqa: E402

from kiosk.widgets.longpress import LONG_PRESS_SECONDS, LongPressBehavior  # noqa: E402


class Held(LongPressBehavior, Widget):
    """The gesture on a plain widget: a Label would take the kiosk's kv rules, which need the running app."""


class Finger(MotionEvent):
    def __init__(self, pos):
        super().__init__("test", 1, {"pos": pos}, is_touch=True)

    def depack(self, args):
        self.sx, self.sy = args["pos"]
        super().depack(args)


def label():
    widget = Held(size=(200, 80), pos=(0, 0))
    fired = []
    widget.bind(on_long_press=lambda *_: fired.append(1))
    return widget, fired


def press(widget, held: float, pos=(100, 40)):
    """Down and up handled one after the other, as in one late frame; the provider's times `held` apart."""
    finger = Finger(pos)
    finger.pos = pos
    widget.on_touch_down(finger)
    finger.time_end = finger.time_start + held
    widget.on_touch_up(finger)


def test_a_hold_seen_late_still_opens_once():
    widget, fired = label()
    press(widget, LONG_PRESS_SECONDS + 0.5)
    assert fired == [1]
    Clock.tick()  # the timer was cancelled: no second opening
    assert fired == [1]


def test_a_tap_is_no_long_press():
    widget, fired = label()
    press(widget, 0.2)
    assert fired == []


def test_a_hold_outside_the_label_is_no_long_press():
    widget, fired = label()
    press(widget, LONG_PRESS_SECONDS + 1, pos=(500, 300))
    assert fired == []


def test_the_timer_fires_while_held_and_the_lift_adds_nothing():
    widget, fired = label()
    finger = Finger((100, 40))
    finger.pos = (100, 40)
    widget.on_touch_down(finger)
    widget._fire(0)  # the timer, LONG_PRESS_SECONDS later, while the finger is still down
    finger.time_end = finger.time_start + LONG_PRESS_SECONDS + 2
    widget.on_touch_up(finger)
    assert fired == [1]
