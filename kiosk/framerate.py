"""An adaptive frame rate: smooth while a visitor touches the screen, nearly asleep at rest.

Kivy's main loop wakes `maxfps` times a second even when nothing changes; under Mesa llvmpipe
that alone costs a few percent of a core. After `settle` seconds without a touch the loop drops to
`idle_fps`; the next touch brings it back at once. Kivy has no public setter for the rate at run
time: `Clock._max_fps` is what its `idle()` reads every frame.
"""
from __future__ import annotations

from kivy.clock import Clock

ACTIVE_FPS = 60
IDLE_FPS = 10  # worst case a first touch waits one idle frame: 100 ms
SETTLE_SECONDS = 5


class FrameRate:
    def __init__(self, active: float = ACTIVE_FPS, idle: float = IDLE_FPS, settle: float = SETTLE_SECONDS):
        self.active, self.idle = active, idle
        self._slow_down = Clock.create_trigger(lambda _dt: self._set(self.idle), settle)

    def start(self) -> None:
        self.touched()

    def touched(self) -> None:
        self._set(self.active)
        self._slow_down.cancel()
        self._slow_down()

    @property
    def current(self) -> float:
        return Clock._max_fps

    @staticmethod
    def _set(fps: float) -> None:
        Clock._max_fps = float(fps)
